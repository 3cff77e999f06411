// Exact count tests against golden values written by R (tests/reference/change/make_poisson.R).
#include "geo/change/exact_tests.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/reference_csv.hpp"

using namespace trygg::geo::change;
using trygg::test::nearRel;
using trygg::test::readReferenceCsv;

namespace {
constexpr double kRel = 1e-10;  // stated tolerance against R
const std::string kDir = std::string(TRYGG_REFERENCE_DIR) + "/change/";

TestOptions opts(const trygg::test::CsvRow& row, double conf = 0.95) {
  TestOptions o;
  o.alternative = parseAlternative(row.str("alternative"));
  o.confLevel = conf;
  return o;
}
}  // namespace

TEST(BinomTest, MatchesR) {
  const auto rows = readReferenceCsv(kDir + "binom.csv");
  ASSERT_GE(rows.size(), 30u);
  for (const auto& row : rows) {
    SCOPED_TRACE("x=" + row.str("x") + " n=" + row.str("n") + " p=" + row.str("p") + " " + row.str("alternative"));
    const auto r = binomTest(row.integer("x"), row.integer("n"), row.num("p"), opts(row));
    EXPECT_TRUE(nearRel(r.estimate, row.num("estimate"), kRel));
    EXPECT_TRUE(nearRel(r.pValue, row.num("p_value"), kRel)) << r.pValue << " vs " << row.num("p_value");
    EXPECT_TRUE(nearRel(r.confLow, row.num("conf_low"), kRel)) << r.confLow << " vs " << row.num("conf_low");
    EXPECT_TRUE(nearRel(r.confHigh, row.num("conf_high"), kRel)) << r.confHigh << " vs " << row.num("conf_high");
  }
}

TEST(PoissonTest, TwoSampleMatchesR) {
  const auto rows = readReferenceCsv(kDir + "poisson_two_sample.csv");
  ASSERT_GE(rows.size(), 80u);
  for (const auto& row : rows) {
    SCOPED_TRACE("a=" + row.str("a") + " b=" + row.str("b") + " t=" + row.str("t_a") + "," + row.str("t_b") +
                 " r=" + row.str("r") + " " + row.str("alternative"));
    const auto r = poissonTest(row.integer("a"), row.integer("b"), row.num("t_a"), row.num("t_b"), row.num("r"),
                               opts(row, row.num("conf_level")));
    EXPECT_TRUE(nearRel(r.rateRatio, row.num("estimate"), kRel)) << r.rateRatio;
    EXPECT_TRUE(nearRel(r.pValue, row.num("p_value"), kRel)) << r.pValue << " vs " << row.num("p_value");
    EXPECT_TRUE(nearRel(r.confLow, row.num("conf_low"), kRel)) << r.confLow << " vs " << row.num("conf_low");
    EXPECT_TRUE(nearRel(r.confHigh, row.num("conf_high"), kRel)) << r.confHigh << " vs " << row.num("conf_high");
  }
}

TEST(PoissonTest, OneSampleMatchesR) {
  const auto rows = readReferenceCsv(kDir + "poisson_one_sample.csv");
  ASSERT_GE(rows.size(), 45u);
  for (const auto& row : rows) {
    SCOPED_TRACE("x=" + row.str("x") + " T=" + row.str("t") + " r=" + row.str("r") + " " + row.str("alternative"));
    const auto r = poissonTestOneSample(row.integer("x"), row.num("t"), row.num("r"), opts(row));
    EXPECT_TRUE(nearRel(r.rate, row.num("estimate"), kRel));
    EXPECT_TRUE(nearRel(r.pValue, row.num("p_value"), kRel)) << r.pValue << " vs " << row.num("p_value");
    EXPECT_TRUE(nearRel(r.confLow, row.num("conf_low"), kRel)) << r.confLow << " vs " << row.num("conf_low");
    EXPECT_TRUE(nearRel(r.confHigh, row.num("conf_high"), kRel)) << r.confHigh << " vs " << row.num("conf_high");
  }
}

TEST(PoissonTest, TwoSidedIsNotDoubleTheOneSided) {
  // 3 events in 1 year vs 11 in 2 years: the conditional binomial is skewed
  // (p = 1/3), and R's two-sided p sums the outcomes no more likely than 3.
  TestOptions less;
  less.alternative = Alternative::Less;
  const auto two = poissonTest(3, 11, 1, 2);
  const auto one = poissonTest(3, 11, 1, 2, 1, less);
  EXPECT_LT(two.pValue, 2 * one.pValue);
  EXPECT_GT(two.pValue, one.pValue);
}

TEST(PoissonTest, RejectsBadInput) {
  EXPECT_THROW(poissonTest(-1, 3, 1, 1), trygg::UsageError);
  EXPECT_THROW(poissonTest(1, 3, 0, 0), trygg::UsageError);
  EXPECT_THROW(poissonTestOneSample(1, -2), trygg::UsageError);
  TestOptions bad;
  bad.confLevel = 1.5;
  EXPECT_THROW(binomTest(1, 3, 0.5, bad), trygg::UsageError);
  EXPECT_THROW(parseAlternative("both"), trygg::UsageError);
}

TEST(RatioOfRateRatios, MatchesPoissonGlmInteraction) {
  // R: the period × group interaction of a saturated Poisson GLM (Wald).
  // glm() converges iteratively, hence 1e-8 here rather than 1e-10.
  const auto rows = readReferenceCsv(kDir + "rate_ratio_ratio.csv");
  ASSERT_GE(rows.size(), 6u);
  for (const auto& row : rows) {
    SCOPED_TRACE("treated " + row.str("a_t") + "/" + row.str("b_t") + " control " + row.str("a_c") + "/" + row.str("b_c"));
    RateCounts t{row.integer("a_t"), row.integer("b_t"), row.num("ta_t"), row.num("tb_t")};
    RateCounts c{row.integer("a_c"), row.integer("b_c"), row.num("ta_c"), row.num("tb_c")};
    const auto r = ratioOfRateRatios(t, c);
    EXPECT_FALSE(r.continuityCorrected);
    EXPECT_TRUE(nearRel(r.ratio, row.num("ratio"), 1e-8)) << r.ratio;
    EXPECT_TRUE(nearRel(r.logSe, row.num("se"), 1e-8)) << r.logSe;
    EXPECT_NEAR(r.pValue, row.num("p_value"), 1e-8);
    EXPECT_TRUE(nearRel(r.confLow, row.num("conf_low"), 1e-8)) << r.confLow;
    EXPECT_TRUE(nearRel(r.confHigh, row.num("conf_high"), 1e-8)) << r.confHigh;
  }
}

TEST(RatioOfRateRatios, ZeroCountUsesHaldaneCorrection) {
  const auto r = ratioOfRateRatios({0, 10, 1, 1}, {20, 20, 1, 1});
  EXPECT_TRUE(r.continuityCorrected);
  EXPECT_NEAR(r.ratio, (0.5 / 10.5) / (20.5 / 20.5), 1e-15);
  EXPECT_NEAR(r.logSe, std::sqrt(1 / 0.5 + 1 / 10.5 + 2 / 20.5), 1e-15);
}
