#pragma once
// QGIS styles (QML) for the engine's outputs, and a checker for styled
// GeoPackages.
//
// The generators write the QML that QGIS 3.22 (Debian 12) itself writes for
// the same renderers (compared with QgsVectorLayer::exportNamedStyle), trimmed
// to what a style needs: the renderer (renderer-v2 / rasterrenderer), its
// symbols (properties as both <Option> maps and legacy <prop> elements so older
// and newer QGIS read them) and optional simple labelling. They are stored in a
// GeoPackage's layer_styles table (data/gpkg_writer.hpp) or written beside a
// GeoTIFF as a same-name .qml (data/geotiff_writer.hpp).
//
// Colours are "#rrggbb" or "#rrggbbaa". Sizes are millimetres on the map, font
// sizes points.
#include <filesystem>
#include <string>
#include <vector>

#include "data/gpkg_writer.hpp"  // GeomType

namespace trygg::data {

struct QmlCategory {
  std::string value;   // the field's value as text ("violence", "-3"); "" = all other values
  std::string label;   // legend text
  std::string colour;  // "#rrggbb"
};

struct QmlRange {
  // QGIS puts a value v in the FIRST range with lower <= v <= upper, so a value on
  // a shared limit falls in the lower class; a class that must include its lower
  // limit (a goal) starts just below it (std::nextafter). Limits are written with
  // full precision (shortest round-trip), never rounded.
  double lower = 0;
  double upper = 0;
  std::string label;
  std::string colour;
};

struct QmlLabel {
  std::string field;             // label text = this field's value
  double size_pt = 9;
  std::string colour = "#000000";
  bool buffer = true;            // white halo
};

struct QmlRampStop {
  double value = 0;
  std::string colour;
  double opacity = 1.0;  // 0 = transparent
  std::string label = {};
};

// Renderer type="categorizedSymbol" on `field`. Polygons are filled with the
// category colour (semi-transparent) unless outline_only_polygons.
// Category values are written as the text of the value; for a Boolean field give
// "1"/"0" or "true"/"false": the GeoPackage writer rewrites them to "true"/"false",
// which is how QGIS reads GeoPackage booleans (adaptStyleToFields). Without a ""
// category (NULL and all other values) one is added, grey, "No value / other", so
// every feature draws.
// GeomType::None and GeomType::Geometry throw UsageError (no single symbol type).
std::string qmlCategorized(GeomType geom, const std::string& field, const std::vector<QmlCategory>& cats,
                           const QmlLabel* label = nullptr, double point_size = 2.0,
                           bool outline_only_polygons = false);

// Renderer type="graduatedSymbol" on `field`. NULL values draw too: the class
// attribute is the expression coalesce("field", s) with s below every range, and a
// grey range [s, s] labelled `null_label` comes last in the legend.
std::string qmlGraduated(GeomType geom, const std::string& field, const std::vector<QmlRange>& ranges,
                         const QmlLabel* label = nullptr, double point_size = 2.0,
                         bool outline_only_polygons = false, const std::string& null_label = "No value");

// Renderer type="singleSymbol": points of `colour`, lines of `colour`,
// polygons filled with `colour` or (outline_only) outlined in it.
// size: marker diameter for points, line/outline width for lines/polygons (mm).
std::string qmlSingle(GeomType geom, const std::string& colour, bool outline_only = false,
                      const QmlLabel* label = nullptr, double size = 0);

// Raster style: rasterrenderer type="singlebandpseudocolor", band 1, linear
// interpolation between the stops (sorted by value), values above the last
// stop drawn in its colour, NoData transparent. Empty stops = the heat ramp
// (transparent up to 2 % of the range, then yellow, orange, red, dark red at max).
// nodata is the raster's NoData value (also marked transparent in the style).
// unit: appended to the top stop's legend label ("120 incidents per km²"); the
// other labels are the stop values rounded to 2 significant digits.
std::string qmlRasterPseudocolor(double min, double max, const std::vector<QmlRampStop>& stops, double nodata,
                                 const std::string& unit = {});

// A value rounded for a legend: 2 significant digits, no trailing zeros
// (0.0123 -> "0.012", 1234.5 -> "1 200", 12 -> "12"), thousands separated by a space.
std::string legendNumber(double v);

// ---- presets the engine uses

// Getis-Ord Gi* confidence bins -3..3 (ArcGIS's Gi_Bin): cold spots dark blue
// (99 %) .. light blue (90 %), not significant grey, hot spots light .. dark red.
// For grid polygons: filled, no outline. Stored as an integer field.
std::string qmlHotspotGiBin(GeomType geom = GeomType::Polygon, const std::string& field = "gi_bin");
std::vector<QmlCategory> giBinCategories();

// Colour codes of the safety analysis: values "red", "yellow", "green",
// "not_assessed" (also NULL/other values, drawn grey).
std::string qmlTrafficLight(GeomType geom = GeomType::Point, const std::string& field = "colour",
                            const QmlLabel* label = nullptr, double point_size = 3.0);
std::vector<QmlCategory> trafficLightCategories();
inline constexpr const char* kColourRed = "#d7191c";
inline constexpr const char* kColourYellow = "#fdae61";
inline constexpr const char* kColourGreen = "#1a9641";
inline constexpr const char* kColourNotAssessed = "#bababa";

// Incident categories (core/category.hpp ids and colours).
std::string qmlIncidentCategories(GeomType geom = GeomType::Point, const std::string& field = "category",
                                  double point_size = 1.6, bool swedish_labels = false);
std::vector<QmlCategory> incidentCategories(bool swedish_labels = false);

// Inspection ratings 0 (alarming) .. 20 (good), graduated red -> yellow -> green.
std::string qmlObservationRating(GeomType geom = GeomType::Point, const std::string& field = "rating",
                                 double point_size = 2.6);
std::vector<QmlRange> observationRatingRanges();

// Measure status (planned / started / done): one palette for every layer that
// shows measures (measures_points/_lines/_polygons and the safety analysis's
// measure cover): planned blue, started orange, done green, other grey.
std::string qmlMeasureStatus(GeomType geom, const std::string& field = "status", double point_size = 2.4,
                             bool outline_only_polygons = false);
std::vector<QmlCategory> measureStatusCategories();
inline constexpr const char* kColourPlanned = "#2c7bb6";
inline constexpr const char* kColourStarted = "#fdae61";
inline constexpr const char* kColourDone = "#1a9641";

// Share of factors with an improved colour code (0..1), against the goal
// (Trygga Platser: 0.25): below the goal red, from the goal up greens. The goal
// itself is in the "goal reached" class (its lower limit is just below the goal).
// NULL (no coloured pairs) draws grey as "Not assessed".
std::string qmlShareImproved(GeomType geom = GeomType::Polygon, const std::string& field = "share_improved",
                             double goal = 0.25, const QmlLabel* label = nullptr);
std::vector<QmlRange> shareImprovedRanges(double goal = 0.25);

// Counts per area or cell (a per-area summary layer): 5 equal classes from 0 to
// max (rounded up to a whole number), light yellow to dark red, areas labelled when
// label is given.
std::string qmlCountChoropleth(GeomType geom, const std::string& field, double max,
                               const QmlLabel* label = nullptr);
std::vector<QmlRange> countRanges(double max);

// Delimited areas: outlined (dark grey, 0.8 mm), no fill, labelled by `name_field`.
std::string qmlAreas(const std::string& name_field = "name");

// Kernel density raster: the heat ramp from 0 (transparent) to max, legend
// labels rounded, the top one with the unit (e.g. "incidents per km²").
std::string qmlKdeHeat(double max, double nodata);
std::string qmlKdeHeat(double max, double nodata, const std::string& unit);

// ---- checks

// The style as QGIS must read it for a layer with these fields, or an Error
// (internal: the engine wrote a style that does not fit its own layer) listing
// every problem: the renderer or label field does not exist, a category value is
// of the wrong kind for its field (text on an integer field), a graduated field is
// not numeric, a symbol type does not fit the geometry. Boolean fields'
// categories "1"/"0" become "true"/"false" (QGIS reads GeoPackage booleans as
// true/false). The GeoPackage writer calls it for every styled layer.
// layer: the layer's name, for messages.
std::string adaptStyleToFields(const std::string& qml, const std::vector<FieldDef>& fields, GeomType geom,
                               const std::string& layer);

// Problems with one vector-layer QML for a layer with these fields and
// geometry: not XML, no <qgis> root, no renderer-v2 or an unknown renderer
// type, a renderer/label field missing from the layer, a symbol type that does
// not fit the geometry. Empty = fine.
std::vector<std::string> checkVectorQml(const std::string& qml, const std::vector<std::string>& fields,
                                        GeomType geom);
// The same for a raster QML (a rasterrenderer of a known type, band 1).
std::vector<std::string> checkRasterQml(const std::string& qml);

// Problems with a styled GeoPackage: the layer_styles table has the METHODS.md
// §10 schema and is registered in gpkg_contents as 'attributes'; every feature
// layer has exactly one useAsDefault style, every style row names an existing
// table and geometry column, timestamps are ISO "YYYY-MM-DDTHH:MM:SS[.fff]Z",
// and every stored QML passes checkVectorQml. Empty = fine. Throws DataError
// only when the file cannot be opened as SQLite.
std::vector<std::string> checkStyledGpkg(const std::filesystem::path& gpkg);

}  // namespace trygg::data
