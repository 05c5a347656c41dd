#!/bin/sh
# Regenerate kernel/patches/ from the edits of upstream files in build/linux:
# one patch per upstream file, named after its path. Then record the state so
# that scripts/prepare-tree.sh sees the tree and the patches agree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
out=$top/kernel/patches

g() { git -C "$tree" -c user.name=anker -c user.email=anker@localhost "$@"; }
[ -d "$tree/.git" ] || { echo "save-patches: no build/linux; run make kernel first" >&2; exit 1; }

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
g diff --name-only pristine -- . | while read -r f; do
	[ -L "$tree/$f" ] && continue
	name=$(printf '%s' "$f" | tr '/' '-').patch
	g diff pristine -- "$f" >"$tmp/$name"
done

# Replace the old set by the new one, saying what changed.
for p in "$out"/*.patch; do
	[ -e "$p" ] || continue
	[ -e "$tmp/$(basename "$p")" ] || { echo "removed  $(basename "$p")"; rm -f "$p"; }
done
for p in "$tmp"/*.patch; do
	[ -e "$p" ] || continue
	n=$(basename "$p")
	if [ ! -e "$out/$n" ]; then
		echo "added    $n"
	elif ! cmp -s "$p" "$out/$n"; then
		echo "updated  $n"
	fi
	cp "$p" "$out/$n"
done

# New regular files in the tree belong in kernel/tree/, not in a patch.
g ls-files --others -- . ':!*.orig' ':!*.rej' ':!.anker-*' | while read -r f; do
	[ -L "$tree/$f" ] || echo "save-patches: warning: $f is new; move it to kernel/tree/$f" >&2
done

g add -u
g commit -q --allow-empty -m "anker patches"
cat "$out"/*.patch 2>/dev/null | sha1sum | cut -d' ' -f1 >"$tree/.anker-patches"
