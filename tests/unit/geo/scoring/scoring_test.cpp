// geo/scoring: tables, bands (every threshold edge), combination rules, the
// small-count guard, changes and the share improved, and R's wilcox.test /
// poisson.test (tests/reference/scoring/make_scoring.R).
#include "geo/scoring/scoring.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/reference_csv.hpp"

using namespace trygg::geo::scoring;

namespace {

using trygg::test::readCsvRows;
std::vector<double> numbers(const std::string& s) {
  std::vector<double> v;
  std::stringstream ss(s);
  double x;
  while (ss >> x) v.push_back(x);
  return v;
}

}  // namespace

TEST(ScoreTable, InterpolatesAndClamps) {
  const ScoreTable t{{0, 2, 6}, {20, 10, 0}};  // incidents/year: 0 -> 20, 2 -> 10, 6 -> 0
  EXPECT_TRUE(t.problem().empty());
  EXPECT_DOUBLE_EQ(t(-1), 20);
  EXPECT_DOUBLE_EQ(t(0), 20);
  EXPECT_DOUBLE_EQ(t(1), 15);
  EXPECT_DOUBLE_EQ(t(2), 10);
  EXPECT_DOUBLE_EQ(t(4), 5);
  EXPECT_DOUBLE_EQ(t(6), 0);
  EXPECT_DOUBLE_EQ(t(60), 0);
  EXPECT_TRUE(std::isnan(t(NAN)));
  EXPECT_EQ(t.direction(), -1);
  EXPECT_EQ(ScoreTable::identity()(13.5), 13.5);
  EXPECT_EQ(ScoreTable::identity().direction(), 1);
  const ScoreTable one{{5}, {12}};
  EXPECT_DOUBLE_EQ(one(0), 12);
  EXPECT_DOUBLE_EQ(one(9), 12);
}

TEST(ScoreTable, Problems) {
  EXPECT_NE(ScoreTable{}.problem(), "");
  EXPECT_NE((ScoreTable{{0, 0}, {20, 10}}).problem().find("increase"), std::string::npos);
  EXPECT_NE((ScoreTable{{0, 1}, {20, 21}}).problem().find("outside 0..20"), std::string::npos);
  EXPECT_NE((ScoreTable{{0, 1}, {-1, 2}}).problem().find("outside 0..20"), std::string::npos);
  EXPECT_NE((ScoreTable{{0, 1}, {20}}).problem(), "");
}

TEST(Bands, EveryEdge) {
  const Bands b{7, 14};
  EXPECT_EQ(b.colourOf(0), Colour::Red);
  EXPECT_EQ(b.colourOf(6.999999), Colour::Red);
  EXPECT_EQ(b.colourOf(7), Colour::Yellow);  // a cut-off is the lowest score of the better colour
  EXPECT_EQ(b.colourOf(13.999999), Colour::Yellow);
  EXPECT_EQ(b.colourOf(14), Colour::Green);
  EXPECT_EQ(b.colourOf(20), Colour::Green);
  EXPECT_EQ(b.colourOf(NAN), Colour::NotAssessed);
  EXPECT_DOUBLE_EQ(b.middle(Colour::Red), 3.5);
  EXPECT_DOUBLE_EQ(b.middle(Colour::Yellow), 10.5);
  EXPECT_DOUBLE_EQ(b.middle(Colour::Green), 17);
  const Bands d;  // default thirds: the reader's written-colour mapping lands in the middle
  EXPECT_EQ(d.colourOf(20.0 / 6.0), Colour::Red);
  EXPECT_EQ(d.colourOf(10), Colour::Yellow);
  EXPECT_EQ(d.colourOf(100.0 / 6.0), Colour::Green);
  EXPECT_EQ(d.colourOf(20.0 / 3.0), Colour::Yellow);  // 1 on Safetipin's 0-3 scale
  EXPECT_EQ(d.colourOf(6), Colour::Red);
  EXPECT_EQ(d.colourOf(7), Colour::Yellow);
  EXPECT_EQ(d.colourOf(13), Colour::Yellow);
  EXPECT_EQ(d.colourOf(14), Colour::Green);
  EXPECT_DOUBLE_EQ(d.middle(Colour::Yellow), 10);
}

TEST(Bands, OutOfOrder) {
  EXPECT_TRUE((Bands{7, 14}).problem().empty());
  EXPECT_TRUE((Bands{7, 20}).problem().empty());
  EXPECT_NE((Bands{14, 7}).problem().find("out of order"), std::string::npos);
  EXPECT_NE((Bands{7, 7}).problem().find("out of order"), std::string::npos);
  EXPECT_NE((Bands{0, 7}).problem(), "");
  EXPECT_NE((Bands{7, 21}).problem(), "");
}

TEST(Colour, ParseAndWorst) {
  EXPECT_EQ(parseColour("Red"), Colour::Red);
  EXPECT_EQ(parseColour("gul"), Colour::Yellow);
  EXPECT_EQ(parseColour("grön"), Colour::Green);
  EXPECT_FALSE(parseColour("blue"));
  EXPECT_EQ(colourId(Colour::NotAssessed), "not_assessed");
  EXPECT_EQ(worseOf(Colour::Green, Colour::Red), Colour::Red);
  EXPECT_EQ(worseOf(Colour::NotAssessed, Colour::Yellow), Colour::Yellow);
  EXPECT_EQ(worseOf(Colour::Green, Colour::NotAssessed), Colour::Green);
  EXPECT_EQ(worseOf(Colour::NotAssessed, Colour::NotAssessed), Colour::NotAssessed);
}

TEST(Combine, Rules) {
  const std::vector<double> s{12, 5, NAN, 9, 16};
  EXPECT_DOUBLE_EQ(combine(s, Combine::Worst, 7), 5);
  EXPECT_DOUBLE_EQ(combine(s, Combine::Mean, 7), 10.5);
  EXPECT_DOUBLE_EQ(combine(s, Combine::Median, 7), 10.5);
  EXPECT_DOUBLE_EQ(combine(s, Combine::CountOfProblems, 7), 1);
  EXPECT_DOUBLE_EQ(combine(s, Combine::CountOfProblems, 12.5), 3);
  const std::vector<double> odd{3, 1, 2};
  EXPECT_DOUBLE_EQ(combine(odd, Combine::Median, 7), 2);
  const std::vector<double> none;
  EXPECT_TRUE(std::isnan(combine(none, Combine::Worst, 7)));
  EXPECT_TRUE(std::isnan(combine(none, Combine::Mean, 7)));
  EXPECT_DOUBLE_EQ(combine(none, Combine::CountOfProblems, 7), 0);
  EXPECT_EQ(parseCombine("count_of_problems"), Combine::CountOfProblems);
  EXPECT_EQ(parseCombine("Worst"), Combine::Worst);
  EXPECT_FALSE(parseCombine("max"));
}

TEST(PoissonTail, MatchesR) {
  const auto rows = readCsvRows(std::string(TRYGG_REFERENCE_DIR) + "/scoring/poisson_tail.csv");
  ASSERT_EQ(rows.size(), 35u);
  for (const auto& r : rows) {
    const auto x = std::stoll(r[0]);
    const double mu = std::stod(r[1]), p = std::stod(r[2]);
    EXPECT_NEAR(poissonUpperTail(x, mu), p, 1e-12 + 1e-10 * p) << x << " " << mu;
  }
  EXPECT_DOUBLE_EQ(poissonUpperTail(3, 0), 0);
}

TEST(Guard, Edges) {
  // 3 incidents where 0.2 are expected: p = 1 - ppois(2, 0.2) = 0.0011485
  auto g = smallCountGuard(3, 0.2);
  EXPECT_TRUE(g.allows_red);
  EXPECT_NEAR(g.p, 0.0011484812, 1e-9);
  EXPECT_EQ(guardColour(Colour::Red, g), Colour::Red);
  // 2 incidents: never red, whatever the p.
  g = smallCountGuard(2, 0.01);
  EXPECT_FALSE(g.allows_red);
  EXPECT_EQ(guardColour(Colour::Red, g), Colour::Yellow);
  EXPECT_EQ(guardColour(Colour::Green, g), Colour::Green);
  EXPECT_NE(g.reason.find("fewer than 3"), std::string::npos);
  // 5 where 2 are expected: p = 0.0526530 >= 0.05: not red.
  g = smallCountGuard(5, 2.0);
  EXPECT_NEAR(g.p, 0.05265302, 1e-8);
  EXPECT_FALSE(g.allows_red);
  // 6 where 2 are expected: p = 0.0165636 < 0.05: red allowed.
  g = smallCountGuard(6, 2.0);
  EXPECT_TRUE(g.allows_red);
  // configurable
  g = smallCountGuard(2, 0.01, {.min_count = 2, .alpha = 0.05});
  EXPECT_TRUE(g.allows_red);
  g = smallCountGuard(6, 2.0, {.min_count = 3, .alpha = 0.01});
  EXPECT_FALSE(g.allows_red);
}

TEST(Change, OfAndSummary) {
  EXPECT_EQ(changeOf(Colour::Red, Colour::Yellow), Change::Improved);
  EXPECT_EQ(changeOf(Colour::Red, Colour::Green), Change::Improved);
  EXPECT_EQ(changeOf(Colour::Green, Colour::Yellow), Change::Worse);
  EXPECT_EQ(changeOf(Colour::Yellow, Colour::Yellow), Change::Unchanged);
  EXPECT_EQ(changeOf(Colour::NotAssessed, Colour::Green), Change::NotComparable);
  EXPECT_EQ(changeOf(Colour::Red, Colour::NotAssessed), Change::NotComparable);

  ChangeSummary s;
  s.add(Colour::Red, Colour::Yellow);
  s.add(Colour::Red, Colour::Red);
  s.add(Colour::Yellow, Colour::Green);
  s.add(Colour::Green, Colour::Green);
  s.add(Colour::Green, Colour::Yellow);
  s.add(Colour::NotAssessed, Colour::Green);
  s.add(Colour::Yellow, Colour::Yellow);
  s.add(Colour::Red, Colour::Green);
  EXPECT_EQ(s.pairs, 7);
  EXPECT_EQ(s.improved, 3);
  EXPECT_EQ(s.unchanged, 3);
  EXPECT_EQ(s.worse, 1);
  EXPECT_EQ(s.not_comparable, 1);
  EXPECT_EQ(s.not_green_before, 5);
  EXPECT_DOUBLE_EQ(s.shareImproved(), 3.0 / 7);
  EXPECT_DOUBLE_EQ(s.shareImprovedNotGreen(), 3.0 / 5);
  EXPECT_EQ(s.matrix[0][0], 1);
  EXPECT_EQ(s.matrix[0][1], 1);
  EXPECT_EQ(s.matrix[0][2], 1);
  EXPECT_EQ(s.matrix[1][1], 1);
  EXPECT_EQ(s.matrix[1][2], 1);
  EXPECT_EQ(s.matrix[2][1], 1);
  EXPECT_EQ(s.matrix[2][2], 1);
  EXPECT_TRUE(s.goalMet(0.25));
  EXPECT_FALSE(s.goalMet(0.43));
  ChangeSummary empty;
  EXPECT_TRUE(std::isnan(empty.shareImproved()));
  EXPECT_FALSE(empty.goalMet());
}

TEST(Change, GoalEdgeExactlyQuarter) {
  ChangeSummary s;
  s.add(Colour::Red, Colour::Yellow);
  for (int i = 0; i < 3; ++i) s.add(Colour::Yellow, Colour::Yellow);
  EXPECT_DOUBLE_EQ(s.shareImproved(), 0.25);
  EXPECT_TRUE(s.goalMet(0.25));  // "at least 25 %"
  s.add(Colour::Yellow, Colour::Yellow);
  EXPECT_FALSE(s.goalMet(0.25));
}

// Property: adding a green->green pair never changes the numerator.
TEST(Change, GreenToGreenNeverChangesNumerator) {
  const Colour cs[] = {Colour::NotAssessed, Colour::Red, Colour::Yellow, Colour::Green};
  ChangeSummary s;
  unsigned state = 12345;
  for (int i = 0; i < 500; ++i) {
    state = state * 1103515245u + 12345u;
    const Colour b = cs[(state >> 8) % 4];
    state = state * 1103515245u + 12345u;
    const Colour a = cs[(state >> 8) % 4];
    s.add(b, a);
    const auto before = s;
    s.add(Colour::Green, Colour::Green);
    EXPECT_EQ(s.improved, before.improved);
    EXPECT_EQ(s.improved_not_green, before.improved_not_green);
    EXPECT_EQ(s.not_green_before, before.not_green_before);
    EXPECT_EQ(s.pairs, before.pairs + 1);
  }
}

TEST(RankSum, MatchesR) {
  const auto rows = readCsvRows(std::string(TRYGG_REFERENCE_DIR) + "/scoring/wilcox.csv");
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& r : rows) {
    const auto x = numbers(r[2]), y = numbers(r[3]);
    const Tail t = r[1] == "less" ? Tail::Less : r[1] == "greater" ? Tail::Greater : Tail::TwoSided;
    const auto res = wilcoxonRankSum(x, y, t);
    EXPECT_NEAR(res.w, std::stod(r[4]), 1e-12) << r[0];
    EXPECT_NEAR(res.p, std::stod(r[5]), 1e-12) << r[0] << " " << r[1];
  }
  const std::vector<double> e;
  const std::vector<double> one{1, 2};
  EXPECT_TRUE(std::isnan(wilcoxonRankSum(e, one).p));
  const std::vector<double> same{3, 3, 3};
  EXPECT_TRUE(std::isnan(wilcoxonRankSum(same, same).p));
}
