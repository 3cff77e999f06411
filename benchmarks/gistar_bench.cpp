// Getis-Ord Gi* on square grids of 100 m cells with a 150 m band (= queen
// contiguity with self, the peer script /work/shared/peers/gistar_spdep.R):
// weights build, analytic Gi*, and 999 conditional permutations.
//   build-<you>/bin/gistar_bench --benchmark_filter=200 --benchmark_min_time=0.5
// Also the trygg side of benchmarks/e2e/gistar_vs_spdep.sh:
//   gistar_bench --e2e incidents_N.csv z_out.txt [permutations]
// reads the peers' incident CSV (id,x,y,...), aggregates it to the peer's
// 200 x 200 grid of 100 m cells at (550000, 6690000), builds the 150 m band
// (self included), runs Gi* with 999 permutations and prints PHASE lines like
// /work/shared/peers/gistar_spdep.R; z is written with 17 significant digits.
// Counts are Poisson(2) per cell with a few planted clusters (so there is
// something to find); the work does not depend on the values.
#include <benchmark/benchmark.h>

#include <charconv>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "geo/hotspot/getis_ord.hpp"
#include "geo/hotspot/hotspot_grid.hpp"
#include "geo/hotspot/local_moran.hpp"
#include "geo/hotspot/weights.hpp"

namespace hs = trygg::geo::hotspot;

namespace {
struct Fixture {
  std::vector<trygg::Point> centres;
  std::vector<double> counts;
};

const Fixture& fixture(int side) {
  static std::vector<std::pair<int, Fixture>> cache;
  for (auto& [s, f] : cache)
    if (s == side) return f;
  Fixture f;
  const hs::Grid g = hs::squareGrid(trygg::BBox{0, 0, side * 100.0, side * 100.0}, 100.0);
  f.centres = g.centres;
  std::mt19937_64 gen(1);
  f.counts.resize(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double dx = g.centres[i].x - side * 30.0, dy = g.centres[i].y - side * 60.0;
    std::poisson_distribution<int> pois(2.0 + 20.0 * std::exp(-(dx * dx + dy * dy) / (2 * 400.0 * 400.0)));
    f.counts[i] = pois(gen);
  }
  cache.emplace_back(side, std::move(f));
  return cache.back().second;
}

void BM_WeightsBand150(benchmark::State& st) {
  const Fixture& f = fixture(static_cast<int>(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(hs::distanceBandWeights(f.centres, 150.0, true));
  st.counters["cells"] = static_cast<double>(f.centres.size());
}

void BM_GiStarAnalytic(benchmark::State& st) {
  const Fixture& f = fixture(static_cast<int>(st.range(0)));
  const hs::Weights w = hs::distanceBandWeights(f.centres, 150.0, true);
  hs::GiStarOptions o;
  o.permutations = 0;
  for (auto _ : st) benchmark::DoNotOptimize(hs::getisOrdGiStar(f.counts, w, o));
}

void BM_GiStarPerm999(benchmark::State& st) {
  const Fixture& f = fixture(static_cast<int>(st.range(0)));
  const hs::Weights w = hs::distanceBandWeights(f.centres, 150.0, true);
  hs::GiStarOptions o;
  o.permutations = 999;
  o.seed = 1;
  for (auto _ : st) benchmark::DoNotOptimize(hs::getisOrdGiStar(f.counts, w, o));
  st.counters["perm_draws"] = benchmark::Counter(static_cast<double>(f.centres.size()) * 999 * 8,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

// End to end as the peer measures it: weights + Gi* + 999 permutations.
void BM_GiStarEndToEnd(benchmark::State& st) {
  const Fixture& f = fixture(static_cast<int>(st.range(0)));
  hs::GiStarOptions o;
  o.permutations = 999;
  o.seed = 1;
  for (auto _ : st) {
    const hs::Weights w = hs::distanceBandWeights(f.centres, 150.0, true);
    benchmark::DoNotOptimize(hs::getisOrdGiStar(f.counts, w, o));
  }
}

void BM_LocalMoranPerm999(benchmark::State& st) {
  const Fixture& f = fixture(static_cast<int>(st.range(0)));
  const hs::Weights w = hs::rowStandardised(hs::distanceBandWeights(f.centres, 150.0, false));
  hs::LocalMoranOptions o;
  o.permutations = 999;
  for (auto _ : st) benchmark::DoNotOptimize(hs::localMoran(f.counts, w, o));
}
}  // namespace

BENCHMARK(BM_WeightsBand150)->Arg(100)->Arg(200)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GiStarAnalytic)->Arg(100)->Arg(200)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GiStarPerm999)->Arg(100)->Arg(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GiStarPerm999)->Arg(500)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GiStarEndToEnd)->Arg(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LocalMoranPerm999)->Arg(200)->Unit(benchmark::kMillisecond);

namespace {
// The e2e driver: everything the peer script does, timed per phase.
int runE2e(const char* csv, const char* z_out, int perms) {
  using Clock = std::chrono::steady_clock;
  auto t = Clock::now();
  const auto t0 = t;
  std::clock_t c = std::clock();  // process CPU time, all threads
  auto phase = [&](const char* name) {
    const auto now = Clock::now();
    const std::clock_t cnow = std::clock();
    std::printf("PHASE %s %.3f\n", name, std::chrono::duration<double>(now - t).count());
    std::printf("CPU %s %.3f\n", name, static_cast<double>(cnow - c) / CLOCKS_PER_SEC);
    t = now;
    c = cnow;
  };
  // Read x, y (columns 2 and 3) of a headered CSV; whole file at once.
  std::FILE* f = std::fopen(csv, "rb");
  if (!f) {
    std::fprintf(stderr, "cannot open %s\n", csv);
    return 1;
  }
  std::fseek(f, 0, SEEK_END);
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  std::string buf(static_cast<std::size_t>(size), '\0');
  if (std::fread(buf.data(), 1, buf.size(), f) != buf.size()) return 1;
  std::fclose(f);
  std::vector<trygg::Point> pts;
  const char* p = buf.data();
  const char* end = p + buf.size();
  p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))) + 1;  // header
  while (p < end) {
    const char* c1 = static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(end - p)));
    if (!c1) break;
    double x = 0, y = 0;
    const auto rx = std::from_chars(c1 + 1, end, x);
    const auto ry = std::from_chars(rx.ptr + 1, end, y);
    if (rx.ec != std::errc() || ry.ec != std::errc()) {
      std::fprintf(stderr, "bad number near byte %td\n", c1 - buf.data());
      return 1;
    }
    const char* q = ry.ptr;
    pts.push_back({x, y});
    const char* nl = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(end - q)));
    p = nl ? nl + 1 : end;
  }
  phase("read_csv");
  // The peer's grid: ix = min(nc - 1, (x - x0) %/% cs), row-major by iy.
  const int nc = 200;
  const double cs = 100, x0 = 550000, y0 = 6690000;
  const hs::Grid grid = hs::squareGrid(trygg::BBox{x0, y0, x0 + nc * cs, y0 + nc * cs}, cs);
  std::vector<double> cnt(grid.size(), 0.0);
  for (const auto& pt : pts) {
    const int ix = std::min(nc - 1, static_cast<int>(std::floor((pt.x - x0) / cs)));
    const int iy = std::min(nc - 1, static_cast<int>(std::floor((pt.y - y0) / cs)));
    if (ix >= 0 && iy >= 0) cnt[static_cast<std::size_t>(iy * nc + ix)] += 1;
  }
  phase("aggregate_grid");
  const hs::Weights w = hs::distanceBandWeights(grid.centres, 150.0, true);
  phase("weights_dband150");
  hs::GiStarOptions o;
  o.permutations = perms;
  o.seed = 1;
  const hs::GiStarResult r = hs::getisOrdGiStar(cnt, w, o);
  phase(perms > 0 ? "gistar_analytic_and_perm" : "gistar_analytic");
  const double total = std::chrono::duration<double>(Clock::now() - t0).count();
  double mx = -1e300;
  int sig = 0, hot3 = 0;
  for (std::size_t i = 0; i < r.z.size(); ++i) {
    mx = std::max(mx, r.z[i]);
    sig += r.z[i] > 1.96;
    hot3 += r.bin[i] == 3;
  }
  std::printf("points %zu, cells %zu, max Gi* %.3f, n(z>1.96) %d, Gi_Bin=3 (FDR) %d, total %.3f s\n", pts.size(),
              r.z.size(), mx, sig, hot3, total);
  if (std::FILE* out = std::fopen(z_out, "w")) {
    for (double z : r.z) std::fprintf(out, "%.17g\n", z);
    std::fclose(out);
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::strcmp(argv[1], "--e2e") == 0) return runE2e(argv[2], argv[3], argc >= 5 ? std::atoi(argv[4]) : 999);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
