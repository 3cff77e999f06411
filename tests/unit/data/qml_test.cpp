// QML generators: every preset is well-formed, uses the renderer type QGIS
// expects and only the fields it names; the checker catches broken styles.
// When Debian's PyQGIS is installed, the styles are also loaded by QGIS 3.22
// itself (scripts/check_qml.py).
#include "data/qml.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/category.hpp"
#include "core/error.hpp"
#include "data/geotiff_writer.hpp"

using namespace trygg::data;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

std::string rendererType(const std::string& qml) {
  const auto p = qml.find("<renderer-v2 type=\"");
  if (p == std::string::npos) return "";
  const auto b = p + std::strlen("<renderer-v2 type=\"");
  return qml.substr(b, qml.find('"', b) - b);
}

}  // namespace

TEST(Qml, CategorizedPointsWithLabel) {
  const std::vector<QmlCategory> cats{{"a", "Alpha", "#ff0000"}, {"b&c", "B & \"C\"", "#00ff00"}};
  QmlLabel label{.field = "name"};
  const std::string q = qmlCategorized(GeomType::Point, "kind", cats, &label, 2.5);
  EXPECT_EQ(rendererType(q), "categorizedSymbol");
  EXPECT_TRUE(contains(q, "attr=\"kind\""));
  EXPECT_TRUE(contains(q, "value=\"b&amp;c\""));
  EXPECT_TRUE(contains(q, "label=\"B &amp; &quot;C&quot;\""));
  EXPECT_TRUE(contains(q, "<Option value=\"255,0,0,255\" type=\"QString\" name=\"color\"/>"));
  EXPECT_TRUE(contains(q, "<prop k=\"size\" v=\"2.5\"/>"));
  EXPECT_TRUE(contains(q, "labelsEnabled=\"1\""));
  EXPECT_TRUE(contains(q, "fieldName=\"name\""));
  EXPECT_TRUE(checkVectorQml(q, {"kind", "name"}, GeomType::Point).empty());
  const auto problems = checkVectorQml(q, {"kind"}, GeomType::Point);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "labelling uses field 'name', which the layer does not have");
}

TEST(Qml, GraduatedAndSingle) {
  const std::string g = qmlGraduated(GeomType::Polygon, "score", {{0, 1, "low", "#000000"}, {1, 2, "high", "#ffffff"}});
  EXPECT_EQ(rendererType(g), "graduatedSymbol");
  EXPECT_TRUE(contains(g, "lower=\"1\" upper=\"2\""));  // exact limits, never rounded
  EXPECT_TRUE(contains(g, "type=\"fill\""));
  EXPECT_TRUE(checkVectorQml(g, {"score"}, GeomType::Polygon).empty());

  const std::string s = qmlSingle(GeomType::LineString, "#123456", false, nullptr, 1.2);
  EXPECT_EQ(rendererType(s), "singleSymbol");
  EXPECT_TRUE(contains(s, "<prop k=\"line_width\" v=\"1.2\"/>"));
  EXPECT_TRUE(contains(s, "18,52,86,255"));
  EXPECT_TRUE(checkVectorQml(s, {}, GeomType::LineString).empty());

  const std::string areas = qmlAreas("name");
  EXPECT_TRUE(contains(areas, "<prop k=\"style\" v=\"no\"/>"));  // outline only
  EXPECT_TRUE(contains(areas, "labelsEnabled=\"1\""));
  EXPECT_TRUE(checkVectorQml(areas, {"fid", "name"}, GeomType::MultiPolygon).empty());
}

TEST(Qml, PresetsPassTheChecker) {
  EXPECT_TRUE(checkVectorQml(qmlHotspotGiBin(), {"gi_bin"}, GeomType::Polygon).empty());
  EXPECT_TRUE(checkVectorQml(qmlTrafficLight(), {"colour"}, GeomType::Point).empty());
  EXPECT_TRUE(checkVectorQml(qmlIncidentCategories(), {"category"}, GeomType::Point).empty());
  EXPECT_TRUE(checkVectorQml(qmlObservationRating(), {"rating"}, GeomType::Point).empty());
  EXPECT_TRUE(checkVectorQml(qmlShareImproved(), {"share_improved"}, GeomType::Polygon).empty());
  QmlLabel name{.field = "name"};
  EXPECT_TRUE(checkVectorQml(qmlCountChoropleth(GeomType::MultiPolygon, "incidents", 42, &name),
                             {"name", "incidents"}, GeomType::MultiPolygon)
                  .empty());
  const auto counts = countRanges(42);
  ASSERT_EQ(counts.size(), 5u);
  EXPECT_EQ(counts.front().lower, 0);
  EXPECT_EQ(counts.back().upper, 45);  // whole steps of 9
  EXPECT_EQ(counts[1].label, "10–18");

  EXPECT_EQ(giBinCategories().size(), 7u);
  EXPECT_EQ(incidentCategories().size(), trygg::kCategoryCount);
  EXPECT_EQ(incidentCategories(true)[0].label, "Våld");
  // The goal itself counts as reached: 0.25 falls in the first "goal reached" range.
  const auto ranges = shareImprovedRanges(0.25);
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_LT(ranges[1].upper, 0.25);
  EXPECT_LE(ranges[2].lower, 0.25);
  EXPECT_GE(ranges[2].upper, 0.25);
  EXPECT_TRUE(contains(ranges[2].label, "goal reached"));
  // Ratings: integer 4 in the first class, 5 in the second.
  const auto rr = observationRatingRanges();
  EXPECT_TRUE(rr[0].lower <= 4 && 4 <= rr[0].upper);
  EXPECT_TRUE(!(5 <= rr[0].upper) && rr[1].lower <= 5 && 5 <= rr[1].upper);
}

TEST(Qml, RasterPseudocolor) {
  const std::string q = qmlKdeHeat(12.5, -9999);
  EXPECT_TRUE(contains(q, "rasterrenderer type=\"singlebandpseudocolor\""));
  EXPECT_TRUE(contains(q, "<item value=\"0\" color=\"#ffffb2\" alpha=\"0\""));  // transparent at 0
  EXPECT_TRUE(contains(q, "<item value=\"12.5\" color=\"#bd0026\""));
  EXPECT_TRUE(contains(q, "pixelListEntry min=\"-9999\" max=\"-9999\""));
  EXPECT_TRUE(checkRasterQml(q).empty());
  EXPECT_TRUE(checkRasterQml(qmlRasterPseudocolor(0, 1, {}, std::nan(""))).empty());
  EXPECT_THROW(qmlRasterPseudocolor(1, 1, {}, 0), trygg::UsageError);
}

TEST(Qml, RefusesWhatQgisCannotDraw) {
  EXPECT_THROW(qmlSingle(GeomType::None, "#000000"), trygg::UsageError);
  EXPECT_THROW(qmlSingle(GeomType::Geometry, "#000000"), trygg::UsageError);
  EXPECT_THROW(qmlSingle(GeomType::Point, "red"), trygg::UsageError);
  EXPECT_THROW(qmlSingle(GeomType::Point, "#12345g"), trygg::UsageError);
  EXPECT_THROW(qmlCategorized(GeomType::Point, "f", {}), trygg::UsageError);
  EXPECT_THROW(qmlCategorized(GeomType::Point, "", {{"a", "a", "#000000"}}), trygg::UsageError);
  EXPECT_THROW(qmlGraduated(GeomType::Point, "f", {{2, 1, "x", "#000000"}}), trygg::UsageError);
}

TEST(Qml, CheckerCatchesBrokenXml) {
  EXPECT_EQ(checkVectorQml("<qgis><renderer-v2", {}, GeomType::Point),
            std::vector<std::string>{"the QML is not well-formed XML"});
  EXPECT_EQ(checkVectorQml("<style/>", {}, GeomType::Point),
            std::vector<std::string>{"the QML has no <qgis> root element"});
  const auto p = checkVectorQml("<qgis><renderer-v2 type=\"fancy\"/></qgis>", {}, GeomType::Point);
  EXPECT_FALSE(p.empty());
  EXPECT_EQ(p[0], "unknown renderer type 'fancy'");
  EXPECT_FALSE(checkRasterQml("<qgis/>").empty());
}

// QGIS 3.22 itself loads every style and reports the renderer it built.
TEST(Qml, QgisLoadsTheStyles) {
  const std::string script = std::string(TRYGG_SOURCE_DIR) + "/scripts/check_qml.py";
  if (std::system("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "Debian's python3-qgis is not installed; cannot load the styles in QGIS";
  const fs::path dir = fs::temp_directory_path() / ("trygg_qml_qgis_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path gpkg = dir / "styled.gpkg";
  {
    GpkgWriter w(gpkg, "EPSG:3006");
    auto pt = [](double x, double y) {
      std::vector<std::uint8_t> b(21);
      b[0] = 1;
      const std::uint32_t t = 1;
      std::memcpy(&b[1], &t, 4);
      std::memcpy(&b[5], &x, 8);
      std::memcpy(&b[13], &y, 8);
      return b;
    };
    QmlLabel lab{.field = "name"};
    auto& a = w.createLayer({.name = "areas", .geom = GeomType::Polygon, .fields = {{"name", FieldType::String}},
                             .style_qml = qmlAreas("name")});
    const std::vector<std::uint8_t> sq = {1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0};
    std::vector<std::uint8_t> poly = sq;
    for (auto [x, y] : std::vector<std::pair<double, double>>{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}) {
      const auto* px = reinterpret_cast<const std::uint8_t*>(&x);
      const auto* py = reinterpret_cast<const std::uint8_t*>(&y);
      poly.insert(poly.end(), px, px + 8);
      poly.insert(poly.end(), py, py + 8);
    }
    const std::vector<Value> an{std::string("Centrum")};
    a.add(poly, an);
    auto& i = w.createLayer({.name = "incidents", .geom = GeomType::Point, .fields = {{"category", FieldType::String}},
                             .style_qml = qmlIncidentCategories()});
    const std::vector<Value> iv{std::string("theft")};
    i.add(pt(1, 1), iv);
    auto& o = w.createLayer({.name = "observations", .geom = GeomType::Point,
                             .fields = {{"rating", FieldType::Integer}}, .style_qml = qmlObservationRating()});
    const std::vector<Value> ov{std::int64_t{3}};
    o.add(pt(2, 2), ov);
    auto& p = w.createLayer({.name = "places", .geom = GeomType::Point,
                             .fields = {{"name", FieldType::String}, {"colour", FieldType::String}},
                             .style_qml = qmlTrafficLight(GeomType::Point, "colour", &lab)});
    const std::vector<Value> pv{std::string("Torget"), std::string("yellow")};
    p.add(pt(3, 3), pv);
    auto& g = w.createLayer({.name = "gi_cells", .geom = GeomType::Polygon, .fields = {{"gi_bin", FieldType::Integer}},
                             .style_qml = qmlHotspotGiBin()});
    const std::vector<Value> gv{std::int64_t{3}};
    g.add(poly, gv);
    auto& s = w.createLayer({.name = "area_change", .geom = GeomType::Polygon,
                             .fields = {{"name", FieldType::String}, {"share_improved", FieldType::Real}},
                             .style_qml = qmlShareImproved(GeomType::Polygon, "share_improved", 0.25, &lab)});
    const std::vector<Value> sv{std::string("Centrum"), 0.3};
    s.add(poly, sv);
    w.commit();
  }
  const std::vector<float> cells{0, 1, 2, 3};
  writeGeoTiffFloat32(dir / "kde.tif", 2, 2, 0, 10, 5, cells, -9999, "EPSG:3006",
                      qmlKdeHeat(3, -9999, "incidents per km²"), {}, "Kernel density, incidents per km²",
                      "incidents per km²");
  const std::string cmd = "QT_QPA_PLATFORM=offscreen /usr/bin/python3 " + script + " " + gpkg.string() +
                          " --raster " + (dir / "kde.tif").string() + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_TRUE(pipe);
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  const int rc = ::pclose(pipe);
  EXPECT_EQ(rc, 0) << out;
  // Each layer: the stored renderer (categories + the grey "no value" class, graduated
  // ranges + the NULL range), every feature drawn, pixels painted, then OK.
  const std::string all = "\n" + out;
  auto lineOf = [&](const std::string& prefix) {
    const auto at = all.find("\n" + prefix);
    if (at == std::string::npos) return std::string();
    return all.substr(at + 1, all.find('\n', at + 1) - at - 1);
  };
  for (const char* expect :
       {"areas\tsingleSymbol\tattr=None\tclasses=None\tlabels=name\tdrawn=1/1",
        "incidents\tcategorizedSymbol\tattr=category\tclasses=14\tlabels=None\tdrawn=1/1",
        "observations\tgraduatedSymbol\tattr=coalesce(\"rating\", -1)\tclasses=6\tlabels=None\tdrawn=1/1",
        "places\tcategorizedSymbol\tattr=colour\tclasses=5\tlabels=name\tdrawn=1/1",
        "gi_cells\tcategorizedSymbol\tattr=gi_bin\tclasses=8\tlabels=None\tdrawn=1/1",
        "area_change\tgraduatedSymbol\tattr=coalesce(\"share_improved\", -1)\tclasses=5\tlabels=name\tdrawn=1/1",
        "kde\tsinglebandpseudocolor\tband=Band 1: Kernel density, incidents per km²"}) {
    const std::string line = lineOf(expect);
    EXPECT_FALSE(line.empty()) << "missing '" << expect << "' in:\n" << out;
    EXPECT_TRUE(line.ends_with("\tOK")) << line;
  }
  EXPECT_TRUE(contains(out, "3 incidents per km²")) << out;  // the legend's top label, with the unit
  fs::remove_all(dir);
}

// Styles are adapted to the layer's own fields: QGIS reads a GeoPackage boolean as
// true/false, so categories '1'/'0' would match nothing and the layer draw nothing.
TEST(Qml, BooleanCategoriesBecomeTrueFalse) {
  const std::string q = qmlCategorized(GeomType::Point, "improved", {{"1", "improved", "#1a9641"}, {"0", "not", "#9e9e9e"}});
  const std::string a = adaptStyleToFields(q, {{"improved", FieldType::Boolean}}, GeomType::Point, "t");
  EXPECT_TRUE(contains(a, "<category value=\"true\" symbol=\"0\" label=\"improved\""));
  EXPECT_TRUE(contains(a, "<category value=\"false\" symbol=\"1\" label=\"not\""));
  EXPECT_FALSE(contains(a, "<category value=\"1\""));
  // NULL and other values: the grey class added to every categorised style.
  EXPECT_TRUE(contains(a, "<category value=\"\" symbol=\"2\" label=\"No value / other\""));
  // An integer field keeps its numbers.
  EXPECT_EQ(adaptStyleToFields(q, {{"improved", FieldType::Integer}}, GeomType::Point, "t"), q);
}

TEST(Qml, StylesThatDoNotFitTheirFieldsFailLoudly) {
  const std::string q = qmlCategorized(GeomType::Point, "kind", {{"x", "x", "#000000"}});
  EXPECT_THROW(adaptStyleToFields(q, {{"other", FieldType::String}}, GeomType::Point, "t"), trygg::Error);
  EXPECT_THROW(adaptStyleToFields(q, {{"kind", FieldType::Integer}}, GeomType::Point, "t"), trygg::Error);
  EXPECT_THROW(adaptStyleToFields(q, {{"kind", FieldType::Boolean}}, GeomType::Point, "t"), trygg::Error);
  EXPECT_THROW(adaptStyleToFields(q, {{"kind", FieldType::String}}, GeomType::Polygon, "t"), trygg::Error);
  const std::string g = qmlGraduated(GeomType::Point, "kind", {{0, 1, "a", "#000000"}});
  EXPECT_THROW(adaptStyleToFields(g, {{"kind", FieldType::String}}, GeomType::Point, "t"), trygg::Error);
  EXPECT_NO_THROW(adaptStyleToFields(g, {{"kind", FieldType::Real}}, GeomType::Point, "t"));
  QmlLabel lab{.field = "name"};
  const std::string l = qmlSingle(GeomType::Point, "#000000", false, &lab);
  EXPECT_THROW(adaptStyleToFields(l, {{"kind", FieldType::String}}, GeomType::Point, "t"), trygg::Error);
  try {
    adaptStyleToFields(q, {{"kind", FieldType::Integer}}, GeomType::Point, "my_layer");
  } catch (const trygg::Error& e) {
    EXPECT_TRUE(contains(e.what(), "my_layer")) << e.what();
    EXPECT_TRUE(contains(e.what(), "'x' is not an integer")) << e.what();
  }
}

// Class limits are written exactly: an area at exactly the 25 % goal is in the goal class.
TEST(Qml, GoalClassIncludesTheGoalAndNullIsNotAssessed) {
  const std::string q = qmlShareImproved(GeomType::Polygon, "share_improved", 0.25);
  EXPECT_TRUE(contains(q, "upper=\"0.24999999999999997\" label=\"12–25 % (below the goal)\"")) << q;
  EXPECT_TRUE(contains(q, "lower=\"0.24999999999999997\"")) << q;
  EXPECT_FALSE(contains(q, "0.250000000000000"));
  EXPECT_TRUE(contains(q, "attr=\"coalesce(&quot;share_improved&quot;, -1)\"")) << q;
  EXPECT_TRUE(contains(q, "lower=\"-1\" upper=\"-1\" label=\"Not assessed (no coloured pairs)\"")) << q;
  EXPECT_TRUE(checkVectorQml(q, {"share_improved"}, GeomType::Polygon).empty());
}

TEST(Qml, MeasureStatusIsOnePalette) {
  const auto cats = measureStatusCategories();
  ASSERT_EQ(cats.size(), 4u);
  EXPECT_EQ(cats[0].value, "planned");
  EXPECT_EQ(cats[0].colour, kColourPlanned);
  EXPECT_EQ(cats[1].colour, kColourStarted);
  EXPECT_EQ(cats[2].colour, kColourDone);
  EXPECT_TRUE(checkVectorQml(qmlMeasureStatus(GeomType::MultiPolygon), {"status"}, GeomType::MultiPolygon).empty());
}

TEST(Qml, RasterLegendIsRoundedWithAUnit) {
  EXPECT_EQ(legendNumber(0), "0");
  EXPECT_EQ(legendNumber(12), "12");
  EXPECT_EQ(legendNumber(0.012345), "0.012");
  EXPECT_EQ(legendNumber(1234.5), "1\u202f200");
  EXPECT_EQ(legendNumber(-3.14159), "-3.1");
  const std::string q = qmlKdeHeat(1234.5678, -9999, "incidents per km²");
  EXPECT_TRUE(contains(q, "label=\"1\u202f200 incidents per km²\"")) << q;
  EXPECT_TRUE(contains(q, "maximumLabel=\"1\u202f200 incidents per km²\"")) << q;
  EXPECT_FALSE(contains(q, "label=\"1234.5678"));
  EXPECT_TRUE(checkRasterQml(q).empty());
}

// The draw check sees what the load check could not: a boolean categorised as '1'/'0'
// (the style of safety_incident_tests before the writer adapted styles) loads, but
// QGIS reads the field as true/false, so no feature gets its own class.
TEST(Qml, QgisDrawCheckCatchesABooleanCategorisedAsNumbers) {
  const std::string script = std::string(TRYGG_SOURCE_DIR) + "/scripts/check_qml.py";
  if (std::system("/usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "Debian's python3-qgis is not installed; cannot ask QGIS what draws";
  const fs::path dir = fs::temp_directory_path() / ("trygg_qml_bool_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path gpkg = dir / "bool.gpkg";
  {
    GpkgWriter w(gpkg, "EPSG:3006");
    auto& l = w.createLayer({.name = "tests", .geom = GeomType::Point, .fields = {{"significant", FieldType::Boolean}},
                             .style_qml = qmlCategorized(GeomType::Point, "significant",
                                                         {{"1", "significant", "#7b3294"}, {"0", "not", "#bababa"}})});
    std::vector<std::uint8_t> b(21);
    b[0] = 1;
    const std::uint32_t t = 1;
    const double x = 1, y = 2;
    std::memcpy(&b[1], &t, 4);
    std::memcpy(&b[5], &x, 8);
    std::memcpy(&b[13], &y, 8);
    const std::vector<Value> v{std::int64_t{1}};
    l.add(b, v);
    w.commit();
  }
  auto check = [&] {
    const std::string cmd = "QT_QPA_PLATFORM=offscreen /usr/bin/python3 " + script + " " + gpkg.string() + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (pipe && std::fgets(buf, sizeof buf, pipe)) out += buf;
    const int rc = pipe ? ::pclose(pipe) : -1;
    return std::make_pair(rc, out);
  };
  const auto [rc_ok, out_ok] = check();  // as written: categories true/false
  EXPECT_EQ(rc_ok, 0) << out_ok;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(gpkg.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE layer_styles SET styleQML = replace(replace(styleQML, 'value=\"true\"', "
                         "'value=\"1\"'), 'value=\"false\"', 'value=\"0\"')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const auto [rc_bad, out_bad] = check();  // the old style: categories 1/0
  EXPECT_NE(rc_bad, 0) << out_bad;
  EXPECT_TRUE(contains(out_bad, "1 features have values with no category of their own (e.g. 'true')")) << out_bad;
  fs::remove_all(dir);
}
