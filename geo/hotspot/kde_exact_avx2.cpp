// Exact-mode KDE compiled for AVX2 (no FMA: the results are bit-identical to the
// baseline build in kde_exact.cpp). Chosen at run time by detail::exactDensity().
// All headers come before the target pragma so that only this file's code (the
// kde_exact_impl.hpp copy below) is built for AVX2.
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

#if defined(__x86_64__) && defined(__GNUC__)
#pragma GCC push_options
#pragma GCC target("avx2")
namespace trygg::geo::hotspot::detail {
namespace avx2 {
#include "geo/hotspot/kde_exact_impl.hpp"
}  // namespace avx2
void exactDensityAvx2(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                      double scale, RasterGrid64& grid) {
  avx2::exactDensityDispatch(pts, weights, opts, scale, grid);
}
}  // namespace trygg::geo::hotspot::detail
#pragma GCC pop_options
#else
namespace trygg::geo::hotspot::detail {
// Not reached: exactDensity() dispatches here only on x86-64.
void exactDensityAvx2(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                      double scale, RasterGrid64& grid) {
  exactDensity(pts, weights, opts, scale, grid);
}
}  // namespace trygg::geo::hotspot::detail
#endif
