#!/bin/sh
# report.sh DIR KERNEL MIB ROUNDS MEM: the table of bench/llfree-kernel from
# DIR/on.tsv (LLFree) and DIR/off.tsv (anker_llfree=off), medians.
set -eu
d=$1
med() { # workload file -> median seconds
	awk -F'\t' -v w="$1" '$1 == w { print $3 }' "$2" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
note() { awk -F'\t' -v w="$1" '$1 == w { n = $4 } END { print n }' "$2"; }
cat <<HDR
# LLFree as the kernel's page allocator vs buddy

Made by \`make -C bench/llfree-kernel bench\`: kernel \`build/kernel-$2\`, booted twice
(LLFree, then \`anker_llfree=off\` = buddy, the same binary), guest $5, 2 vCPUs,
QEMU TCG. Each workload $4 rounds of $3 MiB; median seconds of wall clock in the guest.
Run on $(date -u +%Y-%m-%d), host load average $(cut -d' ' -f1-3 /proc/loadavg).

| workload | LLFree s | buddy s | buddy / LLFree | note (last round, LLFree / buddy) |
|---|---:|---:|---:|---|
HDR
for w in anon4k_fault anon4k_unmap thp_fault thp_unmap hugetlb_grow hugetlb_shrink; do
	a=$(med $w "$d/on.tsv"); b=$(med $w "$d/off.tsv")
	r=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "nan" }')
	echo "| $w | $a | $b | $r | $(note $w "$d/on.tsv") / $(note $w "$d/off.tsv") |"
done
cat <<EOT

anon4k: 4 KiB page faults (\`MADV_NOHUGEPAGE\`, one write a page: order-0
allocations); thp: one write per 2 MiB with \`MADV_HUGEPAGE\` (order-9
allocations, plus zeroing 2 MiB each); hugetlb: \`nr_hugepages\` from 0 to
$3 MiB worth of 2 MiB pages and back (order-9 allocations and frees). The fault
and pool paths around the allocator are the same code in both boots.
EOT
