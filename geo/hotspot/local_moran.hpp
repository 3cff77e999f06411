#pragma once
// Local Moran's I (Anselin 1995, LISA) with the moments of R spdep 1.2-7
// localmoran (conditional = TRUE, mlvar = TRUE by default; Sokal, Oden &
// Thomson 1998) and a conditional-permutation pseudo-p akin to esda Moran_Local
// and spdep localmoran_perm. See docs/methods/local-moran.md.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/hotspot/getis_ord.hpp"
#include "geo/hotspot/weights.hpp"

namespace trygg::geo::hotspot {

enum class Quadrant : std::int8_t { NotSignificant = 0, HighHigh = 1, LowLow = 2, HighLow = 3, LowHigh = 4 };
// "HH", "LL", "HL", "LH", "not significant".
const char* quadrantLabel(Quadrant q);

struct LocalMoranOptions {
  // DEFAULT 999 (esda, GeoDa; spdep localmoran_perm's default is 499). 0 = analytic only.
  int permutations = 999;
  std::uint64_t seed = 0;
  // DEFAULT 0.05: quadrant labels only where the chosen p <= alpha.
  double alpha = 0.05;
  // DEFAULT true: labels from BH-adjusted p (adjusted once).
  bool fdr = true;
  // Which p decides significance: analytic (spdep's Pr(z != E(Ii))) or the
  // permutation p (folded pseudo-p doubled, capped at 1).
  BinSource p_source = BinSource::Analytic;
  // DEFAULT true, as spdep: the conditional variance of Sokal et al. (1998);
  // false: the total (randomisation) variance.
  bool conditional = true;
};

struct LocalMoranResult {
  std::vector<double> I, expected, variance, z;  // spdep: Ii, E.Ii, Var.Ii, Z.Ii
  std::vector<double> p;                         // two-sided analytic, spdep Pr(z != E(Ii))
  std::vector<double> p_sim;                     // folded pseudo-p (NaN without permutations)
  std::vector<double> p_fdr;                     // BH-adjusted p of the p source (NaN when fdr is off)
  std::vector<double> lag;                       // spatial lag of z = x - mean, sum_j w_ij z_j
  std::vector<Quadrant> quadrant;                // from (z_i, lag z_i) where significant
  std::vector<Quadrant> quadrant_all;            // the quadrant regardless of significance (spdep "pysal")
  std::string p_source_note;
};

// Throws UsageError for weights that include self (spdep refuses them too), a
// size mismatch, fewer than 3 values, non-finite values or zero variance.
// Any weights are accepted; LISA is conventionally run with rowStandardised().
LocalMoranResult localMoran(std::span<const double> x, const Weights& w, const LocalMoranOptions& options);

// Global Moran's I with its moments under the randomisation assumption
// (Cliff & Ord 1981; spdep moran.test(randomisation = TRUE)).
struct GlobalMoran {
  double I = 0, expected = 0, variance = 0, z = 0, p = 1;
};
GlobalMoran globalMoran(std::span<const double> x, const Weights& w);

}  // namespace trygg::geo::hotspot
