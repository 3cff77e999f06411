#pragma once
// Exact geometric predicates for the point-in-polygon rule.
//
// orientSign follows Shewchuk, "Adaptive Precision Floating-Point Arithmetic and
// Fast Robust Geometric Predicates" (1997): a floating-point filter with his
// error bound, and an exact fallback. The fallback here is simpler than his
// adaptive stages: the determinant is expanded into six products, each product
// is split exactly into two doubles with an FMA, and the twelve doubles are summed
// exactly with Two-Sum into a non-overlapping expansion whose largest component
// gives the sign. Exact for all finite inputs whose products do not underflow
// (coordinates in metres or degrees are far from that).
#include <cmath>

#include "core/types.hpp"

namespace trygg::geo {

namespace detail {

// Adds b to the non-overlapping expansion e[0..n) (increasing magnitude), exactly.
inline int growExpansion(double* e, int n, double b) {
  double q = b;
  int m = 0;
  for (int i = 0; i < n; ++i) {
    const double s = q + e[i];
    const double bv = s - q;
    const double av = s - bv;
    const double err = (q - av) + (e[i] - bv);
    q = s;
    if (err != 0) e[m++] = err;
  }
  if (q != 0) e[m++] = q;
  return m;
}

inline int exactOrientSign(Point a, Point b, Point c) {
  // (bx-ax)(cy-ay) - (by-ay)(cx-ax) = bx*cy - bx*ay - ax*cy - by*cx + by*ax + ay*cx
  const double f[6][2] = {{b.x, c.y}, {-b.x, a.y}, {-a.x, c.y}, {-b.y, c.x}, {b.y, a.x}, {a.y, c.x}};
  double e[12];
  int n = 0;
  for (const auto& t : f) {
    const double p = t[0] * t[1];
    const double lo = std::fma(t[0], t[1], -p);  // exact: p + lo == t0*t1
    n = growExpansion(e, n, lo);
    n = growExpansion(e, n, p);
  }
  if (n == 0) return 0;
  return e[n - 1] > 0 ? 1 : -1;
}

}  // namespace detail

// Sign of the cross product (b - a) x (c - a): +1 when c is left of a->b, -1 right, 0 on the line.
inline int orientSign(Point a, Point b, Point c) {
  const double l = (b.x - a.x) * (c.y - a.y);
  const double r = (b.y - a.y) * (c.x - a.x);
  const double det = l - r;
  constexpr double kEps = 1.1102230246251565e-16;               // 2^-53
  constexpr double kErrBoundA = (3.0 + 16.0 * kEps) * kEps;     // Shewchuk's ccwerrboundA
  const double bound = kErrBoundA * (std::fabs(l) + std::fabs(r));
  if (det > bound) return 1;
  if (-det > bound) return -1;
  if (c == a || c == b) return 0;  // a point on a vertex (common: geocoded to a corner)
  return detail::exactOrientSign(a, b, c);
}

// One polygon edge, stored with its lower endpoint first (lo.y <= up.y).
// Horizontal edges are never stored: under the rule below they never cross.
struct Edge {
  Point lo;
  Point up;
};

// Does the ray from p' = (p.x + eps, p.y + eps^2) towards +x cross the edge?
// (Simulation of Simplicity, Edelsbrunner & Muecke 1990.) p' lies on no edge or
// vertex, so the crossing parity is well defined for every p, and points exactly
// on an edge go to the side p' falls on. Derivation: p' is above an endpoint of
// height v exactly when v <= p.y (half-open test); the crossing is right of p'
// exactly when orient(lo, up, p') > 0, and orient(lo, up, p') = orient(lo, up, p)
// - eps (up.y - lo.y) + eps^2 (...), so an exact zero counts as "not right".
inline bool crossesRight(const Edge& e, Point p) {
  if (!(e.lo.y <= p.y && p.y < e.up.y)) return false;
  const double minx = e.lo.x < e.up.x ? e.lo.x : e.up.x;
  const double maxx = e.lo.x < e.up.x ? e.up.x : e.lo.x;
  if (p.x < minx) return true;
  if (p.x > maxx) return false;
  return orientSign(e.lo, e.up, p) > 0;
}

}  // namespace trygg::geo
