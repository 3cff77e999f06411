#pragma once
// safety.analysis: the safety analysis (trygghetsanalys) of the Trygga Platser
// model in one method with sections:
//   factors  per place × factor × round: value, 0–20 score, colour (place_factors),
//            one colour per factor group per place (places_<round>), the action plan;
//   change   before/after per place × factor and per delimited area against the
//            25 % goal, measures started/done against 50 %, perceived-safety tests;
//   tests    incident change tests per area and per place with a measure:
//            exact Poisson rate ratio, ratio of rate ratios against a control,
//            WDQ with a buffer ring, SPPT between the periods;
//   overlay  what each measure covers (places, unsafe pins, red factors);
//   what_if  the overlay factors re-scored as if planned measures were done.
// docs/methods/safety-analysis.md, docs/factors.md.
#include <string>
#include <vector>

#include "engine/method.hpp"

namespace trygg::plugins {

class SafetyMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "safety.analysis";
  static constexpr std::string_view kDescription =
      "Safety analysis: per-place factor colours, before/after per area vs the 25 % goal, incident change tests, "
      "measures overlay and what-if";
  SafetyMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "safety-analysis"; }
  double reachMetres() const override { return m_wdq_buffer + m_control_gap; }
  void run(engine::RunContext& ctx) override;

 private:
  std::string m_catalogue;
  std::vector<std::string> m_rounds{"baseline", "followup"};
  std::vector<std::string> m_round_dates;
  int m_incident_months = 12;
  std::vector<std::string> m_sections{"factors", "change", "tests", "overlay", "what_if"};
  double m_min_improved_share = 0.25;
  double m_min_measures_share = 0.5;
  double m_alpha = 0.05;
  std::vector<std::string> m_test_categories;
  double m_wdq_buffer = 200;
  double m_control_gap = 0;
  std::string m_sppt_units = "grid";
  double m_sppt_cell = 200;
  int m_sppt_samples = 200;
  std::uint64_t m_seed = 0;
  double m_line_radius = 10;
  int m_suppress_below = 5;
  int m_action_plan_max = 0;
};

}  // namespace trygg::plugins
