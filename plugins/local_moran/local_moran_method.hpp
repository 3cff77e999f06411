#pragma once
// hotspot.local_moran: local Moran's I (LISA) with row-standardised weights,
// High-High / Low-Low / High-Low / Low-High clusters and outliers where the
// chosen p <= alpha (geo/hotspot/local_moran.hpp; docs/methods/local-moran.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"
#include "engine/spatial_units.hpp"

namespace trygg::plugins {

class LocalMoranMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "hotspot.local_moran";
  static constexpr std::string_view kDescription = "Local Moran's I clusters and outliers (LISA)";
  LocalMoranMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "local-moran"; }
  double reachMetres() const override { return m_units.band; }
  void run(engine::RunContext& ctx) override;

 private:
  engine::IncidentSelection m_sel;
  engine::UnitOptions m_units;
  int m_permutations = 999;
  std::uint64_t m_seed = 0;
  double m_alpha = 0.05;
  bool m_fdr = true;
  std::string m_p = "analytic";
};

}  // namespace trygg::plugins
