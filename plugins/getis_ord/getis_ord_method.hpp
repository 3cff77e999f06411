#pragma once
// hotspot.getis_ord: Getis-Ord Gi* hot and cold spots on a grid or on the
// areas, with analytic z/p, conditional-permutation pseudo-p and Benjamini–
// Hochberg FDR (geo/hotspot/getis_ord.hpp; docs/methods/getis-ord.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"
#include "engine/spatial_units.hpp"

namespace trygg::plugins {

class GetisOrdMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "hotspot.getis_ord";
  static constexpr std::string_view kDescription = "Getis-Ord Gi* hot and cold spots with permutation inference and FDR";
  GetisOrdMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "getis-ord"; }
  double reachMetres() const override { return m_units.band; }
  void run(engine::RunContext& ctx) override;

 private:
  engine::IncidentSelection m_sel;
  engine::UnitOptions m_units;
  bool m_star = true;
  int m_permutations = 999;
  std::uint64_t m_seed = 0;
  double m_alpha = 0.05;
  bool m_fdr = true;
  std::string m_bins = "analytic";
};

}  // namespace trygg::plugins
