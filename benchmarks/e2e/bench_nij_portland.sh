#!/bin/bash
# NIJ-style evaluation on the Portland burglary and motor-vehicle-theft calls
# for service (NIJ Real-Time Crime Forecasting Challenge data, METHODS.md §7):
# the challenge's cell limits (62,500–360,000 ft²; here 500 ft squares =
# 250,000 ft²), flagged areas of 0.25, 0.5 and 0.75 mi², PAI and PEI*, its five
# horizons, and forecast dates INSIDE the data (the challenge's own forecasts
# began 1 March 2017, after these files end on 31 January 2017), so the
# results are not comparable with the leaderboard.
#   benchmarks/e2e/bench_nij_portland.sh [TRYGG_BINARY] [OUT_DIR] [THREADS]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
trygg=${1:-$here/build/bin/trygg}
out=${2:-/tmp/trygg_bench_nij}
threads=${3:-0}
data=${TRYGG_SHARED_DATA:-$here/../shared/data}/nij_portland_cfs
[ -f "$data/nij_cfs_burglary_2012-03_2017-01.csv" ] || { echo "no NIJ Portland data in $data" >&2; exit 1; }
mkdir -p "$out"
for kind in burglary motor_vehicle_theft; do
  case $kind in
    burglary) cat_words="[BURGLARY]" ;;
    motor_vehicle_theft) cat_words="[MOTOR VEHICLE THEFT]" ;;
  esac
  cat > "$out/nij_$kind.yaml" <<YAML
name: nij_$kind
crs: EPSG:2913
incidents:
  source: $data/nij_cfs_${kind}_2012-03_2017-01.csv
  crs: EPSG:2913
  columns: { x: x_ft, y: y_ft, time: occ_date, category: category }
  time_zone: America/Los_Angeles
study_area: { source: $data/portland_police_districts_epsg2913.gpkg }
categories:
  $kind: $cat_words
training: 12 months
horizons: [1 week, 2 weeks, 1 month, 2 months, 3 months]
forecast_dates: { from: 2016-01-01, every: 1 month, count: 10 }
grid: { shape: square, cell: 500 ft }
nij_limits: true
coverages: [0.25 mi2, 0.5 mi2, 0.75 mi2]
methods:
  - counts:window=30|91|182|365
  - counts_decay:half_life=14|30|60|120
  - kde:kernel=quartic,bandwidth=150..600/150
  - gistar:band=150|300|450
  - near_repeat:space=200|400,time=28|56
seed: 1
YAML
  /usr/bin/time -v "$trygg" bench "$out/nij_$kind.yaml" --out "$out/$kind" --threads "$threads" 2> "$out/$kind.time.txt" \
    | tee "$out/$kind.stdout.txt"
  grep -E "Elapsed|User time|System time|Maximum resident" "$out/$kind.time.txt"
  /usr/bin/python3 "$here/scripts/bench_plots.py" "$out/$kind" --horizon "1 month" --coverage "$(
    awk -F, 'NR==2{print $3}' "$out/$kind/ranking.csv")" || true
done
