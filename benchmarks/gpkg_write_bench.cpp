// Writing an output GeoPackage: N points with two fields, committed with the
// GeoPackage's own R-tree (bulk-loaded, data/rtree_bulk.hpp) or without one.
// Issue 12's target: 1M points with the spatial index in under 1 s.
//   build/bin/gpkg_write_bench --benchmark_filter=1000000
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>

#include "data/gpkg_writer.hpp"

namespace {

namespace fs = std::filesystem;
using trygg::data::FieldType;
using trygg::data::GeomType;
using trygg::data::GpkgWriter;
using trygg::data::Value;

void writePoints(benchmark::State& state, bool index) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(42);
  std::normal_distribution<double> g(0, 1500);
  std::vector<std::array<double, 2>> pts(n);
  for (auto& p : pts) p = {650000 + g(rng), 6580000 + g(rng)};
  const fs::path out = fs::temp_directory_path() / ("trygg_gpkg_bench_" + std::to_string(::getpid()) + ".gpkg");
  std::vector<std::uint8_t> wkb(21, 0);
  wkb[0] = 1;
  wkb[1] = 1;
  for (auto _ : state) {
    GpkgWriter w(out, "EPSG:3006");
    auto& l = w.createLayer({.name = "incidents",
                             .geom = GeomType::Point,
                             .fields = {{"category", FieldType::String}, {"weight", FieldType::Real}},
                             .spatial_index = index});
    std::vector<Value> v{std::string("violence"), 1.0};
    for (const auto& p : pts) {
      std::memcpy(wkb.data() + 5, &p[0], 8);
      std::memcpy(wkb.data() + 13, &p[1], 8);
      l.add(wkb, v);
    }
    w.commit();
  }
  fs::remove(out);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void BM_GpkgPointsWithIndex(benchmark::State& s) { writePoints(s, true); }
void BM_GpkgPointsNoIndex(benchmark::State& s) { writePoints(s, false); }

}  // namespace

BENCHMARK(BM_GpkgPointsWithIndex)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_GpkgPointsNoIndex)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
