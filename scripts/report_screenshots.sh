#!/usr/bin/env bash
# Pictures of the workshop report for docs/img: the first PDF page of each
# delimited area (its heading reads "Name (ID)"; the IDs are read from the
# HTML report beside the PDF), rendered by pdftoppm.
#   scripts/report_screenshots.sh demo/output/angsby_report.pdf docs/img
set -euo pipefail
pdf=${1:?usage: $0 REPORT.pdf OUT_DIR [DPI]}
out=${2:?usage: $0 REPORT.pdf OUT_DIR [DPI]}
dpi=${3:-60}
mkdir -p "$out"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
html=${pdf%.pdf}.html
declare -A area
for id in $(grep -o '<section class="area" id="area-[^"]*"' "$html" | sed 's/.*id="area-//; s/"$//'); do area[$id]=1; done
declare -A seen
for ((p = 1; p <= pages; p++)); do
  first=$(pdftotext -f "$p" -l "$p" -layout "$pdf" - | sed '/^\s*$/d' | head -1 | sed 's/^\s*//; s/\s*$//')
  if [[ $first =~ \(([A-Za-z0-9_-]+)\)$ ]]; then
    id=${BASH_REMATCH[1]}
    [[ -z ${area[$id]:-} || -n ${seen[$id]:-} ]] && continue
    seen[$id]=1
    pdftoppm -f "$p" -l "$p" -r "$dpi" -png -singlefile "$pdf" "$out/report_$id"
    echo "$out/report_$id.png (page $p: $first)"
  fi
done
