#pragma once
// The project runner: load (read every layer into the working CRS), import
// (write the SpatiaLite store), run (import, every analysis, styled outputs,
// run summary). Data flows one way: load -> normalise CRS -> index -> analyse -> write.
#include <cstdio>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "engine/method.hpp"
#include "engine/project.hpp"
#include "engine/run_context.hpp"

namespace trygg::engine {

struct RunOptions {
  bool progress = false;              // GDAL-style progress on stderr
  bool quiet = false;                 // no progress, no report lines
  std::vector<std::string> only;      // run only these analyses (names or method ids)
  bool publish = false;               // the publish profile (suppression, no sensitive points)
  bool allow_network = false;         // --allow-network (else the project's `network:`; offline by default)
  std::FILE* report = stdout;         // where human-readable reports go
};

// Everything read, in the working CRS.
struct LoadedProject {
  std::string crs_wkt;
  std::string crs_authid;
  std::string crs_name;
  std::string crs_reason;  // why this working CRS was chosen (printed, and in the run summary)
  double unit_metres = 1.0;
  BBox extent;
  std::vector<model::Area> areas;
  std::vector<model::Place> places;
  std::vector<model::Observation> observations;
  std::vector<model::Perception> perception;
  std::vector<model::Measure> measures;
  IncidentColumns incidents;
  std::vector<model::LayerCounts> counts;   // one per input layer, in project order
  std::vector<model::Rejected> rejected;    // every rejected row of every layer
  // Memberships (CSR, indices into the vectors above).
  std::vector<std::uint32_t> place_area_offsets{0}, place_area_ids;
  std::vector<std::uint32_t> incident_place_offsets{0}, incident_place_ids;
  std::vector<std::uint32_t> observation_area_offsets{0}, observation_area_ids;
  std::vector<std::uint32_t> observation_place_offsets{0}, observation_place_ids;
  std::vector<std::uint32_t> perception_area_offsets{0}, perception_area_ids;
  std::vector<std::uint32_t> perception_place_offsets{0}, perception_place_ids;
  std::int64_t stacked_incidents = 0;
};

class Runner {
 public:
  // The registry is passed in (Registry::builtin() from the CLI) so that the
  // engine library does not depend on the plugins.
  Runner(Project project, RunOptions options, const Registry& registry);
  // Reads every layer. With write_store, the import is one transaction into the
  // project's SpatiaLite store (the previous store survives a failure). Without
  // keep_incidents only the counts are kept of the incidents (validate and
  // import stream them: 10M rows stay well under 1 GB).
  LoadedProject load(bool write_store, bool keep_incidents = true);
  // `trygg validate`: prints per layer read / loaded / repaired / rejected by reason.
  // Returns the number of rejected rows.
  std::int64_t validate();
  void import();
  // `trygg run`: import, analyses, styled GeoPackage, rasters, run summary JSON.
  void run();

  const Project& project() const { return m_project; }

 private:
  void printCounts(const LoadedProject& lp) const;
  Project m_project;
  RunOptions m_opt;
  const Registry& m_registry;
};

}  // namespace trygg::engine
