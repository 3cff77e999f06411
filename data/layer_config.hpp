#pragma once
// How one input layer of the project file is read: its source, column
// mapping, CRS, time and category rules. Parsed from YAML by engine/project.cpp;
// docs/project-file.md documents every key.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/category.hpp"
#include "core/model.hpp"

namespace trygg::data {

struct LayerConfig {
  model::LayerKind kind = model::LayerKind::Incidents;
  std::string name;          // the layer's name in the project file (e.g. "police_reports")
  std::string source;        // path (relative paths already resolved) or GDAL connection ("PG:...")
  std::string layer;         // layer within the dataset (GeoPackage, PostGIS); empty = the first/only

  // Engine field -> source column name. Fields by kind (docs/project-file.md):
  //  all: id, geometry (WKT column for CSV; default: the dataset's geometry),
  //       x, y (projected coordinate columns) or lon, lat (WGS 84 degrees)
  //  areas: name;  places: name, kind;  incidents: time, time_from, time_to, category, weight
  //  observations: round, factor, rating, time, place_id, note
  //  perception: kind (pin/answer), place_id, area_id, question, value, time_of_day, gender, age_band, round, time
  //  measures: kind, status, date, radius
  std::map<std::string, std::string> columns;

  std::string crs;                 // source CRS when the file has none ("EPSG:3011"); lon/lat columns imply EPSG:4326
  std::string encoding = "auto";   // auto (UTF-8, else Windows-1252 with a warning), UTF-8, LATIN1, CP1252
  char delimiter = 0;              // CSV: 0 = detect among , ; TAB |
  char decimal = 0;                // CSV: 0 = detect ('.' or ','); ',' for Swedish spreadsheet exports
  std::string time_zone = "Europe/Stockholm";  // for times without a zone
  std::string time_format;         // strptime-style (%Y-%m-%d %H:%M) for anything not ISO 8601
  std::map<std::string, Category> category_map;  // source word (case-insensitive) -> category
  bool strict = false;             // unmapped category word: reject instead of loading as other
  std::optional<double> radius;    // places/measures: analysis/coverage radius, CRS units
  std::string rating_scale = "0-20";  // observations: 0-20, 1-5, 0-3 (Safetipin), colour
  bool rating_higher_is_better = true;
  std::string default_round;       // observations/perception without a round column
  std::string measure_kind;        // measures without a kind column (street_light, vegetation, camera)
  std::string perception_kind;     // perception without a kind column: "pin" or "answer"
  bool low_precision = false;      // source is coarse (centroids): flag every incident
  std::string filter;              // OGR attribute filter (SQL WHERE) applied by the reader
};

}  // namespace trygg::data
