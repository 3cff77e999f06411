#pragma once
// The writer stage of the safety analysis: turns the typed results
// (results.hpp) into the GeoPackage's layers with their QML styles and the
// run summary's entries. One function per layer family: write_places.cpp
// (factors section), write_change.cpp, write_tests.cpp, write_overlay.cpp.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "data/gpkg_writer.hpp"
#include "engine/run_context.hpp"
#include "plugins/safety/results.hpp"

namespace trygg::plugins::safety {

struct WriterOptions {
  std::string prefix;  // the analysis name: layer prefix
  bool publish = false;
  int suppress_below = 5;
  double alpha = 0.05;
  double min_improved_share = 0.25, min_measures_share = 0.5;
  double line_radius_m = 10, wdq_buffer_m = 200, control_gap_m = 0;
  std::string sppt_units;
  int sppt_samples = 200;
  std::uint64_t seed = 0;
};

// Publish profile bookkeeping: counts 1..(n-1) become NULL.
struct Suppressor {
  bool on = false;
  std::int64_t below = 5;
  std::map<std::string, std::int64_t> cells;  // layer.field -> suppressed cells
  bool small(std::int64_t n) const { return on && n > 0 && n < below; }
  data::Value count(std::int64_t n, const std::string& what);
};

class LayerWriter {
 public:
  LayerWriter(engine::RunContext& ctx, const SafetyResults& res, WriterOptions o);
  void placeFactors();
  void placesPerRound();
  void actionPlan();
  void perceptionSplits();
  void factorChanges();
  void placeChanges();
  void perceptionChange();
  void areaChange();
  void incidentTests();
  void sppt();
  void measureCover();
  void whatIf();
  void suppressionSummary();

 private:
  std::string areaIdOf(std::size_t p) const;
  std::string layer(const std::string& suffix) const { return m_o.prefix + "_" + suffix; }
  engine::RunContext& m_ctx;
  const SafetyResults& m_res;
  WriterOptions m_o;
  Suppressor m_sup;
  nlohmann::json& m_meta;
  std::vector<geo::Wkb> m_anchor;  // each place's anchor point
};

// Value helpers of the writer.
data::Value str(std::string s);
data::Value i64(std::int64_t v);
data::Value real(double v);
data::Value boolean(bool b);
data::Value colourValue(geo::scoring::Colour c);
bool isCountSource(const Factor& f);

}  // namespace trygg::plugins::safety
