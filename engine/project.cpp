#include "engine/project.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"

namespace trygg::engine {

namespace fs = std::filesystem;

std::string yamlWhere(const fs::path& file, const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.line < 0) return file.filename().string();
  return fmt::format("{} line {}", file.filename().string(), mark.line + 1);
}

namespace {

struct Ctx {
  fs::path file;
  std::string where(const YAML::Node& n) const { return yamlWhere(file, n); }
};

void checkKeys(const Ctx& c, const YAML::Node& node, std::string_view section,
               std::initializer_list<std::string_view> known) {
  if (!node.IsMap()) throwDataError("{}: '{}' must be a mapping of keys to values", c.where(node), section);
  for (const auto& kv : node) {
    const auto key = kv.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
      throwDataError("{}: unknown key '{}' in {}; known keys: {}", c.where(kv.first), key, section, list);
    }
  }
}

std::string scalar(const Ctx& c, const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar()) throwDataError("{}: '{}' must be a single value", c.where(n), key);
  return n.as<std::string>();
}

bool boolean(const Ctx& c, const YAML::Node& n, std::string_view key) {
  const auto s = text::foldCase(scalar(c, n, key));
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  throwDataError("{}: '{}' must be true or false (got '{}')", c.where(n), key, s);
}

char delimiterOf(const Ctx& c, const YAML::Node& n) {
  const auto s = scalar(c, n, "delimiter");
  if (s == "auto") return 0;
  if (s == "tab" || s == "\\t" || s == "\t") return '\t';
  if (s.size() == 1 && (s == "," || s == ";" || s == "|")) return s[0];
  throwDataError("{}: delimiter must be one of , ; | tab auto (got '{}')", c.where(n), s);
}

void parseCategories(const Ctx& c, const YAML::Node& n, data::LayerConfig& cfg) {
  // Two forms: category -> [source words], or source word -> category.
  if (!n.IsMap()) throwDataError("{}: 'categories' must map categories to lists of source words", c.where(n));
  for (const auto& kv : n) {
    const auto key = kv.first.as<std::string>();
    const auto as_cat = parseCategory(key);
    if (kv.second.IsSequence()) {
      if (!as_cat)
        throwDataError("{}: '{}' is not a trygg category; use one of the ids in docs/categories.md "
                       "(violence, robbery, sexual_offence, vandalism, graffiti, illegal_posters, littering, "
                       "drugs, disorder, burglary, theft, vehicle_crime, other)",
                       c.where(kv.first), key);
      for (const auto& w : kv.second) cfg.category_map[text::foldCase(text::trim(w.as<std::string>()))] = *as_cat;
    } else if (kv.second.IsScalar()) {
      const auto target = kv.second.as<std::string>();
      const auto cat = parseCategory(target);
      if (!cat)
        throwDataError("{}: '{}' maps to '{}', which is not a trygg category (see docs/categories.md)",
                       c.where(kv.second), key, target);
      cfg.category_map[text::foldCase(text::trim(key))] = *cat;
    } else {
      throwDataError("{}: categories.{} must be a list of source words or a category id", c.where(kv.second), key);
    }
  }
}

data::LayerConfig parseLayer(const Ctx& c, model::LayerKind kind, const YAML::Node& n, std::size_t index,
                             const fs::path& base, const std::string& default_tz) {
  const std::string section = fmt::format("layers.{}[{}]", model::layerKindId(kind), index);
  checkKeys(c, n, section,
            {"name", "source", "layer", "columns", "crs", "encoding", "delimiter", "decimal", "time_zone",
             "time_format", "categories", "strict", "radius", "rating_scale", "rating_direction", "round", "kind",
             "low_precision", "filter"});
  data::LayerConfig cfg;
  cfg.kind = kind;
  cfg.name = n["name"] ? scalar(c, n["name"], "name") : std::string(model::layerKindId(kind)) +
                                                         (index ? fmt::format("_{}", index + 1) : "");
  if (!n["source"]) throwDataError("{}: {} has no 'source'; give the file path or GDAL connection", c.where(n), section);
  auto source = scalar(c, n["source"], "source");
  if (source.rfind("PG:", 0) != 0 && source.find("://") == std::string::npos) {
    fs::path p(source);
    if (p.is_relative()) p = base / p;
    source = p.lexically_normal().string();
  }
  cfg.source = source;
  if (n["layer"]) cfg.layer = scalar(c, n["layer"], "layer");
  if (n["columns"]) {
    if (!n["columns"].IsMap()) throwDataError("{}: 'columns' must map engine fields to source columns", c.where(n["columns"]));
    for (const auto& kv : n["columns"]) cfg.columns[kv.first.as<std::string>()] = scalar(c, kv.second, "columns");
  }
  if (n["crs"]) cfg.crs = scalar(c, n["crs"], "crs");
  if (n["encoding"]) cfg.encoding = scalar(c, n["encoding"], "encoding");
  if (n["delimiter"]) cfg.delimiter = delimiterOf(c, n["delimiter"]);
  if (n["decimal"]) {
    const auto d = scalar(c, n["decimal"], "decimal");
    if (d != "." && d != "," && d != "auto")
      throwDataError("{}: decimal must be '.' or ',' (got '{}')", c.where(n["decimal"]), d);
    cfg.decimal = d == "auto" ? 0 : d[0];
  }
  cfg.time_zone = n["time_zone"] ? scalar(c, n["time_zone"], "time_zone") : default_tz;
  if (n["time_format"]) cfg.time_format = scalar(c, n["time_format"], "time_format");
  if (n["categories"]) parseCategories(c, n["categories"], cfg);
  if (n["strict"]) cfg.strict = boolean(c, n["strict"], "strict");
  if (n["radius"]) {
    try {
      cfg.radius = parseLengthMetres(scalar(c, n["radius"], "radius"), section + ".radius");
    } catch (const UsageError& e) {
      throw DataError(fmt::format("{}: {}", c.where(n["radius"]), e.what()));
    }
    if (*cfg.radius <= 0) throwDataError("{}: radius must be > 0", c.where(n["radius"]));
  }
  if (n["rating_scale"]) {
    cfg.rating_scale = scalar(c, n["rating_scale"], "rating_scale");
    static const std::set<std::string> kScales{"0-20", "1-5", "0-3", "colour", "color"};
    if (!kScales.count(cfg.rating_scale))
      throwDataError("{}: rating_scale must be 0-20, 1-5, 0-3 or colour (got '{}')", c.where(n["rating_scale"]),
                     cfg.rating_scale);
    if (cfg.rating_scale == "color") cfg.rating_scale = "colour";
  }
  if (n["rating_direction"]) {
    const auto d = scalar(c, n["rating_direction"], "rating_direction");
    if (d != "higher_is_better" && d != "lower_is_better")
      throwDataError("{}: rating_direction must be higher_is_better or lower_is_better", c.where(n["rating_direction"]));
    cfg.rating_higher_is_better = d == "higher_is_better";
  }
  if (n["round"]) cfg.default_round = scalar(c, n["round"], "round");
  if (n["kind"]) {
    const auto k = scalar(c, n["kind"], "kind");
    if (kind == model::LayerKind::Measures) cfg.measure_kind = k;
    else if (kind == model::LayerKind::Perception) {
      if (k != "pin" && k != "answer")
        throwDataError("{}: a perception layer's kind is pin or answer (got '{}')", c.where(n["kind"]), k);
      cfg.perception_kind = k;
    } else {
      throwDataError("{}: 'kind' applies to measures and perception layers only", c.where(n["kind"]));
    }
  }
  if (n["low_precision"]) cfg.low_precision = boolean(c, n["low_precision"], "low_precision");
  if (n["filter"]) cfg.filter = scalar(c, n["filter"], "filter");
  return cfg;
}

BBox parseExtent(const Ctx& c, const YAML::Node& n) {
  if (!n.IsSequence() || n.size() != 4)
    throwDataError("{}: extent must be [minx, miny, maxx, maxy] in the working CRS, or 'auto'", c.where(n));
  double v[4];
  for (int i = 0; i < 4; ++i) {
    const auto d = text::parseDouble(n[i].as<std::string>(), false);
    if (!d) throwDataError("{}: extent value '{}' is not a number", c.where(n[i]), n[i].as<std::string>());
    v[i] = *d;
  }
  if (!(v[0] < v[2] && v[1] < v[3])) throwDataError("{}: extent needs minx < maxx and miny < maxy", c.where(n));
  return {v[0], v[1], v[2], v[3]};
}

}  // namespace

std::vector<const data::LayerConfig*> Project::layersOf(model::LayerKind k) const {
  std::vector<const data::LayerConfig*> out;
  for (const auto& l : layers)
    if (l.kind == k) out.push_back(&l);
  return out;
}

Project loadProject(const fs::path& file) {
  Project p;
  p.file = fs::absolute(file);
  p.base_dir = p.file.parent_path();
  Ctx c{p.file};
  YAML::Node root;
  if (!fs::exists(p.file)) throwDataError("{}: no such project file; check the path", file.string());
  try {
    root = YAML::LoadFile(p.file.string());
  } catch (const YAML::Exception& e) {
    throwDataError("{} line {}: not valid YAML: {}; check indentation and quoting there", p.file.filename().string(),
                   e.mark.line + 1, e.msg);
  }
  if (!root.IsMap()) throwDataError("{}: the project file must be a mapping with 'project' and 'layers'", file.string());
  checkKeys(c, root, "the project file", {"project", "layers", "analyses"});

  if (const auto proj = root["project"]) {
    checkKeys(c, proj, "project",
              {"name", "crs", "extent", "extent_margin", "output", "store", "output_name", "time_zone", "stack_min", "language"});
    if (proj["name"]) p.name = scalar(c, proj["name"], "name");
    if (proj["crs"]) p.crs = scalar(c, proj["crs"], "crs");
    if (proj["extent"] && !(proj["extent"].IsScalar() && proj["extent"].as<std::string>() == "auto"))
      p.extent = parseExtent(c, proj["extent"]);
    if (proj["extent_margin"]) p.extent_margin = parseLengthMetres(scalar(c, proj["extent_margin"], "extent_margin"),
                                                                   "project.extent_margin");
    if (proj["output"]) p.output_dir = scalar(c, proj["output"], "output");
    if (proj["store"]) p.store_path = scalar(c, proj["store"], "store");
    if (proj["output_name"]) p.output_name = scalar(c, proj["output_name"], "output_name");
    if (proj["time_zone"]) p.time_zone = scalar(c, proj["time_zone"], "time_zone");
    if (proj["language"]) {
      p.language = scalar(c, proj["language"], "language");
      if (p.language != "sv" && p.language != "en")
        throwDataError("{}: language '{}': use sv (Swedish) or en (English)", c.where(proj["language"]), p.language);
    }
    if (proj["stack_min"]) {
      const auto v = text::parseInt(scalar(c, proj["stack_min"], "stack_min"));
      if (!v || *v < 2) throwDataError("{}: stack_min must be a whole number >= 2", c.where(proj["stack_min"]));
      p.stack_min = static_cast<std::size_t>(*v);
    }
  }
  if (p.name.empty()) p.name = p.file.stem().string();
  if (p.output_dir.empty()) p.output_dir = "output";
  if (p.output_dir.is_relative()) p.output_dir = p.base_dir / p.output_dir;
  if (p.store_path.empty()) p.store_path = p.output_dir / (p.output_name + ".sqlite");
  if (p.store_path.is_relative()) p.store_path = p.base_dir / p.store_path;
  p.output_dir = p.output_dir.lexically_normal();
  p.store_path = p.store_path.lexically_normal();

  const auto layers = root["layers"];
  if (!layers || !layers.IsMap())
    throwDataError("{}: no 'layers' section; a project needs at least an 'areas' layer (see docs/project-file.md)",
                   p.file.filename().string());
  for (const auto& kv : layers) {
    const auto key = kv.first.as<std::string>();
    const auto kind = model::parseLayerKind(key);
    if (!kind)
      throwDataError("{}: unknown layer kind '{}'; use areas, places, incidents, observations, perception or measures",
                     c.where(kv.first), key);
    if (kv.second.IsSequence()) {
      for (std::size_t i = 0; i < kv.second.size(); ++i)
        p.layers.push_back(parseLayer(c, *kind, kv.second[i], i, p.base_dir, p.time_zone));
    } else {
      p.layers.push_back(parseLayer(c, *kind, kv.second, 0, p.base_dir, p.time_zone));
    }
  }
  if (p.layersOf(model::LayerKind::Areas).empty())
    throwDataError("{}: no 'areas' layer; every project needs its delimited areas (polygons)", p.file.filename().string());
  {
    std::set<std::string> names;
    for (const auto& l : p.layers)
      if (!names.insert(l.name).second)
        throwDataError("{}: two layers are named '{}'; give each a unique 'name'", p.file.filename().string(), l.name);
  }

  if (const auto an = root["analyses"]) {
    if (!an.IsSequence())
      throwDataError("{}: 'analyses' must be a list of '- method: <id>' entries", c.where(an));
    std::set<std::string> names;
    for (const auto& a : an) {
      if (!a.IsMap() || !a["method"])
        throwDataError("{}: each analysis needs 'method: <id>' (see `trygg methods`)", c.where(a));
      Project::Analysis x;
      x.method = a["method"].as<std::string>();
      x.name = a["name"] ? a["name"].as<std::string>() : x.method;
      for (auto& ch : x.name)
        if (ch == '.' || ch == '-' || ch == ' ') ch = '_';
      if (!names.insert(x.name).second)
        throwDataError("{}: two analyses are named '{}'; give them distinct 'name' keys", c.where(a), x.name);
      x.params = YAML::Node(YAML::NodeType::Map);
      for (const auto& kv : a) {
        const auto k = kv.first.as<std::string>();
        if (k != "method" && k != "name") x.params[k] = kv.second;
      }
      p.analyses.push_back(std::move(x));
    }
  }
  return p;
}

}  // namespace trygg::engine
