#!/usr/bin/env bash
# Installs the trygg QGIS plugin (qgis_plugin/trygg, docs/qgis.md).
#
#   scripts/install-qgis-plugin.sh [PROFILE_FOLDER]   copy it into a QGIS profile and enable it
#                                                     (default: ~/.local/share/QGIS/QGIS3/profiles/default)
#   scripts/install-qgis-plugin.sh --zip OUT.zip      build a zip for Plugins > Manage and Install Plugins >
#                                                     Install from ZIP
#
# Enabling writes [PythonPlugins] trygg=true to the profile's QGIS/QGIS3.ini, which
# is what QGIS and qgis_process read (qgis_process loads enabled plugins whose
# metadata.txt says hasProcessingProvider=yes). The plugin needs the trygg
# program on PATH (or set in Settings > Options > Processing > Providers > trygg).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="$here/qgis_plugin/trygg"
[ -f "$src/metadata.txt" ] || { echo "install-qgis-plugin: $src/metadata.txt not found" >&2; exit 1; }

# The plugin's files: sources, metadata, icon (no caches).
copy_plugin() {  # copy_plugin DEST_FOLDER (the folder named trygg)
  rm -rf "$1"
  mkdir -p "$1"
  (cd "$src" && find . -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 |
     while IFS= read -r -d '' f; do mkdir -p "$1/$(dirname "$f")"; cp "$f" "$1/$f"; done)
}

if [ "${1:-}" = "--zip" ]; then
  out="${2:?usage: $0 --zip OUT.zip}"
  case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  copy_plugin "$tmp/trygg"
  rm -f "$out"
  # QGIS's "Install from ZIP" wants one top folder named after the plugin, holding metadata.txt.
  /usr/bin/python3 - "$tmp" "$out" <<'PY'
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, files in sorted(os.walk(os.path.join(root, "trygg"))):
        for f in sorted(files):
            full = os.path.join(folder, f)
            z.write(full, os.path.relpath(full, root))
PY
  echo "install-qgis-plugin: wrote $out (QGIS: Plugins > Manage and Install Plugins > Install from ZIP)"
  exit 0
fi
case "${1:-}" in -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

profile="${1:-$HOME/.local/share/QGIS/QGIS3/profiles/default}"
dest="$profile/python/plugins/trygg"
copy_plugin "$dest"
ini="$profile/QGIS/QGIS3.ini"
mkdir -p "$(dirname "$ini")"
touch "$ini"
# Set trygg=true under [PythonPlugins], adding the section or the key as needed.
/usr/bin/python3 - "$ini" <<'PY'
import sys
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    lines = f.read().splitlines()
out, section, done = [], None, False
for line in lines:
    s = line.strip()
    if s.startswith("[") and s.endswith("]"):
        if section == "[PythonPlugins]" and not done:
            out.append("trygg=true")
            done = True
        section = s
    elif section == "[PythonPlugins]" and s.split("=", 1)[0].strip() == "trygg":
        if not done:
            out.append("trygg=true")
            done = True
        continue
    out.append(line)
if not done:
    if section != "[PythonPlugins]":
        if out and out[-1].strip():
            out.append("")
        out.append("[PythonPlugins]")
    out.append("trygg=true")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
PY
echo "install-qgis-plugin: installed to $dest and enabled in $ini"
if command -v trygg >/dev/null 2>&1 || [ -n "${TRYGG_EXECUTABLE:-}" ]; then
  :
else
  echo "install-qgis-plugin: note: trygg is not on PATH; put $here/build/bin on PATH or set the program in" \
       "Settings > Options > Processing > Providers > trygg" >&2
fi
