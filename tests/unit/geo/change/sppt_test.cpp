// SPPT and sppt_diff against tests/reference/change/sppt_reference.R (R's own
// sampling with set.seed; cases whose S-indices are decided far from the
// interval edges, so the RNG difference cannot flip them), plus the
// contingency tests against R's chisq.test / prop.test / fisher.test / p.adjust.
#include "geo/change/sppt.hpp"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "geo/change/contingency.hpp"
#include "tests/support/reference_csv.hpp"

using namespace trygg::geo::change;
using trygg::test::nearRel;
using trygg::test::readReferenceCsv;

namespace {
const std::string kDir = std::string(TRYGG_REFERENCE_DIR) + "/change/";

struct Case {
  std::vector<std::int64_t> base, test;
  std::vector<int> sIndex;
  std::vector<int> robust;
  std::vector<double> basePerc, testPerc;
};

std::map<std::string, Case> loadCases() {
  std::map<std::string, Case> cases;
  for (const auto& row : readReferenceCsv(kDir + "sppt_units.csv")) {
    Case& c = cases[row.str("case")];
    c.base.push_back(row.integer("base"));
    c.test.push_back(row.integer("test"));
    c.sIndex.push_back(static_cast<int>(row.integer("s_index")));
    c.robust.push_back(static_cast<int>(row.integer("robust")));
    c.basePerc.push_back(row.num("base_perc"));
    c.testPerc.push_back(row.num("test_perc"));
  }
  return cases;
}
}  // namespace

TEST(Sppt, SIndicesAndGlobalSMatchR) {
  const auto cases = loadCases();
  ASSERT_EQ(cases.size(), 3u);
  std::map<std::string, trygg::test::CsvRow> global;
  for (const auto& row : readReferenceCsv(kDir + "sppt_global.csv")) global[row.str("case")] = row;
  for (const auto& [name, c] : cases) {
    for (std::uint64_t seed : {0ULL, 1ULL, 987654321ULL}) {
      SCOPED_TRACE("case " + name + " seed " + std::to_string(seed));
      SpptOptions o;
      o.seed = seed;
      const auto r = spatialPointPatternTest(c.base, c.test, o);
      EXPECT_EQ(r.sampleSize, global[name].integer("samplesize"));
      EXPECT_EQ(r.lowerPosition, 6);
      EXPECT_EQ(r.upperPosition, 195);
      ASSERT_EQ(r.units.size(), c.base.size());
      for (size_t u = 0; u < c.base.size(); ++u) {
        SCOPED_TRACE("unit " + std::to_string(u));
        EXPECT_EQ(r.units[u].sIndex, c.sIndex[u]);
        EXPECT_EQ(r.units[u].localS, -c.sIndex[u]);
        EXPECT_EQ(r.units[u].inRobust, c.robust[u] == 1);
        EXPECT_TRUE(nearRel(r.units[u].basePercent, c.basePerc[u], 1e-14));
        EXPECT_TRUE(nearRel(r.units[u].testPercent, c.testPerc[u], 1e-14));
      }
      EXPECT_EQ(r.globalS, global[name].num("globalS"));
      EXPECT_EQ(r.globalSRobust, global[name].num("globalS_robust"));
    }
  }
}

TEST(Sppt, SameSeedSameResultWhateverTheThreads) {
  const auto cases = loadCases();
  const Case& c = cases.at("C");
  SpptOptions one;
  one.seed = 7;
  one.threads = 1;
  SpptOptions three = one;
  three.threads = 3;
  const auto a = spatialPointPatternTest(c.base, c.test, one);
  const auto b = spatialPointPatternTest(c.base, c.test, three);
  for (size_t u = 0; u < a.units.size(); ++u) {
    EXPECT_EQ(a.units[u].confLow, b.units[u].confLow);
    EXPECT_EQ(a.units[u].confHigh, b.units[u].confHigh);
  }
  SpptOptions other = one;
  other.seed = 8;
  const auto d = spatialPointPatternTest(c.base, c.test, other);
  bool anyDiffers = false;
  for (size_t u = 0; u < a.units.size(); ++u) anyDiffers |= a.units[u].confLow != d.units[u].confLow;
  EXPECT_TRUE(anyDiffers) << "a different seed should draw different samples";
}

TEST(Sppt, IntervalOfAnEmptyTestUnitIsZero) {
  // Unit 1 has no test events: every sample gives 0 %, so base > 0 means S = +1.
  const std::vector<std::int64_t> base{10, 5, 0}, test{12, 0, 0};
  const auto r = spatialPointPatternTest(base, test);
  EXPECT_EQ(r.units[1].confLow, 0);
  EXPECT_EQ(r.units[1].confHigh, 0);
  EXPECT_EQ(r.units[1].sIndex, 1);
  EXPECT_EQ(r.units[2].sIndex, 0);
  EXPECT_FALSE(r.units[2].inRobust);
}

TEST(Sppt, RejectsEmptySets) {
  const std::vector<std::int64_t> zero{0, 0}, some{1, 2};
  EXPECT_THROW(spatialPointPatternTest(zero, some), trygg::DataError);
  EXPECT_THROW(spatialPointPatternTest(some, zero), trygg::DataError);
  EXPECT_THROW(spatialPointPatternTest(some, std::vector<std::int64_t>{1}), trygg::UsageError);
}

TEST(SpptDiff, PValuesAdjustedPAndSIndicesMatchR) {
  const auto cases = loadCases();
  std::map<std::string, SpptDiffTest> tests{{"Chi2_Nmin1", SpptDiffTest::Chi2NMinus1},
                                            {"Chi2", SpptDiffTest::Chi2},
                                            {"Yates", SpptDiffTest::Yates},
                                            {"Fisher", SpptDiffTest::Fisher}};
  std::map<std::string, std::vector<trygg::test::CsvRow>> units;
  for (const auto& row : readReferenceCsv(kDir + "sppt_diff_units.csv"))
    units[row.str("case") + "/" + row.str("test")].push_back(row);
  std::map<std::string, trygg::test::CsvRow> global;
  for (const auto& row : readReferenceCsv(kDir + "sppt_diff_global.csv"))
    global[row.str("case") + "/" + row.str("test")] = row;
  int compared = 0;
  for (const auto& [name, c] : cases) {
    for (const auto& [testName, test] : tests) {
      const std::string key = name + "/" + testName;
      SCOPED_TRACE(key);
      SpptDiffOptions o;
      o.test = test;
      const auto r = spptDiff(c.base, c.test, o);
      const auto& ref = units.at(key);
      ASSERT_EQ(ref.size(), r.units.size());
      for (size_t u = 0; u < ref.size(); ++u) {
        SCOPED_TRACE("unit " + std::to_string(u));
        EXPECT_TRUE(nearRel(r.units[u].pValue, ref[u].num("p_value"), 1e-10))
            << r.units[u].pValue << " vs " << ref[u].str("p_value");
        EXPECT_TRUE(nearRel(r.units[u].pAdjusted, ref[u].num("p_adjusted"), 1e-10))
            << r.units[u].pAdjusted << " vs " << ref[u].str("p_adjusted");
        EXPECT_EQ(r.units[u].sIndex, ref[u].integer("s_index"));
        ++compared;
      }
      EXPECT_DOUBLE_EQ(r.globalS, global.at(key).num("globalS"));
      EXPECT_DOUBLE_EQ(r.globalSRobust, global.at(key).num("globalS_robust"));
    }
  }
  EXPECT_EQ(compared, 4 * (20 + 15 + 120));
}

TEST(Contingency, AdjustmentMatchesRsDefinitionOnTies) {
  // R: p.adjust(c(0.01, 0.04, 0.04, 0.2, NA), "BY") = 0.0694444.., 0.1388888.., 0.1388888.., 0.4166666.., NA
  const std::vector<double> p{0.01, 0.04, 0.04, 0.2, std::nan("")};
  const auto by = adjustPValues(p, PAdjust::BY);
  const double q = 1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4;
  EXPECT_DOUBLE_EQ(by[0], q * 4 / 1 * 0.01 < q * 4 / 3 * 0.04 ? q * 4 / 1 * 0.01 : q * 4 / 3 * 0.04);
  EXPECT_DOUBLE_EQ(by[1], q * 4 / 3 * 0.04);
  EXPECT_DOUBLE_EQ(by[2], q * 4 / 3 * 0.04);
  EXPECT_DOUBLE_EQ(by[3], std::min(1.0, q * 4 / 4 * 0.2));
  EXPECT_TRUE(std::isnan(by[4]));
}

TEST(Contingency, FisherSymmetricTableIsOne) {
  EXPECT_DOUBLE_EQ(fisherExactTwoSided({5, 5, 5, 5}), 1.0);
  EXPECT_DOUBLE_EQ(fisherExactTwoSided({0, 10, 0, 12}), 1.0);  // a zero column: one table only
  EXPECT_TRUE(std::isnan(chiSquare({0, 10, 0, 12}).pValue));
}
