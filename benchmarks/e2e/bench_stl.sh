#!/bin/bash
# St. Louis sweep for `trygg bench` (issue 5's performance target): 6 method
# families × 10 settings × 4 categories × 24 monthly forecast dates, horizon
# 1 month = 5,760 forecasts, on the published file as it is (by column mapping).
#   benchmarks/e2e/bench_stl.sh [TRYGG_BINARY] [OUT_DIR] [THREADS]
# Prints wall and CPU time (the machine may be shared: compare CPU time) and
# writes the plots with scripts/bench_plots.py.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
trygg=${1:-$here/build/bin/trygg}
out=${2:-/tmp/trygg_bench_stl}
threads=${3:-0}
data=${TRYGG_SHARED_DATA:-$here/../shared/data}/stl_slmpd_crime_2008_2015
[ -f "$data/stl_crime_2008-01_2015-11.csv.xz" ] || { echo "no St. Louis data in $data" >&2; exit 1; }
mkdir -p "$out"
cat > "$out/stl_sweep.yaml" <<YAML
name: stl_sweep
crs: ESRI:102696
incidents:
  source: $data/stl_crime_2008-01_2015-11.csv.xz
  crs: ESRI:102696
  columns: { x: x_ft, y: y_ft, time: datetime_occur, category: ucr_category, weight: count, reported_at: coded_month }
  time_zone: America/Chicago
  reported_at_format: "%Y-%m"
  reported_at_period: month      # monthly releases: a record coded 2014-05 is known from 2014-06-01
  filter: "x_ft > 0"             # 9,380 rows have no coordinates
study_area: { source: $data/stl_city.geojson }
categories:
  burglary: [Burglary]
  vehicle_theft: [Motor vehicle theft]
  robbery: [Robbery]
  aggravated_assault: [Aggravated Assault]
training: 12 months
horizons: [1 month]
forecast_dates: { from: 2013-12-01, every: 1 month, count: 24 }
grid: { shape: square, cell: 500 ft }
coverages: [0.5%, 1%, 2%, 5%]
methods:
  - counts:window=30..300/30
  - counts_decay:half_life=7..70/7
  - kde:kernel=quartic,bandwidth=100..1000/100
  - kde:kernel=gaussian,bandwidth=50..500/50
  - gistar:band=100..1000/100
  - near_repeat:space=200|400,time=14|28|56|84|112
seed: 1
YAML
/usr/bin/time -v "$trygg" bench "$out/stl_sweep.yaml" --out "$out" --threads "$threads" 2> "$out/time.txt" | tee "$out/stdout.txt"
grep -E "Elapsed|User time|System time|Maximum resident" "$out/time.txt"
/usr/bin/python3 "$here/scripts/bench_plots.py" "$out" --coverage 0.01
