// Issue 10 on the reader: weights only on request and kept in double (item 3),
// UTF-16 files named as such (item 13), network sources refused while offline
// (item 14).
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "data/reader.hpp"

namespace trygg::data {
namespace {

namespace fs = std::filesystem;

struct TmpCsv {
  fs::path dir;
  explicit TmpCsv(const std::string& name, const std::string& content) {
    dir = fs::temp_directory_path() / ("trygg-rel-" + std::to_string(::getpid()) + "-" + name);
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary) << content;
    path = dir / name;
  }
  ~TmpCsv() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path path;
};

std::vector<model::Incident> readAll(const LayerConfig& cfg) {
  ReadOptions ro;
  ro.working_crs = "EPSG:3006";
  std::vector<model::Incident> rows;
  readIncidents(cfg, ro, [&](std::vector<model::Incident>& b) { rows.insert(rows.end(), b.begin(), b.end()); }, {});
  return rows;
}

LayerConfig layerOf(const fs::path& p) {
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Incidents;
  cfg.name = "inc";
  cfg.source = p.string();
  cfg.crs = "EPSG:3006";
  return cfg;
}

const char* kWeighted =
    "id,x,y,time,category,weight\n1,545000,6575000,2024-01-01 10:00,Klotter,0.1\n"
    "2,545010,6575010,2024-01-01 11:00,Klotter,2.7\n";

// Item 13: UTF-16 (with or without a byte-order mark) is named, not read as
// garbled column names.
TEST(ReaderEncoding, Utf16IsRefusedWithAClearMessage) {
  for (const bool bom : {true, false}) {
    std::string s = bom ? "\xFF\xFE" : "";
    for (char c : std::string(kWeighted)) {
      s += c;
      s += '\0';
    }
    TmpCsv f("u16.csv", s);
    try {
      readAll(layerOf(f.path));
      ADD_FAILURE() << "no error";
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find("UTF-16"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("u16.csv"), std::string::npos) << e.what();
    }
  }
}

// Item 14.
TEST(ReaderNetwork, SourcesThatReachTheNetwork) {
  for (const char* s : {"http://x/a.csv", "https://x/a.geojson", "ftp://x/a.shp", "s3://bucket/a.gpkg",
                        "/vsicurl/https://x/a.gpkg", "/vsizip//vsicurl/https://x/a.zip", "/vsis3/bucket/a.gpkg",
                        "/VSIGS/b/a.gpkg", "PG:dbname=x", "pg:dbname=x", "WFS:https://x/wfs", "OAPIF:https://x",
                        "MySQL:db", "ODBC:dsn"})
    EXPECT_TRUE(sourceUsesNetwork(s)) << s;
  for (const char* s : {"data/areas.gpkg", "/home/u/pg_areas.gpkg", "C:\\\\data\\\\a.shp", "C:/data/a.shp",
                        "/vsizip/data/a.zip", "GPKG:data/a.gpkg:areas", "wfs_export.geojson"})
    EXPECT_FALSE(sourceUsesNetwork(s)) << s;
}

TEST(ReaderNetwork, OfflineReadersRefuseNetworkSourcesNamingTheLayer) {
  setNetworkAccess(false);
  LayerConfig cfg = layerOf("https://example.org/incidents.csv");
  try {
    readAll(cfg);
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 'inc'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("network: allow"), std::string::npos) << e.what();
  }
  EXPECT_THROW(probeLayer(layerOf("PG:dbname=x password=y")), UsageError);
  EXPECT_FALSE(networkAccessAllowed());
}

// Item 3: a column that happens to be called `weight` is not used unless mapped.
TEST(ReaderWeights, AColumnNamedWeightIsIgnoredUnlessMapped) {
  TmpCsv f("w.csv", kWeighted);
  const auto rows = readAll(layerOf(f.path));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].weight, 1.0);
  EXPECT_EQ(rows[1].weight, 1.0);
}

TEST(ReaderWeights, MappedWeightsAreUsedExactlyInDouble) {
  TmpCsv f("w.csv", kWeighted);
  auto cfg = layerOf(f.path);
  cfg.columns["weight"] = "weight";
  const auto rows = readAll(cfg);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].weight, 0.1);  // exactly the double 0.1, not float's 0.100000001
  EXPECT_EQ(rows[1].weight, 2.7);
}

TEST(ReaderWeights, AnEmptyMappingSwitchesWeightsOff) {
  TmpCsv f("w.csv", kWeighted);
  auto cfg = layerOf(f.path);
  cfg.columns["weight"] = "";
  const auto rows = readAll(cfg);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].weight, 1.0);
}

}  // namespace
}  // namespace trygg::data
