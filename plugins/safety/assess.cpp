#include "plugins/safety/assess.hpp"

namespace trygg::plugins::safety {

Assessment assess(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                  OverlayMode mode, const std::vector<std::size_t>& only) {
  Assessment A = factorValues(ctx, cat, rounds, mode, only);
  scoreAndColour(cat, A);
  return A;
}

}  // namespace trygg::plugins::safety
