// data::Store: appending N incidents (with one area membership each) to a new
// SpatiaLite store and committing it (geometry blobs, bulk-loaded R*Tree,
// fsync + rename). No CSV parsing here: benchmarks/e2e/import_vs_peers.sh times
// the whole CSV -> store path against ogr2ogr.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "data/store.hpp"

using namespace trygg;

namespace {

void BM_StoreAppendAndCommit(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> ux(550000, 570000), uy(6690000, 6710000);
  std::vector<model::Incident> rows(n);
  std::vector<std::uint32_t> off(n + 1), ids(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& r = rows[i];
    r.row = static_cast<std::int64_t>(i + 1);
    r.source_id = std::to_string(i + 1);
    r.pt = {std::round(ux(rng) * 100) / 100, std::round(uy(rng) * 100) / 100};
    r.t_from = r.t_to = 1672531200 + static_cast<EpochSeconds>(i % 63072000);
    r.category = static_cast<Category>(i % kCategoryCount);
    r.source_category = "theft";
    off[i + 1] = static_cast<std::uint32_t>(i + 1);
    ids[i] = static_cast<std::uint32_t>(i % 300);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("trygg_import_bench_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::size_t batch = 200000;
  for (auto _ : state) {
    data::Store s = data::Store::create(dir / "bench.sqlite", 3006, "EPSG:3006");
    for (std::size_t b = 0; b < n; b += batch) {
      const std::size_t e = std::min(n, b + batch);
      std::vector<std::uint32_t> o(off.begin() + static_cast<std::ptrdiff_t>(b), off.begin() + static_cast<std::ptrdiff_t>(e) + 1);
      for (auto& v : o) v -= off[b];
      s.appendIncidents(std::span(rows).subspan(b, e - b), {o, std::span(ids).subspan(off[b], off[e] - off[b])});
    }
    s.commit();
  }
  std::filesystem::remove_all(dir);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_StoreAppendAndCommit)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
