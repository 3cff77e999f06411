// trygg bench: method specs, grid areas at the study-area edge, time rules
// (no leakage from the test window, reported-at filtering, count = −1
// cancellations) and byte-identical results with 1 and 2 threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "engine/bench.hpp"

namespace fs = std::filesystem;
using namespace trygg::engine::bench;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f << s;
}

fs::path tempDir(const std::string& name) {
  const auto d = fs::temp_directory_path() / ("trygg_bench_test_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A 400 m × 250 m study area in EPSG:3006 (metres) at (500000, 6500000); with
// 100 m cells the top row is cut in half (y 6500200..6500250).
constexpr double kX0 = 500000, kY0 = 6500000;

void writeArea(const fs::path& dir) {
  spit(dir / "area.geojson",
       R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3006"}},)"
       R"("features":[{"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":)"
       R"([[[500000,6500000],[500400,6500000],[500400,6500250],[500000,6500250],[500000,6500000]]]}}]})");
}

BenchConfig syntheticConfig(const fs::path& dir, const std::string& csvBody, bool reportedAt) {
  // A last record after every test window, so the data reach past it (bench refuses
  // test windows that end after the data).
  spit(dir / "events.csv", std::string("x,y,time,cat,w,rep\n") + csvBody + "500050,6500150,2020-03-20,T,1,2020-03-20\n");
  writeArea(dir);
  std::string yaml = R"(
crs: EPSG:3006
incidents:
  source: events.csv
  crs: EPSG:3006
  columns: { x: x, y: y, time: time, category: cat, weight: w)" +
                     std::string(reportedAt ? ", reported_at: rep }" : " }") + R"(
  time_zone: UTC
study_area: { source: area.geojson, crs: EPSG:3006 }
categories: { theft: [T] }
training: 30 days
horizons: [7 days]
forecast_dates: [2020-03-01]
grid: { shape: square, cell: 100 }
coverages: ["0.1"]
methods: [counts]
)";
  spit(dir / "bench.yaml", yaml);
  auto cfg = loadBenchConfig(dir / "bench.yaml");
  cfg.quiet = true;
  cfg.outDir = dir / "out";
  return cfg;
}

// Cell centres (square 100 m cells from the area's lower-left corner).
std::string at(int col, int row) {
  return std::to_string(kX0 + 50 + 100 * col) + "," + std::to_string(kY0 + 50 + 100 * row);
}

}  // namespace

TEST(BenchMethods, ExpandsRangesListsAndDefaults) {
  auto s = expandMethodSpec("kde:kernel=quartic|gaussian,bandwidth=100..300/100");
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].label, "kde:kernel=quartic,bandwidth=100");
  EXPECT_EQ(s[2].label, "kde:kernel=quartic,bandwidth=300");
  EXPECT_EQ(s[3].label, "kde:kernel=gaussian,bandwidth=100");
  EXPECT_DOUBLE_EQ(s[4].lengthMetres, 200);
  s = expandMethodSpec("kde:bandwidth=500 ft");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_NEAR(s[0].lengthMetres, 152.4, 1e-9);
  EXPECT_EQ(s[0].kernel, "quartic");
  s = expandMethodSpec("near_repeat");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].label, "near_repeat:space=400,time=56");
  EXPECT_EQ(expandMethodSpec("counts")[0].label, "counts");
  EXPECT_EQ(expandMethodSpec("counts_decay:half_life=7..70/7").size(), 10u);
  EXPECT_THROW(expandMethodSpec("kde:bandwith=100"), trygg::UsageError);
  EXPECT_THROW(expandMethodSpec("lasso"), trygg::UsageError);
  EXPECT_THROW(expandMethodSpec("gistar"), trygg::UsageError);
}

TEST(BenchGrid, EdgeCellsCountByTheirAreaInside) {
  const auto dir = tempDir("edge");
  auto cfg = syntheticConfig(dir, "500050,6500050,2020-02-20,T,1,\n", false);
  const auto data = prepareBench(cfg);
  ASSERT_EQ(data.grid.ncells, 12u);  // 4 columns × 3 rows, the top row half inside
  double full = 0, half = 0;
  for (std::size_t i = 0; i < data.grid.ncells; ++i) {
    if (std::abs(data.grid.areas[i] - 10000) < 1e-6) ++full;
    if (std::abs(data.grid.areas[i] - 5000) < 1e-6) ++half;
  }
  EXPECT_EQ(full, 8);
  EXPECT_EQ(half, 4);
  EXPECT_NEAR(data.grid.studyArea, 100000, 1e-6);
  // A coverage of 0.1 = 10,000 m²: one full cell, or two half cells, never more.
  const auto rows = runForecasts(cfg, data);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_LE(rows[0].flaggedArea, 10000 + 1e-6);
}

TEST(BenchTime, ForecastNeverSeesItsTestWindow) {
  // Training (Feb 2020) events in cell (0,0); the test week (1–7 Mar) has events
  // in cell (3,1) only — plus one exactly at the forecast instant. Had the
  // forecast seen the test window, it would flag (3,1).
  std::string body;
  for (int i = 0; i < 5; ++i) body += at(0, 0) + ",2020-02-1" + std::to_string(i) + " 10:00,T,1,\n";
  body += at(3, 1) + ",2020-03-01 00:00,T,1,\n";
  for (int i = 0; i < 20; ++i) body += at(3, 1) + ",2020-03-0" + std::to_string(2 + i % 5) + " 12:00,T,1,\n";
  const auto dir = tempDir("leak");
  auto cfg = syntheticConfig(dir, body, false);
  const auto data = prepareBench(cfg);
  const auto rows = runForecasts(cfg, data);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].total, 21);  // the event at 00:00 on the forecast date is a test event
  EXPECT_DOUBLE_EQ(rows[0].n, 0);       // the flagged cell is (0,0): nothing from the test week leaked
  ASSERT_TRUE(rows[0].pai.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].pai, 0);
  EXPECT_DOUBLE_EQ(rows[0].nStar, 21);
}

TEST(BenchTime, TrainsOnlyOnRecordsReportedBeforeTheForecastDate) {
  // Cell (2,0): 10 events in February reported in March (late) — unknown at the
  // forecast date. Cell (1,1): 3 events reported in time. Test week: cell (2,0).
  std::string body;
  for (int i = 0; i < 10; ++i) body += at(2, 0) + ",2020-02-1" + std::to_string(i) + ",T,1,2020-03-05\n";
  for (int i = 0; i < 3; ++i) body += at(1, 1) + ",2020-02-0" + std::to_string(i + 1) + ",T,1,2020-02-10\n";
  for (int i = 0; i < 4; ++i) body += at(2, 0) + ",2020-03-0" + std::to_string(i + 2) + ",T,1,2020-03-09\n";
  {
    const auto dir = tempDir("reported");
    auto cfg = syntheticConfig(dir, body, true);
    const auto data = prepareBench(cfg);
    const auto rows = runForecasts(cfg, data);
    EXPECT_DOUBLE_EQ(rows[0].n, 0);  // flags (1,1): the late reports were not used
    EXPECT_DOUBLE_EQ(rows[0].total, 4);
  }
  {
    // Without the reported_at column every record counts from its occurrence: (2,0) is flagged.
    const auto dir = tempDir("reported_off");
    auto cfg = syntheticConfig(dir, body, false);
    const auto data = prepareBench(cfg);
    const auto rows = runForecasts(cfg, data);
    EXPECT_DOUBLE_EQ(rows[0].n, 4);
  }
}

TEST(BenchTime, CountMinusOneRowsCancelEarlierRecords) {
  // Cell (0,2) has 3 records, all cancelled by count = −1 rows; cell (3,0) has 2.
  // Test week: 5 events in (3,0). Without the cancellations (0,2) would win.
  std::string body;
  for (int i = 0; i < 3; ++i) body += at(0, 2) + ",2020-02-0" + std::to_string(i + 1) + ",T,1,\n";
  for (int i = 0; i < 3; ++i) body += at(0, 2) + ",2020-02-0" + std::to_string(i + 1) + ",T,-1,\n";
  for (int i = 0; i < 2; ++i) body += at(3, 0) + ",2020-02-1" + std::to_string(i) + ",T,1,\n";
  for (int i = 0; i < 5; ++i) body += at(3, 0) + ",2020-03-0" + std::to_string(i + 2) + ",T,1,\n";
  // A cancelled test event: counted +1 then −1, so N = 5.
  body += at(1, 0) + ",2020-03-03,T,1,\n" + at(1, 0) + ",2020-03-03,T,-1,\n";
  const auto dir = tempDir("cancel");
  auto cfg = syntheticConfig(dir, body, false);
  const auto data = prepareBench(cfg);
  EXPECT_DOUBLE_EQ(data.fingerprint.perCategory.at("theft").second, 8);  // 16 rows, weight sum 8
  const auto rows = runForecasts(cfg, data);
  EXPECT_DOUBLE_EQ(rows[0].total, 5);
  EXPECT_DOUBLE_EQ(rows[0].n, 5);
  EXPECT_DOUBLE_EQ(*rows[0].pai, 10);  // (5/5) / (10,000/100,000)
}

TEST(BenchStl, ExcerptIsByteIdenticalWithOneAndTwoThreads) {
  const fs::path yaml = fs::path(TRYGG_TEST_DATA_DIR) / "bench" / "stl_excerpt.yaml";
  std::vector<std::string> files{"results.csv", "summary.csv", "ranking.csv", "paired.csv"};
  std::vector<std::vector<std::string>> got;
  for (int threads : {1, 2}) {
    auto cfg = loadBenchConfig(yaml);
    cfg.threads = threads;
    cfg.quiet = true;
    cfg.outDir = tempDir("stl_threads_" + std::to_string(threads));
    const auto rep = runBench(cfg);
    EXPECT_EQ(rep.forecasts, 7u * 2 * 2 * 6);  // settings × categories × horizons × dates
    std::vector<std::string> texts;
    for (const auto& f : files) texts.push_back(slurp(cfg.outDir / f));
    got.push_back(texts);
    EXPECT_TRUE(fs::exists(cfg.outDir / "run.json"));
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_FALSE(got[0][i].empty()) << files[i];
    EXPECT_EQ(got[0][i], got[1][i]) << files[i] << " differs between 1 and 2 threads";
  }
}

TEST(BenchStl, ExcerptReadsThePublishedColumns) {
  const fs::path yaml = fs::path(TRYGG_TEST_DATA_DIR) / "bench" / "stl_excerpt.yaml";
  auto cfg = loadBenchConfig(yaml);
  cfg.quiet = true;
  cfg.outDir = tempDir("stl_columns");
  const auto data = prepareBench(cfg);
  const auto& fp = data.fingerprint;
  EXPECT_EQ(fp.rowsRead, 1664);
  EXPECT_EQ(fp.rowsRejected, 0);
  // Every row kept is in one of the two categories, inside the four neighbourhoods or just outside.
  std::int64_t kept = 0;
  for (const auto& [name, v] : fp.perCategory) kept += v.first;
  EXPECT_EQ(kept + fp.rowsFiltered + fp.rowsOutside, 1664);
  EXPECT_GT(fp.perCategory.at("burglary").first, 500);
  // The −1 rows make the weight sum smaller than the row count.
  EXPECT_LT(fp.perCategory.at("burglary").second, static_cast<double>(fp.perCategory.at("burglary").first));
  EXPECT_GT(data.grid.ncells, 500u);
}

// Hexagonal and rotated grids tile the plane, so the kept cells' areas inside the
// study area add up to the study area exactly, and no cell exceeds a full cell.
class BenchGridShapes : public ::testing::TestWithParam<std::pair<const char*, double>> {};

TEST_P(BenchGridShapes, CellsTileTheStudyArea) {
  const auto [grid, full_cell] = GetParam();
  const auto dir = tempDir("shape_" + std::to_string(std::hash<std::string>{}(grid)));
  syntheticConfig(dir, "500050,6500050,2020-02-20,T,1,\n", false);
  std::string yaml;
  {
    std::ifstream f(dir / "bench.yaml");
    yaml.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  const auto at = yaml.find("grid: { shape: square, cell: 100 }");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, std::string("grid: { shape: square, cell: 100 }").size(), grid);
  spit(dir / "bench.yaml", yaml);
  auto cfg = loadBenchConfig(dir / "bench.yaml");
  cfg.quiet = true;
  cfg.outDir = dir / "out";
  const auto data = prepareBench(cfg);
  SCOPED_TRACE(grid);
  ASSERT_GT(data.grid.ncells, 0u);
  double sum = 0;
  for (std::size_t i = 0; i < data.grid.ncells; ++i) {
    EXPECT_GT(data.grid.areas[i], 0);
    EXPECT_LE(data.grid.areas[i], full_cell * (1 + 1e-9));
    sum += data.grid.areas[i];
  }
  EXPECT_NEAR(sum, 100000, 1e-6);
  EXPECT_NEAR(data.grid.studyArea, 100000, 1e-6);
  const auto rows = runForecasts(cfg, data);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_LE(rows[0].flaggedArea, 10000 + 1e-6);  // coverage 0.1 is never exceeded
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BenchGridShapes,
    ::testing::Values(std::make_pair("grid: { shape: hexagon, cell: 50 }", 50.0 * 50.0 * 0.8660254037844386),
                      std::make_pair("grid: { shape: square, cell: 100, rotation: 30 }", 10000.0),
                      std::make_pair("grid: { shape: square, cell: 100, offset: [25, 40] }", 10000.0)));
