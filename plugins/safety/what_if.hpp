#pragma once
// Stage 8 of the safety analysis: the overlay factors (lit_share, cover_share)
// of the last round re-scored as if every planned and started measure were
// done; the place × factors whose value changes, and whether the colour flips.
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct WhatIfRow {
  std::size_t p = 0, f = 0;
  FactorValue now, what_if;
  bool flips = false;  // the colour changes
  std::string flip;    // "red→green"; "" when the colour stays
};

std::vector<WhatIfRow> whatIf(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A);

}  // namespace trygg::plugins::safety
