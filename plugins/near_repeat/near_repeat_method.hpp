#pragma once
// hotspot.near_repeat: the Knox test for near-repeat victimisation — pairs of
// incidents by spatial band × temporal band, Monte Carlo permutation of times
// (geo/hotspot/knox.hpp; docs/methods/near-repeat.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"

namespace trygg::plugins {

class NearRepeatMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "hotspot.near_repeat";
  static constexpr std::string_view kDescription = "Near-repeat Knox test (space x time bands, seeded permutations)";
  NearRepeatMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "near-repeat"; }
  void run(engine::RunContext& ctx) override;

 private:
  engine::IncidentSelection m_sel;
  std::vector<std::string> m_spatial{"0", "100", "200", "300", "400", "500"};
  std::vector<std::string> m_temporal{"0", "7", "14", "21", "28"};
  std::string m_distance = "euclidean";
  int m_permutations = 999;
  std::uint64_t m_seed = 0;
  bool m_whole_days = true;
};

}  // namespace trygg::plugins
