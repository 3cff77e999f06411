#!/bin/bash
# Kernel density, trygg vs the peer tools, in one run on the same workload file:
#   QGIS 3.22 Heatmap   quartic r = 200 m, 10 m pixels, raw   (../shared/peers/run_kde_qgis.sh)
#   spatstat density.ppp Gaussian sigma = 100 m, 10 m pixels   (../shared/peers/kde_spatstat.R)
#   trygg (build/bin/kde_driver_bench): the same two tasks -- quartic exact and
#   qgis_compat, Gaussian binned -- and the agreement of its rasters with QGIS's.
# Prints each tool's own compute time (its PHASE line), the process wall time, the
# process CPU time (user + sys: the fairer figure when the machine is shared) and peak
# RSS (/usr/bin/time -v), and the ratios.
# usage: benchmarks/e2e/kde_vs_peers.sh [N=1000000] [BUILD_DIR=build]
#   PEERS_DIR (default /work/shared/peers, or ../shared/peers next to the repo),
#   PEERS_DATA (default /tmp/peers-data), SKIP_PEERS=1 to time trygg alone.
set -euo pipefail
n=${1:-1000000}
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$repo/build}
peers=${PEERS_DIR:-$repo/../shared/peers}
[ -d "$peers" ] || peers=/work/shared/peers
drv=$build/bin/kde_driver_bench
[ -x "$drv" ] || { echo "build $drv first: cmake --build $build --target kde_driver_bench" >&2; exit 1; }
. "$peers/lib.sh"          # DATA, ensure_csv, ensure_gpkg, QT_QPA_PLATFORM=offscreen
set +u
out=$DATA/work/kde_vs_peers_$n; mkdir -p "$out"
ensure_csv "$n"
csv=$DATA/incidents_$n.csv
rows=()

# run NAME PHASE-KEY CMD...: records "name phase_seconds wall_seconds cpu_seconds peak_rss_MB"
run() {
  local name=$1 key=$2; shift 2
  local log=$out/$name.log
  /usr/bin/time -v "$@" > "$log" 2> "$log.time" || { cat "$log" "$log.time" >&2; exit 1; }
  local phase wall rss cpu
  phase=$(awk -v k="$key" '$1 == "PHASE" && $2 == k {print $3}' "$log" | tail -1)
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$log.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$log.time")
  rows+=("$name $phase $wall $cpu $rss")
  echo "[$(date +%H:%M:%S)] $name: $key ${phase}s, process ${wall}s, cpu ${cpu}s, peak RSS ${rss} MB" >&2
}

if [ -z "${SKIP_PEERS:-}" ]; then
  ensure_gpkg "$n"   # outside the timing, as the peers' own runs
  run qgis_heatmap_quartic qgis_process_total "$peers/run_kde_qgis.sh" "$n"
  run spatstat_gaussian density_ppp Rscript "$peers/kde_spatstat.R" "$csv"
fi
run trygg_quartic_exact kde_quartic "$drv" "$csv" quartic "$out/trygg_quartic.f32"
run trygg_quartic_qgis_compat kde_quartic_qgis "$drv" "$csv" quartic_qgis "$out/trygg_quartic_qgis.f32"
run trygg_gaussian_binned kde_gauss_binned "$drv" "$csv" gauss_binned "$out/trygg_gauss_binned.f32"

echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf "%-28s %12s %12s %10s %10s\n" "run (N=$n)" "compute s" "process s" "cpu s" "RSS MB"
for r in "${rows[@]}"; do set -- $r; printf "%-28s %12s %12s %10s %10s\n" "$1" "$2" "$3" "$4" "$5"; done
field_of() { printf '%s\n' "${rows[@]}" | awk -v n="$1" -v f="$2" '$1 == n {print $f}'; }
phase_of() { field_of "$1" 2; }
cpu_of() { field_of "$1" 4; }
if [ -z "${SKIP_PEERS:-}" ]; then
  q=$(phase_of qgis_heatmap_quartic); s=$(phase_of spatstat_gaussian)
  te=$(phase_of trygg_quartic_exact); tq=$(phase_of trygg_quartic_qgis_compat); tb=$(phase_of trygg_gaussian_binned)
  echo
  echo "QGIS Heatmap / trygg quartic exact:        $(echo "scale=1; $q / $te" | bc)x"
  echo "QGIS Heatmap / trygg quartic qgis_compat:  $(echo "scale=1; $q / $tq" | bc)x"
  echo "spatstat / trygg Gaussian binned:          $(echo "scale=1; $s / $tb" | bc)x"
  echo "process CPU time ratios (whole processes, CSV/GPKG reading included):"
  echo "  QGIS / trygg quartic exact:  $(echo "scale=1; $(cpu_of qgis_heatmap_quartic) / $(cpu_of trygg_quartic_exact)" | bc)x"
  echo "  spatstat / trygg binned:     $(echo "scale=1; $(cpu_of spatstat_gaussian) / $(cpu_of trygg_gaussian_binned)" | bc)x"
  # agreement of the rasters with QGIS's (raw values)
  "$PY" - "$DATA/work/kde_qgis_$n.tif" "$out/trygg_quartic_qgis.f32" "$out/trygg_quartic.f32" <<'PY'
import sys
import numpy as np
from osgeo import gdal
ds = gdal.Open(sys.argv[1]); b = ds.GetRasterBand(1); q = b.ReadAsArray().astype(np.float64)
nd = b.GetNoDataValue(); q[q == nd] = 0; peak = q.max()
for name, f in (("qgis_compat", sys.argv[2]), ("exact", sys.argv[3])):
    t = np.fromfile(f, dtype="<f4").reshape(q.shape).astype(np.float64); t[t == -9999] = 0
    d = np.abs(t - q)
    print(f"trygg {name:11s} vs QGIS raster: max |diff| / peak {d.max() / peak:.3g}, "
          f"bit-identical pixels {np.mean(t == q) * 100:.4f} %")
PY
fi
