#!/bin/sh
# Apply every PATCHDIR/*.patch to the git work tree TREE, in name order, on
# top of its tag "pristine", and commit the result as "anker patches".
# A patch that does not apply stops everything: its name and failing hunks
# are printed and the tree is reset to pristine.
# Usage: scripts/apply-patches.sh TREE PATCHDIR
set -eu
tree=$1 dir=$2
g() { git -C "$tree" -c user.name=anker -c user.email=anker@localhost "$@"; }

g reset -q --hard pristine
for p in "$dir"/*.patch; do
	[ -e "$p" ] || continue
	if ! g apply --reject --whitespace=nowarn "$p" 2>"$tree/.apply.err"; then
		echo "apply-patches: patch $(basename "$p") does not apply:" >&2
		grep -v '^Checking\|^Applying\|^Applied' "$tree/.apply.err" >&2 || true
		g ls-files --others -- '*.rej' | while read -r rej; do
			echo "--- failing hunk(s) of ${rej%.rej}:" >&2
			cat "$tree/$rej" >&2
			rm -f "$tree/$rej"
		done
		rm -f "$tree/.apply.err"
		g reset -q --hard pristine
		exit 1
	fi
done
rm -f "$tree/.apply.err"
g add -u
g commit -q --allow-empty -m "anker patches"
