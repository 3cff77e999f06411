#!/bin/bash
# Generates the KDE golden-test reference grids ONCE, with the reference tools
# (never from trygg's output):
#   - QGIS 3.22 Heatmap (qgis:heatmapkerneldensityestimation, Debian's qgis), radius
#     73.3 m (7.33 pixels: not a whole number), 10 m pixels, kernels quartic,
#     triangular (decay 0.25), uniform, triweight, Epanechnikov x {raw, scaled, raw
#     weighted by column w}; 15 grids -> qgis_<kernel>_<raw|scaled|weighted>.f32
#   - spatstat density.ppp (spatstat_reference.R): 8 grids.
# Grids are stored as little-endian Float32 (QGIS writes Float32; spatstat's doubles
# are rounded to Float32, far below its pixel-snapping error), rows top to bottom;
# manifest_qgis.tsv / manifest_spatstat.tsv give each grid's geometry.
# Needs: python3-numpy, python3-gdal, qgis (qgis_process.bin), r-cran-spatstat.
# usage: tests/reference/kde/make_reference.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export QT_QPA_PLATFORM=offscreen
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_RUNTIME_DIR=$tmp/xdg; mkdir -m 700 "$XDG_RUNTIME_DIR"
/usr/bin/python3 make_points.py "$here"
mv points.geojson "$tmp/points.geojson"
QP=qgis_process; command -v qgis_process.bin >/dev/null && QP=qgis_process.bin
echo -e "file\tkernel\toutput\tweighted\tradius\tdecay\torigin_x\torigin_y\tcell\twidth\theight\tnodata\tmax" > manifest_qgis.tsv
kernels=(quartic triangular uniform triweight epanechnikov)
for k in 0 1 2 3 4; do
  for v in raw scaled weighted; do
    ov=0; [ $v = scaled ] && ov=1
    extra=(); [ $v = weighted ] && extra=(WEIGHT_FIELD=w)
    tif=$tmp/q_${k}_$v.tif
    $QP run qgis:heatmapkerneldensityestimation -- INPUT="$tmp/points.geojson" RADIUS=73.3 \
      PIXEL_SIZE=10 KERNEL=$k DECAY=0.25 OUTPUT_VALUE=$ov "${extra[@]}" OUTPUT="$tif" > "$tmp/log_${k}_$v.txt" 2>&1 \
      || { cat "$tmp/log_${k}_$v.txt"; exit 1; }
    f=qgis_${kernels[$k]}_$v.f32
    /usr/bin/python3 - "$tif" "$f" "${kernels[$k]}" "$v" >> manifest_qgis.tsv <<'PY'
import sys
import numpy as np
from osgeo import gdal
tif, f, kernel, v = sys.argv[1:]
ds = gdal.Open(tif); b = ds.GetRasterBand(1)
a = b.ReadAsArray().astype("<f4"); gt = ds.GetGeoTransform(); nd = b.GetNoDataValue()
assert gt[2] == 0 and gt[4] == 0 and gt[5] == -gt[1]
a.tofile(f)
ok = a[a != nd]
print(f"{f}\t{kernel}\t{'scaled' if v == 'scaled' else 'raw'}\t{int(v == 'weighted')}\t73.3\t0.25\t"
      f"{gt[0]!r}\t{gt[3]!r}\t{gt[1]!r}\t{ds.RasterXSize}\t{ds.RasterYSize}\t{nd!r}\t{ok.max()!r}")
PY
  done
done
Rscript spatstat_reference.R points.csv "$here"
{ echo "qgis: $($QP --version 2>/dev/null | head -1)"; echo "R: $(Rscript -e 'cat(R.version.string, "spatstat.explore", as.character(packageVersion("spatstat.explore")))' 2>/dev/null)"; } > versions.txt
du -ch *.f32 | tail -1
