#!/bin/sh
# Prepare build/linux: the pristine Debian kernel source in a local git repo,
# kernel/patches/ applied (committed as "anker patches"), kernel/tree/ linked in.
# Safe to run again: it redoes only what changed, and never discards local
# edits of upstream files (those belong in kernel/patches/, see save-patches.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/kernel/base"
tree=$top/build/linux
tarball=/usr/src/$PACKAGE.tar.xz
version=$(dpkg-query -W -f='${Version}' "$PACKAGE")

[ -f "$tarball" ] || { echo "prepare-tree: $tarball missing (run scripts/deps.sh)" >&2; exit 1; }

g() { git -C "$tree" -c user.name=anker -c user.email=anker@localhost "$@"; }

# 1. The pristine tree, once per source package version.
if [ ! -d "$tree/.git" ] || [ "$(cat "$tree/.anker-source" 2>/dev/null)" != "$version" ]; then
	if [ -d "$tree" ] && [ -n "$(g status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		echo "prepare-tree: build/linux has local edits and the source changed to $version;" >&2
		echo "  save them with scripts/save-patches.sh, then remove build/linux" >&2
		exit 1
	fi
	echo "prepare-tree: extracting $PACKAGE $version (about a minute)" >&2
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1
	g_tmp() { git -C "$tree.tmp" -c user.name=anker -c user.email=anker@localhost "$@"; }
	g_tmp init -q
	g_tmp config core.autocrlf false
	g_tmp config gc.auto 0
	g_tmp add -A -f
	g_tmp commit -q -m "pristine $PACKAGE $version"
	g_tmp tag pristine
	echo "$version" >"$tree.tmp/.anker-source"
	echo .anker-source >>"$tree.tmp/.git/info/exclude"
	echo .anker-patches >>"$tree.tmp/.git/info/exclude"
	mv "$tree.tmp" "$tree"
fi

# 2. The patches, when the set changed since they were applied.
sum=$(cat "$top"/kernel/patches/*.patch 2>/dev/null | sha1sum | cut -d' ' -f1)
if [ "$(cat "$tree/.anker-patches" 2>/dev/null)" != "$sum" ]; then
	if [ -n "$(g status --porcelain --untracked-files=no)" ]; then
		echo "prepare-tree: kernel/patches/ changed, but build/linux has local edits:" >&2
		g status --short --untracked-files=no >&2
		echo "  keep them: scripts/save-patches.sh; drop them: git -C build/linux checkout ." >&2
		exit 1
	fi
	rm -f "$tree/.anker-patches"
	"$top/scripts/apply-patches.sh" "$tree" "$top/kernel/patches"
	echo "$sum" >"$tree/.anker-patches"
fi

# 3. Links to the new files of kernel/tree/ (a file there is edited in place).
exclude=$tree/.git/info/exclude
{ echo .anker-source; echo .anker-patches; } >"$exclude"
find "$tree" -xtype l -lname "$top/*" -delete 2>/dev/null || true
(cd "$top/kernel/tree" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) |
while read -r f; do
	dst=$tree/$f
	if [ -e "$dst" ] && [ ! -L "$dst" ]; then
		echo "prepare-tree: kernel/tree/$f would replace an upstream file;" \
			"edit it in build/linux and keep the change in kernel/patches/" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$dst")"
	ln -sfn "$top/kernel/tree/$f" "$dst"
	echo "/$f" >>"$exclude"
done
