#include "geo/change/contingency.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/chi_squared.hpp>

#include "core/error.hpp"

namespace trygg::geo::change {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void checkTable(const Table2x2& t) {
  if (t.n11 < 0 || t.n12 < 0 || t.n21 < 0 || t.n22 < 0)
    throwUsageError("change: 2x2 table counts must be >= 0 (got {} {} {} {})", t.n11, t.n12, t.n21, t.n22);
  if (t.n11 + t.n12 + t.n21 + t.n22 == 0) throwUsageError("change: 2x2 table has no counts");
}

double chiSquareUpper(double x) {
  if (std::isnan(x)) return kNaN;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(1), x));
}

// R's chisq.test statistic: E = outer(rowsums, colsums)/n; sum((|x − E| − Y)^2/E),
// Y = min(0.5, |x − E|) with Yates's correction, else 0.
double statistic(const Table2x2& t, bool yates) {
  const double x[2][2] = {{double(t.n11), double(t.n12)}, {double(t.n21), double(t.n22)}};
  const double sr[2] = {x[0][0] + x[0][1], x[1][0] + x[1][1]};
  const double sc[2] = {x[0][0] + x[1][0], x[0][1] + x[1][1]};
  const double n = sr[0] + sr[1];
  double e[2][2];
  double minAbs = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      e[i][j] = sr[i] * sc[j] / n;
      minAbs = std::min(minAbs, std::fabs(x[i][j] - e[i][j]));
    }
  const double y = yates ? std::min(0.5, minAbs) : 0.0;
  // R sums the column-major vector: [1,1], [2,1], [1,2], [2,2].
  double s = 0;
  for (int j = 0; j < 2; ++j)
    for (int i = 0; i < 2; ++i) {
      const double d = std::fabs(x[i][j] - e[i][j]) - y;
      s += d * d / e[i][j];
    }
  return s;
}

}  // namespace

ChiSquareResult chiSquare(const Table2x2& t) {
  checkTable(t);
  const double s = statistic(t, false);
  return {s, chiSquareUpper(s)};
}

ChiSquareResult chiSquareYates(const Table2x2& t) {
  checkTable(t);
  const double s = statistic(t, true);
  return {s, chiSquareUpper(s)};
}

ChiSquareResult chiSquareNMinus1(const Table2x2& t) {
  checkTable(t);
  const double r = statistic(t, false);
  const double n = double(t.n11 + t.n12 + t.n21 + t.n22);
  const double s = r * (n - 1) / n;
  return {s, chiSquareUpper(s)};
}

double fisherExactTwoSided(const Table2x2& t) {
  checkTable(t);
  // R: m = column 1 total, n = column 2 total, k = row 1 total, x = n11.
  const std::int64_t m = t.n11 + t.n21;
  const std::int64_t n = t.n12 + t.n22;
  const std::int64_t k = t.n11 + t.n12;
  const std::int64_t x = t.n11;
  const std::int64_t lo = std::max<std::int64_t>(0, k - n);
  const std::int64_t hi = std::min(k, m);
  if (lo == hi) return 1;
  // Hypergeometric weights relative to the mode, by the ratio
  // f(i+1)/f(i) = (m − i)(k − i) / ((i + 1)(n − k + i + 1)): no factorials, no
  // overflow, and relative accuracy of a few ulps per step.
  const auto size = static_cast<size_t>(hi - lo + 1);
  std::vector<double> w(size, 0.0);
  std::int64_t mode = static_cast<std::int64_t>(
      std::floor((double(k) + 1) * (double(m) + 1) / (double(m) + double(n) + 2)));
  mode = std::clamp(mode, lo, hi);
  w[size_t(mode - lo)] = 1;
  for (std::int64_t i = mode; i < hi; ++i) {
    const double ratio = double(m - i) * double(k - i) / (double(i + 1) * double(n - k + i + 1));
    w[size_t(i + 1 - lo)] = w[size_t(i - lo)] * ratio;
  }
  for (std::int64_t i = mode; i > lo; --i) {
    // f(i−1)/f(i) = i (n − k + i) / ((m − i + 1)(k − i + 1))
    const double ratio = double(i) * double(n - k + i) / (double(m - i + 1) * double(k - i + 1));
    w[size_t(i - 1 - lo)] = w[size_t(i - lo)] * ratio;
  }
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  const double limit = w[size_t(x - lo)] * (1 + 1e-7);
  double p = 0;
  for (double v : w)
    if (v <= limit) p += v / total;
  return std::min(1.0, p);
}

std::vector<double> adjustPValues(std::span<const double> p, PAdjust method) {
  std::vector<double> out(p.begin(), p.end());
  if (method == PAdjust::None) return out;
  std::vector<size_t> idx;
  for (size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) idx.push_back(i);
  const size_t lp = idx.size();
  if (lp <= 1) return out;
  const double n = double(lp);
  double q = 1;
  if (method == PAdjust::BY) {
    q = 0;
    for (size_t i = 1; i <= lp; ++i) q += 1.0 / double(i);
  }
  // R: o <- order(p, decreasing = TRUE) (stable), i <- lp:1, pmin(1, cummin(q * n/i * p[o])).
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
  double running = std::numeric_limits<double>::infinity();
  for (size_t j = 0; j < lp; ++j) {
    const double i = double(lp - j);
    const double v = (method == PAdjust::BY ? q * n / i : n / i) * p[idx[j]];
    running = std::min(running, v);
    out[idx[j]] = std::min(1.0, running);
  }
  return out;
}

}  // namespace trygg::geo::change
