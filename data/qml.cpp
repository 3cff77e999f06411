// QML generators and checks; see data/qml.hpp. The element and property names
// follow what QGIS 3.22 writes (QgsVectorLayer::exportNamedStyle,
// QgsSymbolLayerUtils::saveSymbol, QgsPalLayerSettings::writeXml,
// QgsSingleBandPseudoColorRenderer::writeXml).
#include "data/qml.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <utility>

#include <cpl_error.h>
#include <cpl_minixml.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "core/category.hpp"
#include "core/error.hpp"

namespace trygg::data {
namespace {

constexpr const char* kQgisVersion = "3.22.16-Białowieża";
constexpr const char* kMapUnitScale = "3x:0,0,0,0,0,0";

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) { return fmt::format("{}", v); }

struct Rgba {
  int r = 0, g = 0, b = 0, a = 255;
  std::string qgis() const { return fmt::format("{},{},{},{}", r, g, b, a); }
  std::string hex() const { return fmt::format("#{:02x}{:02x}{:02x}", r, g, b); }
};

Rgba parseColour(const std::string& c) {
  auto bad = [&] { throwUsageError("QGIS style: colour '{}' is not #rrggbb or #rrggbbaa", c); };
  if (!(c.size() == 7 || c.size() == 9) || c[0] != '#') bad();
  int v[4] = {0, 0, 0, 255};
  for (std::size_t i = 0; i + 1 < c.size(); i += 2) {
    const std::string part = c.substr(i + 1, 2);
    if (!std::isxdigit(static_cast<unsigned char>(part[0])) || !std::isxdigit(static_cast<unsigned char>(part[1])))
      bad();
    v[i / 2] = std::stoi(part, nullptr, 16);
  }
  return {v[0], v[1], v[2], v[3]};
}

Rgba withAlpha(Rgba c, int a) {
  c.a = a;
  return c;
}

Rgba darker(Rgba c, double f = 0.6) {
  c.r = static_cast<int>(c.r * f);
  c.g = static_cast<int>(c.g * f);
  c.b = static_cast<int>(c.b * f);
  return c;
}

using Props = std::vector<std::pair<std::string, std::string>>;

// A symbol layer's properties as QGIS 3.22 writes them: an <Option> map and
// the same as <prop> elements.
std::string propsXml(const Props& props, const std::string& indent) {
  std::string s = indent + "<Option type=\"Map\">\n";
  for (const auto& [k, v] : props)
    s += indent + " <Option value=\"" + esc(v) + "\" type=\"QString\" name=\"" + esc(k) + "\"/>\n";
  s += indent + "</Option>\n";
  for (const auto& [k, v] : props) s += indent + "<prop k=\"" + esc(k) + "\" v=\"" + esc(v) + "\"/>\n";
  return s;
}

#define TRYGG_EMPTY_OPTION_MAP                                                                \
  "<Option type=\"Map\"><Option value=\"\" type=\"QString\" name=\"name\"/><Option name=\"properties\"/>" \
  "<Option value=\"collection\" type=\"QString\" name=\"type\"/></Option>"
constexpr const char* kEmptyDdp = "<data_defined_properties>" TRYGG_EMPTY_OPTION_MAP "</data_defined_properties>";
constexpr const char* kEmptyDdProps = "<dd_properties>" TRYGG_EMPTY_OPTION_MAP "</dd_properties>";
#undef TRYGG_EMPTY_OPTION_MAP

enum class SymbolKind { Marker, Line, Fill };

SymbolKind symbolKind(GeomType g) {
  switch (g) {
    case GeomType::Point: return SymbolKind::Marker;
    case GeomType::LineString: return SymbolKind::Line;
    case GeomType::Polygon:
    case GeomType::MultiPolygon: return SymbolKind::Fill;
    case GeomType::None:
      throwUsageError("QGIS style: an attribute table has no geometry to draw; store no style for it");
    case GeomType::Geometry:
      throwUsageError(
          "QGIS style: a layer of mixed geometry types cannot have one symbol type; "
          "write one layer per geometry type (points, lines, polygons)");
  }
  return SymbolKind::Marker;
}

int layerGeometryType(SymbolKind k) { return k == SymbolKind::Marker ? 0 : k == SymbolKind::Line ? 1 : 2; }

// How one symbol looks; built per renderer from a colour.
struct SymbolLook {
  Rgba colour;
  double size = 2.0;          // marker diameter (mm)
  double line_width = 0.5;    // line width / polygon outline width (mm)
  bool outline_only = false;  // polygons: no fill, outline in `colour`
  bool no_outline = false;    // polygons / markers: no outline at all
  int fill_alpha = 255;       // polygons: fill opacity 0..255 when filled
};

std::string symbolXml(SymbolKind kind, const std::string& name, const SymbolLook& look) {
  std::string type, cls;
  Props p;
  switch (kind) {
    case SymbolKind::Marker:
      type = "marker";
      cls = "SimpleMarker";
      p = {{"angle", "0"},
           {"color", look.colour.qgis()},
           {"horizontal_anchor_point", "1"},
           {"joinstyle", "bevel"},
           {"name", "circle"},
           {"offset", "0,0"},
           {"offset_map_unit_scale", kMapUnitScale},
           {"offset_unit", "MM"},
           {"outline_color", darker(look.colour, 0.45).qgis()},
           {"outline_style", look.no_outline ? "no" : "solid"},
           {"outline_width", "0.1"},
           {"outline_width_map_unit_scale", kMapUnitScale},
           {"outline_width_unit", "MM"},
           {"scale_method", "diameter"},
           {"size", num(look.size)},
           {"size_map_unit_scale", kMapUnitScale},
           {"size_unit", "MM"},
           {"vertical_anchor_point", "1"}};
      break;
    case SymbolKind::Line:
      type = "line";
      cls = "SimpleLine";
      p = {{"capstyle", "round"},
           {"customdash", "5;2"},
           {"customdash_unit", "MM"},
           {"joinstyle", "round"},
           {"line_color", look.colour.qgis()},
           {"line_style", "solid"},
           {"line_width", num(look.line_width)},
           {"line_width_unit", "MM"},
           {"offset", "0"},
           {"offset_map_unit_scale", kMapUnitScale},
           {"offset_unit", "MM"},
           {"use_custom_dash", "0"},
           {"width_map_unit_scale", kMapUnitScale}};
      break;
    case SymbolKind::Fill: {
      type = "fill";
      cls = "SimpleFill";
      const Rgba fill = look.outline_only ? withAlpha(look.colour, 0) : withAlpha(look.colour, look.fill_alpha);
      const Rgba outline = look.outline_only ? look.colour : darker(look.colour, 0.55);
      p = {{"border_width_map_unit_scale", kMapUnitScale},
           {"color", fill.qgis()},
           {"joinstyle", "bevel"},
           {"offset", "0,0"},
           {"offset_map_unit_scale", kMapUnitScale},
           {"offset_unit", "MM"},
           // "No outline" is drawn as a hairline in the fill colour: with no pen at
           // all, anti-aliasing leaves pale seams between adjacent grid cells.
           {"outline_color", look.no_outline ? fill.qgis() : outline.qgis()},
           {"outline_style", "solid"},
           {"outline_width", look.no_outline ? "0" : num(look.line_width)},
           {"outline_width_unit", "MM"},
           {"style", look.outline_only ? "no" : "solid"}};
      break;
    }
  }
  std::string s = "   <symbol force_rhr=\"0\" clip_to_extent=\"1\" alpha=\"1\" type=\"" + type + "\" name=\"" +
                  esc(name) + "\">\n";
  s += std::string("    ") + kEmptyDdp + "\n";
  s += "    <layer class=\"" + cls + "\" pass=\"0\" enabled=\"1\" locked=\"0\">\n";
  s += propsXml(p, "     ");
  s += std::string("     ") + kEmptyDdp + "\n";
  s += "    </layer>\n   </symbol>\n";
  return s;
}

std::string labelingXml(const QmlLabel& l, SymbolKind kind) {
  const Rgba c = parseColour(l.colour);
  // placement: 1 = over the (inside) centroid for polygons, 0 = around a
  // point, 2 = parallel along a line (QgsPalLayerSettings::Placement).
  const char* placement = kind == SymbolKind::Fill ? "1" : kind == SymbolKind::Line ? "2" : "0";
  std::string s;
  s += " <labeling type=\"simple\">\n  <settings calloutType=\"simple\">\n";
  s += "   <text-style fieldName=\"" + esc(l.field) +
       "\" isExpression=\"0\" fontSize=\"" + num(l.size_pt) +
       "\" fontSizeUnit=\"Point\" fontSizeMapUnitScale=\"3x:0,0,0,0,0,0\" textColor=\"" + c.qgis() +
       "\" textOpacity=\"1\" fontWeight=\"50\" fontItalic=\"0\" fontUnderline=\"0\" fontStrikeout=\"0\" "
       "fontLetterSpacing=\"0\" fontWordSpacing=\"0\" fontKerning=\"1\" blendMode=\"0\" multilineHeight=\"1\" "
       "allowHtml=\"0\" capitalization=\"0\" textOrientation=\"horizontal\" previewBkgrdColor=\"255,255,255,255\" "
       "useSubstitutions=\"0\" namedStyle=\"\" legendString=\"Aa\">\n";
  s += std::string("    <text-buffer bufferDraw=\"") + (l.buffer ? "1" : "0") +
       "\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferSizeMapUnitScale=\"3x:0,0,0,0,0,0\" "
       "bufferColor=\"255,255,255,255\" bufferOpacity=\"0.85\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" "
       "bufferBlendMode=\"0\"/>\n";
  s += "    <text-mask maskEnabled=\"0\" maskType=\"0\" maskSize=\"1.5\" maskSizeUnits=\"MM\" maskOpacity=\"1\" "
       "maskJoinStyle=\"128\" maskSizeMapUnitScale=\"3x:0,0,0,0,0,0\" maskedSymbolLayers=\"\"/>\n";
  s += "    <background shapeDraw=\"0\"/>\n    <shadow shadowDraw=\"0\"/>\n    <substitutions/>\n";
  s += "   </text-style>\n";
  s += "   <text-format wrapChar=\"\" autoWrapLength=\"0\" useMaxLineLengthForAutoWrap=\"1\" multilineAlign=\"3\" "
       "addDirectionSymbol=\"0\" formatNumbers=\"0\" decimals=\"3\" plussign=\"0\"/>\n";
  s += std::string("   <placement placement=\"") + placement +
       "\" placementFlags=\"10\" centroidWhole=\"0\" centroidInside=\"1\" fitInPolygonOnly=\"0\" dist=\"1\" "
       "distUnits=\"MM\" distMapUnitScale=\"3x:0,0,0,0,0,0\" priority=\"5\" quadOffset=\"4\" xOffset=\"0\" "
       "yOffset=\"0\" offsetUnits=\"MM\" offsetType=\"0\" rotationAngle=\"0\" repeatDistance=\"0\" "
       "repeatDistanceUnits=\"MM\" maxCurvedCharAngleIn=\"25\" maxCurvedCharAngleOut=\"-25\" "
       "preserveRotation=\"1\" overrunDistance=\"0\" overrunDistanceUnit=\"MM\" "
       "polygonPlacementFlags=\"2\" lineAnchorPercent=\"0.5\" lineAnchorType=\"0\" "
       "geometryGeneratorEnabled=\"0\" geometryGenerator=\"\" geometryGeneratorType=\"PointGeometry\" "
       "layerType=\"" +
       (kind == SymbolKind::Fill ? "PolygonGeometry" : kind == SymbolKind::Line ? "LineGeometry" : "PointGeometry") +
       "\"/>\n";
  s += "   <rendering drawLabels=\"1\" scaleVisibility=\"0\" scaleMin=\"0\" scaleMax=\"0\" fontLimitPixelSize=\"0\" "
       "fontMinPixelSize=\"0\" fontMaxPixelSize=\"10000\" upsidedownLabels=\"0\" labelPerPart=\"0\" "
       "mergeLines=\"0\" minFeatureSize=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" obstacle=\"1\" "
       "obstacleFactor=\"1\" obstacleType=\"1\" zIndex=\"0\" displayAll=\"0\" unplacedVisibility=\"0\"/>\n";
  s += std::string("   ") + kEmptyDdProps + "\n";
  s += "  </settings>\n </labeling>\n";
  return s;
}

std::string vectorDocument(const std::string& renderer, SymbolKind kind, const QmlLabel* label) {
  std::string s = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  s += std::string("<qgis version=\"") + kQgisVersion +
       "\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"" + (label ? "1" : "0") +
       "\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\" "
       "symbologyReferenceScale=\"-1\">\n";
  s += renderer;
  if (label) s += labelingXml(*label, kind);
  s += " <blendMode>0</blendMode>\n <featureBlendMode>0</featureBlendMode>\n <layerOpacity>1</layerOpacity>\n";
  s += " <layerGeometryType>" + std::to_string(layerGeometryType(kind)) + "</layerGeometryType>\n</qgis>\n";
  return s;
}

SymbolLook lookFor(SymbolKind kind, const std::string& colour, double point_size, bool outline_only) {
  SymbolLook look;
  look.colour = parseColour(colour);
  look.size = point_size > 0 ? point_size : 2.0;
  if (kind == SymbolKind::Line) look.line_width = 0.6;
  if (kind == SymbolKind::Fill) {
    look.outline_only = outline_only;
    look.line_width = outline_only ? 0.8 : 0.26;
    look.fill_alpha = 200;
  }
  return look;
}

// Full precision, shortest round-trip ("0.24999999999999997"): a rounded limit
// would move a value on the edge into the wrong class.
std::string exactNum(double v) { return fmt::format("{}", v); }

// The graduated renderer's class attribute: the field, NULL mapped to `sentinel`.
std::string nullSafeAttr(const std::string& field, double sentinel) {
  std::string q = "\"";
  for (char c : field) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return "coalesce(" + q + "\", " + exactNum(sentinel) + ")";
}

void requireField(const std::string& field, const char* what) {
  if (field.empty()) throwUsageError("QGIS style: the {} renderer needs a field name", what);
}

std::string categorizedWith(GeomType geom, const std::string& field, const std::vector<QmlCategory>& cats,
                            const QmlLabel* label, const std::function<SymbolLook(const std::string&)>& look) {
  const SymbolKind kind = symbolKind(geom);
  requireField(field, "categorized");
  if (cats.empty()) throwUsageError("QGIS style: a categorized style on '{}' needs at least one category", field);
  std::vector<QmlCategory> all = cats;
  // NULL and values without a category draw grey instead of vanishing.
  if (std::none_of(all.begin(), all.end(), [](const QmlCategory& c) { return c.value.empty(); }))
    all.push_back({"", "No value / other", kColourNotAssessed});
  const std::vector<QmlCategory>& cats_ = all;
  std::string r = " <renderer-v2 type=\"categorizedSymbol\" attr=\"" + esc(field) +
                  "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" referencescale=\"-1\">\n";
  r += "  <categories>\n";
  for (std::size_t i = 0; i < cats_.size(); ++i)
    r += "   <category value=\"" + esc(cats_[i].value) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
         esc(cats_[i].label) + "\" render=\"true\"/>\n";
  r += "  </categories>\n  <symbols>\n";
  for (std::size_t i = 0; i < cats_.size(); ++i) r += symbolXml(kind, std::to_string(i), look(cats_[i].colour));
  r += "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vectorDocument(r, kind, label);
}

std::string graduatedWith(GeomType geom, const std::string& field, const std::vector<QmlRange>& ranges_in,
                          const QmlLabel* label, const std::function<SymbolLook(const std::string&)>& look,
                          const std::string& null_label) {
  const SymbolKind kind = symbolKind(geom);
  requireField(field, "graduated");
  if (ranges_in.empty()) throwUsageError("QGIS style: a graduated style on '{}' needs at least one range", field);
  for (const auto& rg : ranges_in)
    if (!(rg.lower <= rg.upper))
      throwUsageError("QGIS style: range '{}' on '{}' has lower {} above upper {}", rg.label, field, rg.lower,
                      rg.upper);
  // NULL draws as a sentinel value below every range, in a grey class of its own.
  double lowest = ranges_in.front().lower;
  for (const auto& rg : ranges_in) lowest = std::min(lowest, rg.lower);
  const double sentinel = std::floor(lowest) - 1;
  std::vector<QmlRange> ranges = ranges_in;
  ranges.push_back({sentinel, sentinel, null_label, kColourNotAssessed});
  const std::string attr_expr = nullSafeAttr(field, sentinel);
  std::string r = " <renderer-v2 type=\"graduatedSymbol\" attr=\"" + esc(attr_expr) +
                  "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" "
                  "forceraster=\"0\" referencescale=\"-1\">\n  <ranges>\n";
  for (std::size_t i = 0; i < ranges.size(); ++i)
    r += "   <range symbol=\"" + std::to_string(i) + "\" lower=\"" + exactNum(ranges[i].lower) +
         "\" upper=\"" + exactNum(ranges[i].upper) + "\" label=\"" + esc(ranges[i].label) +
         "\" render=\"true\"/>\n";
  r += "  </ranges>\n  <symbols>\n";
  for (std::size_t i = 0; i < ranges.size(); ++i) r += symbolXml(kind, std::to_string(i), look(ranges[i].colour));
  r += "  </symbols>\n";
  r += "  <mode name=\"manual\"/>\n  <symmetricMode enabled=\"false\" symmetryPoint=\"0\" astride=\"false\"/>\n";
  r += "  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vectorDocument(r, kind, label);
}

}  // namespace

std::string qmlCategorized(GeomType geom, const std::string& field, const std::vector<QmlCategory>& cats,
                           const QmlLabel* label, double point_size, bool outline_only_polygons) {
  const SymbolKind kind = symbolKind(geom);
  return categorizedWith(geom, field, cats, label, [&](const std::string& c) {
    return lookFor(kind, c, point_size, outline_only_polygons);
  });
}

std::string qmlGraduated(GeomType geom, const std::string& field, const std::vector<QmlRange>& ranges,
                         const QmlLabel* label, double point_size, bool outline_only_polygons,
                         const std::string& null_label) {
  const SymbolKind kind = symbolKind(geom);
  return graduatedWith(
      geom, field, ranges, label,
      [&](const std::string& c) { return lookFor(kind, c, point_size, outline_only_polygons); }, null_label);
}

std::string qmlSingle(GeomType geom, const std::string& colour, bool outline_only, const QmlLabel* label,
                      double size) {
  const SymbolKind kind = symbolKind(geom);
  SymbolLook look = lookFor(kind, colour, kind == SymbolKind::Marker ? size : 0, outline_only);
  if (kind != SymbolKind::Marker && size > 0) look.line_width = size;
  std::string r =
      " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" "
      "referencescale=\"-1\">\n  <symbols>\n";
  r += symbolXml(kind, "0", look);
  r += "  </symbols>\n  <rotation/>\n  <sizescale/>\n </renderer-v2>\n";
  return vectorDocument(r, kind, label);
}

std::string legendNumber(double v) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  if (v == 0) return "0";
  const double mag = std::floor(std::log10(std::fabs(v)));
  const int decimals = std::max(0, static_cast<int>(1 - mag));
  const double step = std::pow(10.0, mag - 1);
  double r = std::round(v / step) * step;
  std::string s = fmt::format("{:.{}f}", r, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  // Thousands separated by a (narrow) space, as in Swedish and SI usage.
  const auto dot = s.find('.');
  std::string whole = s.substr(0, dot == std::string::npos ? s.size() : dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot);
  const bool neg = !whole.empty() && whole[0] == '-';
  if (neg) whole.erase(0, 1);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += "\u202f";
    grouped += whole[i];
  }
  return (neg ? "-" : "") + grouped + frac;
}

std::string qmlRasterPseudocolor(double min, double max, const std::vector<QmlRampStop>& stops_in,
                                 double nodata, const std::string& unit) {
  if (!(min < max)) throwUsageError("QGIS raster style: min {} must be below max {}", min, max);
  std::vector<QmlRampStop> stops = stops_in;
  if (stops.empty()) {
    // Heat ramp (ColorBrewer YlOrRd), transparent at min so empty cells vanish.
    const double w = max - min;
    stops = {{min, "#ffffb2", 0.0, legendNumber(min) + " (transparent)"},
             {min + 0.02 * w, "#ffffb2", 0.0},  // a faint haze of far-away kernels stays invisible
             {min + 0.1 * w, "#fecc5c", 0.75},
             {min + 0.35 * w, "#fd8d3c", 0.85},
             {min + 0.65 * w, "#f03b20", 0.9},
             {max, "#bd0026", 0.95}};
  }
  std::stable_sort(stops.begin(), stops.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
  for (auto& st : stops)
    if (st.label.empty()) st.label = legendNumber(st.value);
  if (!unit.empty() && !stops.empty()) stops.back().label += " " + unit;
  std::string s = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
  s += std::string("<qgis version=\"") + kQgisVersion +
       "\" styleCategories=\"Symbology\" hasScaleBasedVisibilityFlag=\"0\" minScale=\"1e+08\" maxScale=\"0\">\n";
  s += " <pipe>\n";
  s += "  <provider>\n   <resampling enabled=\"false\" maxOversampling=\"2\" "
       "zoomedInResamplingMethod=\"nearestNeighbour\" zoomedOutResamplingMethod=\"nearestNeighbour\"/>\n"
       "  </provider>\n";
  s += "  <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"1\" alphaBand=\"-1\" "
       "nodataColor=\"\" classificationMin=\"" +
       num(min) + "\" classificationMax=\"" + num(max) + "\">\n";
  s += "   <rasterTransparency>\n    <singleValuePixelList>\n     <pixelListEntry min=\"" + num(nodata) +
       "\" max=\"" + num(nodata) + "\" percentTransparent=\"100\"/>\n    </singleValuePixelList>\n"
       "   </rasterTransparency>\n";
  if (std::isnan(nodata)) {
    // NaN NoData: the GeoTIFF's own NoData flag makes those cells transparent.
    const std::string from = "   <rasterTransparency>";
    s.erase(s.find(from));
    s += "   <rasterTransparency/>\n";
  }
  s += "   <minMaxOrigin>\n    <limits>None</limits>\n    <extent>WholeRaster</extent>\n"
       "    <statAccuracy>Estimated</statAccuracy>\n    <cumulativeCutLower>0.02</cumulativeCutLower>\n"
       "    <cumulativeCutUpper>0.98</cumulativeCutUpper>\n    <stdDevFactor>2</stdDevFactor>\n"
       "   </minMaxOrigin>\n";
  s += "   <rastershader>\n    <colorrampshader colorRampType=\"INTERPOLATED\" classificationMode=\"1\" clip=\"0\" "
       "labelPrecision=\"2\" minimumValue=\"" +
       num(min) + "\" maximumValue=\"" + num(max) + "\">\n";
  for (const auto& st : stops) {
    const Rgba c = parseColour(st.colour);
    const int alpha = static_cast<int>(std::lround(std::clamp(st.opacity, 0.0, 1.0) * 255));
    s += "     <item value=\"" + num(st.value) + "\" color=\"" + c.hex() + "\" alpha=\"" + std::to_string(alpha) +
         "\" label=\"" + esc(st.label) + "\"/>\n";
  }
  // QGIS 3.18+ draws an interpolated ramp as one continuous legend bar labelled
  // with the ramp's minimum and maximum: rounded, the maximum with the unit.
  s += "     <rampLegendSettings orientation=\"2\" direction=\"0\" useContinuousLegend=\"1\" prefix=\"\" "
       "suffix=\"\" minimumLabel=\"" +
       esc(legendNumber(min)) + "\" maximumLabel=\"" + esc(stops.empty() ? legendNumber(max) : stops.back().label) +
       "\">\n      <numericFormat id=\"basic\">\n       <Option type=\"Map\">\n"
       "        <Option name=\"decimal_separator\" type=\"QChar\" value=\"\"/>\n"
       "        <Option name=\"decimals\" type=\"int\" value=\"2\"/>\n"
       "        <Option name=\"rounding_type\" type=\"int\" value=\"1\"/>\n"
       "        <Option name=\"show_plus\" type=\"bool\" value=\"false\"/>\n"
       "        <Option name=\"show_thousand_separator\" type=\"bool\" value=\"true\"/>\n"
       "        <Option name=\"show_trailing_zeros\" type=\"bool\" value=\"false\"/>\n"
       "        <Option name=\"thousand_separator\" type=\"QChar\" value=\"\"/>\n"
       "       </Option>\n      </numericFormat>\n     </rampLegendSettings>\n";
  s += "    </colorrampshader>\n   </rastershader>\n  </rasterrenderer>\n";
  s += "  <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  s += "  <huesaturation saturation=\"0\" grayscaleMode=\"0\" invertColors=\"0\" colorizeOn=\"0\" "
       "colorizeRed=\"255\" colorizeGreen=\"128\" colorizeBlue=\"128\" colorizeStrength=\"100\"/>\n";
  s += "  <rasterresampler maxOversampling=\"2\"/>\n  <resamplingStage>resamplingFilter</resamplingStage>\n";
  s += " </pipe>\n <blendMode>0</blendMode>\n</qgis>\n";
  return s;
}

// ---------------------------------------------------------------- presets

std::vector<QmlCategory> giBinCategories() {
  return {{"-3", "Cold spot, 99 % confidence", "#2166ac"}, {"-2", "Cold spot, 95 % confidence", "#67a9cf"},
          {"-1", "Cold spot, 90 % confidence", "#d1e5f0"}, {"0", "Not significant", "#d9d9d9"},
          {"1", "Hot spot, 90 % confidence", "#fddbc7"},   {"2", "Hot spot, 95 % confidence", "#ef8a62"},
          {"3", "Hot spot, 99 % confidence", "#b2182b"}};
}

std::string qmlHotspotGiBin(GeomType geom, const std::string& field) {
  const SymbolKind kind = symbolKind(geom);
  return categorizedWith(geom, field, giBinCategories(), nullptr, [&](const std::string& c) {
    SymbolLook look = lookFor(kind, c, 2.0, false);
    look.fill_alpha = 255;
    look.no_outline = kind == SymbolKind::Fill;  // grid cells: a mosaic, no lines
    return look;
  });
}

std::vector<QmlCategory> trafficLightCategories() {
  return {{"red", "Red: must be fixed", kColourRed},
          {"yellow", "Yellow: watch", kColourYellow},
          {"green", "Green: good", kColourGreen},
          {"not_assessed", "Not assessed", kColourNotAssessed},
          {"", "Other / no value", kColourNotAssessed}};
}

std::string qmlTrafficLight(GeomType geom, const std::string& field, const QmlLabel* label, double point_size) {
  return qmlCategorized(geom, field, trafficLightCategories(), label, point_size, false);
}

std::vector<QmlCategory> incidentCategories(bool swedish_labels) {
  std::vector<QmlCategory> cats;
  for (const auto& info : categoryTable())
    cats.push_back({std::string(info.id), std::string(swedish_labels ? info.label_sv : info.label_en),
                    std::string(info.colour)});
  return cats;
}

std::string qmlIncidentCategories(GeomType geom, const std::string& field, double point_size, bool swedish_labels) {
  const SymbolKind kind = symbolKind(geom);
  return categorizedWith(geom, field, incidentCategories(swedish_labels), nullptr, [&](const std::string& c) {
    SymbolLook look = lookFor(kind, c, point_size, false);
    look.no_outline = kind == SymbolKind::Marker;  // thousands of points: outlines only add clutter
    return look;
  });
}

std::vector<QmlRange> observationRatingRanges() {
  // Integer ratings 0..20; QGIS takes the first range with lower <= v <= upper.
  return {{0, 4, "0–4 alarming", "#d7191c"},   {4, 8, "5–8", "#fdae61"}, {8, 12, "9–12", "#ffffbf"},
          {12, 16, "13–16", "#a6d96a"}, {16, 20, "17–20 good", "#1a9641"}};
}

std::string qmlObservationRating(GeomType geom, const std::string& field, double point_size) {
  return qmlGraduated(geom, field, observationRatingRanges(), nullptr, point_size, false);
}

std::vector<QmlRange> shareImprovedRanges(double goal) {
  if (!(goal > 0 && goal < 1)) throwUsageError("QGIS style: the improvement goal must be in (0, 1), got {}", goal);
  const double below = std::nextafter(goal, 0.0);  // the goal itself counts as reached
  const double mid = goal + (1 - goal) / 2;
  return {{0, below / 2, fmt::format("0–{:.0f} %", below / 2 * 100), "#d7191c"},
          {below / 2, below, fmt::format("{:.0f}–{:.0f} % (below the goal)", below / 2 * 100, goal * 100), "#fdae61"},
          {below, mid, fmt::format("{:.0f}–{:.0f} % (goal reached)", goal * 100, mid * 100), "#a6d96a"},
          {mid, 1, fmt::format("{:.0f}–100 %", mid * 100), "#1a9641"}};
}

std::string qmlShareImproved(GeomType geom, const std::string& field, double goal, const QmlLabel* label) {
  return qmlGraduated(geom, field, shareImprovedRanges(goal), label, 3.0, false, "Not assessed (no coloured pairs)");
}

std::vector<QmlCategory> measureStatusCategories() {
  return {{"planned", "Planned", kColourPlanned},
          {"started", "Started", kColourStarted},
          {"done", "Done", kColourDone},
          {"", "Other / no status", kColourNotAssessed}};
}

std::string qmlMeasureStatus(GeomType geom, const std::string& field, double point_size, bool outline_only_polygons) {
  return qmlCategorized(geom, field, measureStatusCategories(), nullptr, point_size, outline_only_polygons);
}

std::vector<QmlRange> countRanges(double max) {
  // Whole-number class limits; QGIS puts a value on a limit in the lower class,
  // so the labels of integer counts read 0–9, 10–18, ...
  const double step = std::max(1.0, std::ceil(std::max(max, 0.0) / 5));
  static const char* kRamp[] = {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"};
  std::vector<QmlRange> out;
  for (int i = 0; i < 5; ++i) {
    const double lo = i * step, hi = (i + 1) * step;
    out.push_back({lo, hi, i == 0 ? fmt::format("0–{:.0f}", hi) : fmt::format("{:.0f}–{:.0f}", lo + 1, hi),
                   kRamp[i]});
  }
  return out;
}

std::string qmlCountChoropleth(GeomType geom, const std::string& field, double max, const QmlLabel* label) {
  return qmlGraduated(geom, field, countRanges(max), label, 3.0, false);
}

std::string qmlAreas(const std::string& name_field) {
  QmlLabel label{.field = name_field, .size_pt = 10, .colour = "#252525"};
  return qmlSingle(GeomType::MultiPolygon, "#3a3a3a", true, name_field.empty() ? nullptr : &label, 0.8);
}

std::string qmlKdeHeat(double max, double nodata) { return qmlKdeHeat(max, nodata, {}); }

std::string qmlKdeHeat(double max, double nodata, const std::string& unit) {
  if (!(max > 0)) max = 1;  // an all-zero surface: any ramp shows it as transparent
  return qmlRasterPseudocolor(0, max, {}, nodata, unit);
}

// ---------------------------------------------------------------- checks

namespace {

struct XmlDoc {
  CPLXMLNode* root = nullptr;
  explicit XmlDoc(const std::string& text) {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    root = CPLParseXMLString(text.c_str());
    CPLPopErrorHandler();
  }
  ~XmlDoc() {
    if (root) CPLDestroyXMLNode(root);
  }
  XmlDoc(const XmlDoc&) = delete;
  XmlDoc& operator=(const XmlDoc&) = delete;
  CPLXMLNode* qgis() const {
    for (CPLXMLNode* n = root; n; n = n->psNext)
      if (n->eType == CXT_Element && std::string_view(n->pszValue) == "qgis") return n;
    return nullptr;
  }
};

template <typename F>
void forChildren(const CPLXMLNode* node, std::string_view name, F&& f) {
  if (!node) return;
  for (const CPLXMLNode* c = node->psChild; c; c = c->psNext)
    if (c->eType == CXT_Element && name == c->pszValue) f(c);
}

std::string attr(const CPLXMLNode* n, const char* name) { return CPLGetXMLValue(n, name, ""); }

// A renderer's attr may be a quoted field name ("my field"); expressions are
// not something the engine writes, so they are reported.
std::string fieldOf(std::string a) {
  // coalesce("field", value): the graduated renderer's NULL-safe attribute.
  static const std::regex kCoalesce(R"re(^coalesce\(\s*("(?:[^"]|"")*"|\w+)\s*,\s*[-+0-9.eE]+\s*\)$)re");
  std::smatch m;
  if (std::regex_match(a, m, kCoalesce)) a = m[1].str();
  if (a.size() >= 2 && a.front() == '"' && a.back() == '"') {
    a = a.substr(1, a.size() - 2);
    std::string u;
    for (std::size_t i = 0; i < a.size(); ++i) {
      u += a[i];
      if (a[i] == '"' && i + 1 < a.size() && a[i + 1] == '"') ++i;
    }
    a = u;
  }
  return a;
}

}  // namespace

std::vector<std::string> checkVectorQml(const std::string& qml, const std::vector<std::string>& fields,
                                        GeomType geom) {
  std::vector<std::string> problems;
  XmlDoc doc(qml);
  if (!doc.root) return {"the QML is not well-formed XML"};
  const CPLXMLNode* q = doc.qgis();
  if (!q) return {"the QML has no <qgis> root element"};
  const std::set<std::string> have(fields.begin(), fields.end());
  auto needField = [&](const std::string& f, const std::string& role) {
    if (f.empty())
      problems.push_back(role + " names no field");
    else if (!have.count(f))
      problems.push_back(role + " uses field '" + f + "', which the layer does not have");
  };

  const CPLXMLNode* r = CPLGetXMLNode(q, "renderer-v2");
  if (!r) {
    problems.push_back("no <renderer-v2> element (no symbology)");
  } else {
    static const std::set<std::string> kKnown = {"singleSymbol", "categorizedSymbol", "graduatedSymbol",
                                                 "RuleRenderer", "heatmapRenderer", "pointCluster",
                                                 "pointDisplacement", "nullSymbol", "invertedPolygonRenderer"};
    const std::string type = attr(r, "type");
    if (!kKnown.count(type)) problems.push_back("unknown renderer type '" + type + "'");
    if (type == "categorizedSymbol" || type == "graduatedSymbol") {
      needField(fieldOf(attr(r, "attr")), type + " renderer");
      const char* list = type == "categorizedSymbol" ? "categories" : "ranges";
      int n = 0;
      forChildren(CPLGetXMLNode(r, list), type == "categorizedSymbol" ? "category" : "range",
                  [&](const CPLXMLNode*) { ++n; });
      if (n == 0) problems.push_back(type + " renderer has no " + list);
    }
    // Symbol types must fit the geometry: QGIS silently draws nothing otherwise.
    const char* want = nullptr;
    switch (geom) {
      case GeomType::Point: want = "marker"; break;
      case GeomType::LineString: want = "line"; break;
      case GeomType::Polygon:
      case GeomType::MultiPolygon: want = "fill"; break;
      case GeomType::None:
        problems.push_back("an attribute table has a renderer");
        break;
      case GeomType::Geometry: break;
    }
    int symbols = 0;
    forChildren(CPLGetXMLNode(r, "symbols"), "symbol", [&](const CPLXMLNode* s) {
      ++symbols;
      const std::string st = attr(s, "type");
      if (want && st != want)
        problems.push_back("symbol '" + attr(s, "name") + "' is a " + st + " symbol; the layer needs " + want);
    });
    if (symbols == 0 && type != "nullSymbol" && type != "heatmapRenderer")
      problems.push_back("renderer has no symbols");
  }

  // Labels: fieldName is a field unless isExpression.
  if (const CPLXMLNode* lab = CPLGetXMLNode(q, "labeling")) {
    if (attr(lab, "type") == "simple") {
      const CPLXMLNode* ts = CPLGetXMLNode(lab, "settings.text-style");
      if (!ts)
        problems.push_back("simple labelling without settings/text-style");
      else if (attr(ts, "isExpression") != "1")
        needField(fieldOf(attr(ts, "fieldName")), "labelling");
    }
  }
  return problems;
}

std::vector<std::string> checkRasterQml(const std::string& qml) {
  XmlDoc doc(qml);
  if (!doc.root) return {"the QML is not well-formed XML"};
  const CPLXMLNode* q = doc.qgis();
  if (!q) return {"the QML has no <qgis> root element"};
  const CPLXMLNode* r = CPLGetXMLNode(q, "pipe.rasterrenderer");
  if (!r) return {"no <pipe><rasterrenderer> element"};
  static const std::set<std::string> kKnown = {"singlebandpseudocolor", "singlebandgray", "multibandcolor",
                                               "paletted", "hillshade", "contour"};
  std::vector<std::string> problems;
  const std::string type = attr(r, "type");
  if (!kKnown.count(type)) problems.push_back("unknown raster renderer type '" + type + "'");
  if (type == "singlebandpseudocolor") {
    if (attr(r, "band") != "1") problems.push_back("pseudocolor renderer does not use band 1");
    int items = 0;
    forChildren(CPLGetXMLNode(r, "rastershader.colorrampshader"), "item", [&](const CPLXMLNode*) { ++items; });
    if (items < 2) problems.push_back("pseudocolor ramp has fewer than 2 items");
  }
  return problems;
}

namespace {

bool isInteger(const std::string& v) { return std::regex_match(v, std::regex(R"(^[-+]?\d+$)")); }
bool isNumber(const std::string& v) {
  return std::regex_match(v, std::regex(R"(^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$)"));
}
std::string lower(std::string v) {
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v;
}

}  // namespace

std::string adaptStyleToFields(const std::string& qml, const std::vector<FieldDef>& fields, GeomType geom,
                               const std::string& layer) {
  if (qml.empty()) return qml;
  std::vector<std::string> names;
  std::map<std::string, FieldType> types;
  for (const auto& f : fields) {
    names.push_back(f.name);
    types[f.name] = f.type;
  }
  std::vector<std::string> problems;
  std::string out = qml;
  if (geom == GeomType::None) {
    XmlDoc doc(qml);
    if (!doc.qgis()) problems.push_back("the QML has no <qgis> root element");
    if (doc.qgis() && CPLGetXMLNode(doc.qgis(), "renderer-v2")) problems.push_back("an attribute table has a renderer");
  } else {
    problems = checkVectorQml(qml, names, geom);
    XmlDoc doc(qml);
    const CPLXMLNode* r = doc.qgis() ? CPLGetXMLNode(doc.qgis(), "renderer-v2") : nullptr;
    const std::string type = r ? attr(r, "type") : "";
    const std::string field = r ? fieldOf(attr(r, "attr")) : "";
    const auto ft = types.find(field);
    if (type == "categorizedSymbol" && ft != types.end()) {
      std::vector<std::pair<std::string, std::string>> rewrites;  // old value -> new value
      forChildren(CPLGetXMLNode(r, "categories"), "category", [&](const CPLXMLNode* c) {
        const std::string v = attr(c, "value");
        if (v.empty()) return;  // NULL and all other values
        const auto bad = [&](const char* kind) {
          problems.push_back(fmt::format("category value '{}' is not {}, as field '{}' is", v, kind, field));
        };
        switch (ft->second) {
          case FieldType::Integer:
          case FieldType::Integer64:
            if (!isInteger(v)) bad("an integer");
            break;
          case FieldType::Real:
            if (!isNumber(v)) bad("a number");
            break;
          case FieldType::Boolean: {
            const std::string l = lower(v);
            if (l == "1" || l == "true")
              rewrites.emplace_back(v, "true");
            else if (l == "0" || l == "false")
              rewrites.emplace_back(v, "false");
            else
              bad("a boolean (true/false, 1/0)");
            break;
          }
          case FieldType::String:
          case FieldType::DateTime: break;
        }
      });
      for (const auto& [from, to] : rewrites) {
        if (from == to) continue;
        const std::string a = "<category value=\"" + from + "\"", b = "<category value=\"" + to + "\"";
        for (auto pos = out.find(a); pos != std::string::npos; pos = out.find(a, pos + b.size()))
          out.replace(pos, a.size(), b);
      }
    }
    if (type == "graduatedSymbol" && ft != types.end() && ft->second != FieldType::Integer &&
        ft->second != FieldType::Integer64 && ft->second != FieldType::Real)
      problems.push_back(fmt::format("graduated renderer on field '{}', which is not numeric", field));
  }
  if (!problems.empty()) {
    std::string msg;
    for (const auto& p : problems) msg += "\n  " + p;
    throw Error(fmt::format("QGIS style of layer '{}' does not fit the layer's fields:{}", layer, msg));
  }
  return out;
}

namespace {

class ReadDb {
 public:
  explicit ReadDb(const std::filesystem::path& p) {
    if (sqlite3_open_v2(p.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      throwDataError("cannot open GeoPackage '{}': {}", p.string(), msg);
    }
  }
  ~ReadDb() { sqlite3_close(m_db); }
  // Rows of text values (NULL -> "\x01NULL").
  std::vector<std::vector<std::string>> query(const std::string& sql, const std::vector<std::string>& args = {}) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> rows;
    if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) return rows;
    for (std::size_t i = 0; i < args.size(); ++i)
      sqlite3_bind_text(st, static_cast<int>(i + 1), args[i].c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* t = sqlite3_column_text(st, c);
        row.push_back(t ? reinterpret_cast<const char*>(t) : kNull);
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    return rows;
  }
  static inline const std::string kNull = "\x01NULL";

 private:
  sqlite3* m_db = nullptr;
};

GeomType geomFromGpkgName(std::string t) {
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::toupper(c); });
  if (t == "POINT" || t == "MULTIPOINT") return GeomType::Point;
  if (t == "LINESTRING" || t == "MULTILINESTRING") return GeomType::LineString;
  if (t == "POLYGON") return GeomType::Polygon;
  if (t == "MULTIPOLYGON") return GeomType::MultiPolygon;
  return GeomType::Geometry;
}

std::string quoteIdent(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

std::vector<std::string> checkStyledGpkg(const std::filesystem::path& gpkg) {
  std::vector<std::string> problems;
  if (!std::filesystem::exists(gpkg)) throwDataError("GeoPackage '{}' does not exist", gpkg.string());
  ReadDb db(gpkg);

  // The table and its schema (METHODS.md §10).
  const auto cols = db.query("PRAGMA table_info(layer_styles)");
  if (cols.empty()) return {"no layer_styles table"};
  const std::vector<std::pair<std::string, std::string>> kSchema = {
      {"id", "INTEGER"},          {"f_table_catalog", "TEXT"}, {"f_table_schema", "TEXT"},
      {"f_table_name", "TEXT"},   {"f_geometry_column", "TEXT"}, {"styleName", "TEXT"},
      {"styleQML", "TEXT"},       {"styleSLD", "TEXT"},        {"useAsDefault", "BOOLEAN"},
      {"description", "TEXT"},    {"owner", "TEXT"},           {"ui", "TEXT"},
      {"update_time", "DATETIME"}};
  if (cols.size() != kSchema.size()) {
    problems.push_back(fmt::format("layer_styles has {} columns, the schema {}", cols.size(), kSchema.size()));
  } else {
    for (std::size_t i = 0; i < cols.size(); ++i)
      if (cols[i][1] != kSchema[i].first || cols[i][2] != kSchema[i].second)
        problems.push_back(fmt::format("layer_styles column {} is {} {}, expected {} {}", i + 1, cols[i][1],
                                       cols[i][2], kSchema[i].first, kSchema[i].second));
  }
  const auto reg = db.query("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'");
  if (reg.empty())
    problems.push_back("layer_styles is not registered in gpkg_contents");
  else if (reg[0][0] != "attributes")
    problems.push_back("layer_styles is registered in gpkg_contents as '" + reg[0][0] + "', not 'attributes'");

  // Layers: name -> (geometry column, geometry type); attribute tables have "".
  struct LayerInfo {
    std::string data_type, geom_column;
    GeomType geom = GeomType::None;
  };
  std::map<std::string, LayerInfo> layers;
  for (const auto& row : db.query("SELECT c.table_name, c.data_type, g.column_name, g.geometry_type_name "
                                  "FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g "
                                  "ON g.table_name = c.table_name")) {
    LayerInfo li{row[1], row[2] == ReadDb::kNull ? "" : row[2], GeomType::None};
    if (row[3] != ReadDb::kNull) li.geom = geomFromGpkgName(row[3]);
    layers[row[0]] = li;
  }

  static const std::regex kIso(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$)");
  std::map<std::string, int> defaults;
  for (const auto& row : db.query("SELECT f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, "
                                  "update_time, f_table_catalog, f_table_schema FROM layer_styles ORDER BY id")) {
    const std::string& table = row[0];
    const std::string where = "layer_styles row for '" + table + "' (style '" + row[2] + "')";
    auto it = layers.find(table);
    if (it == layers.end()) {
      problems.push_back(where + ": no such table in gpkg_contents");
      continue;
    }
    if (row[6] != "" || row[7] != "")
      problems.push_back(where + ": f_table_catalog and f_table_schema must be '' (QGIS matches on them)");
    if (row[1] != it->second.geom_column)
      problems.push_back(where + ": f_geometry_column is '" + row[1] + "', the layer's is '" +
                         it->second.geom_column + "'");
    if (!std::regex_match(row[5], kIso))
      problems.push_back(where + ": update_time '" + row[5] + "' is not ISO 8601 YYYY-MM-DDTHH:MM:SSZ");
    const bool is_default = row[4] == "1" || row[4] == "true";
    if (is_default) ++defaults[table];
    if (row[3] == ReadDb::kNull || row[3].empty()) {
      problems.push_back(where + ": styleQML is empty (SLD-only rows are not applied)");
      continue;
    }
    std::vector<std::string> fields;
    for (const auto& c : db.query("PRAGMA table_info(" + quoteIdent(table) + ")")) fields.push_back(c[1]);
    if (it->second.data_type == "attributes") {
      XmlDoc doc(row[3]);
      if (!doc.qgis()) problems.push_back(where + ": the QML has no <qgis> root element");
      continue;  // an attribute table's style holds forms and aliases, no renderer
    }
    for (const auto& p : checkVectorQml(row[3], fields, it->second.geom)) problems.push_back(where + ": " + p);
  }
  for (const auto& [name, li] : layers) {
    if (li.data_type != "features") continue;
    const int n = defaults.count(name) ? defaults[name] : 0;
    if (n != 1)
      problems.push_back(fmt::format("layer '{}' has {} default styles (useAsDefault); it needs exactly one", name,
                                     n));
  }
  for (const auto& [name, n] : defaults)
    if (n != 1 && layers.count(name) && layers[name].data_type != "features")
      problems.push_back(fmt::format("table '{}' has {} default styles; at most one is allowed", name, n));
  return problems;
}

}  // namespace trygg::data
