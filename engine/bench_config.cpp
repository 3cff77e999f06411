// Reading the bench YAML file (docs/bench.md lists every key).
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "engine/bench.hpp"
#include "engine/project.hpp"

namespace trygg::engine::bench {

namespace fs = std::filesystem;

namespace {

struct Ctx {
  fs::path file;
  std::string where(const YAML::Node& n) const { return yamlWhere(file, n); }
};

void checkKeys(const Ctx& c, const YAML::Node& node, std::string_view section,
               std::initializer_list<std::string_view> known) {
  if (!node.IsMap()) throwUsageError("{}: '{}' must be a mapping of keys to values", c.where(node), section);
  for (const auto& kv : node) {
    const auto key = kv.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end())
      throwUsageError("{}: unknown key '{}' in {}; known keys: {}", c.where(kv.first), key, section,
                      fmt::join(known, ", "));
  }
}

std::string scalar(const Ctx& c, const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar()) throwUsageError("{}: '{}' must be a single value", c.where(n), key);
  return n.as<std::string>();
}

std::vector<std::string> list(const Ctx& c, const YAML::Node& n, std::string_view key) {
  std::vector<std::string> out;
  if (n.IsScalar()) return {n.as<std::string>()};
  if (!n.IsSequence()) throwUsageError("{}: '{}' must be a list", c.where(n), key);
  for (const auto& e : n) out.push_back(scalar(c, e, key));
  return out;
}

std::string resolve(const Ctx& c, const std::string& p) {
  if (p.empty() || p.rfind("PG:", 0) == 0 || p.rfind("/vsi", 0) == 0) return p;
  const fs::path path(p);
  return path.is_absolute() ? p : (c.file.parent_path() / path).lexically_normal().string();
}

// "1 week", "2 weeks", "30 days", "1 month", "3 months", "1 year", "7" (days).
Horizon parseDuration(const Ctx& c, const YAML::Node& n, std::string_view key) {
  const auto s = scalar(c, n, key);
  Horizon h;
  h.label = s;
  const auto t = text::trim(s);
  std::size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) != 0)) ++i;
  const auto num = text::parseInt(t.substr(0, i));
  std::string unit = text::foldCase(text::trim(t.substr(i)));
  if (!num || *num <= 0)
    throwUsageError("{}: {} '{}' must be a whole positive number of days, weeks, months or years", c.where(n), key, s);
  const int v = static_cast<int>(*num);
  if (unit.empty() || unit == "d" || unit == "day" || unit == "days") h.days = v;
  else if (unit == "w" || unit == "week" || unit == "weeks") h.days = 7 * v;
  else if (unit == "m" || unit == "month" || unit == "months") h.months = v;
  else if (unit == "y" || unit == "year" || unit == "years") h.months = 12 * v;
  else throwUsageError("{}: {} '{}': unit must be days, weeks, months or years", c.where(n), key, s);
  return h;
}

// Area text "0.25 mi2", "1 km2", "5000 m2", "62500 ft2", "2 ha" -> m².
std::optional<double> parseAreaM2(std::string_view s) {
  const auto t = text::trim(s);
  std::size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) != 0 || t[i] == '.')) ++i;
  const auto v = text::parseDouble(t.substr(0, i), false);
  const auto unit = text::foldCase(text::trim(t.substr(i)));
  if (!v) return std::nullopt;
  if (unit == "m2" || unit == "m²") return *v;
  if (unit == "km2" || unit == "km²") return *v * 1e6;
  if (unit == "ha") return *v * 1e4;
  if (unit == "mi2" || unit == "mi²") return *v * 1609.344 * 1609.344;
  if (unit == "ft2" || unit == "ft²") return *v * kFootMetres * kFootMetres;
  return std::nullopt;
}

}  // namespace

std::optional<double> benchAreaM2(std::string_view s) { return parseAreaM2(s); }

BenchConfig loadBenchConfig(const fs::path& file) {
  Ctx c{file};
  std::ifstream in(file, std::ios::binary);
  if (!in) throwUsageError("{}: cannot read the bench file; check the path", file.string());
  std::stringstream ss;
  ss << in.rdbuf();
  BenchConfig cfg;
  cfg.file = file;
  cfg.yamlText = ss.str();
  YAML::Node root;
  try {
    root = YAML::Load(cfg.yamlText);
  } catch (const YAML::Exception& e) {
    throwUsageError("{}: not valid YAML: {}", file.string(), e.what());
  }
  checkKeys(c, root, "the bench file",
            {"name", "crs", "incidents", "study_area", "categories", "training", "horizons", "forecast_dates", "grid",
             "nij_limits", "coverages", "methods", "compare", "seed", "output"});
  if (root["name"]) cfg.name = scalar(c, root["name"], "name");
  if (root["crs"]) cfg.workingCrs = scalar(c, root["crs"], "crs");
  if (root["seed"]) cfg.seed = root["seed"].as<std::uint64_t>();
  if (root["output"]) cfg.outDir = resolve(c, scalar(c, root["output"], "output"));

  const auto inc = root["incidents"];
  if (!inc) throwUsageError("{}: the bench file needs an `incidents:` layer", file.string());
  checkKeys(c, inc, "incidents",
            {"source", "layer", "crs", "columns", "time_zone", "time_format", "reported_at_format",
             "reported_at_period", "filter", "delimiter", "encoding"});
  auto& L = cfg.incidents;
  if (!inc["source"]) throwUsageError("{}: incidents needs `source:`", c.where(inc));
  L.source = resolve(c, scalar(c, inc["source"], "source"));
  if (inc["layer"]) L.layer = scalar(c, inc["layer"], "layer");
  if (inc["crs"]) L.crs = scalar(c, inc["crs"], "crs");
  if (inc["time_zone"]) L.time_zone = scalar(c, inc["time_zone"], "time_zone");
  if (inc["time_format"]) L.time_format = scalar(c, inc["time_format"], "time_format");
  if (inc["reported_at_format"]) L.reported_at_format = scalar(c, inc["reported_at_format"], "reported_at_format");
  if (inc["reported_at_period"]) {
    L.reported_at_period = text::foldCase(scalar(c, inc["reported_at_period"], "reported_at_period"));
    if (L.reported_at_period != "instant" && L.reported_at_period != "day" && L.reported_at_period != "month")
      throwUsageError("{}: reported_at_period must be instant, day or month", c.where(inc["reported_at_period"]));
  }
  if (inc["filter"]) L.filter = scalar(c, inc["filter"], "filter");
  if (inc["encoding"]) L.encoding = scalar(c, inc["encoding"], "encoding");
  if (inc["delimiter"]) {
    const auto d = scalar(c, inc["delimiter"], "delimiter");
    L.delimiter = d == "tab" ? '\t' : d == "auto" ? 0 : d.size() == 1 ? d[0] : 0;
  }
  if (!inc["columns"]) throwUsageError("{}: incidents needs `columns:` (x, y or lon, lat; time; category)", c.where(inc));
  checkKeys(c, inc["columns"], "incidents.columns",
            {"x", "y", "lon", "lat", "time", "category", "weight", "reported_at", "id"});
  for (const auto& kv : inc["columns"]) L.columns[kv.first.as<std::string>()] = scalar(c, kv.second, "columns");
  if (!L.columns.count("time")) throwUsageError("{}: incidents.columns needs `time:`", c.where(inc["columns"]));
  if (!L.columns.count("category"))
    throwUsageError("{}: incidents.columns needs `category:`", c.where(inc["columns"]));

  const auto sa = root["study_area"];
  if (!sa) throwUsageError("{}: the bench file needs a `study_area:` polygon layer", file.string());
  checkKeys(c, sa, "study_area", {"source", "layer", "crs"});
  cfg.studyArea.source = resolve(c, scalar(c, sa["source"], "source"));
  if (sa["layer"]) cfg.studyArea.layer = scalar(c, sa["layer"], "layer");
  if (sa["crs"]) cfg.studyArea.crs = scalar(c, sa["crs"], "crs");

  const auto cats = root["categories"];
  if (!cats || !cats.IsMap() || cats.size() == 0)
    throwUsageError("{}: `categories:` must map output names to lists of source category words", file.string());
  for (const auto& kv : cats) cfg.categories.emplace_back(kv.first.as<std::string>(), list(c, kv.second, "categories"));

  if (root["training"]) {
    const auto h = parseDuration(c, root["training"], "training");
    cfg.trainingDays = h.days;
    cfg.trainingMonths = h.months;
  }
  if (!root["horizons"]) throwUsageError("{}: the bench file needs `horizons:` (e.g. [1 week, 1 month])", file.string());
  {
    const auto hs = root["horizons"];
    if (hs.IsScalar()) cfg.horizons.push_back(parseDuration(c, hs, "horizons"));
    else
      for (const auto& h : hs) cfg.horizons.push_back(parseDuration(c, h, "horizons"));
  }

  const auto fd = root["forecast_dates"];
  if (!fd) throwUsageError("{}: the bench file needs `forecast_dates:`", file.string());
  if (fd.IsSequence()) {
    cfg.forecastDates = list(c, fd, "forecast_dates");
  } else {
    checkKeys(c, fd, "forecast_dates", {"from", "every", "count"});
    if (!fd["from"] || !fd["every"] || !fd["count"])
      throwUsageError("{}: forecast_dates needs from, every and count (or a list of dates)", c.where(fd));
    const auto from = scalar(c, fd["from"], "from");
    const auto every = parseDuration(c, fd["every"], "every");
    const int count = fd["count"].as<int>();
    int y = 0, m = 0, d = 0;
    if (std::sscanf(from.c_str(), "%d-%d-%d", &y, &m, &d) != 3)
      throwUsageError("{}: forecast_dates.from must be YYYY-MM-DD", c.where(fd["from"]));
    for (int i = 0; i < count; ++i) {
      // Day arithmetic on the civil calendar (days_from_civil, H. Hinnant).
      auto civil = [](int yy, int mm, int dd) {
        yy -= mm <= 2;
        const int era = (yy >= 0 ? yy : yy - 399) / 400;
        const int yoe = yy - era * 400;
        const int doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
        const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
      };
      auto fromDays = [](int z, int& yy, int& mm, int& dd) {
        z += 719468;
        const int era = (z >= 0 ? z : z - 146096) / 146097;
        const int doe = z - era * 146097;
        const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const int mp = (5 * doy + 2) / 153;
        dd = doy - (153 * mp + 2) / 5 + 1;
        mm = mp < 10 ? mp + 3 : mp - 9;
        yy = yoe + era * 400 + (mm <= 2);
      };
      int yy = y, mm = m, dd = d;
      if (every.months > 0) {
        const int total = (y * 12 + (m - 1)) + i * every.months;
        yy = total / 12;
        mm = total % 12 + 1;
      } else {
        fromDays(civil(y, m, d) + i * every.days, yy, mm, dd);
      }
      cfg.forecastDates.push_back(fmt::format("{:04d}-{:02d}-{:02d}", yy, mm, dd));
    }
  }

  const auto g = root["grid"];
  if (!g) throwUsageError("{}: the bench file needs `grid:` (shape, cell)", file.string());
  checkKeys(c, g, "grid", {"shape", "cell", "rotation", "offset"});
  if (g["shape"]) cfg.grid.shape = text::foldCase(scalar(c, g["shape"], "shape"));
  if (cfg.grid.shape == "hex") cfg.grid.shape = "hexagon";
  if (cfg.grid.shape != "square" && cfg.grid.shape != "hexagon")
    throwUsageError("{}: grid.shape must be square or hexagon", c.where(g["shape"]));
  if (!g["cell"]) throwUsageError("{}: grid needs `cell:` (a length, metres unless a unit is given)", c.where(g));
  cfg.grid.cell = parseLengthMetres(scalar(c, g["cell"], "cell"), "grid.cell");  // metres until prepareBench
  if (g["rotation"]) cfg.grid.rotationDeg = g["rotation"].as<double>();
  if (g["offset"]) {
    const auto o = list(c, g["offset"], "offset");
    if (o.size() != 2) throwUsageError("{}: grid.offset must be [x, y]", c.where(g["offset"]));
    cfg.grid.offsetX = parseLengthMetres(o[0], "grid.offset");
    cfg.grid.offsetY = parseLengthMetres(o[1], "grid.offset");
  }
  if (root["nij_limits"]) cfg.nijLimits = root["nij_limits"].as<bool>();

  if (!root["coverages"]) throwUsageError("{}: the bench file needs `coverages:` (e.g. [0.5%, 1%, 0.25 mi2])", file.string());
  for (const auto& s : list(c, root["coverages"], "coverages")) {
    cfg.coverageLabels.push_back(s);
    const auto t = text::trim(s);
    if (!t.empty() && t.back() == '%') {
      const auto v = text::parseDouble(t.substr(0, t.size() - 1), false);
      if (!v || *v <= 0 || *v > 100) throwUsageError("{}: coverage '{}' must be in (0 %, 100 %]", c.where(root["coverages"]), s);
      cfg.coverages.push_back(*v / 100);
    } else if (const auto a = parseAreaM2(t)) {
      cfg.coverages.push_back(-*a);  // an area: resolved against the study area in prepareBench
    } else if (const auto v = text::parseDouble(t, false); v && *v > 0 && *v <= 1) {
      cfg.coverages.push_back(*v);
    } else {
      throwUsageError("{}: coverage '{}' must be a fraction (0.01), a percentage (1%) or an area (0.25 mi2, 1 km2)",
                      c.where(root["coverages"]), s);
    }
  }

  if (!root["methods"]) throwUsageError("{}: the bench file needs `methods:`", file.string());
  cfg.methodSpecs = list(c, root["methods"], "methods");
  for (const auto& m : cfg.methodSpecs)
    for (auto& s : expandMethodSpec(m)) cfg.settings.push_back(std::move(s));
  {
    std::vector<std::string> labels;
    for (const auto& s : cfg.settings) labels.push_back(s.label);
    std::sort(labels.begin(), labels.end());
    if (const auto it = std::adjacent_find(labels.begin(), labels.end()); it != labels.end())
      throwUsageError("{}: method setting '{}' appears twice", file.string(), *it);
  }
  if (const auto cmp = root["compare"]) {
    if (!cmp.IsSequence()) throwUsageError("{}: compare must be a list of {{a:, b:, metric:}}", c.where(cmp));
    for (const auto& e : cmp) {
      checkKeys(c, e, "compare", {"a", "b", "metric"});
      BenchConfig::Compare k;
      k.a = scalar(c, e["a"], "a");
      k.b = scalar(c, e["b"], "b");
      if (e["metric"]) k.metric = scalar(c, e["metric"], "metric");
      if (k.metric != "pai" && k.metric != "pei" && k.metric != "hit_rate")
        throwUsageError("{}: compare.metric must be pai, pei or hit_rate", c.where(e));
      cfg.compares.push_back(k);
    }
  }
  if (cfg.outDir.empty()) cfg.outDir = file.parent_path() / (cfg.name + "_results");
  return cfg;
}

}  // namespace trygg::engine::bench
