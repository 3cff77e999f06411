// Exact-mode KDE, baseline instruction set (see kde_exact_impl.hpp for the algorithm).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "geo/hotspot/kde_internal.hpp"

namespace trygg::geo::hotspot::detail {
namespace generic {
#include "geo/hotspot/kde_exact_impl.hpp"
}  // namespace generic

void exactDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                  double scale, RasterGrid64& grid) {
#if defined(__x86_64__) && defined(__GNUC__)
  // Same arithmetic, twice the vector width: AVX2 without FMA gives bit-identical sums.
  if (__builtin_cpu_supports("avx2")) return exactDensityAvx2(pts, weights, opts, scale, grid);
#endif
  generic::exactDensityDispatch(pts, weights, opts, scale, grid);
}

void exactDensityGeneric(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                         double scale, RasterGrid64& grid) {
  generic::exactDensityDispatch(pts, weights, opts, scale, grid);
}

}  // namespace trygg::geo::hotspot::detail
