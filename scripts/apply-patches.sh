#!/bin/sh
# Make the git work tree TREE its tag "pristine" plus every PATCHDIR/*.patch
# (in name order), committed as "anker patches". Only files whose content
# changes are rewritten, so a kernel build after it recompiles only what the
# new patches touch. A patch that does not apply stops everything: its name
# and failing hunk are printed, and the tree is left as it was.
# Usage: scripts/apply-patches.sh TREE PATCHDIR
set -eu
tree=$1 dir=$(cd "$2" && pwd)
g() { git -C "$tree" -c user.name=anker -c user.email=anker@localhost "$@"; }

# Build the patched tree in a private index, without touching any file.
idx=$(cd "$tree" && git rev-parse --absolute-git-dir)/anker-index
trap 'rm -f "$idx"' EXIT
GIT_INDEX_FILE=$idx g read-tree pristine
for p in "$dir"/*.patch; do
	[ -e "$p" ] || continue
	if ! err=$(GIT_INDEX_FILE=$idx g apply --cached --whitespace=nowarn "$p" 2>&1); then
		echo "apply-patches: patch $(basename "$p") does not apply:" >&2
		printf '%s\n' "$err" >&2
		# The failing hunk: the one that starts at the line git names.
		line=$(printf '%s\n' "$err" | sed -n 's/^error: patch failed: .*:\([0-9]*\)$/\1/p' | head -n 1)
		[ -z "$line" ] || awk -v l="$line" '
			/^@@ / { split($2, a, ","); show = (substr(a[1], 2) == l) }
			/^diff / { show = 0 }
			show' "$p" | sed 's/^/  | /' >&2
		exit 1
	fi
done
new=$(GIT_INDEX_FILE=$idx g write-tree)

# Move the work tree there: a two-tree merge rewrites only changed files.
g read-tree -m -u HEAD "$new"
g commit -q --allow-empty -m "anker patches"
