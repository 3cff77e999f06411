#pragma once
// `trygg hotspots <method> --input points.csv ...`: any hotspot method on any
// point file, without a project file (for researchers). Each method's declared
// parameters become its subcommand's flags.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/method.hpp"

namespace trygg::engine {

class HotspotsCommand {
 public:
  HotspotsCommand(CLI::App& app, const Registry& registry);
  bool selected() const;
  // Builds a one-analysis project around the input and runs it.
  void run(bool quiet, bool progress) const;

 private:
  struct Sub {
    std::string method_id;
    CLI::App* app = nullptr;
    std::map<std::string, std::string> values;       // declared parameter -> value text
    std::map<std::string, std::vector<std::string>> lists;
  };
  const Registry& m_registry;
  CLI::App* m_cmd = nullptr;
  std::vector<std::unique_ptr<Sub>> m_subs;
  std::string m_input, m_layer, m_x, m_y, m_lon, m_lat, m_wkt, m_time, m_time_from, m_time_to, m_category, m_weight,
      m_crs, m_areas, m_areas_layer, m_out = "trygg-hotspots", m_time_zone = "Europe/Stockholm", m_working_crs = "default";
};

}  // namespace trygg::engine
