#pragma once
// Coordinate stacks: many incidents on exactly one coordinate are almost always
// geocoding fallbacks (a municipality's centroid, the police station's address,
// a street's midpoint), not places where things happen. Hotspot maps leave them
// out; counts keep them (model::kFlagStacked).
//
// A point is "stacked" when at least min_stack points of the input, itself
// included, have exactly the same x and y (bitwise equal doubles; -0 == +0).
// DEFAULT: min_stack = 20. A project sets it per layer (the lead wires it to the
// incidents layer's `stack_threshold:` key in project.yaml); 0 or 1 would flag
// everything and is refused.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace trygg::geo {

inline constexpr std::size_t kDefaultMinStack = 20;

// 1 for every stacked point, 0 otherwise; same order as pts. O(n log n), parallel.
std::vector<std::uint8_t> stackedMask(std::span<const Point> pts, std::size_t min_stack = kDefaultMinStack);

// The distinct stacked coordinates with their sizes, largest first (ties by x, y).
struct Stack {
  Point pt;
  std::size_t count = 0;
};
std::vector<Stack> findStacks(std::span<const Point> pts, std::size_t min_stack = kDefaultMinStack);

}  // namespace trygg::geo
