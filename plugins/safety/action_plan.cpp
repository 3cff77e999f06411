#include "plugins/safety/action_plan.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace trygg::plugins::safety {

namespace sc = geo::scoring;

std::string evidenceText(const Factor& fa, const FactorValue& v, bool small, int suppress_below) {
  std::string text;
  switch (sourceOf(fa.metric)) {
    case Source::Incidents:
      text = small ? fmt::format("fewer than {} incidents ({}) in the period", suppress_below, fa.categories_text)
                   : fmt::format("{} incidents ({}) in the period, {:.1f} expected from the area's rate (p = {:.2g})",
                                 v.evidence, fa.categories_text, v.expected, v.p);
      break;
    case Source::Observations:
      text = fmt::format("{} inspection rating(s), {} {:.1f}", v.evidence, sc::combineId(fa.combine), v.value);
      break;
    case Source::Perception:
      text = small ? fmt::format("fewer than {} answers/pins", suppress_below)
                   : fa.metric == Metric::SurveyMean
                         ? fmt::format("{} survey answers, mean {:.2f}", v.evidence, v.value)
                         : fmt::format("{} unsafe pins, {:.1f} expected", v.evidence, v.expected);
      break;
    case Source::Overlay:
      text = fa.metric == Metric::FunctionMix
                 ? fmt::format("{} kinds of places within {:.0f} m", v.value, fa.walk_radius_m)
                 : fmt::format("{:.0f} % covered ({} {})", 100 * v.value, v.evidence, fa.measure_kind);
      break;
  }
  if (v.guarded) text += "; " + v.note;
  return text;
}

ActionPlan actionPlan(const Catalogue& cat, const Assessment& A, const std::vector<model::Place>& places,
                      const ActionPlanOptions& o) {
  const std::size_t last = A.rounds.size() - 1;
  ActionPlan plan;
  for (std::size_t p = 0; p < A.n_places; ++p)
    for (std::size_t f = 0; f < A.n_factors; ++f) {
      const auto c = A.at(last, p, f).colour;
      if (c == sc::Colour::Red || c == sc::Colour::Yellow) plan.items.push_back({p, f, 0, false, {}});
    }
  std::stable_sort(plan.items.begin(), plan.items.end(), [&](const ActionPlanItem& a, const ActionPlanItem& b) {
    const auto& va = A.at(last, a.p, a.f);
    const auto& vb = A.at(last, b.p, b.f);
    if (va.colour != vb.colour) return va.colour < vb.colour;
    if (va.score != vb.score) return va.score < vb.score;
    if (va.evidence != vb.evidence) return va.evidence > vb.evidence;
    if (places[a.p].id != places[b.p].id) return places[a.p].id < places[b.p].id;
    return a.f < b.f;
  });
  if (o.max_rows > 0 && plan.items.size() > static_cast<std::size_t>(o.max_rows))
    plan.items.resize(static_cast<std::size_t>(o.max_rows));
  std::map<std::size_t, std::size_t> place_slot;
  for (std::size_t k = 0; k < plan.items.size(); ++k) {
    auto& it = plan.items[k];
    const auto& fa = cat.factors[it.f];
    const auto& v = A.at(last, it.p, it.f);
    const auto src = sourceOf(fa.metric);
    const bool count_source = src == Source::Incidents || src == Source::Perception;
    it.rank = static_cast<std::int64_t>(k + 1);
    it.small = count_source && o.publish && v.evidence > 0 && v.evidence < o.suppress_below;
    it.evidence_text = evidenceText(fa, v, it.small, o.suppress_below);
    auto [slot, added] = place_slot.emplace(it.p, plan.places.size());
    if (added) plan.places.push_back({it.p, static_cast<std::int64_t>(plan.places.size() + 1), {}, {}});
    auto& pp = plan.places[slot->second];
    if (static_cast<int>(pp.items.size()) < o.top_items)
      pp.top_items += (pp.top_items.empty() ? "" : "; ") +
                      fmt::format("{} ({}): {}", fa.id, sc::colourId(v.colour), it.evidence_text);
    pp.items.push_back(k);
  }
  return plan;
}

}  // namespace trygg::plugins::safety
