#pragma once
// What a method sees when it runs: the loaded data in the working CRS, where
// to write, and where to record what it did.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"
#include "core/progress.hpp"
#include "core/types.hpp"

namespace trygg::data {
class GpkgWriter;
}

namespace trygg::engine {

struct LoadedProject;

// Incidents as columns (10M rows stay well under 1 GB).
struct IncidentColumns {
  std::vector<Point> pts;
  std::vector<EpochSeconds> t_from, t_to;
  std::vector<Category> category;
  std::vector<double> weight;  // 1 unless the layer maps a weight column; double: exact for the reference tests
  std::vector<std::uint32_t> flags;
  std::vector<std::int64_t> fid;  // row id in the store's incidents table
  // Area membership (many-to-many), CSR: areas of incident i are
  // area_ids[area_offsets[i] .. area_offsets[i+1]) as indices into RunContext::areas.
  std::vector<std::uint32_t> area_offsets{0}, area_ids;
  std::size_t size() const { return pts.size(); }
  void reserve(std::size_t n);
  void clear();
};

// Hot and cold cells an earlier analysis of the same run found (Gi*), so later
// analyses (the measures overlay) can use them.
struct HotspotCells {
  std::string analysis;                          // the analysis' name
  std::vector<std::vector<std::uint8_t>> cells;  // unit polygons (WKB, working CRS)
  std::vector<int> bin;                          // Gi_Bin -3..3
};

struct RunContext {
  // The working CRS.
  std::string crs_wkt;
  std::string crs_authid;   // "EPSG:3006" or ""
  double unit_metres = 1.0; // metres per CRS unit (0.3048 for international feet)
  BBox extent;              // the study extent, working CRS
  std::string time_zone = "Europe/Stockholm";

  const std::vector<model::Area>* areas = nullptr;
  const std::vector<model::Place>* places = nullptr;
  const std::vector<model::Observation>* observations = nullptr;
  const std::vector<model::Perception>* perception = nullptr;
  const std::vector<model::Measure>* measures = nullptr;
  const IncidentColumns* incidents = nullptr;
  const LoadedProject* loaded = nullptr;  // everything, with memberships (engine/runner.hpp)
  bool publish = false;                   // the publish profile is on

  data::GpkgWriter* gpkg = nullptr;   // the run's output GeoPackage
  std::filesystem::path base_dir;     // the project file's folder: relative paths resolve here
  std::filesystem::path output_dir;
  std::string output_name;            // file stem of the outputs
  std::string analysis_name;          // this analysis' unique name (layer/file prefix)
  Progress* progress = nullptr;
  nlohmann::json* metadata = nullptr; // this analysis' entry in the run summary
  std::vector<std::filesystem::path> files_written;
  std::vector<HotspotCells> hotspot_cells;  // filled by hotspot.getis_ord, in run order

  double toCrsUnits(double metres) const { return metres / unit_metres; }
};

}  // namespace trygg::engine
