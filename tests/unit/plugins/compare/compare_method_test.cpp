// compare.hotspots on a hand-made run: two Gi* results on a 3 x 3 grid in
// ctx.hotspot_cells, the styled change layer and the run-summary figures.
#include "plugins/compare/compare_method.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <unistd.h>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "engine/run_context.hpp"
#include "engine/spatial_units.hpp"
#include "geo/geos/geos.hpp"

using namespace trygg;

namespace {

struct TestRun {
  std::filesystem::path dir;
  std::unique_ptr<data::GpkgWriter> gpkg;
  nlohmann::json meta;
  engine::RunContext ctx;
  std::vector<std::vector<std::uint8_t>> cells;
  TestRun() {
    GDALAllRegister();
    dir = std::filesystem::temp_directory_path() / ("trygg_compare_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    gpkg = std::make_unique<data::GpkgWriter>(dir / "out.gpkg", "EPSG:3006");
    ctx.gpkg = gpkg.get();
    ctx.metadata = &meta;
    ctx.analysis_name = "change";
    // 3 x 3 cells of 100 m, row-major from the south-west.
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        const double x = 500000 + 100.0 * c, y = 6400000 + 100.0 * r;
        cells.push_back(engine::polygonWkb({{x, y}, {x + 100, y}, {x + 100, y + 100}, {x, y + 100}, {x, y}}));
      }
  }
  ~TestRun() { std::filesystem::remove_all(dir); }
  void add(const std::string& name, std::vector<int> bins) { ctx.hotspot_cells.push_back({name, cells, std::move(bins)}); }
  static std::unique_ptr<plugins::CompareMethod> method(const std::string& before, const std::string& after) {
    auto m = std::make_unique<plugins::CompareMethod>();
    m->findArg("before")->set(before, "test");
    m->findArg("after")->set(after, "test");
    m->findArg("permutations")->set("99", "test");
    m->findArg("seed")->set("3", "test");
    m->checkRequired("test");
    return m;
  }
};

}  // namespace

TEST(CompareMethod, WritesTheChangeLayerAndTheFigures) {
  TestRun run;
  //            cell: 0   1  2  3  4  5  6  7  8
  run.add("before", {-2, 0, 1, 0, 3, 0, 0, 0, 2});
  run.add("after", {-2, 0, -1, 0, 0, 3, 0, 0, 3});
  run.method("before", "after")->run(run.ctx);
  run.gpkg->commit();

  const auto& m = run.meta;
  EXPECT_EQ(m["cells"], 9);
  EXPECT_EQ(m["crosstab"]["3"]["0"], 1);   // cell 4: hot 99 % -> not significant
  EXPECT_EQ(m["crosstab"]["0"]["3"], 1);   // cell 5
  EXPECT_EQ(m["crosstab"]["0"]["0"], 4);   // cells 1, 3, 6, 7
  EXPECT_EQ(m["crosstab"]["-2"]["-2"], 1);
  EXPECT_EQ(m["changes"]["hot_disappeared"], 1);
  EXPECT_EQ(m["changes"]["hot_appeared"], 1);
  EXPECT_EQ(m["changes"]["hot_intensified"], 1);
  EXPECT_EQ(m["changes"]["hot_to_cold"], 1);
  EXPECT_EQ(m["changes"]["cold_persisted"], 1);
  EXPECT_EQ(m["changes"]["not_significant"], 4);
  const double s = m["similarity"], e = m["expected_similarity"], k = m["kappa"];
  EXPECT_GT(s, 0.0);
  EXPECT_LT(s, 1.0);
  EXPECT_NEAR(k, (s - e) / (1 - e), 1e-12);
  EXPECT_EQ(m["permutations"], 99);
  EXPECT_DOUBLE_EQ(double(m["agreement"]), 5.0 / 9);

  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx((run.dir / "out.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  ASSERT_NE(ds, nullptr);
  OGRLayer* l = ds->GetLayerByName("change");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->GetFeatureCount(), 9);
  std::map<int, std::string> change;
  for (auto& f : *l) change[f->GetFieldAsInteger("cell")] = f->GetFieldAsString("change");
  EXPECT_EQ(change[4], "hot_disappeared");
  EXPECT_EQ(change[5], "hot_appeared");
  EXPECT_EQ(change[8], "hot_intensified");
  EXPECT_EQ(change[2], "hot_to_cold");
  EXPECT_EQ(change[0], "cold_persisted");
  EXPECT_EQ(change[1], "not_significant");
  // The style is stored and draws the `change` field.
  OGRLayer* styles = ds->ExecuteSQL("SELECT styleQML FROM layer_styles WHERE f_table_name = 'change'", nullptr, nullptr);
  ASSERT_NE(styles, nullptr);
  auto f = std::unique_ptr<OGRFeature>(styles->GetNextFeature());
  ASSERT_NE(f, nullptr);
  const std::string qml = f->GetFieldAsString(0);
  EXPECT_NE(qml.find("attr=\"change\""), std::string::npos);
  EXPECT_NE(qml.find("hot_disappeared"), std::string::npos);
  ds->ReleaseResultSet(styles);
  GDALClose(ds);
}

TEST(CompareMethod, IdenticalMapsGiveOne) {
  TestRun run;
  run.add("a", {-2, 0, 1, 0, 3, 0, 0, 0, 2});
  run.add("b", {-2, 0, 1, 0, 3, 0, 0, 0, 2});
  run.method("a", "b")->run(run.ctx);
  EXPECT_DOUBLE_EQ(run.meta["similarity"].template get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(run.meta["kappa"].template get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(run.meta["kappa_exact"].template get<double>(), 1.0);
}

TEST(CompareMethod, RefusesUnknownAnalysesAndOtherGrids) {
  TestRun run;
  run.add("a", std::vector<int>(9, 0));
  EXPECT_THROW(run.method("a", "nope")->run(run.ctx), UsageError);
  auto other = run.cells;
  other.pop_back();
  run.ctx.hotspot_cells.push_back({"small", other, std::vector<int>(8, 0)});
  EXPECT_THROW(run.method("a", "small")->run(run.ctx), UsageError);
}

// split_date: Gi* on the incidents before and from the day, on one 100 m grid over a
// 1 x 1 km area. Before: a cluster at (250, 250); from the split: at (750, 750),
// over a thin even background. The first hot spot disappears, the second appears.
TEST(CompareMethod, SplitDateRunsGiStarOnBothPeriods) {
  TestRun run;
  std::vector<model::Area> areas(1);
  areas[0].id = "A";
  const Point ring[] = {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}};
  areas[0].geom.wkb = geo::makePolygon(ring);
  areas[0].geom.bbox = {0, 0, 1000, 1000};
  engine::IncidentColumns inc;
  auto add = [&](Point p, EpochSeconds t) {
    inc.pts.push_back(p);
    inc.t_from.push_back(t);
    inc.t_to.push_back(t);
    inc.category.push_back(Category{});
    inc.weight.push_back(1);
    inc.flags.push_back(0);
    inc.fid.push_back(static_cast<std::int64_t>(inc.fid.size() + 1));
    inc.area_ids.push_back(0);
    inc.area_offsets.push_back(static_cast<std::uint32_t>(inc.area_ids.size()));
  };
  constexpr EpochSeconds kMar2024 = 1710504000;  // 2024-03-15 12:00 UTC
  constexpr EpochSeconds kMar2025 = 1742040000;  // 2025-03-15 12:00 UTC
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      add({50.0 + 100 * c, 50.0 + 100 * r}, kMar2024);
      add({50.0 + 100 * c, 50.0 + 100 * r}, kMar2025);
    }
  for (int k = 0; k < 40; ++k) {
    add({240.0 + k % 5, 240.0 + k / 5}, kMar2024);
    add({740.0 + k % 5, 740.0 + k / 5}, kMar2025);
  }
  run.ctx.areas = &areas;
  run.ctx.incidents = &inc;
  run.ctx.extent = {0, 0, 1000, 1000};
  plugins::CompareMethod m;
  m.findArg("split_date")->set("2025-01-01", "test");
  m.findArg("cell")->set("100", "test");
  m.findArg("band")->set("150", "test");
  m.findArg("seed")->set("1", "test");
  m.checkRequired("test");
  m.run(run.ctx);
  run.gpkg->commit();
  const auto& meta = run.meta;
  EXPECT_EQ(meta["split_date"], "2025-01-01");
  EXPECT_EQ(meta["incidents_before"], 140);
  EXPECT_EQ(meta["incidents_after"], 140);
  EXPECT_EQ(meta["cells"], 100);
  EXPECT_GE(meta["changes"]["hot_disappeared"].get<int>(), 1);
  EXPECT_GE(meta["changes"]["hot_appeared"].get<int>(), 1);
  EXPECT_EQ(meta["changes"]["hot_persisted"], 0);
  EXPECT_LT(meta["kappa"].get<double>(), 0.5);

  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx((run.dir / "out.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  ASSERT_NE(ds, nullptr);
  OGRLayer* l = ds->GetLayerByName("change");
  ASSERT_NE(l, nullptr);
  // The cell with the first cluster (row 2, col 2 = cell 22) lost its hot spot; cell 77 gained one.
  std::map<int, std::string> change;
  std::map<int, double> before, after;
  for (auto& f : *l) {
    const int c = f->GetFieldAsInteger("cell");
    change[c] = f->GetFieldAsString("change");
    before[c] = f->GetFieldAsDouble("count_before");
    after[c] = f->GetFieldAsDouble("count_after");
  }
  EXPECT_EQ(change[22], "hot_disappeared");
  EXPECT_EQ(change[77], "hot_appeared");
  EXPECT_DOUBLE_EQ(before[22], 41.0);
  EXPECT_DOUBLE_EQ(after[22], 1.0);
  EXPECT_DOUBLE_EQ(after[77], 41.0);
  GDALClose(ds);
  // Either split_date or before/after.
  plugins::CompareMethod both;
  both.findArg("split_date")->set("2025-01-01", "test");
  both.findArg("before")->set("x", "test");
  EXPECT_THROW(both.run(run.ctx), UsageError);
  plugins::CompareMethod neither;
  EXPECT_THROW(neither.run(run.ctx), UsageError);
}
