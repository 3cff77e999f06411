#!/bin/bash
# CSV -> project store with area assignment: trygg vs the peers, in the same run,
# on the same files (the peers' workload, ../shared/peers).
#
#   benchmarks/e2e/import_vs_peers.sh                 # N = 1M, REPEATS=1
#   NS="1000000 10000000" REPEATS=1 benchmarks/e2e/import_vs_peers.sh
#   WITH_POSTGIS=1 benchmarks/e2e/import_vs_peers.sh  # also PostGIS COPY + GiST + ST_Contains join
#
# Environment: PEERS_DATA (default /tmp/peers-data), TRYGG_BUILD (default
# <repo>/build; needs build/bin/import_driver_bench), PEERS (default <repo>/../shared/peers).
#
# trygg side: benchmarks/import_driver_bench.cpp -- parses the workload CSV
# with a minimal parser of its own (the engine's general CSV reader was being
# written in parallel), assigns every incident to the 300 areas with
# geo::PolygonIndex and writes data::Store (SpatiaLite: geometry column,
# bulk-loaded spatial index, incident_area rows), then checks a SpatialIndex
# query against a brute-force count. Peer: ogr2ogr CSV -> GeoPackage with its
# R-tree (run_import.sh), which does no area assignment at all.
# Each command runs under /usr/bin/time -v (lib.sh `timed`): wall, peak RSS, CPU
# and the 1-minute load average before the run (this box is shared: a high load
# inflates wall times; compare tools within one run).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PEERS=${PEERS:-$(cd "$REPO/../shared/peers" 2>/dev/null && pwd)}
[ -n "$PEERS" ] && [ -f "$PEERS/lib.sh" ] || { echo "peer scripts not found; set PEERS=/path/to/shared/peers" >&2; exit 2; }
TRYGG_BUILD=${TRYGG_BUILD:-$REPO/build}
DRIVER=$TRYGG_BUILD/bin/import_driver_bench
[ -x "$DRIVER" ] || { echo "$DRIVER missing: cmake --build $TRYGG_BUILD --target import_driver_bench" >&2; exit 2; }
NS=${NS:-1000000}
export REPEATS=${REPEATS:-1}
export PEERS_RESULTS=${PEERS_RESULTS:-${PEERS_DATA:-/tmp/peers-data}/results/import_vs_peers-$(date +%Y%m%d-%H%M%S)}
. "$PEERS/lib.sh"
mkdir -p "$DATA/work"

for n in $NS; do
  ensure_csv "$n"
  timed import ogr2ogr_gpkg "$n" "CSV->GPKG with R-tree, no area assignment" -- "$PEERS/run_import.sh" "$n"
  out="$DATA/work/trygg_store_$n.sqlite"
  timed import trygg_store "$n" "CSV->SpatiaLite store + index + area ids" -- "$DRIVER" "$DATA/incidents_$n.csv" "$DATA/areas.csv" "$out"
  rm -f "$out"
  # The real CLI: `trygg import` of a project whose areas are the workload's 300
  # polygons and whose incidents are the workload CSV (full reader: times in
  # Europe/Stockholm, categories, duplicate ids; store; memberships; stacks).
  proj="$DATA/work/trygg_project_$n"
  mkdir -p "$proj"
  cat > "$proj/project.yaml" <<YAML
project: {crs: EPSG:3006, output: $proj/out, extent_margin: 1000}
layers:
  areas: {source: $DATA/areas.csv, crs: EPSG:3006, columns: {id: area_id, name: name, geometry: wkt}}
  incidents: {source: $DATA/incidents_$n.csv, crs: EPSG:3006,
              columns: {id: id, x: x, y: y, time: datetime, category: category}}
YAML
  if [ -x "$TRYGG_BUILD/bin/trygg" ]; then
    timed import trygg_cli "$n" "trygg import: reader + store + index + area and place ids" -- "$TRYGG_BUILD/bin/trygg" --quiet import "$proj/project.yaml"
  fi
  rm -rf "$proj/out"
  if [ "${WITH_POSTGIS:-0}" = 1 ]; then
    timed pip postgis "$n" "COPY + GiST + ST_Contains join" -- "$PEERS/run_pip_postgis.sh" "$n"
  fi
done

# Table: fastest run per tool and N, ratio to trygg; phases of the trygg runs.
echo
echo "results: $RESULTS"
awk -F'\t' '
  { k=$2"\t"$3; if (!(k in w) || $5 < w[k]) { w[k]=$5; r[k]=$6; c[k]=$9; l[k]=$10 } ; ns[$3]=1; tools[$2]=1 }
  END {
    printf "%-14s %10s %9s %9s %9s %7s %s\n", "tool", "N", "wall_s", "cpu_s", "rss_MB", "load1", "wall vs trygg"
    for (n in ns) for (t in tools) { k=t"\t"n; if (k in w) {
      tk="trygg_store\t"n; ratio = (tk in w && w[tk] > 0) ? sprintf("%.1fx", w[k]/w[tk]) : "-"
      printf "%-14s %10s %9.2f %9.2f %9d %7s %s\n", t, n, w[k], c[k], r[k], l[k], ratio } }
  }' "$RESULTS/runs.tsv"
echo
echo "trygg phases (wall s):"
awk -F'\t' '$2=="trygg_store"{printf "  N=%s %s %s\n", $3, $5, $6}' "$RESULTS/phases.tsv"
grep -h "^CPU\|^rows:" "$RESULTS"/logs/import_trygg_store_*.log 2>/dev/null | sed 's/^/  /'
