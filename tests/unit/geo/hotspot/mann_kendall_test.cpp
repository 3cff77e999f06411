// Mann–Kendall against R's cor.test(method = "kendall", exact = FALSE,
// continuity = TRUE): tests/reference/emerging/mann_kendall.{R,csv}.
#include "geo/hotspot/mann_kendall.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

TEST(MannKendall, MatchesRCorTestKendall) {
  std::ifstream in(std::string(TRYGG_REFERENCE_DIR) + "/emerging/mann_kendall.csv");
  ASSERT_TRUE(in) << "missing tests/reference/emerging/mann_kendall.csv";
  std::string line;
  std::getline(in, line);  // header
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = split(line, ',');
    ASSERT_EQ(f.size(), 8u) << line;
    std::vector<double> x;
    for (const auto& v : split(f[7], ';')) x.push_back(std::stod(v));
    const auto r = mannKendall(x);
    SCOPED_TRACE(f[0]);
    EXPECT_EQ(r.n, std::stoi(f[1]));
    EXPECT_EQ(r.s, std::stod(f[2]));
    EXPECT_NEAR(r.var_s, std::stod(f[3]), 1e-9);
    EXPECT_NEAR(r.z, std::stod(f[4]), 1e-12);
    const double p = std::stod(f[5]);
    EXPECT_NEAR(r.p, p, 1e-12 * std::max(1.0, p));
    EXPECT_LE(std::fabs(r.p - p) / p, 1e-9);
    EXPECT_NEAR(r.tau, std::stod(f[6]), 1e-12);
    ++rows;
  }
  EXPECT_EQ(rows, 7);
}

TEST(MannKendall, HandComputedSmallSeries) {
  // 1, 3, 2: pairs (1,3)+ (1,2)+ (3,2)- -> S = 1; Var = 3*2*11/18 = 11/3.
  const double x[] = {1, 3, 2};
  const auto r = mannKendall(x);
  EXPECT_EQ(r.s, 1);
  EXPECT_DOUBLE_EQ(r.var_s, 11.0 / 3.0);
  EXPECT_EQ(r.z, 0);  // continuity correction: S − 1 = 0
  EXPECT_EQ(r.p, 1);
  EXPECT_DOUBLE_EQ(r.tau, 1.0 / 3.0);
}

TEST(MannKendall, TwoStepsAndDegenerateSeries) {
  const double two[] = {2, 1};
  auto r = mannKendall(two);
  EXPECT_EQ(r.s, -1);
  EXPECT_DOUBLE_EQ(r.var_s, 1.0);
  EXPECT_EQ(r.z, 0);
  EXPECT_EQ(r.p, 1);
  EXPECT_DOUBLE_EQ(r.tau, -1);

  const double flat[] = {4, 4, 4, 4};
  r = mannKendall(flat);
  EXPECT_EQ(r.s, 0);
  EXPECT_EQ(r.var_s, 0);
  EXPECT_EQ(r.z, 0);
  EXPECT_EQ(r.p, 1);
  EXPECT_EQ(r.tau, 0);

  r = mannKendall(std::span<const double>{});
  EXPECT_EQ(r.n, 0);
  EXPECT_EQ(r.p, 1);

  const double one[] = {7};
  r = mannKendall(one);
  EXPECT_EQ(r.n, 1);
  EXPECT_EQ(r.p, 1);
}

TEST(MannKendall, RefusesNaN) {
  const double x[] = {1, std::numeric_limits<double>::quiet_NaN(), 3};
  EXPECT_THROW(mannKendall(x), UsageError);
}

TEST(MannKendall, ReversalNegatesSAndZ) {
  const double up[] = {0.1, 0.5, 0.4, 0.9, 1.3, 1.2, 2.0};
  const double down[] = {2.0, 1.2, 1.3, 0.9, 0.4, 0.5, 0.1};
  const auto a = mannKendall(up);
  const auto b = mannKendall(down);
  EXPECT_EQ(a.s, -b.s);
  EXPECT_DOUBLE_EQ(a.z, -b.z);
  EXPECT_DOUBLE_EQ(a.p, b.p);
}

}  // namespace
}  // namespace trygg::geo::hotspot
