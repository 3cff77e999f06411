// Tests of change and hotspot accuracy metrics: SPPT on 10,000 units with 200
// samples, sppt_diff on the same units, and PAI/PEI*/RRI on 100,000 cells.
// Synthetic, clustered counts with fixed seeds.
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "geo/bench/accuracy.hpp"
#include "geo/bench/paired.hpp"
#include "geo/change/exact_tests.hpp"
#include "geo/change/sppt.hpp"

namespace {

// Clustered counts on a square grid: a few Gaussian hotspots over a low background.
std::vector<std::int64_t> clusteredCounts(size_t units, double eventsPerUnit, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  const auto side = static_cast<size_t>(std::ceil(std::sqrt(double(units))));
  std::uniform_real_distribution<double> pos(0, double(side));
  std::vector<std::pair<double, double>> centres;
  for (int i = 0; i < 12; ++i) centres.emplace_back(pos(rng), pos(rng));
  std::vector<std::int64_t> out(units);
  for (size_t u = 0; u < units; ++u) {
    const double x = double(u % side), y = double(u / side);
    double intensity = 0.3;
    for (auto [cx, cy] : centres) intensity += 6 * std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 40);
    std::poisson_distribution<std::int64_t> pois(intensity * eventsPerUnit / 1.5);
    out[u] = pois(rng);
  }
  return out;
}

void BM_Sppt(benchmark::State& state) {
  const auto units = static_cast<size_t>(state.range(0));
  const auto base = clusteredCounts(units, 10, 1);
  const auto test = clusteredCounts(units, 10, 2);
  trygg::geo::change::SpptOptions o;
  o.threads = static_cast<int>(state.range(1));
  std::int64_t events = 0;
  for (auto c : test) events += c;
  for (auto _ : state) benchmark::DoNotOptimize(trygg::geo::change::spatialPointPatternTest(base, test, o));
  state.counters["test_events"] = double(events);
  state.counters["units"] = double(units);
}
BENCHMARK(BM_Sppt)->Args({10000, 1})->Args({10000, 2})->Unit(benchmark::kMillisecond);

void BM_SpptDiff(benchmark::State& state) {
  const auto units = static_cast<size_t>(state.range(0));
  const auto base = clusteredCounts(units, 10, 1);
  const auto test = clusteredCounts(units, 10, 2);
  trygg::geo::change::SpptDiffOptions o;
  o.test = state.range(1) ? trygg::geo::change::SpptDiffTest::Fisher : trygg::geo::change::SpptDiffTest::Chi2NMinus1;
  for (auto _ : state) benchmark::DoNotOptimize(trygg::geo::change::spptDiff(base, test, o));
}
BENCHMARK(BM_SpptDiff)->Args({10000, 0})->Args({10000, 1})->Unit(benchmark::kMillisecond);

void BM_HotspotAccuracy(benchmark::State& state) {
  const auto cells = static_cast<size_t>(state.range(0));
  const auto train = clusteredCounts(cells, 2, 3);
  const auto test = clusteredCounts(cells, 2, 4);
  std::vector<double> scores(cells), testD(cells), trainD(cells), areas(cells, 150.0 * 150.0);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> noise(0, 0.5);
  for (size_t i = 0; i < cells; ++i) {
    scores[i] = double(train[i]) + noise(rng);
    testD[i] = double(test[i]);
    trainD[i] = double(train[i]);
  }
  const std::vector<double> coverages{0.005, 0.01, 0.02, 0.05};
  const trygg::geo::bench::CellInputs in{scores, testD, areas, trainD, {}};
  for (auto _ : state) benchmark::DoNotOptimize(trygg::geo::bench::evaluateHotspots(in, coverages));
  state.counters["cells"] = double(cells);
}
BENCHMARK(BM_HotspotAccuracy)->Arg(100000)->Arg(400000)->Unit(benchmark::kMillisecond);

void BM_PoissonTest(benchmark::State& state) {
  std::int64_t a = 120;
  for (auto _ : state) {
    benchmark::DoNotOptimize(trygg::geo::change::poissonTest(a, 95, 1, 1));
    a = a == 120 ? 121 : 120;
  }
}
BENCHMARK(BM_PoissonTest);

void BM_Wilcoxon(benchmark::State& state) {
  std::mt19937_64 rng(6);
  std::normal_distribution<double> d(3, 1);
  std::vector<double> x(static_cast<size_t>(state.range(0))), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = d(rng);
    y[i] = d(rng);
  }
  for (auto _ : state) benchmark::DoNotOptimize(trygg::geo::bench::wilcoxonSignedRank(x, y));
}
BENCHMARK(BM_Wilcoxon)->Arg(24)->Arg(49)->Arg(500);

}  // namespace

BENCHMARK_MAIN();
