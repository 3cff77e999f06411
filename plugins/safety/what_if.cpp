#include "plugins/safety/what_if.hpp"

#include <cmath>

#include <fmt/format.h>

#include "plugins/safety/assess.hpp"

namespace trygg::plugins::safety {

std::vector<WhatIfRow> whatIf(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A) {
  std::vector<std::size_t> ov;
  for (std::size_t f = 0; f < cat.factors.size(); ++f)
    if (sourceOf(cat.factors[f].metric) == Source::Overlay && cat.factors[f].metric != Metric::FunctionMix)
      ov.push_back(f);
  const Assessment W = assess(ctx, cat, A.rounds, OverlayMode::WhatIf, ov);
  const std::size_t last = A.rounds.size() - 1;
  std::vector<WhatIfRow> out;
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
  return out;
}

}  // namespace trygg::plugins::safety
