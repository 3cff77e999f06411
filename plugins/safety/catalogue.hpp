#pragma once
// The factor catalogue of the safety analysis: which factors exist, where each
// one's value comes from, how the value becomes a 0–20 score and a colour.
// Written in YAML (config/factors.yaml ships as the default and is compiled
// into the binary, plugins/safety/default_catalogue.cpp); docs/factors.md
// documents every key. Users add factors by writing YAML; a factor whose
// metric needs new code is a new metric kind here.
#include <cmath>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/category.hpp"
#include "geo/scoring/scoring.hpp"

namespace trygg::plugins::safety {

enum class Group : std::uint8_t { CrimeDisorder, PhysicalEnvironment, PerceivedSafety, LifeFunctions };
inline constexpr std::size_t kGroupCount = 4;
std::string_view groupId(Group g);

enum class Source : std::uint8_t { Incidents, Observations, Perception, Overlay };
std::string_view sourceId(Source s);

// Metric kinds (the "computation"): each reads one source.
enum class Metric : std::uint8_t {
  IncidentsPerYear,  // incidents: count within the radius in the round's period / years
  IncidentsRelative, // incidents: count / expected (area rate × place share of the area)
  Rating,            // observations: ratings of one inspection factor, combined by a rule
  SurveyMean,        // perception: mean survey answer (own scale, e.g. 1–5)
  PinsPerHectare,    // perception: unsafe pins within the radius per hectare of the buffer
  PinsRelative,      // perception: pins / expected (area's pins × place share of the area)
  LitShare,          // overlay: share of the place buffer within a street light's radius
  CoverShare,        // overlay: share of the place buffer covered by polygons (e.g. vegetation)
  FunctionMix,       // overlay: distinct kinds of places within a walking radius
};
std::string_view metricId(Metric m);
Source sourceOf(Metric m);
bool isCountMetric(Metric m);  // counts with a Poisson expectation (guard applies)

struct Factor {
  std::string id, label_sv, label_en;
  Group group = Group::PhysicalEnvironment;
  Metric metric = Metric::Rating;
  bool higher_is_worse = false;          // documents (and is checked against) the table
  geo::scoring::ScoreTable table;
  geo::scoring::Bands bands;
  std::int64_t min_evidence = 0;         // evidence below this: too little evidence, not assessed
  std::string layer;                     // optional input layer name (must exist in the project)
  double radius_m = 0;                   // counting radius; 0 = the place's own radius
  // incidents
  std::array<bool, kCategoryCount> categories{};
  std::string categories_text;
  bool guard = false;
  geo::scoring::GuardOptions guard_options;
  // observations
  std::string obs_factor;                // the observations' factor id (default: the factor's id)
  geo::scoring::Combine combine = geo::scoring::Combine::Worst;
  double problem_below = NAN;            // count_of_problems: a rating below this is a problem (default yellow_from)
  // perception filters (empty = any)
  std::string question, time_of_day, gender, age_band;
  // overlay
  std::string measure_kind;              // street_light, vegetation, camera, ...
  bool removes = false;                  // cover_share: a polygon counts until its measure is done
  double default_radius_m = 15;          // lit_share: lights without a radius
  double walk_radius_m = 300;            // function_mix
  // No evidence (0 incidents, pins, polygons...) counts as evidence that the
  // place is fine. Without it a value with evidence 0 that would be yellow or
  // green is not assessed (red stays: e.g. no street light at all).
  bool absence_is_evidence = false;
  std::string where;                     // "factors.yaml line 12" (for messages)
};

// The headline class of a place from the share of red factors among those
// assessed (docs/factors.md "The headline colour"); the catalogue's `headline:`.
struct HeadlineRule {
  int min_assessed = 3;       // fewer assessed factors: not_assessed
  double red_share = 0.25;    // red when red / assessed >= red_share
  double yellow_share = 0.15; // yellow when red / assessed >= yellow_share
  double green_share = 0.4;   // otherwise green when green / assessed >= green_share, else yellow
};

struct Catalogue {
  std::string file;  // where it came from
  std::vector<Factor> factors;
  HeadlineRule headline;
  int findFactor(std::string_view id) const;  // -1 when absent
};

// Parses a catalogue. `file` names the source in messages ("factors.yaml").
// Throws DataError naming the file, the line and the fix for unknown keys, an
// unknown metric/source/group/category, a table out of order, cut-offs out of
// order, a table whose direction contradicts `direction`, duplicate ids.
Catalogue parseCatalogue(const std::string& yaml_text, const std::string& file);
Catalogue loadCatalogue(const std::string& path);

// The built-in catalogue (config/factors.yaml, compiled in).
const char* defaultCatalogueYaml();
const Catalogue& defaultCatalogue();

}  // namespace trygg::plugins::safety
