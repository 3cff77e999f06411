// Comparison of two hot-spot maps (compare.hpp) on grids computed by hand:
// identical maps, swapped hot/cold, Cohen's kappa as the crisp special case,
// a 3 x 3 fuzzy example, the permutation expectation (seed, threads), and every
// change class.
#include "geo/hotspot/compare.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

std::vector<int> codes(std::initializer_list<int> bins) {
  std::vector<int> c;
  for (int b : bins) c.push_back(giBinCode(b));
  return c;
}

// Square cells of side 1, row-major, centres (col, row).
std::vector<Point> gridCentres(int rows, int cols) {
  std::vector<Point> p;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) p.push_back({static_cast<double>(c), static_cast<double>(r)});
  return p;
}

// Rook neighbours of a rows x cols grid, each with membership mu.
FuzzyNeighbourhood rook(int rows, int cols, double mu) {
  FuzzyNeighbourhood nb;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const int d[4][2] = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};
      for (const auto& o : d) {
        const int rr = r + o[0], cc = c + o[1];
        if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
        nb.neighbours.push_back(static_cast<std::uint32_t>(rr * cols + cc));
        nb.membership.push_back(mu);
      }
      nb.offsets.push_back(static_cast<std::uint32_t>(nb.neighbours.size()));
    }
  return nb;
}

FuzzyNeighbourhood none(std::size_t n) {
  FuzzyNeighbourhood nb;
  nb.offsets.assign(n + 1, 0);
  return nb;
}

}  // namespace

TEST(CompareScheme, GiBinWeights) {
  const auto s = giBinScheme(true);
  s.validate();
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(3), giBinCode(3)), 1.0);
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(3), giBinCode(2)), 2.0 / 3);   // hot 99 % vs hot 95 %
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(3), giBinCode(1)), 1.0 / 3);   // hot 99 % vs hot 90 %
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(-2), giBinCode(-1)), 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(3), giBinCode(-3)), 0.0);      // hot vs cold
  EXPECT_DOUBLE_EQ(s.weight(giBinCode(1), giBinCode(0)), 0.0);       // significant vs not
  const auto crisp = giBinScheme(false);
  EXPECT_DOUBLE_EQ(crisp.weight(giBinCode(3), giBinCode(2)), 0.0);
  lisaClusterScheme().validate();
  CategoryScheme bad = crisp;
  bad.weights[1] = 0.5;  // not symmetric
  EXPECT_THROW(bad.validate(), UsageError);
}

// Identical maps: every s_i = 1 (the cell's own category matches itself), so
// S = 1 and kappa = (1 - E) / (1 - E) = 1 whenever E < 1.
TEST(Compare, IdenticalMapsHaveSimilarityAndKappaOne) {
  const auto a = codes({3, 3, 0, -1, 2, 3, 0, -2, 0, 0, 0, -3, 1, 0, -3, -3});
  const auto nb = decayNeighbourhood(gridCentres(4, 4), 8, 0);
  CompareOptions o;
  o.permutations = 99;
  const auto r = compareCategorical(a, a, nb, o);
  EXPECT_DOUBLE_EQ(r.similarity, 1.0);
  EXPECT_DOUBLE_EQ(r.agreement, 1.0);
  EXPECT_DOUBLE_EQ(r.kappa, 1.0);
  EXPECT_DOUBLE_EQ(r.kappa_exact, 1.0);
  EXPECT_LT(r.expected, 1.0);
  for (double s : r.local_similarity) EXPECT_DOUBLE_EQ(s, 1.0);
  for (std::size_t c = 0; c < 7; ++c)
    for (std::size_t d = 0; d < 7; ++d)
      if (c != d) {
        EXPECT_EQ(r.crosstab[c * 7 + d], 0);
      }
  EXPECT_EQ(r.crosstab[6 * 7 + 6], 3);  // three hot 99 % cells
}

// Fully swapped hot/cold, cell by cell (no neighbourhood): no cell agrees, S = 0,
// the documented minimum; E = sum_c pA(c) pB(c) = 1/2 * 1/2 + 1/2 * 1/2 = 1/2, so
// kappa = (0 - 1/2) / (1 - 1/2) = -1 = -E / (1 - E), the smallest kappa for these
// category shares.
TEST(Compare, SwappedHotAndColdIsTheMinimum) {
  const auto a = codes({3, 3, 2, 1, -3, -3, -2, -1});
  const auto b = codes({-3, -3, -2, -1, 3, 3, 2, 1});
  CompareOptions o;
  o.permutations = 0;
  o.scheme = giBinScheme(false);
  // Crisp weights: each map has 8 distinct-ish codes; compute E by hand:
  // A has 3:2, 2:1, 1:1, -3:2, -2:1, -1:1 (of 8); B the same shares, so
  // E = (4 + 1 + 1 + 4 + 1 + 1) / 64 = 12/64.
  auto r = compareCategorical(a, b, none(8), o);
  EXPECT_DOUBLE_EQ(r.similarity, 0.0);
  EXPECT_DOUBLE_EQ(r.expected_exact, 12.0 / 64);
  EXPECT_DOUBLE_EQ(r.kappa_exact, -(12.0 / 64) / (1 - 12.0 / 64));
  // Hot vs cold only: E = 1/2, kappa = -1.
  const auto a2 = codes({3, 3, -3, -3});
  const auto b2 = codes({-3, -3, 3, 3});
  o.scheme = giBinScheme(true);
  r = compareCategorical(a2, b2, none(4), o);
  EXPECT_DOUBLE_EQ(r.similarity, 0.0);
  EXPECT_DOUBLE_EQ(r.expected_exact, 0.5);
  EXPECT_DOUBLE_EQ(r.kappa_exact, -1.0);
  EXPECT_DOUBLE_EQ(r.kappa, -1.0);  // permutations = 0: the exact expectation
}

// Without a neighbourhood and with identity weights the fuzzy kappa is Cohen's kappa.
// A = H H N N N C, B = H N N N C C (H hot 99 %, N not significant, C cold 99 %):
// agreement: cells 0, 2, 3, 5 -> 4/6; pA = (H 2, N 3, C 1)/6, pB = (H 1, N 3, C 2)/6;
// E = (2*1 + 3*3 + 1*2) / 36 = 13/36; kappa = (24/36 - 13/36) / (23/36) = 11/23.
TEST(Compare, CrispCellByCellIsCohensKappa) {
  const auto a = codes({3, 3, 0, 0, 0, -3});
  const auto b = codes({3, 0, 0, 0, -3, -3});
  CompareOptions o;
  o.scheme = giBinScheme(false);
  o.permutations = 0;
  const auto r = compareCategorical(a, b, none(6), o);
  EXPECT_DOUBLE_EQ(r.similarity, 4.0 / 6);
  EXPECT_DOUBLE_EQ(r.agreement, 4.0 / 6);
  EXPECT_DOUBLE_EQ(r.expected_exact, 13.0 / 36);
  EXPECT_NEAR(r.kappa_exact, 11.0 / 23, 1e-15);
  EXPECT_EQ(r.crosstab[6 * 7 + 6], 1);  // H -> H
  EXPECT_EQ(r.crosstab[6 * 7 + 3], 1);  // H -> N
  EXPECT_EQ(r.crosstab[3 * 7 + 0], 1);  // N -> C
}

// Fuzzy category weights, cell by cell: hot 99 % vs hot 95 % counts 2/3.
// A = 3, 0; B = 2, 0: s = (2/3, 1), S = 5/6. Pairings: (A0,B0) 2/3, (A0,B1) 0,
// (A1,B0) 0, (A1,B1) 1 -> E = 5/12, kappa = (5/6 - 5/12) / (7/12) = 5/7.
TEST(Compare, FuzzyCategoryWeights) {
  CompareOptions o;
  o.permutations = 0;
  const auto r = compareCategorical(codes({3, 0}), codes({2, 0}), none(2), o);
  EXPECT_DOUBLE_EQ(r.similarity, 5.0 / 6);
  EXPECT_DOUBLE_EQ(r.weighted_agreement, 5.0 / 6);
  EXPECT_DOUBLE_EQ(r.agreement, 0.5);
  EXPECT_DOUBLE_EQ(r.expected_exact, 5.0 / 12);
  EXPECT_NEAR(r.kappa_exact, 5.0 / 7, 1e-15);
}

// 3 x 3 grid, cells r*3+c, rook neighbours with membership 1/2, identity weights.
//   A: . . .    B: . . .      (H = hot 99 %, . = not significant)
//      . H .       . . H
//      . . .       . . .
// Local similarity s_i = min(mu^B_i(a_i), mu^A_i(b_i)):
//   cell 4: a = H, b = .; B's H is at rook neighbour 5 -> 1/2; A's . around 4 -> 1/2; s = 1/2
//   cell 5: a = ., b = H; B's . at 2, 4, 8 -> 1/2; A's H at 4 -> 1/2;             s = 1/2
//   the other 7 cells: . and . -> 1.   S = (7 + 1/2 + 1/2) / 9 = 8/9.
// Expected over all 81 pairings (A's cell i, B's cell k): min(mu^B_k(a_i), mu^A_i(b_k)) with
//   A: cell 4 mu = (H 1, . 1/2); cells 1,3,5,7 (. 1, H 1/2); cells 0,2,6,8 (. 1, H 0)
//   B: cell 5 mu = (H 1, . 1/2); cells 2,4,8 (. 1, H 1/2); cells 0,1,3,6,7 (. 1, H 0)
//   i = 4:        k = 5: 1;   k in {2,4,8}: min(1/2, 1/2) = 1/2 x 3;  others 0   -> 2.5
//   i in 1,3,5,7: k = 5: min(1/2, 1/2); the 8 others 1                         -> 8.5 each
//   i in 0,2,6,8: k = 5: min(1/2, 0) = 0; the 8 others 1                       -> 8 each
//   E = (2.5 + 4 * 8.5 + 4 * 8) / 81 = 68.5 / 81; kappa = (72 - 68.5) / (81 - 68.5) = 0.28.
TEST(Compare, HandComputedThreeByThree) {
  std::vector<int> a(9, giBinCode(0)), b(9, giBinCode(0));
  a[4] = giBinCode(3);
  b[5] = giBinCode(3);
  CompareOptions o;
  o.scheme = giBinScheme(false);
  o.permutations = 0;
  const auto r = compareCategorical(a, b, rook(3, 3, 0.5), o);
  EXPECT_DOUBLE_EQ(r.similarity, 8.0 / 9);
  EXPECT_DOUBLE_EQ(r.local_similarity[4], 0.5);
  EXPECT_DOUBLE_EQ(r.local_similarity[5], 0.5);
  EXPECT_DOUBLE_EQ(r.local_similarity[0], 1.0);
  EXPECT_NEAR(r.expected_exact, 68.5 / 81, 1e-15);
  EXPECT_NEAR(r.kappa_exact, 0.28, 1e-12);
  EXPECT_NEAR(r.local_expected[4], 2.5 / 9, 1e-15);
  EXPECT_NEAR(r.local_expected[1], 8.5 / 9, 1e-15);
  EXPECT_NEAR(r.local_expected[0], 8.0 / 9, 1e-15);
  EXPECT_NEAR(r.local_kappa[4], (0.5 - 2.5 / 9) / (1 - 2.5 / 9), 1e-15);
  // The same maps cell by cell: agreement 7/9, no partial credit.
  const auto crisp = compareCategorical(a, b, none(9), o);
  EXPECT_DOUBLE_EQ(crisp.similarity, 7.0 / 9);
}

// decayNeighbourhood on a 3 x 3 grid of unit cells, k = 8, halving = the
// nearest-neighbour distance 1: rook neighbours 2^-1, diagonals 2^-sqrt(2).
TEST(Compare, DecayNeighbourhoodMemberships) {
  const auto nb = decayNeighbourhood(gridCentres(3, 3), 8, 0);
  ASSERT_EQ(nb.size(), 9u);
  const std::uint32_t b = nb.offsets[4], e = nb.offsets[5];
  ASSERT_EQ(e - b, 8u);
  for (std::uint32_t p = b; p < e; ++p) {
    const std::uint32_t j = nb.neighbours[p];
    const bool diagonal = j == 0 || j == 2 || j == 6 || j == 8;
    EXPECT_NEAR(nb.membership[p], diagonal ? std::exp2(-std::sqrt(2.0)) : 0.5, 1e-15) << j;
  }
  EXPECT_EQ(decayNeighbourhood(gridCentres(3, 3), 0, 0).neighbours.size(), 0u);
}

// The permutation expectation estimates the exact one (each cell of A meets a
// uniformly drawn cell of B), is fixed by the seed and does not depend on the
// number of threads.
TEST(Compare, PermutationExpectationSeedAndThreads) {
  std::vector<int> a(9, giBinCode(0)), b(9, giBinCode(0));
  a[4] = giBinCode(3);
  b[5] = giBinCode(3);
  CompareOptions o;
  o.scheme = giBinScheme(false);
  o.permutations = 4000;
  o.seed = 7;
  CompareResult one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = compareCategorical(a, b, rook(3, 3, 0.5), o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = compareCategorical(a, b, rook(3, 3, 0.5), o);
  }
  EXPECT_EQ(one.expected, two.expected);
  EXPECT_EQ(one.expected_sd, two.expected_sd);
  EXPECT_EQ(one.kappa, two.kappa);
  EXPECT_NEAR(one.expected, 68.5 / 81, 4 * one.expected_sd / std::sqrt(4000.0));
  EXPECT_GT(one.expected_sd, 0.0);
  const auto again = compareCategorical(a, b, rook(3, 3, 0.5), o);
  EXPECT_EQ(again.expected, one.expected);
  o.seed = 8;
  const auto other = compareCategorical(a, b, rook(3, 3, 0.5), o);
  EXPECT_NE(other.expected, one.expected);
}

// ArcGIS "exclude nonsignificant features": cells not significant in both maps
// leave the similarity; the cross-tabulation still counts them.
TEST(Compare, ExcludeBothNotSignificant) {
  const auto a = codes({3, 3, 0, 0, 0, -3});
  const auto b = codes({3, 0, 0, 0, -3, -3});
  CompareOptions o;
  o.scheme = giBinScheme(false);
  o.permutations = 0;
  o.exclude_both_not_significant = true;
  const auto r = compareCategorical(a, b, none(6), o);
  EXPECT_EQ(r.n_compared, 4u);  // cells 2 and 3 left out
  EXPECT_DOUBLE_EQ(r.similarity, 2.0 / 4);
  EXPECT_TRUE(std::isnan(r.local_similarity[2]));
  EXPECT_EQ(r.crosstab[3 * 7 + 3], 2);
}

TEST(Compare, RejectsBadInput) {
  CompareOptions o;
  EXPECT_THROW(compareCategorical(codes({0, 1}), codes({0}), none(2), o), UsageError);
  EXPECT_THROW(compareCategorical(std::vector<int>{0, 7}, std::vector<int>{0, 0}, none(2), o), UsageError);
  EXPECT_THROW(compareCategorical(codes({0, 1}), codes({0, 1}), none(3), o), UsageError);
  o.exclude_both_not_significant = true;
  EXPECT_THROW(compareCategorical(codes({0, 0}), codes({0, 0}), none(2), o), UsageError);
}

// Every change class, and the precedence rules (a flip is its own class; same
// sign is persisted unless split by intensity).
TEST(HotspotChangeClass, Conformance) {
  using C = HotspotChange;
  struct Case {
    int before, after;
    C split, merged;
  };
  const Case cases[] = {
      {0, 0, C::NotSignificant, C::NotSignificant},
      {0, 1, C::HotAppeared, C::HotAppeared},       {0, 3, C::HotAppeared, C::HotAppeared},
      {2, 2, C::HotPersisted, C::HotPersisted},     {1, 3, C::HotIntensified, C::HotPersisted},
      {3, 1, C::HotWeakened, C::HotPersisted},      {2, 0, C::HotDisappeared, C::HotDisappeared},
      {3, -1, C::HotToCold, C::HotToCold},          {0, -2, C::ColdAppeared, C::ColdAppeared},
      {-3, -3, C::ColdPersisted, C::ColdPersisted}, {-1, -3, C::ColdIntensified, C::ColdPersisted},
      {-3, -2, C::ColdWeakened, C::ColdPersisted},  {-1, 0, C::ColdDisappeared, C::ColdDisappeared},
      {-2, 1, C::ColdToHot, C::ColdToHot},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(hotspotChange(c.before, c.after, true), c.split) << c.before << " -> " << c.after;
    EXPECT_EQ(hotspotChange(c.before, c.after, false), c.merged) << c.before << " -> " << c.after;
  }
  // Every class has an id and a label, all distinct.
  std::vector<std::string_view> ids;
  for (int k = 0; k < kHotspotChangeCount; ++k) {
    const auto id = hotspotChangeId(static_cast<C>(k));
    EXPECT_FALSE(id.empty());
    EXPECT_FALSE(hotspotChangeLabel(static_cast<C>(k)).empty());
    for (auto other : ids) EXPECT_NE(other, id);
    ids.push_back(id);
  }
  EXPECT_EQ(hotspotChangeId(C::HotDisappeared), "hot_disappeared");
  // All 49 bin pairs map to a class consistent with the signs.
  for (int x = -3; x <= 3; ++x)
    for (int y = -3; y <= 3; ++y) {
      const auto id = std::string(hotspotChangeId(hotspotChange(x, y)));
      if (x > 0 && y <= 0) {
        EXPECT_TRUE(id == "hot_disappeared" || id == "hot_to_cold") << x << y;
      }
      if (x <= 0 && y > 0) {
        EXPECT_TRUE(id == "hot_appeared" || id == "cold_to_hot") << x << y;
      }
    }
}

}  // namespace trygg::geo::hotspot
