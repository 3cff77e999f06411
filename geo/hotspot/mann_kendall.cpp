// Mann–Kendall trend test; see mann_kendall.hpp for the formulas and source.
#include "geo/hotspot/mann_kendall.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace trygg::geo::hotspot {

MannKendallResult mannKendall(std::span<const double> x) {
  MannKendallResult r;
  const auto n = static_cast<long long>(x.size());
  r.n = static_cast<int>(n);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      throwUsageError("mann_kendall: value {} of the series is NaN; remove or fill missing steps first", i);
    }
  }
  if (n < 2) return r;

  long long s = 0;
  for (long long i = 0; i + 1 < n; ++i) {
    for (long long j = i + 1; j < n; ++j) {
      s += (x[j] > x[i]) - (x[j] < x[i]);
    }
  }

  // Tie groups: sort a copy and count runs of equal values.
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  double tie_var = 0;    // Σ t(t−1)(2t+5)
  double tie_pairs = 0;  // Σ t(t−1)/2
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i + 1;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    const auto t = static_cast<double>(j - i);
    if (t > 1) {
      tie_var += t * (t - 1) * (2 * t + 5);
      tie_pairs += t * (t - 1) / 2;
    }
    i = j;
  }
  const auto nd = static_cast<double>(n);
  const double var_s = (nd * (nd - 1) * (2 * nd + 5) - tie_var) / 18.0;
  const double pairs = nd * (nd - 1) / 2;

  r.s = static_cast<double>(s);
  r.var_s = var_s;
  if (var_s <= 0) return r;  // every value tied: no trend (R gives NA)

  const double s_cc = r.s > 0 ? r.s - 1 : (r.s < 0 ? r.s + 1 : 0.0);
  r.z = s_cc / std::sqrt(var_s);
  r.p = std::erfc(std::fabs(r.z) / std::sqrt(2.0));
  r.tau = r.s / std::sqrt((pairs - tie_pairs) * pairs);
  return r;
}

}  // namespace trygg::geo::hotspot
