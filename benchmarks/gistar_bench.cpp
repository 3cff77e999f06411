// Getis-Ord Gi* on square grids of 100 m cells with a 150 m band (= queen
// contiguity with self, the peer script /work/shared/peers/gistar_spdep.R):
// weights build, analytic Gi*, and 999 conditional permutations.
//   build-<you>/bin/gistar_bench --benchmark_filter=200 --benchmark_min_time=0.5
// Counts are Poisson(2) per cell with a few planted clusters (so there is
// something to find); the work does not depend on the values.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
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

BENCHMARK_MAIN();
