// Local Moran's I against R spdep localmoran (tests/reference/lisa/make_reference.R)
// and global Moran's I against spdep moran.test (tests/reference/gistar/).
#include "geo/hotspot/local_moran.hpp"

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

namespace trygg::geo::hotspot {
namespace {

struct Table {
  std::map<std::string, std::vector<double>> num;
  std::map<std::string, std::vector<std::string>> text;
};
Table readTable(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line, cell;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  while (std::getline(hs, cell, ',')) names.push_back(cell);
  Table t;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    for (std::size_t c = 0; std::getline(ss, cell, ','); ++c) {
      t.text[names[c]].push_back(cell);
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      t.num[names[c]].push_back(end && *end == '\0' && !cell.empty() ? v : NAN);
    }
  }
  return t;
}
const std::string kRef = std::string(TRYGG_REFERENCE_DIR);

void expectNear(const std::vector<double>& got, const std::vector<double>& want, double rel, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], rel * std::max(1.0, std::fabs(want[i]))) << what << " [" << i << "]";
}

std::string spdepQuadrant(Quadrant q) {
  switch (q) {
    case Quadrant::HighHigh: return "High-High";
    case Quadrant::LowLow: return "Low-Low";
    case Quadrant::HighLow: return "High-Low";
    case Quadrant::LowHigh: return "Low-High";
    default: return "?";
  }
}

void expectSpdep(const LocalMoranResult& r, Table& t, const std::string& prefix) {
  const double tol = 1e-9;
  expectNear(r.I, t.num[prefix + "_Ii"], tol, prefix + " Ii");
  expectNear(r.expected, t.num[prefix + "_EIi"], tol, prefix + " E.Ii");
  expectNear(r.variance, t.num[prefix + "_VarIi"], tol, prefix + " Var.Ii");
  expectNear(r.z, t.num[prefix + "_ZIi"], tol, prefix + " Z.Ii");
  expectNear(r.p, t.num[prefix + "_p"], tol, prefix + " p");
  const auto& q = t.text[prefix + "_quadr"];
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_EQ(spdepQuadrant(r.quadrant_all[i]), q[i]) << prefix << " [" << i << "]";
}

LocalMoranOptions analytic(bool conditional = true) {
  LocalMoranOptions o;
  o.permutations = 0;
  o.conditional = conditional;
  return o;
}

TEST(LocalMoran, MatchesSpdepLocalmoranOnGrid) {
  Table grid = readTable(kRef + "/gistar/grid30_counts.csv");
  Table t = readTable(kRef + "/lisa/grid30_localmoran.csv");
  const auto& x = grid.num["count"];
  std::vector<Point> xy;
  for (std::size_t i = 0; i < x.size(); ++i) xy.push_back({grid.num["x"][i], grid.num["y"][i]});
  const Weights queen = latticeContiguityWeights(30, 30, Contiguity::Queen, false);
  const Weights band = distanceBandWeights(xy, 250, false);
  expectSpdep(localMoran(x, rowStandardised(queen), analytic()), t, "queenW");
  expectSpdep(localMoran(x, rowStandardised(band), analytic()), t, "band250W");
  expectSpdep(localMoran(x, rowStandardised(band), analytic(false)), t, "band250W_total");
  expectSpdep(localMoran(x, queen, analytic()), t, "queenB");
}

TEST(LocalMoran, MatchesSpdepLocalmoranOnColumbus) {
  std::vector<PolygonRings> polys;
  {
    std::ifstream in(kRef + "/gistar/columbus_rings.csv");
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
  Table t = readTable(kRef + "/lisa/columbus_localmoran.csv");
  const Weights w = rowStandardised(polygonContiguityWeights(polys, Contiguity::Queen, false));
  expectSpdep(localMoran(t.num["crime"], w, analytic()), t, "queenW");
  expectSpdep(localMoran(t.num["crime"], w, analytic(false)), t, "queenW_total");
}

TEST(LocalMoran, GlobalMoranMatchesSpdepMoranTest) {
  Table grid = readTable(kRef + "/gistar/grid30_counts.csv");
  std::vector<Point> xy;
  for (std::size_t i = 0; i < grid.num["x"].size(); ++i) xy.push_back({grid.num["x"][i], grid.num["y"][i]});
  for (const char* band : {"250", "450"}) {
    Table m = readTable(kRef + "/gistar/grid30_moran" + band + ".csv");
    const GlobalMoran g = globalMoran(grid.num["count"], distanceBandWeights(xy, std::stod(band), false));
    EXPECT_NEAR(g.I, m.num["I"][0], 1e-12) << band;
    EXPECT_NEAR(g.expected, m.num["EI"][0], 1e-15) << band;
    EXPECT_NEAR(g.variance, m.num["VarI"][0], 1e-13) << band;
    EXPECT_NEAR(g.z, m.num["z"][0], 1e-8) << band;
  }
}

TEST(LocalMoran, QuadrantsOnlyWhereSignificant) {
  Table grid = readTable(kRef + "/gistar/grid30_counts.csv");
  const auto& x = grid.num["count"];
  const Weights w = rowStandardised(latticeContiguityWeights(30, 30, Contiguity::Queen, false));
  LocalMoranOptions o = analytic();
  o.fdr = false;
  const auto raw = localMoran(x, w, o);
  int hh = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool sig = raw.p[i] <= 0.05;
    EXPECT_EQ(raw.quadrant[i], sig ? raw.quadrant_all[i] : Quadrant::NotSignificant) << i;
    hh += raw.quadrant[i] == Quadrant::HighHigh;
  }
  EXPECT_GT(hh, 0);
  o.fdr = true;
  const auto fdr = localMoran(x, w, o);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (fdr.quadrant[i] != Quadrant::NotSignificant) {
      EXPECT_EQ(fdr.quadrant[i], raw.quadrant[i]);
    }
  }
  EXPECT_STREQ(quadrantLabel(Quadrant::LowHigh), "LH");
  EXPECT_STREQ(quadrantLabel(Quadrant::NotSignificant), "not significant");
}

TEST(LocalMoran, PermutationIsThreadIndependentAndTracksAnalyticP) {
  // Continuous values without structure on a 40 x 40 lattice, queen, row-standardised.
  std::mt19937_64 gen(3);
  std::normal_distribution<double> nd(0, 1);
  std::vector<double> x(1600);
  for (auto& v : x) v = nd(gen);
  const Weights w = rowStandardised(latticeContiguityWeights(40, 40, Contiguity::Queen, false));
  LocalMoranOptions o;
  o.permutations = 999;
  o.seed = 99;
  LocalMoranResult one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = localMoran(x, w, o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = localMoran(x, w, o);
  }
  EXPECT_EQ(one.p_sim, two.p_sim);
  std::size_t low = 0;
  double diff = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    low += one.p_sim[i] <= 0.05;
    diff += std::fabs(std::min(1.0, 2 * one.p_sim[i]) - one.p[i]);
  }
  EXPECT_NEAR(static_cast<double>(low) / x.size(), 0.10, 0.03);
  // The conditional analytic variance is the permutation variance of I_i;
  // with 8 neighbours the normal p is only approximate.
  EXPECT_LT(diff / x.size(), 0.05);
  // Significance from the permutation p.
  o.p_source = BinSource::Permutation;
  o.fdr = false;
  const auto perm = localMoran(x, w, o);
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(perm.quadrant[i] != Quadrant::NotSignificant, std::min(1.0, 2 * perm.p_sim[i]) <= 0.05) << i;
}

TEST(LocalMoran, BadInputsAreUsageErrors) {
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_THROW(localMoran(x, latticeContiguityWeights(3, 3, Contiguity::Queen, true), analytic()), UsageError);
  EXPECT_THROW(localMoran(std::vector<double>(9, 1.0), latticeContiguityWeights(3, 3, Contiguity::Queen, false), analytic()),
               UsageError);
  EXPECT_THROW(localMoran(x, latticeContiguityWeights(3, 4, Contiguity::Queen, false), analytic()), UsageError);
}

}  // namespace
}  // namespace trygg::geo::hotspot
