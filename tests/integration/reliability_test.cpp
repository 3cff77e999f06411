// Issue 10: trustworthy on anyone's data and hostile input. Exit 3 means a bug;
// every mistake a user can make in a project file or on disk is exit 1 or 2
// with the file, line or path and the fix (docs/reliability.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gdal.h>
#include <ogrsf_frmts.h>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <array>
#include <map>
#include <cstdio>
#include <string>

#include "cli_helpers.hpp"

namespace fs = std::filesystem;
using trygg::testing::CliResult;
using trygg::testing::runTrygg;
using trygg::testing::TempDir;
using trygg::testing::writeFile;

namespace {

// Runs a shell command line (for ulimit and the like), stdout and stderr together.
CliResult runShell(const std::string& cmd) {
  CliResult r;
  FILE* p = ::popen(("(" + cmd + ") 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const char* kAreasCsv = "id,name,wkt\nA,Area,\"POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))\"\n";
const char* kIncCsv = "id,x,y,time,category\n1,10,10,2024-01-01 10:00,Klotter\n2,20,20,2024-01-02 10:00,Klotter\n";
const char* kAreasLayer = "  areas: {source: areas.csv, crs: EPSG:3006, columns: {id: id, name: name, geometry: wkt}}\n";
const char* kIncLayer =
    "  incidents: {source: inc.csv, crs: EPSG:3006, columns: {id: id, x: x, y: y, time: time, category: category}}\n";

// A small valid project in dir; `project` is the body of the project: section.
fs::path writeProject(const TempDir& dir, const std::string& project, const std::string& analyses = "",
                      const std::string& extra_layers = "") {
  writeFile(dir.path() / "areas.csv", kAreasCsv);
  writeFile(dir.path() / "inc.csv", kIncCsv);
  const auto yaml = dir.path() / "p.yaml";
  writeFile(yaml, "project:\n  crs: EPSG:3006\n" + project + "layers:\n" + kAreasLayer + kIncLayer + extra_layers +
                      (analyses.empty() ? "" : "analyses:\n" + analyses));
  return yaml;
}

void expectUserError(const CliResult& r, int code, const std::string& must_contain) {
  EXPECT_EQ(r.exit_code, code) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("bad conversion"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(must_contain), std::string::npos) << "expected '" << must_contain << "' in:\n" << r.output;
}

}  // namespace

// Item 13: values of the wrong YAML shape (a list or a mapping where one value
// belongs) are the user's to fix: exit 1, the file and the line, never
// "yaml-cpp bad conversion" with exit 3.
TEST(Reliability, WrongYamlShapeIsExitOneWithFileAndLine) {
  struct Case {
    std::string project, analyses, layers, expect;
  };
  const std::vector<Case> cases = {
      {"  name: [a, b]\n", "", "", "p.yaml line 3"},
      {"  output: {a: 1}\n", "", "", "p.yaml line 3"},
      {"  time_zone: [Europe/Stockholm]\n", "", "", "p.yaml line 3"},
      {"  extent: [[0, 1], 0, 10, 10]\n", "", "", "p.yaml line 3"},
      {"  name:\n", "", "", "p.yaml"},
      {"", "  - method: [hotspot.kde]\n", "", "p.yaml line 7"},
      {"", "  - method: hotspot.kde\n    name: {a: b}\n", "", "p.yaml line 8"},
      {"", "  - method: hotspot.kde\n    bandwidth: {a: 1}\n", "", "line 8"},
      {"", "  - method: hotspot.kde\n    categories: [[violence]]\n", "", "line 8"},
      {"", "  - method: hotspot.kde\n    ? [a, b]\n    : 1\n", "", "p.yaml"},
      {"", "", "  places: {source: areas.csv, crs: EPSG:3006, columns: {id: [id]}}\n", "p.yaml line 6"},
      {"", "", "  places: {source: areas.csv, crs: EPSG:3006, categories: {violence: [{a: b}]}}\n", "p.yaml line 6"},
      {"", "", "  places: {source: [areas.csv], crs: EPSG:3006}\n", "p.yaml line 6"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    const auto yaml = writeProject(dir, c.project, c.analyses, c.layers);
    SCOPED_TRACE(trygg::testing::readFile(yaml));
    expectUserError(runTrygg("validate " + yaml.string()), 1, c.expect);
  }
}

// Item 13: an output folder below a file, a name too long for the file system,
// a full disk: exit 1 or 2 with the path, never exit 3.
TEST(Reliability, OutputFolderBelowAFileNamesThePath) {
  TempDir dir;
  writeFile(dir.path() / "afile", "x");
  const auto yaml = writeProject(dir, "  output: afile/out\n");
  const auto r = runTrygg("run " + yaml.string());
  expectUserError(r, 1, "afile");
  EXPECT_NE(r.output.find("is a file, not a folder"), std::string::npos) << r.output;
}

TEST(Reliability, PathComponentOver255BytesIsRefusedWithThePath) {
  TempDir dir;
  const auto yaml = writeProject(dir, "  output_name: " + std::string(300, 'n') + "\n");
  expectUserError(runTrygg("run " + yaml.string()), 1, "output_name");
  TempDir dir2;
  const auto yaml2 = writeProject(dir2, "  output: out/" + std::string(256, 'd') + "\n");
  expectUserError(runTrygg("import " + yaml2.string()), 1, "project.output");
}

TEST(Reliability, FullDiskDuringImportIsExitOneWithTheStorePath) {
  TempDir dir;
  const auto yaml = writeProject(dir, "  store: out/full.sqlite\n");
  // A file-size limit of 64 KiB stands in for a full disk (SIGXFSZ ignored, so
  // write() fails with EFBIG as it would with ENOSPC).
  const auto r = runShell("trap '' XFSZ; ulimit -f 64; exec " + std::string(TRYGG_BINARY) + " import " + yaml.string());
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("full.sqlite"), std::string::npos) << r.output;
  // Nothing half-written is left in place of the store, and no temporary file.
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "full.sqlite"));
  for (const auto& e : fs::directory_iterator(dir.path() / "out")) ADD_FAILURE() << "left behind: " << e.path();
}

// Item 13: "no area was loaded (see the rejected rows above)" was printed with
// nothing above it. The message itself now says what happened to the rows.
TEST(Reliability, NoAreaLoadedSaysWhy) {
  TempDir dir;
  const auto yaml = writeProject(dir, "");
  writeFile(dir.path() / "areas.csv", "id,name,wkt\nA,Area,\"POLYGON((0 0,1000 0\"\nB,Area,not wkt\n");
  const auto r = runTrygg("validate " + yaml.string());
  expectUserError(r, 1, "no area was loaded");
  EXPECT_NE(r.output.find("areas.csv row 1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("areas.csv row 2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("rejected rows above"), std::string::npos) << r.output;
  writeFile(dir.path() / "areas.csv", "id,name,wkt\n");
  expectUserError(runTrygg("validate " + yaml.string()), 1, "has no rows");
}

// Item 13: a PostGIS connection as the store used to create a local SQLite
// file named like the connection string.
TEST(Reliability, PostgisStoreIsRefusedUntilItExists) {
  TempDir dir;
  const auto yaml = writeProject(dir, "  store: \"PG:dbname=trygg host=localhost\"\n");
  const auto r = runTrygg("import " + yaml.string());
  expectUserError(r, 2, "PostGIS store does not exist");
  EXPECT_NE(r.output.find("p.yaml line 3"), std::string::npos) << r.output;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find("PG:"), std::string::npos) << e.path();
}

// Item 13: a UTF-16 CSV (Excel's "Unicode text") was read as garbled column names.
TEST(Reliability, Utf16CsvGetsAClearMessage) {
  TempDir dir;
  const auto yaml = writeProject(dir, "");
  std::string utf16 = "\xFF\xFE";
  for (char ch : std::string(kIncCsv)) {
    utf16 += ch;
    utf16 += '\0';
  }
  writeFile(dir.path() / "inc.csv", utf16);
  const auto r = runTrygg("validate " + yaml.string());
  expectUserError(r, 1, "UTF-16");
  EXPECT_NE(r.output.find("inc.csv"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("CSV UTF-8"), std::string::npos) << r.output;
}

// Item 13: a bad `filter` on a GeoPackage was blamed on a corrupt file.
TEST(Reliability, BadFilterOnGeopackageBlamesTheFilter) {
  GDALAllRegister();
  TempDir dir;
  const auto gpkg = dir.path() / "areas.gpkg";
  {
    auto* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    ASSERT_NE(drv, nullptr);
    GDALDataset* ds = drv->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(3006);
    auto* lyr = ds->CreateLayer("areas", &srs, wkbPolygon, nullptr);
    OGRFieldDefn f("area_id", OFTString);
    lyr->CreateField(&f);
    OGRFeature feat(lyr->GetLayerDefn());
    feat.SetField("area_id", "A");
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt("POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))", &srs, &g);
    feat.SetGeometryDirectly(g);
    ASSERT_EQ(lyr->CreateFeature(&feat), OGRERR_NONE);
    GDALClose(ds);
  }
  writeFile(dir.path() / "p.yaml",
            "project: {crs: EPSG:3006}\nlayers:\n"
            "  areas: {source: areas.gpkg, columns: {id: area_id}, filter: \"no_such_column = 'x'\"}\n");
  const auto r = runTrygg("validate " + (dir.path() / "p.yaml").string());
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << r.output;
  EXPECT_NE(r.output.find("filter"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("corrupt"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
}

// Item 10: a project must not overwrite its own inputs.
TEST(Reliability, OutputsThatWouldOverwriteAnInputAreRefused) {
  {
    TempDir dir;
    const auto yaml = writeProject(dir, "  store: inc.csv\n");
    const auto r = runTrygg("import " + yaml.string());
    expectUserError(r, 2, "would overwrite the input");
    EXPECT_EQ(trygg::testing::readFile(dir.path() / "inc.csv"), kIncCsv);
  }
  {
    TempDir dir;
    const auto yaml = writeProject(dir, "  output: .\n  output_name: inc\n");
    const auto r = runTrygg("run " + yaml.string());
    expectUserError(r, 2, "inc.csv");
    EXPECT_EQ(trygg::testing::readFile(dir.path() / "inc.csv"), kIncCsv);
  }
  {
    TempDir dir;
    fs::create_directories(dir.path() / "output");
    const auto yaml = writeProject(dir, "  output: output\n  output_name: trygg\n");
    // an input named like the run's GeoPackage in the output folder
    fs::copy_file(dir.path() / "areas.csv", dir.path() / "output" / "trygg.gpkg");
    writeFile(yaml, trygg::testing::readFile(yaml) +
                        "  places: {source: output/trygg.gpkg, crs: EPSG:3006}\n");
    expectUserError(runTrygg("validate " + yaml.string()), 2, "trygg.gpkg");
  }
}

// Item 10: output_name and analysis names become file names: '/' and '..'
// would write outside the output folder.
TEST(Reliability, NamesThatLeaveTheOutputFolderAreRefused) {
  for (const std::string bad : {"../escape", "a/b", "..", "x/../../y"}) {
    TempDir dir;
    const auto yaml = writeProject(dir, "  output_name: \"" + bad + "\"\n");
    expectUserError(runTrygg("run " + yaml.string()), 2, "output_name");
    EXPECT_FALSE(fs::exists(dir.path() / "escape.gpkg"));
  }
  for (const std::string bad : {"../../escape", "a/b", "..\\\\x"}) {
    TempDir dir;
    const auto yaml = writeProject(dir, "", "  - method: hotspot.kde\n    name: \"" + bad + "\"\n    bandwidth: 200\n");
    expectUserError(runTrygg("run " + yaml.string()), 2, "analysis name");
  }
}

// Item 1: lon/lat data outside Sweden with no `crs` ran in SWEREF 99 TM
// without a word. Now: the UTM zone of the data, printed with the reason.
TEST(Reliability, DefaultWorkingCrsOutsideSwedenIsUtm) {
  struct Case {
    double lon, lat;
    std::string expect_authid, expect_reason;
  };
  for (const Case& c : {Case{-123.10, 49.25, "EPSG:32610", "outside Sweden"},  // Vancouver
                        Case{18.07, 59.33, "EPSG:3006", "lie in Sweden"}}) {  // Stockholm
    TempDir dir;
    const double d = 0.01;
    writeFile(dir.path() / "areas.csv",
              fmt::format("id,name,wkt\nA,Area,\"POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))\"\n", c.lon - d,
                          c.lat - d, c.lon + d, c.lat + d));
    writeFile(dir.path() / "inc.csv",
              fmt::format("id,lon,lat,time,category\n1,{},{},2024-01-01 10:00,Klotter\n", c.lon, c.lat));
    writeFile(dir.path() / "p.yaml",
              "layers:\n"
              "  areas: {source: areas.csv, crs: EPSG:4326, columns: {id: id, name: name, geometry: wkt}}\n"
              "  incidents: {source: inc.csv, columns: {id: id, lon: lon, lat: lat, time: time, category: category}}\n");
    const auto r = runTrygg("run " + (dir.path() / "p.yaml").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(c.expect_authid), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(c.expect_reason), std::string::npos) << r.output;
    const auto summary = nlohmann::json::parse(trygg::testing::readFile(dir.path() / "output" / "trygg_summary.json"));
    EXPECT_EQ(summary["crs"]["authid"], c.expect_authid);
    EXPECT_NE(summary["crs"]["reason"].get<std::string>().find(c.expect_reason), std::string::npos);
  }
}

// Item 1: `trygg hotspots --working-crs auto` needed --areas.
TEST(Reliability, HotspotsWorkingCrsAutoWithoutAreas) {
  TempDir dir;
  std::string csv = "id,lon,lat,time\n";
  for (int i = 0; i < 50; ++i)
    csv += fmt::format("{},{:.6f},{:.6f},2024-03-{:02d} 12:00\n", i, -123.10 + (i % 7) * 0.0004, 49.25 + (i % 5) * 0.0003,
                       1 + i % 28);
  writeFile(dir.path() / "pts.csv", csv);
  const auto out = dir.path() / "out";
  const auto r = runTrygg("hotspots kde --input " + (dir.path() / "pts.csv").string() +
                          " --lon lon --lat lat --time time --working-crs auto --bandwidth 150 --cell 20 --out " +
                          out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(trygg::testing::readFile(out / "pts_summary.json"));
  EXPECT_EQ(summary["crs"]["authid"], "EPSG:32610") << summary["crs"].dump();
}

namespace {

// Layer names and feature counts of a GeoPackage.
std::map<std::string, long long> gpkgLayers(const fs::path& p) {
  GDALAllRegister();
  std::map<std::string, long long> out;
  auto* ds = static_cast<GDALDataset*>(GDALOpenEx(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) return out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) out[ds->GetLayer(i)->GetName()] = ds->GetLayer(i)->GetFeatureCount();
  GDALClose(ds);
  return out;
}

// Two Gi* analyses on a small grid; 60 incidents in two clusters.
fs::path writeTwoAnalysisProject(const TempDir& dir, const std::string& more_analyses = "") {
  std::string inc = "id,x,y,time,category\n";
  for (int i = 0; i < 60; ++i)
    inc += fmt::format("{},{},{},2024-01-{:02d} 10:00,Klotter\n", i, (i % 2 ? 200 : 700) + i % 7 * 11,
                       (i % 2 ? 300 : 650) + i % 5 * 13, 1 + i % 28);
  writeFile(dir.path() / "areas.csv", kAreasCsv);
  writeFile(dir.path() / "inc.csv", inc);
  const std::string gi = "    method: hotspot.getis_ord\n    units: grid\n    cell: 100\n    band: 150\n    permutations: 0\n";
  const auto yaml = dir.path() / "p.yaml";
  writeFile(yaml, std::string("project:\n  crs: EPSG:3006\nlayers:\n") + kAreasLayer + kIncLayer + "analyses:\n" +
                      "  - name: g1\n" + gi + "  - name: g2\n" + gi + more_analyses);
  return yaml;
}

}  // namespace

// Item 8: `run --only a` rewrites a's layers and keeps the others' from the
// previous run; an unknown name is exit 2 and touches nothing.
TEST(Reliability, RunOnlyUpdatesNamedAnalysesAndKeepsTheRest) {
  TempDir dir;
  const auto yaml = writeTwoAnalysisProject(dir);
  const auto gpkg = dir.path() / "output" / "trygg.gpkg";
  const auto full = runTrygg("run " + yaml.string());
  ASSERT_EQ(full.exit_code, 0) << full.output;
  const auto before = gpkgLayers(gpkg);
  ASSERT_TRUE(before.count("g1") && before.count("g2")) << full.output;

  const auto only = runTrygg("run --only g1 " + yaml.string());
  ASSERT_EQ(only.exit_code, 0) << only.output;
  const auto after = gpkgLayers(gpkg);
  EXPECT_EQ(after, before);  // g2 kept with all its features, g1 rewritten
  const auto summary = nlohmann::json::parse(trygg::testing::readFile(dir.path() / "output" / "trygg_summary.json"));
  bool g2_kept = false;
  for (const auto& a : summary["analyses"])
    if (a["name"] == "g2") g2_kept = a.value("kept_from_previous_run", false);
  EXPECT_TRUE(g2_kept) << summary.dump(2);
  // The kept layer keeps its QGIS style.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(gpkg.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM layer_styles WHERE f_table_name IN ('g1','g2')", -1, &st,
                                 nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }

  const auto size_before = fs::file_size(gpkg);
  const auto mtime_before = fs::last_write_time(gpkg);
  const auto bad = runTrygg("run --only nonexistent " + yaml.string());
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("g1, g2"), std::string::npos) << bad.output;  // lists the analyses
  EXPECT_EQ(fs::file_size(gpkg), size_before);
  EXPECT_EQ(fs::last_write_time(gpkg), mtime_before);
  EXPECT_EQ(gpkgLayers(gpkg), before);
}

// Item 8: one analysis that cannot run (no incident matches its selection) is
// reported in the summary and the GeoPackage metadata; the others are written.
TEST(Reliability, OneFailingAnalysisIsReportedAndTheOthersAreWritten) {
  TempDir dir;
  const auto yaml = writeTwoAnalysisProject(
      dir, "  - name: g3\n    method: hotspot.getis_ord\n    units: grid\n    cell: 100\n    band: 150\n"
           "    categories: robbery\n");
  const auto r = runTrygg("run " + yaml.string());
  EXPECT_TRUE(r.exit_code == 1 || r.exit_code == 2) << r.output;  // that analysis' own code
  EXPECT_NE(r.output.find("g3"), std::string::npos) << r.output;
  const auto gpkg = dir.path() / "output" / "trygg.gpkg";
  const auto layers = gpkgLayers(gpkg);
  EXPECT_TRUE(layers.count("g1")) << r.output;
  EXPECT_TRUE(layers.count("g2")) << r.output;
  EXPECT_FALSE(layers.count("g3"));
  const auto summary = nlohmann::json::parse(trygg::testing::readFile(dir.path() / "output" / "trygg_summary.json"));
  EXPECT_EQ(summary["failed_analyses"], nlohmann::json::array({"g3"})) << summary.dump(2);
  bool reported = false;
  for (const auto& a : summary["analyses"])
    if (a["name"] == "g3") reported = a["status"] == "failed" && !a["error"].get<std::string>().empty();
  EXPECT_TRUE(reported) << summary.dump(2);
  // The same summary is in the GeoPackage's trygg_metadata.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(gpkg.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM trygg_metadata WHERE key = 'run_summary'", -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  const auto meta = nlohmann::json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(meta["failed_analyses"], nlohmann::json::array({"g3"}));
}

namespace {

// A TCP listener on 127.0.0.1 that only counts who knocked.
class Listener {
 public:
  Listener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(m_fd, 16);
    socklen_t len = sizeof a;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
    m_port = ntohs(a.sin_port);
  }
  ~Listener() { ::close(m_fd); }
  int port() const { return m_port; }
  // Connections made so far (accepted and closed at once).
  int knocks() {
    int n = 0;
    for (int c; (c = ::accept(m_fd, nullptr, nullptr)) >= 0; ++n) ::close(c);
    return n;
  }

 private:
  int m_fd = -1;
  int m_port = 0;
};

}  // namespace

// Item 14: network sources are refused with a clear message unless allowed.
TEST(Reliability, NetworkSourcesAreRefusedOfflineByDefault) {
  for (const std::string src : {"https://example.org/areas.geojson", "/vsicurl/https://example.org/a.gpkg",
                                "WFS:https://example.org/wfs", "PG:dbname=trygg host=db.example.org password=secret"}) {
    TempDir dir;
    writeFile(dir.path() / "p.yaml", "project: {crs: EPSG:3006}\nlayers:\n  areas: {source: \"" + src + "\"}\n");
    const auto r = runTrygg("validate " + (dir.path() / "p.yaml").string());
    expectUserError(r, 2, "offline");
    EXPECT_NE(r.output.find("--allow-network"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("secret"), std::string::npos) << r.output;  // passwords never shown
  }
}

// Item 14: GDAL itself makes no connection while offline, also for requests a
// local file triggers (a GeoJSON "crs" link, a VRT pointing at /vsicurl/).
TEST(Reliability, LocalFilesCannotMakeGdalReachTheNetwork) {
  Listener server;
  TempDir dir;
  const std::string url = fmt::format("http://127.0.0.1:{}", server.port());
  writeFile(dir.path() / "areas.geojson",
            "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"link\",\"properties\":{\"href\":\"" + url +
                "/crs.wkt\",\"type\":\"ogcwkt\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{\"id\":\"A\"},"
                "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1000,0],[1000,1000],[0,1000],[0,0]]]}}]}");
  writeFile(dir.path() / "remote.vrt", "<OGRVRTDataSource><OGRVRTLayer name=\"a\"><SrcDataSource>/vsicurl/" + url +
                                           "/a.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>");
  writeFile(dir.path() / "p.yaml", "project: {crs: EPSG:3006}\nlayers:\n"
                                   "  areas: {source: areas.geojson, crs: EPSG:3006}\n"
                                   "  places: {source: remote.vrt, crs: EPSG:3006}\n");
  const auto offline = runTrygg("validate " + (dir.path() / "p.yaml").string());
  EXPECT_NE(offline.exit_code, 3) << offline.output;
  EXPECT_EQ(server.knocks(), 0) << offline.output;
  // The same project with the network allowed does reach the server: the test
  // can see a connection when one is made.
  const auto online = runShell("GDAL_HTTP_TIMEOUT=2 GDAL_HTTP_MAX_RETRY=0 " + std::string(TRYGG_BINARY) +
                               " validate --allow-network " + (dir.path() / "p.yaml").string());
  EXPECT_GT(server.knocks(), 0) << online.output;
}
