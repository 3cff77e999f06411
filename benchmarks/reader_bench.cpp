// Reading incidents from CSV with the full reader (data::readIncidents): parse,
// coordinates, local time -> UTC (Europe/Stockholm), category mapping, duplicate
// ids. Synthetic clustered rows in the peers' workload format, written once.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "data/reader.hpp"

namespace {

std::filesystem::path workload(std::int64_t n) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("trygg_reader_bench_{}.csv", n);
  if (std::filesystem::exists(path)) return path;
  std::ofstream f(path);
  f << "id,x,y,datetime,category\n";
  std::mt19937_64 rng(20261122);
  std::normal_distribution<double> spread(0, 60);
  std::uniform_real_distribution<double> u(0, 1);
  static const char* kCats[] = {"vandalism", "theft", "assault", "burglary", "vehicle", "fraud"};
  for (std::int64_t i = 1; i <= n; ++i) {
    const double cx = 550000 + 20000 * static_cast<double>(i % 50) / 50, cy = 6690000 + 20000 * ((i * 7) % 50) / 50.0;
    const int day = static_cast<int>(u(rng) * 700);
    f << fmt::format("{},{:.2f},{:.2f},2023-{:02d}-{:02d}T{:02d}:{:02d}:00,{}\n", i, cx + spread(rng), cy + spread(rng),
                     1 + (day / 28) % 12, 1 + day % 28, static_cast<int>(u(rng) * 24), static_cast<int>(u(rng) * 60),
                     kCats[i % 6]);
  }
  return path;
}

void BM_ReadIncidentsCsv(benchmark::State& state) {
  const auto path = workload(state.range(0));
  trygg::data::LayerConfig cfg;
  cfg.name = "incidents";
  cfg.source = path.string();
  cfg.crs = "EPSG:3006";
  cfg.columns = {{"id", "id"}, {"x", "x"}, {"y", "y"}, {"time", "datetime"}, {"category", "category"}};
  trygg::data::ReadOptions ro;
  ro.working_crs = "EPSG:3006";
  std::int64_t rows = 0;
  for (auto _ : state) {
    const auto counts = trygg::data::readIncidents(
        cfg, ro, [&](std::vector<trygg::model::Incident>& b) { benchmark::DoNotOptimize(b.data()); }, {});
    rows = counts.loaded;
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_ReadIncidentsCsv)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
