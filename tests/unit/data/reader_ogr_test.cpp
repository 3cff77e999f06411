// OGR layers (GeoPackage, Shapefile, GeoJSON) through the public reader API.
// Datasets with a specific CRS are created here with GDAL in a temporary folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "data/reader.hpp"

namespace trygg::data {
namespace {

using model::RejectReason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string fixture(const std::string& name) { return std::string(TRYGG_TEST_DATA_DIR) + "/ingest/" + name; }

std::filesystem::path tempDir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("trygg_reader_ogr_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  return dir;
}

ReadOptions sweref() {
  ReadOptions o;
  o.working_crs = "EPSG:3006";
  return o;
}

std::vector<std::int64_t> rowsWith(const std::vector<model::Rejected>& rej, RejectReason r) {
  std::vector<std::int64_t> out;
  for (const auto& x : rej)
    if (x.reason == r) out.push_back(x.row);
  return out;
}

struct Feature {
  std::string wkt;
  std::vector<std::pair<std::string, std::string>> fields;  // name -> value ("" = unset)
};

// Writes a one-layer dataset; fields are strings unless named "when" (DateTime) or "day" (Date).
std::string writeDataset(const std::string& driver, const std::string& file, int epsg,
                         const std::vector<Feature>& features, OGRwkbGeometryType type = wkbPoint) {
  GDALAllRegister();
  const auto path = (tempDir() / file).string();
  std::filesystem::remove(path);
  auto* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
  EXPECT_NE(drv, nullptr);
  GDALDataset* ds = drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  EXPECT_NE(ds, nullptr);
  OGRSpatialReference srs;
  OGRSpatialReference* srs_ptr = nullptr;
  if (epsg > 0) {
    srs.importFromEPSG(epsg);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    srs_ptr = &srs;
  }
  OGRLayer* layer = ds->CreateLayer("layer", srs_ptr, type, nullptr);
  for (const auto& [name, value] : features.front().fields) {
    OGRFieldType t = name == "when" ? OFTDateTime : name == "day" ? OFTDate : OFTString;
    OGRFieldDefn defn(name.c_str(), t);
    layer->CreateField(&defn);
  }
  for (const auto& f : features) {
    OGRFeature feat(layer->GetLayerDefn());
    for (const auto& [name, value] : f.fields)
      if (!value.empty()) feat.SetField(name.c_str(), value.c_str());
    if (!f.wkt.empty()) {
      OGRGeometry* g = nullptr;
      OGRGeometryFactory::createFromWkt(f.wkt.c_str(), nullptr, &g);
      feat.SetGeometryDirectly(g);
    }
    EXPECT_EQ(layer->CreateFeature(&feat), OGRERR_NONE);
  }
  GDALClose(ds);
  return path;
}

TEST(ReaderOgr, GeoPackageInEpsg3011TransformsToSweref99Tm) {
  const auto path = writeDataset("GPKG", "places_3011.gpkg", 3011,
                                 {{"POINT (153000 6580000)", {{"id", "P1"}, {"name", "Torget"}}},
                                  {"POLYGON ((153000 6580000, 153100 6580000, 153100 6580100, 153000 6580100, "
                                   "153000 6580000))",
                                   {{"id", "P2"}, {"name", "Parken"}}}},
                                 wkbUnknown);
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Places;
  cfg.name = "places";
  cfg.source = path;
  cfg.radius = 75;
  auto res = readPlaces(cfg, sweref());
  EXPECT_EQ(res.counts.read, 2);
  ASSERT_EQ(res.counts.loaded, 2);
  // `echo "153000 6580000" | gdaltransform -s_srs EPSG:3011 -t_srs EPSG:3006 -output_xy`
  //  -> 673638.647445696 6581347.12880301
  // (cs2cs EPSG:3011 EPSG:3006 with the authority's northing-easting order gives the same point.)
  EXPECT_NEAR(res.rows[0].anchor.x, 673638.647445696, 1e-3);
  EXPECT_NEAR(res.rows[0].anchor.y, 6581347.12880301, 1e-3);
  EXPECT_NEAR(res.rows[0].geom.bbox.minx, 673638.647445696, 1e-3);
  EXPECT_EQ(res.rows[0].id, "P1");
  EXPECT_EQ(res.rows[0].radius, 75);
  // The polygon place is anchored on its surface.
  const auto& poly = res.rows[1];
  EXPECT_GT(poly.anchor.x, poly.geom.bbox.minx);
  EXPECT_LT(poly.anchor.x, poly.geom.bbox.maxx);
  EXPECT_GT(poly.anchor.y, poly.geom.bbox.miny);
  EXPECT_LT(poly.anchor.y, poly.geom.bbox.maxy);

  const auto info = probeLayer(cfg);
  EXPECT_TRUE(info.has_crs);
  EXPECT_EQ(info.crs_authid, "EPSG:3011");
  EXPECT_TRUE(info.crs_projected);
  EXPECT_EQ(info.feature_count, 2);
  EXPECT_DOUBLE_EQ(info.bbox.minx, 153000);
  EXPECT_DOUBLE_EQ(info.bbox.maxy, 6580100);
}

TEST(ReaderOgr, Sweref99TmShapefileKeepsAxisOrder) {
  const auto path = writeDataset(
      "ESRI Shapefile", "incidents_3006.shp", 3006,
      {{"POINT (674000 6580000)", {{"nr", "1"}, {"brott", "Stöld"}, {"tid", "2023-01-13 18:30"}}},
       {"POINT (674100 6580100)", {{"nr", "2"}, {"brott", "Rån"}, {"tid", "2023-07-01T12:00"}}},
       {"", {{"nr", "3"}, {"brott", "Rån"}, {"tid", "2023-07-01T12:00"}}}});
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Incidents;
  cfg.name = "police";
  cfg.source = path;
  cfg.columns = {{"id", "nr"}, {"category", "brott"}, {"time", "tid"}};
  std::vector<model::Incident> got;
  std::vector<model::Rejected> rej;
  auto counts = readIncidents(
      cfg, sweref(), [&](std::vector<model::Incident>& b) { got.insert(got.end(), b.begin(), b.end()); },
      [&](model::Rejected&& r) { rej.push_back(std::move(r)); });
  EXPECT_EQ(counts.read, 3);
  EXPECT_EQ(counts.loaded, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_DOUBLE_EQ(got[0].pt.x, 674000);  // easting first, no swap by EPSG code
  EXPECT_DOUBLE_EQ(got[0].pt.y, 6580000);
  EXPECT_EQ(got[0].category, Category::Theft);
  EXPECT_EQ(got[1].category, Category::Robbery);
  EXPECT_EQ(got[0].t_from, 1673631000);
  EXPECT_EQ(got[1].t_from, 1688205600);
  ASSERT_EQ(rej.size(), 1u);
  EXPECT_EQ(rej[0].reason, RejectReason::NoGeometry);
  EXPECT_EQ(rej[0].row, 2);  // Shapefile FIDs start at 0
  EXPECT_THAT(rej[0].message, HasSubstr("incidents_3006.shp FID 2"));

  const auto info = probeLayer(cfg);
  EXPECT_EQ(info.crs_authid, "EPSG:3006");
}

TEST(ReaderOgr, FlatGeobufObservations) {
  const auto path = writeDataset(
      "FlatGeobuf", "walk.fgb", 3006,
      {{"POINT (674000 6580000)", {{"factor", "lighting"}, {"rating", "2"}, {"round", "baseline"}}},
       {"POINT (674010 6580010)", {{"factor", "vegetation"}, {"rating", "5"}, {"round", "followup"}}},
       {"POINT (674020 6580020)", {{"factor", "litter"}, {"rating", "7"}, {"round", "followup"}}}});
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Observations;
  cfg.source = path;
  cfg.rating_scale = "1-5";
  auto res = readObservations(cfg, sweref());
  EXPECT_TRUE(res.counts.balanced());
  ASSERT_EQ(res.counts.loaded, 2);
  // FlatGeobuf stores features in spatial-index order: look them up by factor.
  auto by = [&](const std::string& f) {
    for (const auto& o : res.rows)
      if (o.factor == f) return o;
    throw std::runtime_error("no " + f);
  };
  EXPECT_EQ(by("lighting").score, 5.0);     // (2 - 1) * 5
  EXPECT_EQ(by("vegetation").score, 20.0);  // (5 - 1) * 5
  EXPECT_DOUBLE_EQ(by("vegetation").pt.x, 674010);
  ASSERT_EQ(res.rejected.size(), 1u);
  EXPECT_EQ(res.rejected[0].reason, RejectReason::BadValue);
  EXPECT_THAT(res.rejected[0].message, HasSubstr("rating '7'"));
}

TEST(ReaderOgr, ShapefileWithoutPrjNeedsCrs) {
  const auto path = writeDataset("ESRI Shapefile", "no_prj.shp", 0,
                                 {{"POINT (674000 6580000)", {{"nr", "1"}, {"brott", "Stöld"}}}});
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Incidents;
  cfg.name = "police";
  cfg.source = path;
  auto read = [&] {
    return readIncidents(cfg, sweref(), [](std::vector<model::Incident>&) {}, [](model::Rejected&&) {});
  };
  try {
    read();
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("no_prj.shp"));
    EXPECT_THAT(e.what(), HasSubstr("add `crs: EPSG:xxxx`"));
  }
  cfg.crs = "EPSG:3006";
  EXPECT_EQ(read().loaded, 1);
}

TEST(ReaderOgr, TypedDateTimeFields) {
  const auto path = writeDataset(
      "GPKG", "times.gpkg", 3006,
      {{"POINT (674000 6580000)", {{"when", "2023/01/13 18:30:00+00"}, {"day", "2023/01/13"}}},
       {"POINT (674000 6580000)", {{"when", "2023/01/13 18:30:00"}, {"day", ""}}},
       {"POINT (674000 6580000)", {{"when", ""}, {"day", ""}}}});
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Incidents;
  cfg.source = path;
  cfg.columns = {{"time", "when"}};
  std::vector<model::Incident> got;
  readIncidents(cfg, sweref(), [&](std::vector<model::Incident>& b) { got.insert(got.end(), b.begin(), b.end()); },
                [](model::Rejected&&) {});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].t_from, 1673634600);  // UTC as stored
  EXPECT_EQ(got[1].t_from, 1673631000);  // no zone: Stockholm local
  EXPECT_EQ(got[2].flags, model::kFlagNoTime);

  cfg.columns = {{"time_from", "day"}};
  got.clear();
  readIncidents(cfg, sweref(), [&](std::vector<model::Incident>& b) { got.insert(got.end(), b.begin(), b.end()); },
                [](model::Rejected&&) {});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].t_from, 1673564400);
  EXPECT_EQ(got[0].t_to, 1673650799);  // a Date field alone: the whole day
  EXPECT_EQ(got[0].flags, model::kFlagTimeSpan);
}

TEST(ReaderOgr, GeoJsonAreasWithBowTie) {
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Areas;
  cfg.name = "areas";
  cfg.source = fixture("areas_bowtie.geojson");
  cfg.columns = {{"id", "area_id"}};
  auto res = readAreas(cfg, sweref());
  EXPECT_EQ(res.counts.read, 7);
  EXPECT_EQ(res.counts.loaded, 3);
  EXPECT_EQ(res.counts.rejected, 4);
  EXPECT_TRUE(res.counts.balanced());
  EXPECT_EQ(res.counts.repaired, 1);
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::WrongGeometryType), ElementsAre(3));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::NoGeometry), ElementsAre(4));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::DuplicateId), ElementsAre(5));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::InvalidGeometry), ElementsAre(6));
  ASSERT_EQ(res.rows.size(), 3u);
  EXPECT_EQ(res.rows[0].row, 1);
  EXPECT_TRUE(res.rows[1].repaired);
  EXPECT_EQ(res.rows[2].name, "Åby ängar");
  for (const auto& r : res.rejected) {
    EXPECT_THAT(r.message, HasSubstr("areas_bowtie.geojson FID " + std::to_string(r.row)));
    EXPECT_THAT(r.raw_json, HasSubstr("\"area_id\""));
  }
  EXPECT_THAT(res.rejected[0].message, HasSubstr("Line String"));
  EXPECT_THAT(res.rejected[0].raw_json, HasSubstr("\"_geometry\":\"LINESTRING"));
  EXPECT_THAT(res.rejected[2].message, HasSubstr("already used by FID 1"));

  cfg.filter = "area_id = 'A1'";
  auto filtered = readAreas(cfg, sweref());
  EXPECT_EQ(filtered.counts.read, 2);
  EXPECT_EQ(filtered.counts.loaded, 1);
  EXPECT_THAT(rowsWith(filtered.rejected, RejectReason::DuplicateId), ElementsAre(5));

  cfg.filter = "area_id = = 'A1'";
  EXPECT_THROW(readAreas(cfg, sweref()), UsageError);
}

TEST(ReaderOgr, TruncatedGeoJsonNamesTheFile) {
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Areas;
  cfg.source = fixture("truncated.geojson");
  try {
    readAreas(cfg, sweref());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("truncated.geojson"));
    EXPECT_THAT(e.what(), HasSubstr("truncated"));
  }
  cfg.source = fixture("no_such_file.gpkg");
  try {
    readAreas(cfg, sweref());
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("does not exist"));
  }
}

TEST(ReaderOgr, MeasuresLinesAndPolygons) {
  const auto path = writeDataset(
      "GPKG", "measures.gpkg", 3006,
      {{"POINT (674000 6580000)", {{"id", "m1"}, {"kind", "street_light"}, {"status", "Klar"}, {"radius", "20"}}},
       {"LINESTRING (674000 6580000, 674100 6580000)", {{"id", "m2"}, {"kind", ""}, {"status", "planned"}, {"radius", ""}}},
       {"POLYGON ((674200 6580000, 674300 6580100, 674300 6580000, 674200 6580100, 674200 6580000))",
        {{"id", "m3"}, {"kind", "vegetation"}, {"status", "påbörjad"}, {"radius", ""}}},
       {"POINT (674000 6580000)", {{"id", "m4"}, {"kind", "camera"}, {"status", ""}, {"radius", "far"}}}},
      wkbUnknown);
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Measures;
  cfg.source = path;
  cfg.measure_kind = "vegetation";
  auto res = readMeasures(cfg, sweref());
  EXPECT_TRUE(res.counts.balanced());
  EXPECT_EQ(res.counts.loaded, 3);
  EXPECT_EQ(res.counts.repaired, 1);
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::BadValue), ElementsAre(4));
  ASSERT_EQ(res.rows.size(), 3u);
  EXPECT_EQ(res.rows[0].status, "done");
  EXPECT_EQ(res.rows[0].radius, 20);
  EXPECT_EQ(res.rows[1].kind, "vegetation");  // measure_kind default
  EXPECT_TRUE(std::isnan(res.rows[1].radius));
  EXPECT_EQ(res.rows[2].status, "started");
  EXPECT_TRUE(res.rows[2].repaired);
}

TEST(ReaderOgr, UnknownWorkingCrsIsUsageError) {
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Areas;
  cfg.source = fixture("areas_bowtie.geojson");
  ReadOptions o;
  o.working_crs = "EPSG:999999";
  EXPECT_THROW(readAreas(cfg, o), UsageError);
}

}  // namespace
}  // namespace trygg::data
