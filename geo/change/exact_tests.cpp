#include "geo/change/exact_tests.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "core/error.hpp"

namespace trygg::geo::change {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// R's tolerance for "no more likely than the observed outcome" (binom.test,
// poisson.test, fisher.test): d_i <= d_x * (1 + 1e-7).
constexpr double kRelErr = 1 + 1e-7;

void checkConfLevel(double conf) {
  if (!(conf > 0 && conf < 1)) throwUsageError("change: conf_level must be in (0, 1) (got {}); use e.g. 0.95", conf);
}

// --- binomial ------------------------------------------------------------
double dbinom(std::int64_t k, std::int64_t n, double p) {
  if (k < 0 || k > n) return 0;
  if (n == 0) return 1;
  if (p == 0) return k == 0 ? 1 : 0;
  if (p == 1) return k == n ? 1 : 0;
  return boost::math::pdf(boost::math::binomial_distribution<double>(static_cast<double>(n), p),
                          static_cast<double>(k));
}
// P(X <= k)
double pbinomLower(std::int64_t k, std::int64_t n, double p) {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p == 0) return 1;
  if (p == 1) return 0;
  return boost::math::cdf(boost::math::binomial_distribution<double>(static_cast<double>(n), p),
                          static_cast<double>(k));
}
// P(X > k)
double pbinomUpper(std::int64_t k, std::int64_t n, double p) {
  if (k < 0) return 1;
  if (k >= n) return 0;
  if (p == 0) return 0;
  if (p == 1) return 1;
  return boost::math::cdf(boost::math::complement(
      boost::math::binomial_distribution<double>(static_cast<double>(n), p), static_cast<double>(k)));
}

// --- Poisson -------------------------------------------------------------
double dpois(std::int64_t k, double m) {
  if (k < 0) return 0;
  if (m == 0) return k == 0 ? 1 : 0;
  return boost::math::pdf(boost::math::poisson_distribution<double>(m), static_cast<double>(k));
}
double ppoisLower(std::int64_t k, double m) {
  if (k < 0) return 0;
  if (m == 0) return 1;
  return boost::math::gamma_q(static_cast<double>(k) + 1, m);
}
double ppoisUpper(std::int64_t k, double m) {
  if (k < 0) return 1;
  if (m == 0) return 0;
  return boost::math::gamma_p(static_cast<double>(k) + 1, m);
}

// Number of consecutive outcomes, walking from `start` in steps of `step`, whose
// probability exceeds `limit`. R counts the outcomes at or below the limit over
// the whole tail; the distributions are unimodal and the walk starts at or past
// the mode, so counting the ones above from the mode side gives the same number
// in O(|x − mean|) instead of O(n).
template <typename Density>
std::int64_t countAbove(std::int64_t start, std::int64_t step, std::int64_t stop, double limit, Density density) {
  std::int64_t above = 0;
  for (std::int64_t i = start; step > 0 ? i <= stop : i >= stop; i += step) {
    if (!(density(i) > limit)) break;
    ++above;
  }
  return above;
}

}  // namespace

Alternative parseAlternative(std::string_view text) {
  if (text == "two.sided" || text == "two_sided" || text == "two-sided") return Alternative::TwoSided;
  if (text == "less") return Alternative::Less;
  if (text == "greater") return Alternative::Greater;
  throwUsageError("change: alternative '{}' is not known; use two_sided, less or greater", text);
}

std::string_view toString(Alternative alternative) {
  switch (alternative) {
    case Alternative::TwoSided: return "two_sided";
    case Alternative::Less: return "less";
    case Alternative::Greater: return "greater";
  }
  return "two_sided";
}

BinomTestResult binomTest(std::int64_t x, std::int64_t n, double p, const TestOptions& options) {
  if (n < 0 || x < 0 || x > n) throwUsageError("change.binom_test: need 0 <= x <= n (got x = {}, n = {})", x, n);
  if (!(p >= 0 && p <= 1)) throwUsageError("change.binom_test: p must be in [0, 1] (got {})", p);
  checkConfLevel(options.confLevel);
  BinomTestResult res;
  res.x = x;
  res.n = n;
  res.estimate = n == 0 ? kNaN : static_cast<double>(x) / static_cast<double>(n);

  switch (options.alternative) {
    case Alternative::Less: res.pValue = pbinomLower(x, n, p); break;
    case Alternative::Greater: res.pValue = pbinomUpper(x - 1, n, p); break;
    case Alternative::TwoSided: {
      if (p == 0) {
        res.pValue = x == 0 ? 1 : 0;
      } else if (p == 1) {
        res.pValue = x == n ? 1 : 0;
      } else {
        const double d = dbinom(x, n, p);
        const double m = static_cast<double>(n) * p;
        const double limit = d * kRelErr;
        auto dens = [&](std::int64_t i) { return dbinom(i, n, p); };
        if (static_cast<double>(x) == m) {
          res.pValue = 1;
        } else if (static_cast<double>(x) < m) {
          const auto start = static_cast<std::int64_t>(std::ceil(m));
          const std::int64_t above = countAbove(start, 1, n, limit, dens);
          res.pValue = pbinomLower(x, n, p) + pbinomUpper(start + above - 1, n, p);
        } else {
          const auto start = static_cast<std::int64_t>(std::floor(m));
          const std::int64_t above = countAbove(start, -1, 0, limit, dens);
          res.pValue = pbinomLower(start - above, n, p) + pbinomUpper(x - 1, n, p);
        }
      }
      break;
    }
  }

  // Clopper–Pearson limits through the beta quantile, as R's p.L / p.U.
  const double xd = static_cast<double>(x);
  const double nd = static_cast<double>(n);
  auto pL = [&](double alpha) { return x == 0 ? 0.0 : boost::math::ibeta_inv(xd, nd - xd + 1, alpha); };
  auto pU = [&](double alpha) { return x == n ? 1.0 : boost::math::ibeta_inv(xd + 1, nd - xd, 1 - alpha); };
  const double conf = options.confLevel;
  switch (options.alternative) {
    case Alternative::Less: res.confLow = 0; res.confHigh = pU(1 - conf); break;
    case Alternative::Greater: res.confLow = pL(1 - conf); res.confHigh = 1; break;
    case Alternative::TwoSided: {
      const double alpha = (1 - conf) / 2;
      res.confLow = pL(alpha);
      res.confHigh = pU(alpha);
      break;
    }
  }
  return res;
}

PoissonTestResult poissonTest(std::int64_t a, std::int64_t b, double tA, double tB, double r,
                              const TestOptions& options) {
  if (a < 0 || b < 0) throwUsageError("change.poisson_test: counts must be >= 0 (got {} and {})", a, b);
  if (!(tA >= 0) || !(tB >= 0) || !std::isfinite(tA) || !std::isfinite(tB))
    throwUsageError("change.poisson_test: exposures must be finite and >= 0 (got {} and {})", tA, tB);
  if (!(r >= 0) || !std::isfinite(r)) throwUsageError("change.poisson_test: r must be a finite number >= 0 (got {})", r);
  const double p = r * tA / (r * tA + tB);
  if (!(p >= 0 && p <= 1))
    throwUsageError("change.poisson_test: r·t_a + t_b must be > 0 (got t_a = {}, t_b = {}, r = {})", tA, tB, r);

  const BinomTestResult bt = binomTest(a, a + b, p, options);
  PoissonTestResult res;
  res.a = a;
  res.b = b;
  res.tA = tA;
  res.tB = tB;
  const double n = static_cast<double>(a + b);
  res.expectedA = n * r * tA / (tA + tB * r);
  res.rateRatio = (static_cast<double>(a) / tA) / (static_cast<double>(b) / tB);
  res.pValue = bt.pValue;
  // R: pp/(1 - pp) * T[2]/T[1]; pp = 1 maps to +Inf.
  auto toRatio = [&](double pp) { return pp / (1 - pp) * tB / tA; };
  res.confLow = toRatio(bt.confLow);
  res.confHigh = toRatio(bt.confHigh);
  return res;
}

PoissonOneSampleResult poissonTestOneSample(std::int64_t x, double t, double r, const TestOptions& options) {
  if (x < 0) throwUsageError("change.poisson_test: count must be >= 0 (got {})", x);
  if (!(t >= 0) || !std::isfinite(t)) throwUsageError("change.poisson_test: exposure must be finite and >= 0 (got {})", t);
  if (!(r >= 0) || !std::isfinite(r)) throwUsageError("change.poisson_test: r must be a finite number >= 0 (got {})", r);
  checkConfLevel(options.confLevel);
  PoissonOneSampleResult res;
  res.x = x;
  res.t = t;
  const double m = r * t;
  res.expected = m;
  res.rate = static_cast<double>(x) / t;

  switch (options.alternative) {
    case Alternative::Less: res.pValue = ppoisLower(x, m); break;
    case Alternative::Greater: res.pValue = ppoisUpper(x - 1, m); break;
    case Alternative::TwoSided: {
      if (m == 0) {
        res.pValue = x == 0 ? 1 : 0;
        break;
      }
      const double d = dpois(x, m);
      const double limit = d * kRelErr;
      auto dens = [&](std::int64_t i) { return dpois(i, m); };
      if (static_cast<double>(x) == m) {
        res.pValue = 1;
      } else if (static_cast<double>(x) < m) {
        const auto start = static_cast<std::int64_t>(std::ceil(m));
        const std::int64_t above =
            countAbove(start, 1, std::numeric_limits<std::int64_t>::max() - 1, limit, dens);
        res.pValue = ppoisLower(x, m) + ppoisUpper(start + above - 1, m);
      } else {
        const auto start = static_cast<std::int64_t>(std::floor(m));
        const std::int64_t above = countAbove(start, -1, 0, limit, dens);
        res.pValue = ppoisLower(start - above, m) + ppoisUpper(x - 1, m);
      }
      break;
    }
  }

  const double xd = static_cast<double>(x);
  auto pL = [&](double alpha) { return x == 0 ? 0.0 : boost::math::gamma_p_inv(xd, alpha); };
  auto pU = [&](double alpha) { return boost::math::gamma_p_inv(xd + 1, 1 - alpha); };
  const double conf = options.confLevel;
  switch (options.alternative) {
    case Alternative::Less: res.confLow = 0; res.confHigh = pU(1 - conf); break;
    case Alternative::Greater: res.confLow = pL(1 - conf); res.confHigh = kInf; break;
    case Alternative::TwoSided: {
      const double alpha = (1 - conf) / 2;
      res.confLow = pL(alpha);
      res.confHigh = pU(alpha);
      break;
    }
  }
  res.confLow /= t;
  res.confHigh /= t;
  return res;
}

RateRatioComparison ratioOfRateRatios(const RateCounts& treated, const RateCounts& control,
                                      const TestOptions& options) {
  for (const RateCounts* c : {&treated, &control}) {
    if (c->a < 0 || c->b < 0) throwUsageError("change.ratio_of_rate_ratios: counts must be >= 0");
    if (!(c->tA > 0) || !(c->tB > 0) || !std::isfinite(c->tA) || !std::isfinite(c->tB))
      throwUsageError("change.ratio_of_rate_ratios: exposures must be finite and > 0 (got {} and {})", c->tA, c->tB);
  }
  checkConfLevel(options.confLevel);
  RateRatioComparison res;
  double aT = static_cast<double>(treated.a), bT = static_cast<double>(treated.b);
  double aC = static_cast<double>(control.a), bC = static_cast<double>(control.b);
  if (aT == 0 || bT == 0 || aC == 0 || bC == 0) {
    aT += 0.5;
    bT += 0.5;
    aC += 0.5;
    bC += 0.5;
    res.continuityCorrected = true;
  }
  res.rrTreated = (aT / treated.tA) / (bT / treated.tB);
  res.rrControl = (aC / control.tA) / (bC / control.tB);
  const double logRatio = std::log(res.rrTreated) - std::log(res.rrControl);
  res.ratio = std::exp(logRatio);
  res.logSe = std::sqrt(1 / aT + 1 / bT + 1 / aC + 1 / bC);
  res.z = logRatio / res.logSe;
  const boost::math::normal_distribution<double> norm;
  const double conf = options.confLevel;
  switch (options.alternative) {
    case Alternative::TwoSided: {
      res.pValue = 2 * boost::math::cdf(boost::math::complement(norm, std::fabs(res.z)));
      const double q = boost::math::quantile(boost::math::complement(norm, (1 - conf) / 2));
      res.confLow = std::exp(logRatio - q * res.logSe);
      res.confHigh = std::exp(logRatio + q * res.logSe);
      break;
    }
    case Alternative::Less: {
      res.pValue = boost::math::cdf(norm, res.z);
      const double q = boost::math::quantile(boost::math::complement(norm, 1 - conf));
      res.confLow = 0;
      res.confHigh = std::exp(logRatio + q * res.logSe);
      break;
    }
    case Alternative::Greater: {
      res.pValue = boost::math::cdf(boost::math::complement(norm, res.z));
      const double q = boost::math::quantile(boost::math::complement(norm, 1 - conf));
      res.confLow = std::exp(logRatio - q * res.logSe);
      res.confHigh = kInf;
      break;
    }
  }
  return res;
}

}  // namespace trygg::geo::change
