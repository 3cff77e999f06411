#include "geo/bench/paired.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "core/error.hpp"

namespace trygg::geo::bench {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// R's nmath/signrank.c: w[k] = number of subsets of {1..n} summing to k, k <= u/2.
class SignRank {
 public:
  explicit SignRank(int n) : m_n(n) {
    const int u = n * (n + 1) / 2;
    const int c = u / 2;
    m_w.assign(static_cast<size_t>(c) + 1, 0.0);
    m_w[0] = 1;
    if (c >= 1) m_w[1] = 1;
    for (int j = 2; j < n + 1; ++j) {
      const int end = std::min(j * (j + 1) / 2, c);
      for (int i = end; i >= j; --i) m_w[size_t(i)] += m_w[size_t(i - j)];
    }
    m_u = u;
    m_c = c;
  }
  double count(int k) const {
    if (k < 0 || k > m_u) return 0;
    if (k > m_c) k = m_u - k;
    return m_w[size_t(k)];
  }
  // psignrank(x, n, lower_tail)
  double cdf(double x, bool lowerTail) const {
    x = std::nearbyint(x + 1e-7);
    const double n = m_n;
    if (x < 0.0) return lowerTail ? 0.0 : 1.0;
    if (x >= n * (n + 1) / 2) return lowerTail ? 1.0 : 0.0;
    const double f = std::exp(-n * M_LN2);
    double p = 0;
    if (x <= n * (n + 1) / 4) {
      for (int i = 0; i <= x; ++i) p += count(i) * f;
    } else {
      x = n * (n + 1) / 2 - x;
      for (int i = 0; i < x; ++i) p += count(i) * f;
      lowerTail = !lowerTail;
    }
    return lowerTail ? p : (0.5 - p + 0.5);
  }

 private:
  int m_n;
  int m_u = 0, m_c = 0;
  std::vector<double> m_w;
};

double pnorm(double z, bool lowerTail) {
  const boost::math::normal_distribution<double> norm;
  return lowerTail ? boost::math::cdf(norm, z) : boost::math::cdf(boost::math::complement(norm, z));
}

}  // namespace

WilcoxonResult wilcoxonSignedRank(std::span<const double> x, std::span<const double> y, Alternative alternative) {
  if (x.size() != y.size())
    throwUsageError("bench.wilcoxon: x and y must have the same length ({} vs {})", x.size(), y.size());
  std::vector<double> d;
  bool zeros = false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    const double v = x[i] - y[i];
    if (v == 0) {
      zeros = true;
      continue;
    }
    d.push_back(v);
  }
  WilcoxonResult r;
  r.zeros = zeros;
  const size_t count = d.size();
  r.n = static_cast<std::int64_t>(count);
  const double n = static_cast<double>(count);

  // Average ranks of |d| (R's rank, ties.method = "average").
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::fabs(d[a]) < std::fabs(d[b]); });
  std::vector<double> rank(count);
  std::vector<double> tieSizes;
  for (size_t i = 0; i < count;) {
    size_t j = i + 1;
    while (j < count && std::fabs(d[order[j]]) == std::fabs(d[order[i]])) ++j;
    const double avg = (double(i + 1) + double(j)) / 2;
    for (size_t k = i; k < j; ++k) rank[order[k]] = avg;
    tieSizes.push_back(double(j - i));
    if (j - i > 1) r.ties = true;
    i = j;
  }
  double v = 0;
  for (size_t i = 0; i < count; ++i)
    if (d[i] > 0) v += rank[i];
  r.statistic = v;

  const bool exact = n < 50;
  if (exact && !r.ties && !zeros) {
    r.exact = true;
    r.method = "Wilcoxon signed rank exact test";
    const SignRank sr(static_cast<int>(count));
    switch (alternative) {
      case Alternative::TwoSided: {
        const double p = v > n * (n + 1) / 4 ? sr.cdf(v - 1, false) : sr.cdf(v, true);
        r.pValue = std::min(2 * p, 1.0);
        break;
      }
      case Alternative::Greater: r.pValue = sr.cdf(v - 1, false); break;
      case Alternative::Less: r.pValue = sr.cdf(v, true); break;
    }
    return r;
  }
  r.method = "Wilcoxon signed rank test with continuity correction";
  double z = v - n * (n + 1) / 4;
  double tieSum = 0;
  for (double t : tieSizes) tieSum += t * t * t - t;
  const double sigma = std::sqrt(n * (n + 1) * (2 * n + 1) / 24 - tieSum / 48);
  double correction = 0;
  switch (alternative) {
    case Alternative::TwoSided: correction = (z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0)); break;
    case Alternative::Greater: correction = 0.5; break;
    case Alternative::Less: correction = -0.5; break;
  }
  z = (z - correction) / sigma;
  if (std::isnan(z)) {
    r.pValue = kNaN;
    return r;
  }
  switch (alternative) {
    case Alternative::Less: r.pValue = pnorm(z, true); break;
    case Alternative::Greater: r.pValue = pnorm(z, false); break;
    case Alternative::TwoSided: r.pValue = 2 * std::min(pnorm(z, true), pnorm(z, false)); break;
  }
  return r;
}

SignTestResult signTest(std::span<const double> x, std::span<const double> y, Alternative alternative) {
  if (x.size() != y.size())
    throwUsageError("bench.sign_test: x and y must have the same length ({} vs {})", x.size(), y.size());
  SignTestResult r;
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) continue;
    if (x[i] > y[i]) ++r.positive;
    else if (x[i] < y[i]) ++r.negative;
    else ++r.ties;
  }
  const std::int64_t n = r.positive + r.negative;
  if (n == 0) {
    r.pValue = kNaN;
    return r;
  }
  change::TestOptions o;
  o.alternative = alternative;
  r.pValue = change::binomTest(r.positive, n, 0.5, o).pValue;
  return r;
}

}  // namespace trygg::geo::bench
