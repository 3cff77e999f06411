#include "plugins/safety/what_if.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "plugins/safety/assess.hpp"
#include "plugins/safety/place_summary.hpp"

namespace trygg::plugins::safety {

namespace {

std::vector<WhatIfPlace> byPlace(const Catalogue& cat, const Assessment& A, const std::vector<WhatIfRow>& rows) {
  const std::size_t last = A.rounds.size() - 1;
  std::vector<WhatIfPlace> out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (out.empty() || out.back().p != rows[k].p) out.push_back({rows[k].p, {}, -1, {}, {}});
    auto& wp = out.back();
    wp.rows.push_back(k);
    const auto gain = [&](std::size_t i) {
      return static_cast<int>(rows[i].what_if.colour) - static_cast<int>(rows[i].now.colour);
    };
    if (rows[k].flips && (wp.best < 0 || gain(k) > gain(static_cast<std::size_t>(wp.best))))
      wp.best = static_cast<int>(k);
  }
  for (auto& wp : out) {
    std::array<int, 4> now{}, wi{};
    for (std::size_t f = 0; f < A.n_factors; ++f) ++now[static_cast<std::size_t>(A.at(last, wp.p, f).colour)];
    wi = now;
    for (auto k : wp.rows) {
      --wi[static_cast<std::size_t>(rows[k].now.colour)];
      ++wi[static_cast<std::size_t>(rows[k].what_if.colour)];
    }
    wp.overall_now = headlineClass(now, cat.headline);
    wp.overall_what_if = headlineClass(wi, cat.headline);
  }
  return out;
}

}  // namespace

WhatIfResult whatIf(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A) {
  std::vector<std::size_t> ov;
  for (std::size_t f = 0; f < cat.factors.size(); ++f)
    if (sourceOf(cat.factors[f].metric) == Source::Overlay && cat.factors[f].metric != Metric::FunctionMix)
      ov.push_back(f);
  const Assessment W = assess(ctx, cat, A.rounds, OverlayMode::WhatIf, ov);
  const std::size_t last = A.rounds.size() - 1;
  WhatIfResult res;
  auto& out = res.rows;
  for (std::size_t p = 0; p < A.n_places; ++p)
    for (auto f : ov) {
      const auto& now = A.at(last, p, f);
      const auto& wi = W.at(last, p, f);
      if (now.value == wi.value || (std::isnan(now.value) && std::isnan(wi.value))) continue;
      WhatIfRow row{p, f, now, wi, now.colour != wi.colour, {}};
      if (row.flips)
        row.flip = fmt::format("{}→{}", geo::scoring::colourId(now.colour), geo::scoring::colourId(wi.colour));
      out.push_back(std::move(row));
    }
  res.places = byPlace(cat, A, out);
  return res;
}

}  // namespace trygg::plugins::safety
