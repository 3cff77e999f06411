#include "geo/index/stacks.hpp"

#include <random>

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace trygg::geo {
namespace {

TEST(Stacks, FlagsOnlyCoordinatesSharedByAtLeastMinStackPoints) {
  std::mt19937_64 rng(3);
  SCOPED_TRACE("seed 3");
  std::uniform_real_distribution<double> u(0, 1000);
  std::vector<Point> pts;
  for (int i = 0; i < 500; ++i) pts.push_back({u(rng), u(rng)});
  for (int i = 0; i < 25; ++i) pts.push_back({560000.0, 6700000.0});  // municipality centroid
  for (int i = 0; i < 19; ++i) pts.push_back({10.0, 20.0});           // one short of a stack
  pts.push_back({-0.0, 5.0});
  for (int i = 0; i < 19; ++i) pts.push_back({0.0, 5.0});             // -0 == +0: 20 points
  std::shuffle(pts.begin(), pts.end(), rng);
  const auto mask = stackedMask(pts);
  ASSERT_EQ(mask.size(), pts.size());
  std::size_t flagged = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const bool want = (pts[i].x == 560000.0 && pts[i].y == 6700000.0) || (pts[i].x == 0 && pts[i].y == 5.0);
    EXPECT_EQ(mask[i] != 0, want) << i;
    flagged += mask[i];
  }
  EXPECT_EQ(flagged, 45u);
  const auto stacks = findStacks(pts);
  ASSERT_EQ(stacks.size(), 2u);
  EXPECT_EQ(stacks[0].count, 25u);
  EXPECT_EQ(stacks[1].count, 20u);
  EXPECT_EQ(stackedMask(pts, 26), std::vector<std::uint8_t>(pts.size(), 0));
  EXPECT_THROW(stackedMask(pts, 1), UsageError);
}

}  // namespace
}  // namespace trygg::geo
