#pragma once
// compare.hotspots: did the hot-spot map change? Compares two Gi* analyses of the
// same run on the same cells (ArcGIS Pro "Hot Spot Analysis Comparison"): the
// cross-tabulation of bins, fuzzy similarity and fuzzy kappa with a permutation
// expectation, and a layer of where hot and cold spots appeared, persisted and
// disappeared (geo/hotspot/compare.hpp; docs/methods/compare.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"
#include "engine/spatial_units.hpp"

namespace trygg::plugins {

class CompareMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "compare.hotspots";
  static constexpr std::string_view kDescription =
      "Compare two Gi* hot-spot maps: appeared, persisted, disappeared; fuzzy similarity and kappa";
  CompareMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "compare"; }
  double reachMetres() const override { return m_split_date.empty() ? 0.0 : m_units.band; }
  void run(engine::RunContext& ctx) override;

 private:
  std::string m_before, m_after;
  // split_date mode: Gi* on the selected incidents before and from this day, on one grid.
  std::string m_split_date;
  engine::IncidentSelection m_sel;
  engine::UnitOptions m_units;
  int m_gi_permutations = 0;
  bool m_fdr = true;
  int m_neighbours = 8;
  double m_halving = 0;
  std::string m_weights = "fuzzy";
  int m_permutations = 199;
  std::uint64_t m_seed = 0;
  bool m_exclude = false;
  bool m_intensity = true;
};

}  // namespace trygg::plugins
