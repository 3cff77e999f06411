// FDR adjustments against R p.adjust, bins, and the permutation RNG.
#include "geo/hotspot/inference.hpp"

#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

const std::vector<double> kP{0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.049, 0.0001, 0.9, 0.04};

TEST(Inference, BenjaminiHochbergMatchesRPAdjust) {
  // R: p.adjust(p, "BH")
  const std::vector<double> want{0.033333333333333333, 0.066666666666666666, 0.066666666666666666,
                                 0.025000000000000001, 0.25, 0.55555555555555558, 0.070000000000000007,
                                 0.001, 0.90000000000000002, 0.066666666666666666};
  const auto got = benjaminiHochberg(kP);
  for (std::size_t i = 0; i < kP.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-15) << i;
}

TEST(Inference, BenjaminiYekutieliMatchesRPAdjust) {
  // R: p.adjust(p, "BY")
  const std::vector<double> want{0.097632275132275126, 0.19526455026455025, 0.19526455026455025,
                                 0.073224206349206344, 0.73224206349206344, 1, 0.20502777777777778,
                                 0.0029289682539682541, 1, 0.19526455026455025};
  const auto got = benjaminiYekutieli(kP);
  for (std::size_t i = 0; i < kP.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-15) << i;
}

TEST(Inference, CutoffAgreesWithAdjustedP) {
  const auto adj = benjaminiHochberg(kP);
  for (double alpha : {0.001, 0.01, 0.05, 0.07, 0.1, 0.6}) {
    const double cut = benjaminiHochbergCutoff(kP, alpha);
    for (std::size_t i = 0; i < kP.size(); ++i) EXPECT_EQ(kP[i] <= cut && cut > 0, adj[i] <= alpha) << alpha << " " << i;
  }
  EXPECT_EQ(benjaminiHochbergCutoff(std::vector<double>{0.5, 0.9}, 0.05), 0.0);
}

TEST(Inference, NaNsAreSkipped) {
  const std::vector<double> p{0.01, NAN, 0.02};
  const auto adj = benjaminiHochberg(p);
  EXPECT_DOUBLE_EQ(adj[0], 0.02);
  EXPECT_TRUE(std::isnan(adj[1]));
  EXPECT_DOUBLE_EQ(adj[2], 0.02);
}

TEST(Inference, ConfidenceBinsAreArcGIS) {
  EXPECT_EQ(confidenceBin(3.0, 0.0099), 3);
  EXPECT_EQ(confidenceBin(3.0, 0.01), 2);  // strict: p < 0.01
  EXPECT_EQ(confidenceBin(-2.0, 0.049), -2);
  EXPECT_EQ(confidenceBin(-1.7, 0.0999), -1);
  EXPECT_EQ(confidenceBin(1.0, 0.10), 0);
  EXPECT_EQ(confidenceBin(1.0, NAN), 0);
  EXPECT_NEAR(twoSidedNormalP(1.959963984540054), 0.05, 1e-15);
}

TEST(Inference, LocationStreamsAreUniformAndDistinct) {
  LocationRng a(1, 0), b(1, 1), c(2, 0);
  EXPECT_NE(a.next(), b.next());
  EXPECT_NE(LocationRng(1, 0).next(), c.next());
  // Uniformity of below(7): chi-square with 6 df, 70,000 draws.
  LocationRng r(5, 17);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) ++counts[r.below(7)];
  double chi2 = 0;
  for (int k : counts) chi2 += (k - 10000.0) * (k - 10000.0) / 10000.0;
  EXPECT_LT(chi2, 22.46);  // 0.999 quantile
}

TEST(Inference, PermutationLargePoolUsesFisherYates) {
  // A neighbourhood of more than 32 slots goes through the partial Fisher-Yates path;
  // the draws must still be distinct: with all others as neighbours every permuted
  // lag ties with the observed one.
  const std::size_t n = 60;
  Weights w;
  w.offsets = {0};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      w.neighbours.push_back(static_cast<std::uint32_t>(j));
      w.weights.push_back(1.0);
    }
    w.offsets.push_back(static_cast<std::uint32_t>(w.neighbours.size()));
  }
  w.includes_self = true;
  std::vector<double> x(n), lag(n);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += (x[i] = std::sqrt(static_cast<double>(i) + 0.5));
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::uint32_t j : w.row(i)) s += x[j];  // the same summation order as the draws cannot be assumed
    lag[i] = s;
  }
  const auto out = conditionalPermutation(x, w, lag, {}, 49, 1);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_NEAR(out.mean[i], total, 1e-9) << i;
    EXPECT_LT(out.sd[i], 1e-9) << i;
  }
  EXPECT_THROW(conditionalPermutation(x, w, lag, {}, 0, 1), UsageError);
}

}  // namespace
}  // namespace trygg::geo::hotspot
