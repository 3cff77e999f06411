#pragma once
// The domain model: what every loaded row becomes, in the working CRS.
// Words follow docs/glossary (DOMAIN.md): area, place, incident, observation
// (in an inspection round), perception, measure.
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/category.hpp"
#include "core/types.hpp"

namespace trygg::model {

enum class LayerKind : std::uint8_t { Areas, Places, Incidents, Observations, Perception, Measures };
inline constexpr LayerKind kAllLayerKinds[] = {LayerKind::Areas,        LayerKind::Places,
                                               LayerKind::Incidents,    LayerKind::Observations,
                                               LayerKind::Perception,   LayerKind::Measures};
std::string_view layerKindId(LayerKind k);  // "areas", "places", ...
std::optional<LayerKind> parseLayerKind(std::string_view id);

// A geometry in the working CRS as 2D ISO WKB (little endian), with its bbox.
struct Geometry {
  std::vector<std::uint8_t> wkb;
  BBox bbox;
  bool empty() const { return wkb.empty(); }
};

// Incident flags (bit set).
enum IncidentFlag : std::uint32_t {
  kFlagStacked = 1u << 0,       // one of many incidents on one coordinate (geocoding fallback)
  kFlagLowPrecision = 1u << 1,  // source declared or detected as coarse (e.g. centroid-only)
  kFlagTimeSpan = 1u << 2,      // time is a span from..to, not an instant
  kFlagNoTime = 1u << 3,        // no time given (kept; left out of time windows)
};

struct Area {
  std::int64_t row = 0;  // source row number (1-based data row) or FID
  std::string id;
  std::string name;
  Geometry geom;
  bool repaired = false;  // made valid by GEOS MakeValid
};

struct Place {
  std::int64_t row = 0;
  std::string id;
  std::string name;
  std::string kind;     // square, bus_stop, park, underpass, parking, school_entrance, ...
  Geometry geom;        // point or polygon
  Point anchor;         // the point itself, or a point on the polygon's surface
  double radius = 50;   // analysis radius in CRS units (metres by default)
  bool repaired = false;
};

struct Incident {
  std::int64_t row = 0;
  std::string source_id;
  Point pt;
  EpochSeconds t_from = kNoTime;  // the instant, or the start of the span
  EpochSeconds t_to = kNoTime;    // == t_from for an instant
  Category category = Category::Other;
  std::string source_category;    // the source's own word, as read
  double weight = 1.0;
  std::uint32_t flags = 0;
};

struct Observation {
  std::int64_t row = 0;
  std::string source_id;
  Point pt;
  std::string round;        // inspection round id, e.g. "baseline", "followup"
  std::string factor;       // factor id, e.g. "lighting"
  std::string rating_text;  // as written (number or colour word)
  double score = NAN;       // mapped onto 0..20 (0 alarming, 20 good)
  EpochSeconds time = kNoTime;
  std::string place_id;     // when the source names the place
  std::string note;
};

struct Perception {
  enum class Kind : std::uint8_t { Pin, Answer };
  std::int64_t row = 0;
  std::string source_id;
  Kind kind = Kind::Pin;
  bool has_point = false;
  Point pt;
  std::string place_id;     // join key when there are no coordinates
  std::string area_id;
  std::string question;     // e.g. "unsafe_after_dark"
  double value = NAN;       // survey answer on its own scale (pins: NaN)
  std::string time_of_day;  // "day", "dark", or empty
  std::string gender;       // as given, or empty
  std::string age_band;     // as given, or empty
  std::string round;
  EpochSeconds time = kNoTime;
};

struct Measure {
  std::int64_t row = 0;
  std::string id;
  std::string kind;    // street_light, vegetation, camera, other
  std::string status;  // planned, started, done
  EpochSeconds date = kNoTime;
  Geometry geom;       // point, line or polygon
  double radius = NAN; // coverage radius (street lights, cameras), CRS units
  bool repaired = false;
};

// Why a row was not loaded. Codes are stable (they appear in the rejected table).
enum class RejectReason : std::uint8_t {
  NoGeometry,        // no geometry / no coordinates
  EmptyGeometry,
  InvalidGeometry,   // invalid and MakeValid could not repair it
  WrongGeometryType, // e.g. a line in a point layer
  BadCoordinate,     // unparsable or non-finite coordinate
  BadTime,           // unparsable time
  MissingValue,      // a required column is empty
  BadValue,          // a value that cannot be parsed (rating, weight, ...)
  UnknownCategory,   // strict layer, word not in the category mapping
  OutsideExtent,     // outside the study extent
  DuplicateId,
  BadRow,            // malformed CSV row (wrong number of fields, broken quoting)
  Transform,         // CRS transformation failed
};
std::string_view rejectReasonId(RejectReason r);

struct Rejected {
  LayerKind layer = LayerKind::Incidents;
  std::string layer_name;  // the layer's name in the project file
  std::string source;      // file path or connection (without password)
  std::int64_t row = 0;    // data row number (CSV: 1 = first row after the header) or FID
  std::string raw_json;    // the raw values, as a JSON object
  RejectReason reason = RejectReason::BadRow;
  std::string message;     // full sentence: what was wrong and what to do
};

// Per-layer bookkeeping: read == loaded + rejected, always.
struct LayerCounts {
  std::string layer_name;
  LayerKind layer = LayerKind::Incidents;
  std::int64_t read = 0;
  std::int64_t loaded = 0;
  std::int64_t repaired = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> rejected_by_reason;
  std::map<std::string, std::int64_t> warnings;  // e.g. "unmapped_category:Olaga hot" -> n
  bool balanced() const { return read == loaded + rejected; }
};

}  // namespace trygg::model
