// Wilcoxon signed-rank and sign tests against R (tests/reference/bench/make_paired.R).
#include "geo/bench/paired.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/reference_csv.hpp"

using namespace trygg::geo::bench;
using trygg::test::nearRel;
using trygg::test::readReferenceCsv;

TEST(PairedComparison, MatchesRWilcoxAndBinom) {
  const std::string dir = std::string(TRYGG_REFERENCE_DIR) + "/bench/";
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> cases;
  for (const auto& row : readReferenceCsv(dir + "paired_cases.csv")) {
    auto& c = cases[row.str("case")];
    c.first.push_back(row.num("x"));
    c.second.push_back(row.num("y"));
  }
  const auto rows = readReferenceCsv(dir + "paired.csv");
  ASSERT_EQ(rows.size(), 27u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.str("case") + " " + row.str("alternative"));
    const auto& c = cases.at(row.str("case"));
    const auto alt = trygg::geo::change::parseAlternative(row.str("alternative"));
    const auto w = wilcoxonSignedRank(c.first, c.second, alt);
    EXPECT_DOUBLE_EQ(w.statistic, row.num("V"));
    EXPECT_EQ(w.exact, row.integer("exact") == 1);
    EXPECT_TRUE(nearRel(w.pValue, row.num("wilcoxon_p"), 1e-10)) << w.pValue << " vs " << row.str("wilcoxon_p");
    const auto s = signTest(c.first, c.second, alt);
    EXPECT_EQ(s.positive, row.integer("sign_positive"));
    EXPECT_EQ(s.positive + s.negative, row.integer("sign_n"));
    EXPECT_TRUE(nearRel(s.pValue, row.num("sign_p"), 1e-10)) << s.pValue << " vs " << row.str("sign_p");
  }
}

TEST(PairedComparison, AllTiedGivesNaN) {
  const std::vector<double> x{1, 2, 3};
  EXPECT_TRUE(std::isnan(wilcoxonSignedRank(x, x).pValue));
  EXPECT_TRUE(std::isnan(signTest(x, x).pValue));
  EXPECT_THROW(wilcoxonSignedRank(x, std::vector<double>{1}), trygg::UsageError);
}
