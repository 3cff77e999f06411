#pragma once
// hotspot.emerging: emerging (space-time) hot spots — a cube of grid cells ×
// time steps, space-time Gi* per bin, Mann–Kendall per location, and the 17
// ArcGIS categories (geo/hotspot/emerging.hpp; docs/methods/emerging-hotspots.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"
#include "engine/spatial_units.hpp"

namespace trygg::plugins {

class EmergingMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "hotspot.emerging";
  static constexpr std::string_view kDescription = "Emerging space-time hot spots (space-time Gi*, Mann-Kendall, 17 categories)";
  EmergingMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "emerging-hotspots"; }
  double reachMetres() const override { return m_units.band; }
  void run(engine::RunContext& ctx) override;

 private:
  engine::IncidentSelection m_sel;
  engine::UnitOptions m_units;
  std::string m_step = "1 month";
  int m_time_lag = 1;
  double m_alpha = 0.05;
  bool m_fdr = true;
  double m_mk_alpha = 0.05;
  int m_permutations = 0;
  std::uint64_t m_seed = 0;
};

}  // namespace trygg::plugins
