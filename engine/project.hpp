#pragma once
// The project file (YAML): working CRS, study extent, output folder, the input
// layers with their reading rules, and the analyses to run. docs/project-file.md
// documents every key.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/types.hpp"
#include "data/layer_config.hpp"

namespace trygg::engine {

struct Project {
  std::filesystem::path file;        // the YAML file
  std::filesystem::path base_dir;    // relative paths resolve against this
  std::string name;
  std::string crs = "default";       // "default" (areas' CRS when projected, else EPSG:3006), "auto" (UTM), or a CRS string
  std::optional<BBox> extent;        // explicit study extent (working CRS); else areas' bbox grown by max_distance
  double extent_margin = 0;          // extra margin in metres (user key project.extent_margin)
  std::filesystem::path output_dir;
  std::filesystem::path store_path;  // the SpatiaLite project database
  std::string output_name = "trygg"; // <output_dir>/<output_name>.gpkg
  std::string time_zone = "Europe/Stockholm";
  std::string language = "sv";       // the report's language: sv | en
  bool network = false;              // `network: allow`: GDAL/PROJ may reach the network (offline by default)
  std::size_t stack_min = 20;        // incidents sharing one coordinate with >= this many are "stacked"
  std::vector<data::LayerConfig> layers;
  // analyses: method id -> list of parameter maps (one run per map). Kept as YAML
  // so each method reads its own declared parameters (engine/method.hpp).
  struct Analysis {
    std::string method;   // registry id, e.g. "hotspot.kde"
    std::string name;     // output name (unique), default derived from the method id
    YAML::Node params;
  };
  std::vector<Analysis> analyses;

  std::vector<const data::LayerConfig*> layersOf(model::LayerKind k) const;
  // The largest distance any analysis uses (buffers, bandwidths, radii), in metres;
  // the default extent grows the areas' bbox by this much.
  double max_distance = 0;
};

// Parses and checks the project file. Throws DataError naming the file, the line
// (yaml-cpp's mark) and the fix.
Project loadProject(const std::filesystem::path& file);

// Helpers shared with the method parameter parser.
std::string yamlWhere(const std::filesystem::path& file, const YAML::Node& node);
// The node's text when it is a single value; otherwise DataError naming the
// file, the line, the shape found (a list, a mapping, nothing) and the fix.
std::string yamlScalar(const std::filesystem::path& file, const YAML::Node& node, std::string_view key);

}  // namespace trygg::engine
