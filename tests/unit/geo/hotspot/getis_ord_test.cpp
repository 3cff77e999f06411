// Gi* / Gi against the esda docstring vector (METHODS.md §1) and R spdep localG
// (tests/reference/gistar/make_reference.R); permutation inference checked
// statistically and for thread independence.
#include "geo/hotspot/getis_ord.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include "core/error.hpp"
#include "geo/hotspot/hotspot_grid.hpp"
#include "geo/hotspot/inference.hpp"

namespace trygg::geo::hotspot {
namespace {

// Column name -> values, from a reference CSV (numbers written with 17 digits).
std::map<std::string, std::vector<double>> readColumns(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line, cell;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  while (std::getline(hs, cell, ',')) names.push_back(cell);
  std::map<std::string, std::vector<double>> cols;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    for (std::size_t c = 0; std::getline(ss, cell, ','); ++c)
      cols[names[c]].push_back(cell == "NA" || cell == "NaN" ? NAN : std::stod(cell));
  }
  return cols;
}
const std::string kRef = std::string(TRYGG_REFERENCE_DIR) + "/gistar/";

GiStarOptions analytic(bool star = true) {
  GiStarOptions o;
  o.star = star;
  o.permutations = 0;
  return o;
}

void expectVector(const std::vector<double>& got, const std::vector<double>& want, double tol, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  double worst = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << what << " [" << i << "]";
      continue;
    }
    EXPECT_NEAR(got[i], want[i], tol) << what << " [" << i << "]";
    worst = std::max(worst, std::fabs(got[i] - want[i]));
  }
  ::testing::Test::RecordProperty(what, std::to_string(worst));
}

TEST(GetisOrd, EsdaDocstringVector) {
  const std::vector<Point> pts{{10, 10}, {20, 10}, {40, 10}, {15, 20}, {30, 20}, {30, 30}};
  const std::vector<double> y{2, 3, 3.2, 5, 8, 7};
  const auto star = getisOrdGiStar(y, distanceBandWeights(pts, 15, true), analytic(true));
  expectVector(star.z, {-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331}, 1e-8, "esda Gi*");
  const auto gi = getisOrdGiStar(y, distanceBandWeights(pts, 15, false), analytic(false));
  expectVector(gi.z, {-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941}, 1e-8, "esda Gi");
  EXPECT_EQ(star.n_neighbours[3], 4);
  EXPECT_NEAR(star.p[5], 2 * (1 - 0.5 * std::erfc(-2.02424331 / std::sqrt(2.0))), 1e-8);
}

struct Grid30 {
  std::vector<Point> xy;
  std::vector<double> count;
};
Grid30 grid30() {
  auto c = readColumns(kRef + "grid30_counts.csv");
  Grid30 g;
  for (std::size_t i = 0; i < c["x"].size(); ++i) g.xy.push_back({c["x"][i], c["y"][i]});
  g.count = c["count"];
  return g;
}

// Inverse-distance weights 100 / d on a binary band, as the R script's nbdists glist.
Weights inverseDistance(const Weights& band, std::span<const Point> xy) {
  Weights w = band;
  for (std::size_t i = 0; i < w.size(); ++i)
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) {
      const Point p = xy[i], q = xy[w.neighbours[a]];
      w.weights[a] = 100.0 / std::hypot(q.x - p.x, q.y - p.y);
    }
  return w;
}

TEST(GetisOrd, MatchesSpdepLocalGOnGrid) {
  const Grid30 g = grid30();
  ASSERT_EQ(g.count.size(), 900u);
  auto ref = readColumns(kRef + "grid30_localG.csv");
  const double tol = 1e-9;
  expectVector(getisOrdGiStar(g.count, distanceBandWeights(g.xy, 150, true), analytic()).z, ref["dband150_star"], tol, "dband150_star");
  expectVector(getisOrdGiStar(g.count, distanceBandWeights(g.xy, 250, true), analytic()).z, ref["dband250_star"], tol, "dband250_star");
  expectVector(getisOrdGiStar(g.count, distanceBandWeights(g.xy, 250, false), analytic(false)).z, ref["dband250_gi"], tol, "dband250_gi");
  expectVector(getisOrdGiStar(g.count, distanceBandWeights(g.xy, 200, true), analytic()).z, ref["dband200_star"], tol, "dband200_star");
  expectVector(getisOrdGiStar(g.count, latticeContiguityWeights(30, 30, Contiguity::Queen, true), analytic()).z, ref["queen_star"], tol, "queen_star");
  expectVector(getisOrdGiStar(g.count, latticeContiguityWeights(30, 30, Contiguity::Rook, true), analytic()).z, ref["rook_star"], tol, "rook_star");
  expectVector(getisOrdGiStar(g.count, rowStandardised(distanceBandWeights(g.xy, 250, true)), analytic()).z, ref["dband250_star_W"], tol, "dband250_star_W");
  const Weights idw = inverseDistance(distanceBandWeights(g.xy, 250, false), g.xy);
  expectVector(getisOrdGiStar(g.count, idw, analytic(false)).z, ref["dband250_gi_idw"], tol, "dband250_gi_idw");
  expectVector(getisOrdGiStar(g.count, rowStandardised(idw), analytic(false)).z, ref["dband250_gi_idw_W"], tol, "dband250_gi_idw_W");
  // The grid module's own square grid gives the same cells and weights.
  const Grid sq = squareGrid(BBox{0, 0, 3000, 3000}, 100);
  ASSERT_EQ(sq.size(), 900u);
  expectVector(getisOrdGiStar(g.count, gridContiguityWeights(sq, Contiguity::Queen, true), analytic()).z, ref["queen_star"], tol, "grid queen_star");
}

TEST(GetisOrd, MatchesSpdepLocalGWithAsymmetricKnnAndIsolates) {
  auto c = readColumns(kRef + "points200.csv");
  std::vector<Point> xy;
  for (std::size_t i = 0; i < c["x"].size(); ++i) xy.push_back({c["x"][i], c["y"][i]});
  auto ref = readColumns(kRef + "points200_localG.csv");
  expectVector(getisOrdGiStar(c["value"], knnWeights(xy, 6, true), analytic()).z, ref["knn6_star"], 1e-9, "knn6_star");
  expectVector(getisOrdGiStar(c["value"], knnWeights(xy, 6, false), analytic(false)).z, ref["knn6_gi"], 1e-9, "knn6_gi");
  expectVector(getisOrdGiStar(c["value"], distanceBandWeights(xy, 120, true), analytic()).z, ref["dband120_star"], 1e-9, "dband120_star");
}

TEST(GetisOrd, MatchesSpdepLocalGOnColumbusQueen) {
  std::vector<PolygonRings> polys;
  {
    std::ifstream in(kRef + "columbus_rings.csv");
    std::string line;
    std::getline(in, line);
    int last = -1, lpart = -1, lring = -1;
    while (std::getline(in, line)) {
      int id, part, ring;
      double x, y;
      char comma;
      std::stringstream ss(line);
      ss >> id >> comma >> part >> comma >> ring >> comma >> x >> comma >> y;
      if (id != last) polys.emplace_back();
      if (id != last || part != lpart || ring != lring) polys.back().emplace_back();
      polys.back().back().push_back({x, y});
      last = id;
      lpart = part;
      lring = ring;
    }
  }
  auto ref = readColumns(kRef + "columbus_localG.csv");
  const auto& crime = ref["crime"];
  expectVector(getisOrdGiStar(crime, polygonContiguityWeights(polys, Contiguity::Queen, true), analytic()).z, ref["queen_star"], 1e-9, "columbus queen_star");
  expectVector(getisOrdGiStar(crime, polygonContiguityWeights(polys, Contiguity::Queen, false), analytic(false)).z, ref["queen_gi"], 1e-9, "columbus queen_gi");
  expectVector(getisOrdGiStar(crime, polygonContiguityWeights(polys, Contiguity::Rook, true), analytic()).z, ref["rook_star"], 1e-9, "columbus rook_star");
}

TEST(GetisOrd, BadInputsAreUsageErrors) {
  const Weights w = latticeContiguityWeights(3, 3, Contiguity::Queen, true);
  const std::vector<double> flat(9, 4.0);
  EXPECT_THROW(getisOrdGiStar(flat, w, analytic()), UsageError);  // zero variance
  std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_THROW(getisOrdGiStar(x, latticeContiguityWeights(3, 3, Contiguity::Queen, false), analytic(true)), UsageError);
  EXPECT_THROW(getisOrdGiStar(x, w, analytic(false)), UsageError);
  EXPECT_THROW(getisOrdGiStar(std::span<const double>(x).first(8), w, analytic()), UsageError);
  x[4] = NAN;
  EXPECT_THROW(getisOrdGiStar(x, w, analytic()), UsageError);
}

// A 100 x 100 lattice of Poisson(5) counts with no spatial structure.
std::vector<double> nullCounts(std::size_t n, unsigned seed) {
  std::mt19937_64 g(seed);
  std::poisson_distribution<int> pois(5.0);
  std::vector<double> x(n);
  for (auto& v : x) v = pois(g);
  return x;
}

TEST(GetisOrdPermutation, SameSeedSameResultWhateverTheThreadCount) {
  const auto x = nullCounts(2500, 11);
  const Weights w = latticeContiguityWeights(50, 50, Contiguity::Queen, true);
  GiStarOptions o;
  o.permutations = 199;
  o.seed = 42;
  GiStarResult one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = getisOrdGiStar(x, w, o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = getisOrdGiStar(x, w, o);
  }
  EXPECT_EQ(one.p_sim, two.p_sim);
  o.seed = 43;
  const auto other = getisOrdGiStar(x, w, o);
  EXPECT_NE(one.p_sim, other.p_sim);
  for (double p : one.p_sim) {
    EXPECT_GE(p, 1.0 / 200);
    EXPECT_LE(p, 0.5 + 1e-12);
  }
}

TEST(GetisOrdPermutation, DrawsWithoutReplacementAndKeepsSelf) {
  // Location 0's neighbours are all 5 others: without replacement every
  // permutation draws exactly the same multiset, so every permuted lag ties with
  // the observed one (larger = perms, folded p = 1/(perms+1)). With replacement
  // (spdep 1.2-7) it would vary.
  const std::vector<Point> pts{{0, 0}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}, {0.5, 0.5}};
  const std::vector<double> x{10, 1, 2, 3, 4, 7};
  const Weights w = distanceBandWeights(pts, 1.0, true);
  ASSERT_EQ(w.count(0), 6u);
  GiStarOptions o;
  o.permutations = 99;
  const auto r = getisOrdGiStar(x, w, o);
  EXPECT_DOUBLE_EQ(r.p_sim[0], 1.0 / 100);
  EXPECT_TRUE(std::isnan(r.z_sim[0]));  // zero permutation variance
}

TEST(GetisOrdPermutation, PermutationDistributionMatchesTheory) {
  // No spatial structure, continuous values (no ties), 21-cell neighbourhoods.
  // Gi (no self): the permutation draws the neighbours from the n - 1 others,
  // exactly the finite population whose moments the analytic Gi variance uses,
  // so z_sim ~ z and 2 p_sim ~ p. Gi*: x_i stays fixed in the permutation but is
  // random in the analytic moments, so only the null rates are compared.
  const std::size_t side = 60, n = side * side;
  std::mt19937_64 gen(5);
  std::normal_distribution<double> nd(10, 3);
  std::vector<double> x(n);
  for (auto& v : x) v = nd(gen);
  std::vector<Point> c;
  for (std::size_t r = 0; r < side; ++r)
    for (std::size_t k = 0; k < side; ++k) c.push_back({k * 100.0 + 50, r * 100.0 + 50});
  GiStarOptions o;
  o.permutations = 999;
  o.seed = 7;
  o.fdr = false;
  o.star = false;
  const auto gi = getisOrdGiStar(x, distanceBandWeights(c, 250, false), o);
  double diff = 0, dz = 0;
  for (std::size_t i = 0; i < n; ++i) {
    diff += std::fabs(std::min(1.0, 2 * gi.p_sim[i]) - gi.p[i]);
    dz += std::fabs(gi.z_sim[i] - gi.z[i]);
  }
  EXPECT_LT(diff / n, 0.02) << "mean |2 p_sim - p|";
  EXPECT_LT(dz / n, 0.05) << "mean |z_sim - z|";
  o.star = true;
  const auto star = getisOrdGiStar(x, distanceBandWeights(c, 250, true), o);
  std::size_t low = 0, low_analytic = 0;
  double zsim_mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    low += star.p_sim[i] <= 0.05;
    low_analytic += star.p[i] <= 0.10;
    zsim_mean += star.z_sim[i];
  }
  // Folded pseudo-p <= 0.05 is a two-sided 10 % test. Neighbouring tests are
  // correlated, so allow a wide band around 10 %.
  EXPECT_NEAR(static_cast<double>(low) / n, 0.10, 0.03) << "share of p_sim <= 0.05";
  EXPECT_NEAR(static_cast<double>(low_analytic) / n, 0.10, 0.03) << "share of p <= 0.10";
  EXPECT_NEAR(zsim_mean / n, 0.0, 0.1);
}

TEST(GetisOrdPermutation, ExactConditionalMeanOfPermutedLag) {
  const auto x = nullCounts(400, 9);
  const Weights w = latticeContiguityWeights(20, 20, Contiguity::Queen, true);
  std::vector<double> lag(400);
  for (std::size_t i = 0; i < 400; ++i)
    for (std::uint32_t j : w.row(i)) lag[i] += x[j];
  const int perms = 20000;
  const auto out = conditionalPermutation(x, w, lag, {}, perms, 3);
  double total = 0;
  for (double v : x) total += v;
  for (std::size_t i : {0u, 21u, 399u, 210u}) {
    const double k = w.count(i) - 1.0;
    const double expect = x[i] + k * (total - x[i]) / 399.0;
    // sd of the mean: sd / sqrt(perms); allow 5 of those.
    EXPECT_NEAR(out.mean[i], expect, 5 * out.sd[i] / std::sqrt(static_cast<double>(perms))) << i;
  }
}

TEST(GetisOrdBins, AnalyticPermutationAndFdr) {
  const Grid30 g = grid30();
  const Weights w = distanceBandWeights(g.xy, 150, true);
  GiStarOptions o;
  o.permutations = 0;
  o.fdr = false;
  const auto raw = getisOrdGiStar(g.count, w, o);
  for (std::size_t i = 0; i < raw.z.size(); ++i) EXPECT_EQ(raw.bin[i], confidenceBin(raw.z[i], raw.p[i]));
  o.fdr = true;
  const auto fdr = getisOrdGiStar(g.count, w, o);
  EXPECT_EQ(fdr.z, raw.z);  // z and p stay raw
  EXPECT_EQ(fdr.p, raw.p);
  const auto adj = benjaminiHochberg(raw.p);
  int hot3 = 0;
  for (std::size_t i = 0; i < raw.z.size(); ++i) {
    EXPECT_DOUBLE_EQ(fdr.p_fdr[i], adj[i]);
    EXPECT_LE(std::abs(fdr.bin[i]), std::abs(raw.bin[i]));  // FDR only removes significance
    if (fdr.bin[i] != 0) {
      EXPECT_LE(raw.p[i], benjaminiHochbergCutoff(raw.p, 0.10) + 1e-15);
    }
    hot3 += fdr.bin[i] == 3;
    // With FDR at 0.05, significant (|bin| >= 2) iff p <= the BH cut-off.
    EXPECT_EQ(std::abs(fdr.bin[i]) >= 2, raw.p[i] <= fdr.fdr_cutoff) << i;
  }
  EXPECT_GT(hot3, 0);
  EXPECT_NE(fdr.bin_source_note.find("Benjamini-Hochberg"), std::string::npos);
  o.permutations = 499;
  o.bin_source = BinSource::Permutation;
  const auto perm = getisOrdGiStar(g.count, w, o);
  std::vector<double> pp(perm.p_sim.size());
  for (std::size_t i = 0; i < pp.size(); ++i) pp[i] = std::min(1.0, 2 * perm.p_sim[i]);
  const auto adjp = benjaminiHochberg(pp);
  for (std::size_t i = 0; i < pp.size(); ++i) EXPECT_DOUBLE_EQ(perm.p_fdr[i], adjp[i]);
  EXPECT_NE(perm.bin_source_note.find("permutation"), std::string::npos);
}

}  // namespace
}  // namespace trygg::geo::hotspot
