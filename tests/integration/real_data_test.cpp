// The CLI on the real data in ../shared/data (skipped with a message where it
// is absent, as in a plain clone): the Swedish police's coarse event feed and
// Portland's burglary calls in a feet-based CRS.
#include <gdal.h>
#include <ogrsf_frmts.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_helpers.hpp"

namespace fs = std::filesystem;
using trygg::testing::runTrygg;

namespace {
fs::path shared(const std::string& rel) { return fs::path(TRYGG_SHARED_DATA_DIR) / rel; }
}  // namespace

// polisen.se events: 85,011 rows with only municipality or county centroids and
// hours written without a leading zero. Every row must load, and the centroids
// must come out as coordinate stacks (kept out of hotspot maps).
TEST(RealData, PolisenEventsLoadAndCentroidsAreStacked) {
  const auto xz = shared("polisen_se_events/polisen_events_2022-2026.csv.xz");
  if (!fs::exists(xz)) GTEST_SKIP() << "no " << xz << " (../shared/data is not beside the repository)";
  trygg::testing::TempDir dir;
  ASSERT_EQ(std::system(("xz -dc '" + xz.string() + "' > '" + (dir.path() / "events.csv").string() + "'").c_str()), 0);
  trygg::testing::writeFile(dir.path() / "sweden.csv",
                            "id,name,wkt\nSE,Sverige,\"POLYGON((10.5 55.0,24.5 55.0,24.5 69.5,10.5 69.5,10.5 55.0))\"\n");
  trygg::testing::writeFile(dir.path() / "project.yaml",
                            "project: {output: out}\n"
                            "layers:\n"
                            "  areas: {source: sweden.csv, crs: EPSG:4326, columns: {id: id, name: name, geometry: wkt}}\n"
                            "  incidents:\n"
                            "    source: events.csv\n"
                            "    low_precision: true\n"
                            "    columns: {id: id, time: datetime, category: type, lon: lon, lat: lat}\n"
                            "    categories: {violence: [Misshandel, \"Misshandel, grov\"], burglary: [Stöld/inbrott]}\n");
  const auto r = runTrygg("import " + (dir.path() / "project.yaml").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("85011      85011"), std::string::npos) << r.output;  // read == loaded
  EXPECT_NE(r.output.find("SWEREF99 TM (EPSG:3006)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("flagged 'stacked'"), std::string::npos) << r.output;
}

// Portland burglary calls (NIJ), EPSG:2913 in international feet: lengths typed
// with units are converted, the output keeps the feet CRS.
TEST(RealData, PortlandGiStarInFeet) {
  const auto csv = shared("nij_portland_cfs/nij_cfs_burglary_2012-03_2017-01.csv");
  const auto districts = shared("nij_portland_cfs/portland_police_districts_epsg2913.gpkg");
  if (!fs::exists(csv)) GTEST_SKIP() << "no " << csv << " (../shared/data is not beside the repository)";
  trygg::testing::TempDir dir;
  const auto out = dir.path() / "out";
  const auto r = runTrygg("hotspots getis_ord --input " + csv.string() +
                          " --x x_ft --y y_ft --time occ_date --category category --crs EPSG:2913 --areas " +
                          districts.string() + " --cell 500ft --band 1000ft --permutations 99 --seed 1 --out " +
                          out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(
      trygg::testing::readFile(out / "nij_cfs_burglary_2012-03_2017-01_summary.json"));
  EXPECT_EQ(j["crs"]["authid"], "EPSG:2913");
  EXPECT_DOUBLE_EQ(j["crs"]["unit_metres"].get<double>(), 0.3048);
  const auto& a = j["analyses"][0];
  EXPECT_DOUBLE_EQ(a["band_crs_units"].get<double>(), 1000.0);  // 1000 ft typed, 1000 CRS units used
  EXPECT_GT(a["hot_units"].get<int>(), 0);
  EXPECT_EQ(a["incidents_used"].get<int>(), 5001);
  GDALAllRegister();
  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx((out / "nij_cfs_burglary_2012-03_2017-01.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr));
  ASSERT_NE(ds, nullptr);
  auto* l = ds->GetLayerByName("getis_ord");
  ASSERT_NE(l, nullptr);
  EXPECT_STREQ(l->GetSpatialRef()->GetAuthorityCode(nullptr), "2913");
  GDALClose(ds);
}
