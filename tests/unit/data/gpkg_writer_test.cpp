// GeoPackage writer: styled layers (METHODS.md §10 layer_styles), CRS round
// trip, value types, and atomic replacement.
#include "data/gpkg_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "data/atomic_file.hpp"
#include "data/qml.hpp"

namespace fs = std::filesystem;
using namespace trygg::data;

namespace {

fs::path freshDir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("trygg_gpkg_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::vector<std::uint8_t> pointWkb(double x, double y) {
  std::vector<std::uint8_t> w(21);
  w[0] = 1;
  const std::uint32_t type = 1;
  std::memcpy(&w[1], &type, 4);
  std::memcpy(&w[5], &x, 8);
  std::memcpy(&w[13], &y, 8);
  return w;
}

std::vector<std::uint8_t> wktToWkb(const char* wkt) {
  OGRGeometry* g = nullptr;
  EXPECT_EQ(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g), OGRERR_NONE);
  std::vector<std::uint8_t> w(g->WkbSize());
  g->exportToWkb(wkbNDR, w.data(), wkbVariantIso);
  OGRGeometryFactory::destroyGeometry(g);
  return w;
}

std::vector<std::vector<std::string>> query(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::vector<std::vector<std::string>> rows;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << " " << sql;
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      const auto* t = sqlite3_column_text(st, c);
      row.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

void execSql(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(db);
}

std::vector<std::string> dirListing(const fs::path& d) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(d)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A small demo-like output: areas, incidents, observations, a summary table.
void writeDemo(const fs::path& out, const std::string& crs = "EPSG:3006") {
  GpkgWriter w(out, crs);
  QmlLabel name_label{.field = "name"};
  auto& areas = w.createLayer({.name = "areas",
                               .geom = GeomType::MultiPolygon,
                               .fields = {{"area_id", FieldType::Integer}, {"name", FieldType::String, "Namn"}},
                               .title = "Delimited areas",
                               .style_qml = qmlAreas("name")});
  const auto poly = wktToWkb("POLYGON((0 0,100 0,100 100,0 100,0 0))");
  const std::vector<Value> a1{std::int64_t{1}, std::string("Centrum")};
  areas.add(poly, a1);
  auto& inc = w.createLayer({.name = "incidents",
                             .geom = GeomType::Point,
                             .fields = {{"category", FieldType::String},
                                        {"time", FieldType::DateTime},
                                        {"weight", FieldType::Real},
                                        {"stacked", FieldType::Boolean}},
                             .style_qml = qmlIncidentCategories(GeomType::Point, "category")});
  const std::vector<Value> i1{std::string("violence"), std::int64_t{1700000000}, 1.5, std::int64_t{1}};
  const std::vector<Value> i2{std::string("graffiti"), std::monostate{}, std::monostate{}, std::int64_t{0}};
  inc.add(pointWkb(10, 20), i1);
  inc.add(pointWkb(30, 40), i2);
  auto& obs = w.createLayer({.name = "observations",
                             .geom = GeomType::Point,
                             .fields = {{"factor", FieldType::String}, {"rating", FieldType::Integer}},
                             .style_qml = qmlObservationRating(GeomType::Point, "rating")});
  const std::vector<Value> o1{std::string("lighting"), std::int64_t{7}};
  obs.add(pointWkb(50, 50), o1);
  auto& places = w.createLayer({.name = "places",
                                .geom = GeomType::Point,
                                .fields = {{"name", FieldType::String}, {"colour", FieldType::String}},
                                .style_qml = qmlTrafficLight(GeomType::Point, "colour", &name_label)});
  const std::vector<Value> p1{std::string("Torget"), std::string("red")};
  places.add(pointWkb(60, 60), p1);
  auto& summary = w.createLayer({.name = "area_summary",
                                 .geom = GeomType::None,
                                 .fields = {{"area_id", FieldType::Integer}, {"incidents", FieldType::Integer64}}});
  const std::vector<Value> s1{std::int64_t{1}, std::int64_t{2}};
  summary.add({}, s1);
  w.setMetadata("run", R"({"version":"0.1.0"})");
  w.setMetadata("crs", crs);
  w.commit();
}

}  // namespace

TEST(GpkgWriter, LayerStylesTableFollowsMethodsSection10) {
  const fs::path dir = freshDir("styles");
  const fs::path out = dir / "result.gpkg";
  writeDemo(out);
  ASSERT_TRUE(fs::exists(out));
  EXPECT_EQ(dirListing(dir), std::vector<std::string>{"result.gpkg"});

  // (a) schema, registration, one default per layer, ISO timestamps.
  const auto cols = query(out, "PRAGMA table_info(layer_styles)");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"id", "INTEGER"},        {"f_table_catalog", "TEXT"},   {"f_table_schema", "TEXT"},
      {"f_table_name", "TEXT"}, {"f_geometry_column", "TEXT"}, {"styleName", "TEXT"},
      {"styleQML", "TEXT"},     {"styleSLD", "TEXT"},          {"useAsDefault", "BOOLEAN"},
      {"description", "TEXT"},  {"owner", "TEXT"},             {"ui", "TEXT"},
      {"update_time", "DATETIME"}};
  ASSERT_EQ(cols.size(), expected.size());
  for (std::size_t i = 0; i < cols.size(); ++i) {
    EXPECT_EQ(cols[i][1], expected[i].first);
    EXPECT_EQ(cols[i][2], expected[i].second);
  }
  EXPECT_EQ(query(out, "SELECT data_type, identifier FROM gpkg_contents WHERE table_name='layer_styles'"),
            (std::vector<std::vector<std::string>>{{"attributes", "layer_styles"}}));
  EXPECT_EQ(query(out, "SELECT f_table_name, count(*) FROM layer_styles WHERE useAsDefault GROUP BY f_table_name "
                       "ORDER BY f_table_name"),
            (std::vector<std::vector<std::string>>{
                {"areas", "1"}, {"incidents", "1"}, {"observations", "1"}, {"places", "1"}}));
  const std::regex iso(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$)");
  for (const auto& row : query(out, "SELECT update_time, f_geometry_column, f_table_catalog, f_table_schema "
                                    "FROM layer_styles")) {
    EXPECT_TRUE(std::regex_match(row[0], iso)) << row[0];
    EXPECT_EQ(row[1], "geom");
    EXPECT_EQ(row[2], "");
    EXPECT_EQ(row[3], "");
  }
  // The summary table and the metadata are attribute tables.
  EXPECT_EQ(query(out, "SELECT table_name FROM gpkg_contents WHERE data_type='attributes' ORDER BY table_name"),
            (std::vector<std::vector<std::string>>{{"area_summary"}, {"layer_styles"}, {"trygg_metadata"}}));
  EXPECT_EQ(query(out, "SELECT key, value FROM trygg_metadata ORDER BY key"),
            (std::vector<std::vector<std::string>>{{"crs", "EPSG:3006"}, {"run", R"({"version":"0.1.0"})"}}));

  // (b) every stored QML parses and uses only fields the layer has.
  const auto problems = checkStyledGpkg(out);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);

  // Values read back through GDAL.
  std::unique_ptr<GDALDataset> ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR));
  ASSERT_TRUE(ds);
  OGRLayer* inc = ds->GetLayerByName("incidents");
  ASSERT_TRUE(inc);
  EXPECT_EQ(inc->GetFeatureCount(), 2);
  EXPECT_STREQ(inc->GetGeometryColumn(), "geom");
  std::unique_ptr<OGRFeature> f(inc->GetNextFeature());
  EXPECT_STREQ(f->GetFieldAsString("category"), "violence");
  EXPECT_STREQ(f->GetFieldAsString("time"), "2023/11/14 22:13:20+00");
  EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("weight"), 1.5);
  EXPECT_EQ(inc->GetLayerDefn()->GetFieldDefn(3)->GetSubType(), OFSTBoolean);
  auto* p = f->GetGeometryRef()->toPoint();
  EXPECT_DOUBLE_EQ(p->getX(), 10);
  EXPECT_DOUBLE_EQ(p->getY(), 20);
  f.reset(inc->GetNextFeature());
  EXPECT_TRUE(f->IsFieldNull(1));
  EXPECT_TRUE(f->IsFieldNull(2));
  OGRLayer* areas = ds->GetLayerByName("areas");
  EXPECT_EQ(areas->GetGeomType(), wkbMultiPolygon);
  f.reset(areas->GetNextFeature());
  EXPECT_EQ(wkbFlatten(f->GetGeometryRef()->getGeometryType()), wkbMultiPolygon);  // polygon promoted
  // The alias travels in the style (fid is field 0 for QGIS).
  EXPECT_EQ(query(out, "SELECT instr(styleQML, '<alias field=\"name\" index=\"2\" name=\"Namn\"/>') > 0 "
                       "FROM layer_styles WHERE f_table_name='areas'"),
            (std::vector<std::vector<std::string>>{{"1"}}));
  fs::remove_all(dir);
}

TEST(GpkgWriter, CrsRoundTripsIncludingFeet) {
  const fs::path dir = freshDir("crs");
  for (const int epsg : {3006, 2913, 3011}) {
    OGRSpatialReference srs;
    ASSERT_EQ(srs.importFromEPSG(epsg), OGRERR_NONE);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    const std::string wkt_s = wkt;
    CPLFree(wkt);
    const fs::path out = dir / ("crs_" + std::to_string(epsg) + ".gpkg");
    {
      GpkgWriter w(out, wkt_s);
      auto& l = w.createLayer({.name = "pts", .geom = GeomType::Point, .fields = {{"n", FieldType::Integer}}});
      const std::vector<Value> v{std::int64_t{1}};
      l.add(pointWkb(500000, 6400000), v);  // easting first, whatever the EPSG axis order
      w.commit();
    }
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* l = ds->GetLayerByName("pts");
    const OGRSpatialReference* got = l->GetSpatialRef();
    ASSERT_TRUE(got);
    EXPECT_TRUE(got->IsSame(&srs)) << epsg;
    EXPECT_STREQ(got->GetAuthorityCode(nullptr), std::to_string(epsg).c_str());
    if (epsg == 2913) {
      EXPECT_NEAR(got->GetLinearUnits(), 0.3048, 1e-9);  // international feet kept
    }
    EXPECT_EQ(query(out, "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys s JOIN "
                         "gpkg_geometry_columns g ON g.srs_id = s.srs_id"),
              (std::vector<std::vector<std::string>>{{"EPSG", std::to_string(epsg)}}));
    std::unique_ptr<OGRFeature> f(l->GetNextFeature());
    EXPECT_DOUBLE_EQ(f->GetGeometryRef()->toPoint()->getX(), 500000);  // no axis swap
  }
  fs::remove_all(dir);
}

TEST(GpkgWriter, WriterDestroyedWithoutCommitLeavesPreviousFile) {
  const fs::path dir = freshDir("atomic");
  const fs::path out = dir / "result.gpkg";
  writeDemo(out);
  const std::string before = slurp(out);
  {
    GpkgWriter w(out, "EPSG:3006");
    auto& l = w.createLayer({.name = "pts", .geom = GeomType::Point, .fields = {{"n", FieldType::Integer}}});
    for (int i = 0; i < 1000; ++i) {
      const std::vector<Value> v{std::int64_t{i}};
      l.add(pointWkb(i, i), v);
    }
    const auto names = dirListing(dir);  // the target, the temporary file (and its journal)
    EXPECT_TRUE(std::any_of(names.begin(), names.end(), [](const std::string& n) {
      return n.rfind(".result.gpkg.tmp-", 0) == 0;
    })) << ::testing::PrintToString(names);
    // destroyed here: an interrupted run
  }
  EXPECT_EQ(dirListing(dir), std::vector<std::string>{"result.gpkg"});
  EXPECT_EQ(slurp(out), before);

  // A failure mid-way (exception) behaves the same.
  try {
    GpkgWriter w(out, "EPSG:3006");
    auto& l = w.createLayer({.name = "pts", .geom = GeomType::Point, .fields = {{"n", FieldType::Integer}}});
    const std::vector<Value> too_many{std::int64_t{1}, std::int64_t{2}};
    l.add(pointWkb(0, 0), too_many);
    FAIL() << "expected a UsageError";
  } catch (const trygg::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("2 values given for 1 fields"), std::string::npos) << e.what();
  }
  EXPECT_EQ(dirListing(dir), std::vector<std::string>{"result.gpkg"});
  EXPECT_EQ(slurp(out), before);
  fs::remove_all(dir);
}

TEST(GpkgWriter, ManyFeaturesAcrossTransactionBatches) {
  const fs::path dir = freshDir("many");
  const fs::path out = dir / "many.gpkg";
  const int n = static_cast<int>(GpkgWriter::kBatch * 2 + 17);
  {
    GpkgWriter w(out, "EPSG:3006");
    // No R-tree on the big layer (keeps the test quick); a small indexed one below.
    auto& l = w.createLayer({.name = "pts",
                             .geom = GeomType::Point,
                             .fields = {{"n", FieldType::Integer64}, {"category", FieldType::String}},
                             .spatial_index = false});
    std::vector<Value> v(2);
    for (int i = 0; i < n; ++i) {
      v[0] = std::int64_t{i};
      v[1] = std::string(i % 2 ? "theft" : "violence");
      l.add(pointWkb(500000 + i % 1000, 6400000 + i / 1000), v);
    }
    EXPECT_EQ(l.count(), n);
    auto& small = w.createLayer({.name = "small", .geom = GeomType::Point});
    for (int i = 0; i < 1000; ++i) small.add(pointWkb(i, i), {});
    w.commit();
  }
  EXPECT_EQ(query(out, "SELECT count(*), sum(n) FROM pts"),
            (std::vector<std::vector<std::string>>{
                {std::to_string(n), std::to_string(static_cast<long long>(n) * (n - 1) / 2)}}));
  // The spatial index is populated where asked for.
  EXPECT_EQ(query(out, "SELECT count(*) FROM rtree_small_geom"), (std::vector<std::vector<std::string>>{{"1000"}}));
  EXPECT_EQ(query(out, "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_pts_geom'"),
            (std::vector<std::vector<std::string>>{{"0"}}));
  fs::remove_all(dir);
}

TEST(GpkgWriter, RefusesBadInput) {
  const fs::path dir = freshDir("bad");
  EXPECT_THROW(GpkgWriter(dir / "a.gpkg", ""), trygg::UsageError);
  EXPECT_THROW(GpkgWriter(dir / "a.gpkg", "not a crs"), trygg::UsageError);
  GpkgWriter w(dir / "a.gpkg", "EPSG:3006");
  EXPECT_THROW(w.createLayer({.name = "layer_styles"}), trygg::UsageError);
  auto& t = w.createLayer({.name = "t", .geom = GeomType::None, .fields = {{"a", FieldType::Integer}}});
  const std::vector<Value> v{std::int64_t{1}};
  EXPECT_THROW(t.add(pointWkb(1, 1), v), trygg::UsageError);
  EXPECT_THROW(w.createLayer({.name = "t"}), trygg::UsageError);
  auto& p = w.createLayer({.name = "p", .geom = GeomType::Point, .fields = {{"a", FieldType::Integer}}});
  const std::vector<std::uint8_t> junk{1, 2, 3};
  EXPECT_THROW(p.add(junk, v), trygg::DataError);
  fs::remove_all(dir);
}

TEST(GpkgWriter, IsoUtc) {
  EXPECT_EQ(isoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(isoUtc(1700000000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(isoUtc(-1), "1969-12-31T23:59:59Z");
}

TEST(CheckStyledGpkg, ReportsBrokenStyles) {
  const fs::path dir = freshDir("check");
  const fs::path out = dir / "bad.gpkg";
  {
    GpkgWriter w(out, "EPSG:3006");
    // The writer itself refuses styles that do not fit their layer ...
    EXPECT_THROW(w.createLayer({.name = "bad_field",
                                .geom = GeomType::Point,
                                .fields = {{"category", FieldType::String}},
                                .style_qml = qmlIncidentCategories(GeomType::Point, "kategori")}),
                 trygg::Error);
    EXPECT_THROW(w.createLayer({.name = "bad_symbol",
                                .geom = GeomType::LineString,
                                .style_qml = qmlSingle(GeomType::Point, "#ff0000")}),  // marker symbol on lines
                 trygg::Error);
    auto& l = w.createLayer({.name = "incidents",
                             .geom = GeomType::Point,
                             .fields = {{"category", FieldType::String}},
                             .style_qml = qmlIncidentCategories(GeomType::Point, "category")});
    const std::vector<Value> v{std::string("theft")};
    l.add(pointWkb(1, 1), v);
    w.createLayer({.name = "unstyled", .geom = GeomType::Point});
    w.createLayer({.name = "lines", .geom = GeomType::LineString, .style_qml = qmlSingle(GeomType::LineString, "#ff0000")});
    w.commit();
  }
  // ... so the checker is shown styles broken after the fact (another tool wrote them).
  execSql(out, "UPDATE layer_styles SET styleQML = replace(styleQML, 'attr=\"category\"', 'attr=\"kategori\"') "
               "WHERE f_table_name = 'incidents'");
  execSql(out, "UPDATE layer_styles SET styleQML = replace(styleQML, 'type=\"line\"', 'type=\"marker\"') "
               "WHERE f_table_name = 'lines'");
  auto problems = checkStyledGpkg(out);
  auto has = [&](const std::string& needle) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("uses field 'kategori', which the layer does not have")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(has("layer 'unstyled' has 0 default styles")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(has("is a marker symbol; the layer needs line")) << ::testing::PrintToString(problems);

  execSql(out, "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
               "styleName, styleQML, useAsDefault, update_time) SELECT '', '', f_table_name, f_geometry_column, "
               "'copy', styleQML, 1, '2024-01-01 10:00:00' FROM layer_styles WHERE f_table_name='incidents'");
  problems = checkStyledGpkg(out);
  EXPECT_TRUE(has("layer 'incidents' has 2 default styles")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(has("update_time '2024-01-01 10:00:00' is not ISO 8601")) << ::testing::PrintToString(problems);

  execSql(out, "DELETE FROM gpkg_contents WHERE table_name='layer_styles'");
  problems = checkStyledGpkg(out);
  EXPECT_TRUE(has("layer_styles is not registered in gpkg_contents")) << ::testing::PrintToString(problems);
  fs::remove_all(dir);
}

TEST(AtomicOutput, CommitReplacesAndDestructorDiscards) {
  const fs::path dir = freshDir("atomic_output");
  const fs::path target = dir / "summary.json";
  {
    std::ofstream(target) << "old";
  }
  {
    AtomicOutput out(target);
    EXPECT_EQ(out.tempPath().parent_path(), dir);
    EXPECT_EQ(out.tempPath().filename().string(),
              ".summary.json.tmp-" + std::to_string(::getpid()) + ".json");
    std::ofstream(out.tempPath()) << "half";
  }  // not committed
  EXPECT_EQ(slurp(target), "old");
  EXPECT_EQ(dirListing(dir), std::vector<std::string>{"summary.json"});
  {
    AtomicOutput out(target);
    std::ofstream(out.tempPath()) << "new";
    out.commit();
    EXPECT_TRUE(out.committed());
    EXPECT_THROW(out.commit(), trygg::Error);
  }
  EXPECT_EQ(slurp(target), "new");
  EXPECT_EQ(dirListing(dir), std::vector<std::string>{"summary.json"});
  // A folder that does not exist yet is created.
  {
    AtomicOutput out(dir / "sub" / "x.txt");
    std::ofstream(out.tempPath()) << "x";
    out.commit();
  }
  EXPECT_EQ(slurp(dir / "sub" / "x.txt"), "x");
  // Nothing written: commit refuses and the target is not created.
  {
    AtomicOutput out(dir / "never.txt");
    EXPECT_THROW(out.commit(), trygg::Error);
  }
  EXPECT_FALSE(fs::exists(dir / "never.txt"));
  fs::remove_all(dir);
}

TEST(GpkgWriter, SpatialIndexIsBulkLoadedValidAndMaintainedByGdal) {
  const fs::path dir = freshDir("rtree");
  const fs::path out = dir / "rtree.gpkg";
  {
    GpkgWriter w(out, "EPSG:3006");
    auto& pts = w.createLayer({.name = "pts", .geom = GeomType::Point, .fields = {{"n", FieldType::Integer}}});
    for (int i = 0; i < 5000; ++i) {
      const std::vector<Value> v{std::int64_t{i}};
      pts.add(pointWkb(500000 + (i * 37) % 4000 + 0.123, 6400000 + (i * 91) % 3000 + 0.456), v);
    }
    const std::vector<Value> v{std::int64_t{-1}};
    pts.add({}, v);  // a NULL geometry: no index entry (as GeoPackage's triggers do)
    auto& polys = w.createLayer({.name = "polys", .geom = GeomType::MultiPolygon});
    polys.add(wktToWkb("POLYGON ((0 0, 10 0, 10 5, 0 5, 0 0))"), {});
    polys.add(wktToWkb("MULTIPOLYGON (((20 20, 30 20, 30 40, 20 20)))"), {});
    w.commit();
  }
  using Rows = std::vector<std::vector<std::string>>;
  EXPECT_EQ(query(out, "SELECT rtreecheck('rtree_pts_geom'), rtreecheck('rtree_polys_geom')"), (Rows{{"ok", "ok"}}));
  EXPECT_EQ(query(out, "SELECT count(*) FROM rtree_pts_geom"), (Rows{{"5000"}}));
  // The index answers a window query exactly as a scan of the features does.
  EXPECT_EQ(query(out, "SELECT count(*) FROM rtree_pts_geom WHERE minx <= 501000 AND maxx >= 500500 AND miny <= "
                       "6401000 AND maxy >= 6400200"),
            query(out, "SELECT count(*) FROM pts WHERE n >= 0 AND 500000 + (n * 37) % 4000 + 0.123 BETWEEN 500500 AND "
                       "501000 AND 6400000 + (n * 91) % 3000 + 0.456 BETWEEN 6400200 AND 6401000"));
  EXPECT_EQ(query(out, "SELECT minx, maxx, miny, maxy FROM rtree_polys_geom WHERE id = 2"),
            (Rows{{"20.0", "30.0", "20.0", "40.0"}}));
  EXPECT_EQ(query(out, "SELECT extension_name, scope FROM gpkg_extensions WHERE table_name = 'pts'"),
            (Rows{{"gpkg_rtree_index", "write-only"}}));
  EXPECT_EQ(query(out, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_pts_geom_%'"),
            (Rows{{"6"}}));
  // GDAL sees the index and keeps it up to date through the triggers when a user edits.
  {
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpenEx(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
    ASSERT_NE(ds, nullptr);
    OGRLayer* l = ds->GetLayerByName("pts");
    ASSERT_NE(l, nullptr);
    EXPECT_TRUE(l->TestCapability(OLCFastSpatialFilter));
    l->SetSpatialFilterRect(500500, 6400200, 501000, 6401000);
    const auto in_window = l->GetFeatureCount(TRUE);
    EXPECT_EQ(std::to_string(in_window),
              query(out, "SELECT count(*) FROM rtree_pts_geom WHERE minx <= 501000 AND maxx >= 500500 AND miny <= "
                         "6401000 AND maxy >= 6400200")[0][0]);
    l->SetSpatialFilter(nullptr);
    OGRFeature* f = OGRFeature::CreateFeature(l->GetLayerDefn());
    OGRPoint p(123, 456);
    f->SetGeometry(&p);
    EXPECT_EQ(l->CreateFeature(f), OGRERR_NONE);
    OGRFeature::DestroyFeature(f);
    GDALClose(ds);
  }
  EXPECT_EQ(query(out, "SELECT rtreecheck('rtree_pts_geom'), count(*) FROM rtree_pts_geom"), (Rows{{"ok", "5001"}}));
  fs::remove_all(dir);
}
