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

// One per place with a changed value: its rows, the biggest flip and the
// headline class now and as if the measures were done.
struct WhatIfPlace {
  std::size_t p = 0;
  std::vector<std::size_t> rows;  // indices into the rows
  int best = -1;                  // the row with the biggest colour gain among the flips (-1: none flips)
  geo::scoring::Colour overall_now = {}, overall_what_if = {};
};

struct WhatIfResult {
  std::vector<WhatIfRow> rows;
  std::vector<WhatIfPlace> places;
};

WhatIfResult whatIf(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A);

}  // namespace trygg::plugins::safety
