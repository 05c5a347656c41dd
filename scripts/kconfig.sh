#!/bin/sh
# Make OUT/.config: tinyconfig + the given fragments, then olddefconfig.
# Every option a fragment asks for that did not survive is an error naming it.
# Usage: scripts/kconfig.sh OUTDIR FRAGMENT...
# ANKER_KCONFIG_BASE=FILE: start from FILE (a full .config, e.g. Debian's)
# instead of tinyconfig (make deb FLAVOUR=server).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tree=$top/build/linux
mkdir -p "$1"
out=$(cd "$1" && pwd)
shift
kmake() { make -s -C "$tree" O="$out" "$@" >/dev/null; }

if [ -n "${ANKER_KCONFIG_BASE:-}" ]; then
	cp "$ANKER_KCONFIG_BASE" "$out/.config.tiny"
else
	KCONFIG_CONFIG="$out/.config.tiny" kmake tinyconfig
fi
KCONFIG_CONFIG="$out/.config.new" "$tree/scripts/kconfig/merge_config.sh" -m -O "$out" \
	"$out/.config.tiny" "$@" >"$out/.merge.log" 2>&1 ||
	{ cat "$out/.merge.log" >&2; exit 1; }
KCONFIG_CONFIG="$out/.config.new" kmake olddefconfig

# Each request of each fragment, against the result.
cat "$@" | awk -v cfg="$out/.config.new" '
	BEGIN {
		while ((getline line < cfg) > 0) {
			if (line ~ /^CONFIG_[A-Za-z0-9_]+=/) {
				i = index(line, "="); have[substr(line, 1, i - 1)] = substr(line, i + 1)
			}
		}
	}
	/^CONFIG_[A-Za-z0-9_]+=/ {
		i = index($0, "="); k = substr($0, 1, i - 1); v = substr($0, i + 1)
		if (!(k in have)) { printf "kconfig: %s=%s was asked for but is not set\n", k, v; bad = 1 }
		else if (have[k] != v) { printf "kconfig: %s=%s was asked for but is %s\n", k, v, have[k]; bad = 1 }
	}
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ {
		k = $2
		if ((k in have) && have[k] != "n") { printf "kconfig: %s was asked to be unset but is %s\n", k, have[k]; bad = 1 }
	}
	END { exit bad }
' >&2 || { echo "kconfig: fix the fragments (a dependency is missing?)" >&2; exit 1; }

# Keep .config (and its time stamp) when nothing changed.
if cmp -s "$out/.config.new" "$out/.config"; then
	rm -f "$out/.config.new"
else
	mv "$out/.config.new" "$out/.config"
fi
