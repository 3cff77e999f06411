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
const char* shapeOf(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a mapping";
  return "a value";
}
}  // namespace

std::string yamlScalar(const fs::path& file, const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar())
    throwDataError("{}: '{}' must be a single value, but it is {}; write it as `{}: <value>` "
                   "(quote it if it contains ':', '[', '{{' or '#')",
                   yamlWhere(file, n), key, shapeOf(n), key);
  return n.Scalar();
}

namespace {

struct Ctx {
  fs::path file;
  std::string where(const YAML::Node& n) const { return yamlWhere(file, n); }
};

// A name that becomes part of a file name inside the output folder: no path
// separators, no "..", no control characters, not empty.
bool safeFileStem(const std::string& s) {
  if (s.empty() || s == "." || s.find("..") != std::string::npos) return false;
  for (unsigned char ch : s)
    if (ch == '/' || ch == '\\' || ch < 0x20 || ch == ':') return false;
  return true;
}

// A mapping key as text; a list or mapping used as a key is refused with the line.
std::string keyText(const Ctx& c, const YAML::Node& k) {
  if (!k.IsScalar()) throwDataError("{}: a key must be a plain word, not a list or a mapping", c.where(k));
  return k.Scalar();
}

void checkKeys(const Ctx& c, const YAML::Node& node, std::string_view section,
               std::initializer_list<std::string_view> known) {
  if (!node.IsMap()) throwDataError("{}: '{}' must be a mapping of keys to values", c.where(node), section);
  for (const auto& kv : node) {
    const auto key = keyText(c, kv.first);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
      throwDataError("{}: unknown key '{}' in {}; known keys: {}", c.where(kv.first), key, section, list);
    }
  }
}

std::string scalar(const Ctx& c, const YAML::Node& n, std::string_view key) {
  return yamlScalar(c.file, n, key);
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
    const auto key = keyText(c, kv.first);
    const auto as_cat = parseCategory(key);
    if (kv.second.IsSequence()) {
      if (!as_cat)
        throwDataError("{}: '{}' is not a trygg category; use one of the ids in docs/categories.md "
                       "(violence, robbery, sexual_offence, vandalism, graffiti, illegal_posters, littering, "
                       "drugs, disorder, burglary, theft, vehicle_crime, other)",
                       c.where(kv.first), key);
      for (const auto& w : kv.second)
        cfg.category_map[text::foldCase(text::trim(scalar(c, w, "categories." + key)))] = *as_cat;
    } else if (kv.second.IsScalar()) {
      const auto target = scalar(c, kv.second, "categories." + key);
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
    for (const auto& kv : n["columns"]) cfg.columns[keyText(c, kv.first)] = scalar(c, kv.second, "columns." + keyText(c, kv.first));
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
    const auto t = scalar(c, n[i], "extent");
    const auto d = text::parseDouble(t, false);
    if (!d) throwDataError("{}: extent value '{}' is not a number", c.where(n[i]), t);
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

namespace {
// Refuses a project whose store or outputs would overwrite one of its own input
// files (issue 10 item 10): the store, the GeoPackage, the summary and every
// <output_name>_* file in the output folder.
void checkOutputsSpareInputs(const Project& p) {
  auto canon = [](const fs::path& x) {
    std::error_code ec;
    auto r = fs::weakly_canonical(x, ec);
    return ec ? x.lexically_normal() : r;
  };
  const auto store = canon(p.store_path);
  const auto out_dir = canon(p.output_dir);
  for (const auto& l : p.layers) {
    if (l.source.rfind("PG:", 0) == 0 || l.source.find("://") != std::string::npos) continue;
    const auto src = canon(fs::path(l.source));
    std::string clash;
    if (src == store) clash = "project.store";
    else if (src.parent_path() == out_dir) {
      const auto f = src.filename().string();
      if (f.rfind(p.output_name + ".", 0) == 0 || f.rfind(p.output_name + "_", 0) == 0)
        clash = "project.output/output_name";
    }
    if (src == out_dir) clash = "project.output";
    if (!clash.empty())
      throwUsageError("{}: {} would overwrite the input '{}' of layer '{}'; write the results elsewhere (change "
                      "project.output, output_name or store) or move the input",
                      p.file.filename().string(), clash, l.source, l.name);
  }
}

Project loadProjectUnchecked(const fs::path& file) {
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
              {"name", "crs", "extent", "extent_margin", "output", "store", "output_name", "time_zone", "stack_min",
               "language", "network"});
    if (proj["network"]) {
      const auto v = text::foldCase(scalar(c, proj["network"], "network"));
      if (v == "allow" || v == "true" || v == "yes" || v == "on") p.network = true;
      else if (v == "deny" || v == "off" || v == "false" || v == "no") p.network = false;
      else throwDataError("{}: project.network must be allow or deny (got '{}')", c.where(proj["network"]), v);
    }
    if (proj["name"]) p.name = scalar(c, proj["name"], "name");
    if (proj["crs"]) p.crs = scalar(c, proj["crs"], "crs");
    if (proj["extent"] && !(proj["extent"].IsScalar() && proj["extent"].Scalar() == "auto"))
      p.extent = parseExtent(c, proj["extent"]);
    if (proj["extent_margin"]) p.extent_margin = parseLengthMetres(scalar(c, proj["extent_margin"], "extent_margin"),
                                                                   "project.extent_margin");
    if (proj["output"]) p.output_dir = scalar(c, proj["output"], "output");
    if (proj["store"]) {
      const auto st = scalar(c, proj["store"], "store");
      // Only a local SpatiaLite file is a store today; a connection string would
      // otherwise become a local file named like it.
      if (st.rfind("PG:", 0) == 0 || st.rfind("pg:", 0) == 0 || st.find("://") != std::string::npos ||
          st.rfind("postgresql:", 0) == 0)
        throwUsageError("{}: project.store '{}' is a database connection; trygg's store is a local SpatiaLite file "
                        "(a PostGIS store does not exist yet). Give a file path such as output/project.sqlite, "
                        "or remove the key",
                        c.where(proj["store"]), st.substr(0, 3) + "...");
      p.store_path = st;
    }
    if (proj["output_name"]) {
      p.output_name = scalar(c, proj["output_name"], "output_name");
      if (!safeFileStem(p.output_name))
        throwUsageError("{}: project.output_name '{}' must be a plain file name (no '/', '\\' or '..', not empty): "
                        "every output is written inside project.output; to write elsewhere, set `output:`",
                        c.where(proj["output_name"]), p.output_name);
    }
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
  {
    // File systems allow 255 bytes a name; trygg adds up to ~40 (".<name>.tmp-<pid>.gpkg",
    // "_summary.json", "<analysis>_<layer>.tif"), so a name must leave room for that.
    constexpr std::size_t kMaxName = 200;
    auto checkNames = [&](const fs::path& path, const char* key) {
      for (const auto& part : path)
        if (part.string().size() > kMaxName)
          throwDataError("{}: project.{} has a name of {} bytes ('{}...'); file systems allow 255 and trygg needs "
                         "room for its suffixes, so keep each folder and file name under {} bytes",
                         p.file.filename().string(), key, part.string().size(), part.string().substr(0, 40), kMaxName);
    };
    checkNames(fs::path(p.output_name), "output_name");
    checkNames(p.output_dir, "output");
    checkNames(p.store_path, "store");
  }

  const auto layers = root["layers"];
  if (!layers || !layers.IsMap())
    throwDataError("{}: no 'layers' section; a project needs at least an 'areas' layer (see docs/project-file.md)",
                   p.file.filename().string());
  for (const auto& kv : layers) {
    const auto key = keyText(c, kv.first);
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
      x.method = scalar(c, a["method"], "method");
      x.name = a["name"] ? scalar(c, a["name"], "name") : x.method;
      if (!safeFileStem(x.name))
        throwUsageError("{}: analysis name '{}' must be a plain name (letters, digits, '_'; no '/', '\\' or '..'): "
                        "it becomes part of output file and layer names",
                        c.where(a["name"] ? a["name"] : a), x.name);
      for (auto& ch : x.name)
        if (ch == '.' || ch == '-' || ch == ' ') ch = '_';
      if (!names.insert(x.name).second)
        throwDataError("{}: two analyses are named '{}'; give them distinct 'name' keys", c.where(a), x.name);
      x.params = YAML::Node(YAML::NodeType::Map);
      for (const auto& kv : a) {
        const auto k = keyText(c, kv.first);
        if (k != "method" && k != "name") x.params[k] = kv.second;
      }
      p.analyses.push_back(std::move(x));
    }
  }
  checkOutputsSpareInputs(p);
  return p;
}
}  // namespace

Project loadProject(const fs::path& file) {
  try {
    return loadProjectUnchecked(file);
  } catch (const YAML::Exception& e) {
    // A shape the checks above did not foresee: still the user's file to fix
    // (exit 1 with the line), never an internal error.
    throwDataError("{} line {}: unexpected value ({}); check this entry against docs/project-file.md",
                   fs::path(file).filename().string(), e.mark.line + 1, e.msg);
  }
}

}  // namespace trygg::engine
