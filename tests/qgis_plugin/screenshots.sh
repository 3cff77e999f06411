#!/usr/bin/env bash
# Screenshots of the trygg provider for docs/qgis.md, taken by QGIS under Xvfb:
#   tests/qgis_plugin/screenshots.sh build/bin/trygg docs/qgis
# (needs xvfb: apt-get install xvfb)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
trygg="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
cfg="$(mktemp -d)"
trap 'rm -rf "$cfg"' EXIT
"$here/../../scripts/install-qgis-plugin.sh" "$cfg/profiles/default" >/dev/null
"$trygg" demo "$cfg/demo" >/dev/null
export TRYGG_DEMO="$cfg/demo" PATH="$(dirname "$trygg"):$PATH" TRYGG_SHOTS="$out" QGIS_CUSTOM_CONFIG_PATH="$cfg"
timeout 180 xvfb-run -a -s "-screen 0 1280x900x24" qgis --noversioncheck --nologo \
  --code "$here/screenshots.py" >/dev/null 2>&1 || true
ls -l "$out/toolbox.png" "$out/dialog.png" "$out/results.png"
