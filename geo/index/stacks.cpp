#include "geo/index/stacks.hpp"

#include <bit>

#include <tbb/parallel_sort.h>

#include "core/error.hpp"

namespace trygg::geo {
namespace {

struct Key {
  double x, y;
  std::uint32_t i;
};

double canon(double v) { return v == 0 ? 0.0 : v; }  // -0 -> +0

// Sorted (x, y, index) triples: equal coordinates end up adjacent.
std::vector<Key> sortedKeys(std::span<const Point> pts, std::size_t min_stack) {
  if (min_stack < 2) throwUsageError("stack threshold must be at least 2 (got {}); the default is 20", min_stack);
  if (pts.size() > 0xffffffffu) throwUsageError("stack detection supports at most 2^32 - 1 points");
  std::vector<Key> keys(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) keys[i] = {canon(pts[i].x), canon(pts[i].y), static_cast<std::uint32_t>(i)};
  tbb::parallel_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    // Bit patterns give a total order that also keeps NaNs together.
    const auto ax = std::bit_cast<std::uint64_t>(a.x), bx = std::bit_cast<std::uint64_t>(b.x);
    if (ax != bx) return ax < bx;
    const auto ay = std::bit_cast<std::uint64_t>(a.y), by = std::bit_cast<std::uint64_t>(b.y);
    if (ay != by) return ay < by;
    return a.i < b.i;
  });
  return keys;
}

template <typename F>
void forRuns(const std::vector<Key>& keys, std::size_t min_stack, F&& f) {
  std::size_t b = 0;
  while (b < keys.size()) {
    std::size_t e = b + 1;
    while (e < keys.size() && std::bit_cast<std::uint64_t>(keys[e].x) == std::bit_cast<std::uint64_t>(keys[b].x) &&
           std::bit_cast<std::uint64_t>(keys[e].y) == std::bit_cast<std::uint64_t>(keys[b].y))
      ++e;
    if (e - b >= min_stack) f(b, e);
    b = e;
  }
}

}  // namespace

std::vector<std::uint8_t> stackedMask(std::span<const Point> pts, std::size_t min_stack) {
  const auto keys = sortedKeys(pts, min_stack);
  std::vector<std::uint8_t> mask(pts.size(), 0);
  forRuns(keys, min_stack, [&](std::size_t b, std::size_t e) {
    for (std::size_t q = b; q < e; ++q) mask[keys[q].i] = 1;
  });
  return mask;
}

std::vector<Stack> findStacks(std::span<const Point> pts, std::size_t min_stack) {
  const auto keys = sortedKeys(pts, min_stack);
  std::vector<Stack> out;
  forRuns(keys, min_stack, [&](std::size_t b, std::size_t e) { out.push_back({pts[keys[b].i], e - b}); });
  std::stable_sort(out.begin(), out.end(), [](const Stack& a, const Stack& b) { return a.count > b.count; });
  return out;
}

}  // namespace trygg::geo
