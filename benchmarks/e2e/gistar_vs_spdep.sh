#!/usr/bin/env bash
# Gi* with 999 conditional permutations on the peers' 200 x 200 grid of 100 m
# cells (queen = 150 m band, self included): R spdep (localG + localG_perm, the
# peer script /work/shared/peers/gistar_spdep.R, copied here as gistar_spdep.R to
# dump z) against trygg (gistar_bench --e2e), in the same run, on the same CSV.
# Prints both tools' phases, wall/CPU times, the ratio, and checks that the
# analytic z agree (max |z_trygg - z_spdep|, must be <= 1e-9).
#
#   benchmarks/e2e/gistar_vs_spdep.sh [N]        (N = 1000000 by default)
#   env: BUILD (default build-gistar), GI_PERM (999), GI_CORES (1, the peer's default),
#        PEERS_DATA (default /tmp/peers-data; the CSV is generated there if missing)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
N=${1:-1000000}
BUILD=${BUILD:-$repo/build-gistar}
export GI_PERM=${GI_PERM:-999}
export GI_CORES=${GI_CORES:-1}
bench=$BUILD/bin/gistar_bench
[ -x "$bench" ] || { echo "build gistar_bench first: cmake --build $BUILD --target gistar_bench" >&2; exit 2; }

# The peers' workload generator (deterministic); lib.sh's ensure_csv makes the CSV if missing.
# shellcheck source=/dev/null
source /work/shared/peers/lib.sh
ensure_csv "$N"
set +u
csv=$DATA/incidents_$N.csv
work=$(mktemp -d /tmp/gistar_e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== $(date -u +%FT%TZ)  N=$N  perms=$GI_PERM  nproc=$(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== R spdep $(Rscript -e 'cat(as.character(packageVersion("spdep")))') (GI_CORES=$GI_CORES)"
GI_DUMP=$work/z_spdep.txt /usr/bin/time -f "TIME %e %U %S %M" -o "$work/r.time" \
  Rscript "$here/gistar_spdep.R" "$csv" | tee "$work/r.log"
echo "== trygg gistar_bench --e2e"
/usr/bin/time -f "TIME %e %U %S %M" -o "$work/t.time" \
  "$bench" --e2e "$csv" "$work/z_trygg.txt" "$GI_PERM" | tee "$work/t.log"

read -r _ r_wall r_user r_sys r_kb < "$work/r.time"
read -r _ t_wall t_user t_sys t_kb < "$work/t.time"
# Time without reading the CSV (both read the same file; R's read.csv dominates its small share).
r_read=$(awk '$1=="PHASE" && $2=="read_csv" {print $3}' "$work/r.log")
t_read=$(awk '$1=="PHASE" && $2=="read_csv" {print $3}' "$work/t.log")
r_rest=$(awk '$1=="PHASE" && $2!="read_csv" {s+=$3} END {print s}' "$work/r.log")
t_rest=$(awk '$1=="PHASE" && $2!="read_csv" {s+=$3} END {print s}' "$work/t.log")
r_rest_cpu=$(awk '$1=="CPU" && $2!="read_csv" {s+=$3} END {print s}' "$work/r.log")
t_rest_cpu=$(awk '$1=="CPU" && $2!="read_csv" {s+=$3} END {print s}' "$work/t.log")
maxdiff=$(paste "$work/z_spdep.txt" "$work/z_trygg.txt" | awk '{d=$1-$2; if (d<0) d=-d; if (d>m) m=d} END {printf "%.3g", m}')
nz=$(wc -l < "$work/z_spdep.txt")
echo
printf "%-34s %10s %10s %10s\n" "" "spdep" "trygg" "ratio"
printf "%-34s %10.2f %10.2f %9.1fx\n" "process wall (s)" "$r_wall" "$t_wall" "$(echo "$r_wall / $t_wall" | bc -l)"
printf "%-34s %10.2f %10.2f %9.1fx\n" "process CPU user+sys (s)" "$(echo "$r_user + $r_sys" | bc -l)" "$(echo "$t_user + $t_sys" | bc -l)" \
  "$(echo "($r_user + $r_sys) / ($t_user + $t_sys)" | bc -l)"
printf "%-34s %10.2f %10.2f %9.1fx\n" "read CSV (s)" "$r_read" "$t_read" "$(echo "$r_read / $t_read" | bc -l)"
printf "%-34s %10.2f %10.2f %9.1fx\n" "grid+weights+Gi*+perms (s)" "$r_rest" "$t_rest" "$(echo "$r_rest / $t_rest" | bc -l)"
printf "%-34s %10.2f %10.2f %9.1fx\n" "grid+weights+Gi*+perms CPU (s)" "$r_rest_cpu" "$t_rest_cpu" "$(echo "$r_rest_cpu / $t_rest_cpu" | bc -l)"
printf "%-34s %10s %10s\n" "peak RSS (MB)" "$((r_kb / 1024))" "$((t_kb / 1024))"
echo "analytic z: $nz cells, max |z_trygg - z_spdep| = $maxdiff"
awk -v m="$maxdiff" 'BEGIN { exit !(m <= 1e-9) }' || { echo "FAIL: analytic z differ by more than 1e-9" >&2; exit 1; }
echo "OK: analytic z agree to 1e-9"
