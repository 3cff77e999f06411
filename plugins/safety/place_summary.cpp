#include "plugins/safety/place_summary.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace trygg::plugins::safety {

namespace sc = geo::scoring;

sc::Colour headlineClass(const std::array<int, 4>& n, const HeadlineRule& rule) {
  const int assessed = n[1] + n[2] + n[3];
  if (assessed == 0 || assessed < rule.min_assessed) return sc::Colour::NotAssessed;
  const double share_red = static_cast<double>(n[1]) / assessed;
  if (share_red >= rule.red_share) return sc::Colour::Red;
  if (share_red >= rule.yellow_share) return sc::Colour::Yellow;
  if (static_cast<double>(n[3]) / assessed >= rule.green_share) return sc::Colour::Green;
  return sc::Colour::Yellow;
}

std::vector<PlaceSummary> summarisePlaces(const Catalogue& cat, const Assessment& A, std::size_t r,
                                          const std::vector<model::Place>& places) {
  std::vector<PlaceSummary> out(A.n_places);
  for (std::size_t p = 0; p < A.n_places; ++p) {
    auto& s = out[p];
    std::vector<std::pair<double, std::size_t>> bad;
    for (std::size_t f = 0; f < A.n_factors; ++f) {
      const auto& v = A.at(r, p, f);
      const auto gi = static_cast<std::size_t>(cat.factors[f].group);
      s.group[gi] = sc::worseOf(s.group[gi], v.colour);
      ++s.n[static_cast<std::size_t>(v.colour)];
      if (v.colour == sc::Colour::Red) bad.emplace_back(v.score, f);
    }
    // lowest score first; equal scores by id
    std::sort(bad.begin(), bad.end(), [&](const auto& x, const auto& y) {
      if (x.first != y.first) return x.first < y.first;
      return cat.factors[x.second].id < cat.factors[y.second].id;
    });
    for (std::size_t k = 0; k < bad.size() && k < 5; ++k) {
      s.worst.push_back(bad[k].second);
      s.worst_factors += (s.worst_factors.empty() ? "" : ",") + cat.factors[bad[k].second].id;
    }
    s.actual = s.group[0];
    s.perceived_overall = sc::worseOf(s.group[1], s.group[2]);
    s.worst_group = sc::worseOf(s.actual, sc::worseOf(s.perceived_overall, s.group[3]));
    s.n_assessed = s.n[1] + s.n[2] + s.n[3];
    s.share_red = s.n_assessed > 0 ? static_cast<double>(s.n[1]) / s.n_assessed : NAN;
    s.overall = headlineClass(s.n, cat.headline);
    s.label = s.n_assessed > 0 ? fmt::format("{} ({}/{} red)", places[p].name, s.n[1], s.n_assessed)
                               : fmt::format("{} (not assessed)", places[p].name);
  }
  return out;
}

}  // namespace trygg::plugins::safety
