// WDQ (Bowers & Johnson 2003), hand-computed cases and METHODS.md §8's worked example.
#include "geo/change/wdq.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace trygg::geo::change;

TEST(Wdq, WorkedExampleGivesMinusOne) {
  // A 100→50, B 100→150, C 100→100: success = 0.5 − 1 = −0.5, buffer = 1.5 − 1 = 0.5.
  const auto r = weightedDisplacementQuotient({100, 50, 100, 150, 100, 100});
  ASSERT_TRUE(r.applicable);
  EXPECT_DOUBLE_EQ(r.successMeasure, -0.5);
  EXPECT_DOUBLE_EQ(r.bufferMeasure, 0.5);
  EXPECT_DOUBLE_EQ(r.wdq, -1);
  EXPECT_EQ(r.verdict, WdqVerdict::Displacement);  // equal to the gain, not larger
}

TEST(Wdq, DiffusionOfBenefits) {
  // A 80→40, B 60→45, C 200→200: success = 0.2 − 0.4 = −0.2, buffer = 0.225 − 0.3 = −0.075.
  const auto r = weightedDisplacementQuotient({80, 40, 60, 45, 200, 200});
  ASSERT_TRUE(r.applicable);
  EXPECT_NEAR(r.wdq, 0.375, 1e-15);
  EXPECT_EQ(r.verdict, WdqVerdict::DiffusionOfBenefits);
}

TEST(Wdq, DisplacementLargerThanGain) {
  // A 100→90, B 50→80, C 100→100: success −0.1, buffer 0.3 → WDQ −3.
  const auto r = weightedDisplacementQuotient({100, 90, 50, 80, 100, 100});
  ASSERT_TRUE(r.applicable);
  EXPECT_NEAR(r.wdq, -3, 1e-12);
  EXPECT_EQ(r.verdict, WdqVerdict::DisplacementExceedsGain);
}

TEST(Wdq, ControlTrendIsTakenIntoAccount) {
  // Treated fell 100→80 but the control fell 100→50: relative to it the treated area got worse.
  const auto r = weightedDisplacementQuotient({100, 80, 100, 100, 100, 50});
  EXPECT_FALSE(r.applicable);
  EXPECT_NEAR(r.successMeasure, 0.6, 1e-15);
  EXPECT_TRUE(std::isnan(r.wdq));
  EXPECT_NE(r.reason.find("did not improve"), std::string::npos);
}

TEST(Wdq, NoChangeIsNotApplicable) {
  const auto r = weightedDisplacementQuotient({10, 10, 10, 10, 10, 10});
  EXPECT_FALSE(r.applicable);
  EXPECT_EQ(r.successMeasure, 0);
}

TEST(Wdq, ZeroControlIsNotApplicable) {
  const auto r = weightedDisplacementQuotient({10, 5, 10, 10, 0, 7});
  EXPECT_FALSE(r.applicable);
  EXPECT_TRUE(std::isnan(r.successMeasure));
  EXPECT_NE(r.reason.find("control area has no events in the before period"), std::string::npos);
}

TEST(Wdq, NoBufferChange) {
  const auto r = weightedDisplacementQuotient({100, 50, 40, 40, 100, 100});
  ASSERT_TRUE(r.applicable);
  EXPECT_EQ(r.wdq, 0);
  EXPECT_EQ(r.verdict, WdqVerdict::NoBufferChange);
}

TEST(Wdq, RejectsNegativeCounts) {
  EXPECT_THROW(weightedDisplacementQuotient({-1, 0, 0, 0, 1, 1}), trygg::UsageError);
}
