#!/bin/sh
# Resolve conflicts in kernel/patches/ left by a git merge of two branches
# that both edited the same upstream file. A patch file cannot be merged as
# text; the file it patches can: for each conflicted patch, the upstream file
# is built three times from the pristine source (base, ours, theirs patch
# applied), merged with git merge-file, and the patch written anew against
# pristine. Conflicts inside the upstream file are left in the patch as
# conflict markers and reported (exit 1).
# Usage (in the middle of a merge): scripts/merge-patches.sh [--union]
#   --union: where both sides changed the same lines, keep both (ours first):
#            right when both only added lines (syscall table, Makefile lists).
set -eu
union=
[ "${1:-}" = --union ] && union=yes
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
[ -d "$tree/.git" ] || { echo "merge-patches: no build/linux; run make kernel first" >&2; exit 1; }
cd "$top"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
for p in $(git diff --name-only --diff-filter=U -- kernel/patches/); do
	# The upstream path, from whichever side has the patch.
	f=
	for s in 2 3 1; do
		f=$(git show ":$s:$p" 2>/dev/null | sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' | head -n 1)
		[ -n "$f" ] && break
	done
	[ -n "$f" ] || { echo "merge-patches: $p: no diff header" >&2; bad=1; continue; }
	rm -rf "$tmp/r"
	git init -q "$tmp/r"
	mkdir -p "$tmp/r/$(dirname "$f")"
	git -C "$tree" show "pristine:$f" >"$tmp/r/$f"
	git -C "$tmp/r" add "$f"
	git -C "$tmp/r" -c user.name=anker -c user.email=anker@localhost commit -q -m pristine
	for s in 1 2 3; do
		git -C "$tmp/r" checkout -q -- "$f"
		if git show ":$s:$p" >"$tmp/p$s" 2>/dev/null && [ -s "$tmp/p$s" ]; then
			git -C "$tmp/r" apply "$tmp/p$s" || { echo "merge-patches: stage $s of $p does not apply" >&2; exit 1; }
		fi
		cp "$tmp/r/$f" "$tmp/f$s"
	done
	rc=0
	cp "$tmp/f2" "$tmp/f2.orig"
	git merge-file -L ours -L base -L theirs "$tmp/f2" "$tmp/f1" "$tmp/f3" || rc=$?
	how=merged
	if [ "$rc" -ne 0 ] && [ -n "$union" ]; then
		# Both sides added lines at one place (a table, a list of hooks):
		# keep both, ours first. Review the result.
		cp "$tmp/f2.orig" "$tmp/f2"
		git merge-file --union "$tmp/f2" "$tmp/f1" "$tmp/f3"
		how="union-merged ($rc conflict(s); review)"
		rc=0
	fi
	cp "$tmp/f2" "$tmp/r/$f"
	git -C "$tmp/r" diff -- "$f" >"$p"
	if [ "$rc" -ne 0 ]; then
		echo "merge-patches: $p: $rc conflict(s) in $f; resolve the markers in the patch" >&2
		echo "  (or run again with --union if both sides only added lines)" >&2
		bad=1
	else
		echo "$how $p"
		git add "$p"
	fi
done
exit "$bad"
