#include "plugins/safety/catalogue.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"

namespace trygg::plugins::safety {

namespace sc = geo::scoring;

std::string_view groupId(Group g) {
  switch (g) {
    case Group::CrimeDisorder: return "crime_disorder";
    case Group::PhysicalEnvironment: return "physical_environment";
    case Group::PerceivedSafety: return "perceived_safety";
    case Group::LifeFunctions: return "life_functions";
  }
  return "physical_environment";
}

std::string_view sourceId(Source s) {
  switch (s) {
    case Source::Incidents: return "incidents";
    case Source::Observations: return "observations";
    case Source::Perception: return "perception";
    case Source::Overlay: return "overlay";
  }
  return "overlay";
}

namespace {
struct MetricInfo {
  Metric metric;
  const char* id;
  Source source;
};
constexpr MetricInfo kMetrics[] = {
    {Metric::IncidentsPerYear, "incidents_per_year", Source::Incidents},
    {Metric::IncidentsRelative, "incidents_relative", Source::Incidents},
    {Metric::Rating, "rating", Source::Observations},
    {Metric::SurveyMean, "survey_mean", Source::Perception},
    {Metric::PinsPerHectare, "pins_per_hectare", Source::Perception},
    {Metric::PinsRelative, "pins_relative", Source::Perception},
    {Metric::LitShare, "lit_share", Source::Overlay},
    {Metric::CoverShare, "cover_share", Source::Overlay},
    {Metric::FunctionMix, "function_mix", Source::Overlay},
};
}  // namespace

std::string_view metricId(Metric m) {
  for (const auto& i : kMetrics)
    if (i.metric == m) return i.id;
  return "rating";
}
Source sourceOf(Metric m) {
  for (const auto& i : kMetrics)
    if (i.metric == m) return i.source;
  return Source::Observations;
}
bool isCountMetric(Metric m) {
  return m == Metric::IncidentsPerYear || m == Metric::IncidentsRelative || m == Metric::PinsPerHectare ||
         m == Metric::PinsRelative;
}

int Catalogue::findFactor(std::string_view id) const {
  for (std::size_t i = 0; i < factors.size(); ++i)
    if (factors[i].id == id) return static_cast<int>(i);
  return -1;
}

namespace {

struct Parser {
  std::string file;
  std::string where(const YAML::Node& n) const {
    const auto m = n.Mark();
    return m.line < 0 ? file : fmt::format("{} line {}", file, m.line + 1);
  }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
    throw DataError(fmt::format("{}: {}", where(n), msg));
  }
  std::string str(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, fmt::format("'{}' must be a single value", key));
    return n.as<std::string>();
  }
  // A number, or a fraction "20/3" (so thirds of the scale can be written exactly).
  double num(const YAML::Node& n, const std::string& key) const {
    const std::string s = str(n, key);
    double a = 0, b = 0;
    char slash = 0;
    std::istringstream is(s);
    if (is >> a) {
      if (is.eof()) return a;
      if (is >> slash && slash == '/' && is >> b && is.eof() && b != 0) return a / b;
    }
    fail(n, fmt::format("'{}' must be a number (or a fraction like 20/3), not '{}'", key, s));
  }
  bool boolean(const YAML::Node& n, const std::string& key) const {
    const std::string s = str(n, key);
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    fail(n, fmt::format("'{}' must be true or false, not '{}'", key, s));
  }

  sc::Bands bands(const YAML::Node& n, sc::Bands b) const {
    if (!n.IsMap()) fail(n, "'bands' must be a mapping { yellow_from: <score>, green_from: <score> }");
    for (const auto& kv : n) {
      const auto k = kv.first.as<std::string>();
      if (k == "yellow_from") b.yellow_from = num(kv.second, k);
      else if (k == "green_from") b.green_from = num(kv.second, k);
      else fail(kv.first, fmt::format("unknown key '{}' in bands; use yellow_from and green_from", k));
    }
    if (auto p = b.problem(); !p.empty()) fail(n, p);
    return b;
  }

  HeadlineRule headline(const YAML::Node& n) const {
    if (!n.IsMap())
      fail(n, "'headline' must be a mapping { min_assessed: 3, red_share: 0.25, yellow_share: 0.15, green_share: 0.4 }");
    HeadlineRule h;
    for (const auto& kv : n) {
      const auto k = kv.first.as<std::string>();
      if (k == "min_assessed") {
        const double m = num(kv.second, k);
        if (m < 1 || m != std::floor(m)) fail(kv.second, "min_assessed must be a whole number >= 1");
        h.min_assessed = static_cast<int>(m);
      } else if (k == "red_share") h.red_share = num(kv.second, k);
      else if (k == "yellow_share") h.yellow_share = num(kv.second, k);
      else if (k == "green_share") h.green_share = num(kv.second, k);
      else
        fail(kv.first, fmt::format("unknown key '{}' in headline; use min_assessed, red_share, yellow_share and "
                                   "green_share", k));
    }
    for (double s : {h.red_share, h.yellow_share, h.green_share})
      if (!(s >= 0 && s <= 1)) fail(n, "headline shares must lie in 0..1");
    if (!(h.yellow_share < h.red_share))
      fail(n, fmt::format("the headline shares are out of order: need yellow_share ({}) < red_share ({})",
                          h.yellow_share, h.red_share));
    return h;
  }

  // What factor() saw besides the factor's fields; checkFactor() reads it.
  struct Seen {
    bool has_table = false, has_direction = false, has_problem_below = false;
    std::optional<Source> source;
    YAML::Node metric_node, table_node, direction_node;
  };

  Metric metric(const YAML::Node& v) const {
    const auto m = str(v, "metric");
    for (const auto& i : kMetrics)
      if (m == i.id) return i.metric;
    std::string list;
    for (const auto& i : kMetrics) list += (list.empty() ? "" : ", ") + std::string(i.id);
    fail(v, fmt::format("unknown metric '{}'; known metrics: {} (a new kind of metric needs code: "
                        "plugins/safety/factor_values.hpp)", m, list));
  }

  void guard(const YAML::Node& v, Factor& f) const {
    if (v.IsScalar()) {
      f.guard = boolean(v, "guard");
    } else if (v.IsMap()) {
      f.guard = true;
      for (const auto& g : v) {
        const auto gk = g.first.as<std::string>();
        if (gk == "min_count") f.guard_options.min_count = static_cast<std::int64_t>(num(g.second, gk));
        else if (gk == "alpha") {
          f.guard_options.alpha = num(g.second, gk);
          if (!(f.guard_options.alpha > 0 && f.guard_options.alpha < 1)) fail(g.second, "alpha must be in (0, 1)");
        } else fail(g.first, fmt::format("unknown key '{}' in guard; use min_count and alpha", gk));
      }
    } else fail(v, "'guard' is true/false or { min_count: 3, alpha: 0.05 }");
  }

  Factor factor(const YAML::Node& n, const sc::Bands& default_bands) const {
    if (!n.IsMap()) fail(n, "each factor must be a mapping with at least id, group, source, metric and table");
    Factor f;
    f.where = where(n);
    f.bands = default_bands;
    Seen seen;
    auto& [has_table, has_direction, has_problem_below, source, metric_node, table_node, direction_node] = seen;
    static const std::set<std::string> known = {
        "id", "label_sv", "label_en", "group", "source", "metric", "direction", "table", "bands", "min_evidence",
        "layer", "radius", "categories", "guard", "factor", "combine", "problem_below", "question",
        "time_of_day", "gender", "age_band", "measure_kind", "effect", "default_radius", "walk_radius", "note", "absence_is_evidence"};
    for (const auto& kv : n) {
      const auto k = kv.first.as<std::string>();
      const auto& v = kv.second;
      if (!known.count(k)) {
        std::string list;
        for (const auto& x : known) list += (list.empty() ? "" : ", ") + x;
        fail(kv.first, fmt::format("unknown key '{}' in a factor; known keys: {}", k, list));
      }
      if (k == "id") f.id = str(v, k);
      else if (k == "label_sv") f.label_sv = str(v, k);
      else if (k == "label_en") f.label_en = str(v, k);
      else if (k == "group") {
        const auto g = str(v, k);
        if (g == "crime_disorder") f.group = Group::CrimeDisorder;
        else if (g == "physical_environment") f.group = Group::PhysicalEnvironment;
        else if (g == "perceived_safety") f.group = Group::PerceivedSafety;
        else if (g == "life_functions") f.group = Group::LifeFunctions;
        else fail(v, fmt::format("unknown group '{}'; use crime_disorder, physical_environment, perceived_safety or "
                                 "life_functions", g));
      } else if (k == "source") {
        const auto s = str(v, k);
        if (s == "incidents") source = Source::Incidents;
        else if (s == "observations") source = Source::Observations;
        else if (s == "perception") source = Source::Perception;
        else if (s == "overlay" || s == "measures") source = Source::Overlay;
        else fail(v, fmt::format("unknown source '{}'; use incidents, observations, perception or overlay", s));
      } else if (k == "metric") {
        metric_node = v;
        f.metric = metric(v);
      } else if (k == "direction") {
        direction_node = v;
        has_direction = true;
        const auto d = str(v, k);
        if (d == "higher_is_worse") f.higher_is_worse = true;
        else if (d == "higher_is_better") f.higher_is_worse = false;
        else fail(v, fmt::format("direction must be higher_is_worse or higher_is_better, not '{}'", d));
      } else if (k == "table") {
        table_node = v;
        has_table = true;
        if (!v.IsSequence()) fail(v, "'table' must be a list of [raw, score] pairs, e.g. [[0, 20], [5, 0]]");
        for (const auto& row : v) {
          if (!row.IsSequence() || row.size() != 2) fail(row, "each table row must be a [raw, score] pair");
          f.table.raw.push_back(num(row[0], "raw"));
          f.table.score.push_back(num(row[1], "score"));
        }
      } else if (k == "bands") f.bands = bands(v, f.bands);
      else if (k == "absence_is_evidence") f.absence_is_evidence = boolean(v, k);
      else if (k == "min_evidence") {
        const double e = num(v, k);
        if (e < 0 || e != std::floor(e)) fail(v, "min_evidence must be a whole number >= 0");
        f.min_evidence = static_cast<std::int64_t>(e);
      } else if (k == "layer") f.layer = str(v, k);
      else if (k == "radius") {
        f.radius_m = num(v, k);
        if (!(f.radius_m > 0)) fail(v, "radius must be > 0 metres (leave it out to use each place's radius)");
      } else if (k == "categories") {
        if (!v.IsSequence()) fail(v, "'categories' must be a list of category ids, e.g. [violence, robbery]");
        for (const auto& c : v) {
          const auto id = str(c, "category");
          const auto cat = parseCategory(id);
          if (!cat) fail(c, fmt::format("unknown incident category '{}'; see docs/categories.md for the ids", id));
          f.categories[static_cast<std::size_t>(*cat)] = true;
          f.categories_text += (f.categories_text.empty() ? "" : ",") + std::string(categoryId(*cat));
        }
      } else if (k == "guard") {
        guard(v, f);
      } else if (k == "factor") f.obs_factor = str(v, k);
      else if (k == "combine") {
        const auto c = sc::parseCombine(str(v, k));
        if (!c) fail(v, "combine must be worst, mean, median or count_of_problems");
        f.combine = *c;
      } else if (k == "problem_below") {
        f.problem_below = num(v, k);
        has_problem_below = true;
      } else if (k == "question") f.question = str(v, k);
      else if (k == "time_of_day") f.time_of_day = str(v, k);
      else if (k == "gender") f.gender = str(v, k);
      else if (k == "age_band") f.age_band = str(v, k);
      else if (k == "measure_kind") f.measure_kind = str(v, k);
      else if (k == "effect") {
        const auto e = str(v, k);
        if (e == "adds") f.removes = false;
        else if (e == "removes") f.removes = true;
        else fail(v, "effect must be adds (the measure adds cover once done, e.g. lights) or removes (the polygons "
                     "count until their measure is done, e.g. vegetation to trim)");
      } else if (k == "default_radius") {
        f.default_radius_m = num(v, k);
        if (!(f.default_radius_m > 0)) fail(v, "default_radius must be > 0 metres");
      } else if (k == "walk_radius") {
        f.walk_radius_m = num(v, k);
        if (!(f.walk_radius_m > 0)) fail(v, "walk_radius must be > 0 metres");
      }
    }
    checkFactor(n, seen, f);
    return f;
  }

  // The checks and defaults that need the whole factor.
  void checkFactor(const YAML::Node& n, const Seen& seen, Factor& f) const {
    const auto& [has_table, has_direction, has_problem_below, source, metric_node, table_node, direction_node] = seen;
    if (f.id.empty()) fail(n, "a factor needs an 'id' (snake_case, unique)");
    if (!metric_node) fail(n, fmt::format("factor '{}' needs a 'metric'", f.id));
    if (!has_table) fail(n, fmt::format("factor '{}' needs a 'table' of [raw, score] pairs", f.id));
    if (f.label_en.empty()) f.label_en = f.id;
    if (f.label_sv.empty()) f.label_sv = f.label_en;
    const Source s = sourceOf(f.metric);
    if (source && *source != s)
      fail(metric_node, fmt::format("metric '{}' reads {}, but the factor says source: {}; fix one of them",
                                    metricId(f.metric), sourceId(s), sourceId(*source)));
    if (auto p = f.table.problem(); !p.empty()) fail(table_node, fmt::format("factor '{}': {}", f.id, p));
    const int dir = f.table.direction();
    if (has_direction && dir != 0) {
      if (dir == 2)
        fail(table_node, fmt::format("factor '{}': the table's scores go both up and down; with direction {} they "
                                     "must only {}", f.id, f.higher_is_worse ? "higher_is_worse" : "higher_is_better",
                                     f.higher_is_worse ? "fall" : "rise"));
      if ((dir == 1) == f.higher_is_worse)
        fail(direction_node, fmt::format("factor '{}': direction {} contradicts the table (its scores {} as the raw "
                                         "value grows); fix the direction or the table",
                                         f.id, f.higher_is_worse ? "higher_is_worse" : "higher_is_better",
                                         dir == 1 ? "rise" : "fall"));
    } else if (!has_direction) {
      f.higher_is_worse = dir == -1;
    }
    if (s == Source::Incidents) {
      bool any = false;
      for (bool b : f.categories) any = any || b;
      if (!any) fail(n, fmt::format("factor '{}' counts incidents: give 'categories' (e.g. [violence, robbery])", f.id));
    } else if (n["categories"]) {
      fail(n["categories"], fmt::format("'categories' applies to incident metrics only, not {}", metricId(f.metric)));
    }
    if (n["guard"] && !isCountMetric(f.metric))
      fail(n["guard"], fmt::format("'guard' applies to count metrics only, not {}", metricId(f.metric)));
    if (f.metric == Metric::Rating && f.obs_factor.empty()) f.obs_factor = f.id;
    if (!has_problem_below) f.problem_below = f.bands.yellow_from;
    if ((f.metric == Metric::LitShare || f.metric == Metric::CoverShare) && f.measure_kind.empty())
      f.measure_kind = f.metric == Metric::LitShare ? "street_light" : "vegetation";
    if (f.metric == Metric::CoverShare && !n["effect"]) f.removes = true;
  }
};

}  // namespace

Catalogue parseCatalogue(const std::string& text, const std::string& file) {
  Parser p{file};
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw DataError(fmt::format("{} line {}: not valid YAML: {}", file, e.mark.line + 1, e.msg));
  }
  if (!root.IsMap() || !root["factors"])
    throw DataError(fmt::format("{}: a factor catalogue is a mapping with a 'factors:' list (see docs/factors.md)", file));
  Catalogue c;
  c.file = file;
  sc::Bands default_bands;
  for (const auto& kv : root) {
    const auto k = kv.first.as<std::string>();
    if (k == "bands") default_bands = p.bands(kv.second, default_bands);
    else if (k == "headline") c.headline = p.headline(kv.second);
    else if (k != "factors" && k != "version" && k != "description")
      p.fail(kv.first,
             fmt::format("unknown key '{}'; a catalogue has version, description, bands, headline and factors", k));
  }
  const auto fs = root["factors"];
  if (!fs.IsSequence() || fs.size() == 0) p.fail(fs, "'factors' must be a non-empty list");
  std::set<std::string> ids;
  for (const auto& n : fs) {
    auto f = p.factor(n, default_bands);
    if (!ids.insert(f.id).second) p.fail(n, fmt::format("factor id '{}' appears twice; ids must be unique", f.id));
    c.factors.push_back(std::move(f));
  }
  return c;
}

Catalogue loadCatalogue(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(fmt::format("{}: cannot read the factor catalogue; check the path (catalogue: ...)", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parseCatalogue(ss.str(), path);
}

const Catalogue& defaultCatalogue() {
  static const Catalogue c = parseCatalogue(defaultCatalogueYaml(), "config/factors.yaml (built in)");
  return c;
}

}  // namespace trygg::plugins::safety
