#pragma once
// Stage 6 of the safety analysis (incident tests): per area and per place
// covered by a started/done measure, incidents before/after (the first and
// last round's periods): exact Poisson rate ratio, ratio of rate ratios
// against the control, WDQ with a buffer ring; and the SPPT between the periods.
#include <array>
#include <string>
#include <vector>

#include "core/category.hpp"
#include "engine/run_context.hpp"
#include "geo/change/exact_tests.hpp"
#include "geo/change/sppt.hpp"
#include "geo/change/wdq.hpp"
#include "geo/geos/geos.hpp"
#include "plugins/safety/overlay.hpp"
#include "plugins/safety/rounds.hpp"

namespace trygg::plugins::safety {

struct IncidentUnit {
  std::string type, id, name;  // type: area or place
  geo::Wkb geom, ring;
  std::int64_t before = 0, after = 0, buffer_before = 0, buffer_after = 0;
  geo::change::PoissonTestResult test;
  geo::change::RateRatioComparison rrr;
  geo::change::WdqResult wdq;
  bool significant = false;
  std::string direction;  // rose, fell, no_change, no_data (by the rate ratio)
  double change_pct = NAN; // 100 (rate ratio - 1)
};

struct IncidentTestOptions {
  std::array<bool, kCategoryCount> categories{};  // all false = all
  double wdq_buffer_m = 200, control_gap_m = 0, alpha = 0.05;
  std::string sppt_units = "grid";
  double sppt_cell_m = 200;
  int sppt_samples = 200;
  std::uint64_t seed = 0;
  std::string where;
};

struct IncidentTests {
  bool ran = false;
  std::string not_run;       // why not
  bool periods_overlap = false;
  double days_before = 0, days_after = 0;
  std::int64_t control_before = 0, control_after = 0;
  std::vector<IncidentUnit> units;
  // SPPT
  bool sppt_ran = false;
  std::vector<geo::Wkb> cells;
  std::vector<std::string> cell_ids;
  geo::change::SpptResult sppt;
};

IncidentTests incidentTests(const engine::RunContext& ctx, const std::vector<RoundSpec>& rounds, const Coverage& cov,
                            const IncidentTestOptions& o);

}  // namespace trygg::plugins::safety
