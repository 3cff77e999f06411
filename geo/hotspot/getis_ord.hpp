#pragma once
// Getis-Ord local G statistics, Gi* (self included) and Gi (self excluded), as a
// z-score (Ord & Getis 1995; ArcGIS Hot Spot Analysis; R spdep localG; PySAL
// esda G_Local). See docs/methods/getis-ord.md.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/hotspot/weights.hpp"

namespace trygg::geo::hotspot {

// Which p-value feeds Gi_Bin and the FDR step.
enum class BinSource {
  Analytic,     // two-sided normal p of the z-score (ArcGIS)
  Permutation,  // folded pseudo-p doubled, capped at 1 (a two-sided permutation p)
};

struct GiStarOptions {
  // DEFAULT true: Gi* (ArcGIS Hot Spot Analysis). The weights must agree:
  // star needs weights with includes_self, Gi weights without.
  bool star = true;
  // DEFAULT 999 (esda, GeoDa; spdep's default is 499). 0 = analytic only.
  int permutations = 999;
  // REQUIRES: same seed -> same p_sim, whatever the number of threads.
  std::uint64_t seed = 0;
  // Significance level for the FDR cut-off reported in fdr_cutoff.
  double alpha = 0.05;
  // DEFAULT true: Gi_Bin from BH-adjusted p (ArcGIS "Apply False Discovery Rate").
  bool fdr = true;
  BinSource bin_source = BinSource::Analytic;
};

struct GiStarResult {
  std::vector<double> z;      // GiZScore (analytic), raw
  std::vector<double> p;      // GiPValue: two-sided analytic p, raw
  std::vector<double> p_sim;  // folded pseudo-p (NaN without permutations)
  std::vector<double> z_sim;  // (lag - mean of permuted lags) / their sd (esda z_sim; NaN without permutations)
  std::vector<double> p_fdr;  // BH-adjusted p of the bin source (NaN when fdr is off)
  std::vector<int> bin;       // Gi_Bin -3..3
  std::vector<int> n_neighbours;  // NNeighbors: row count, self included for Gi*
  std::vector<double> lag;    // sum_j w_ij x_j
  double fdr_cutoff = 0;      // BH cut-off on the bin-source p at alpha (0: none significant)
  std::string bin_source_note;  // what the bins mean, for the output metadata
  std::string alternative;      // "two-sided (folded pseudo-p ...)"
};

// Gi* / Gi z-scores with the variance of Getis & Ord (1992) / Ord & Getis
// (1995) for any weights: with W_i = sum_j w_ij, S1_i = sum_j w_ij^2,
//   Gi*: z = (sum_j w_ij x_j - xbar W_i) / (s sqrt((n S1_i - W_i^2) / (n - 1)))
//        xbar, s^2 = sum (x - xbar)^2 / n over all n values
//   Gi : the same over the n - 1 values other than i (n -> n - 1).
// This is spdep localG's formula; for binary weights it is also esda's and ArcGIS's.
// Throws UsageError for fewer than 3 values, a size mismatch, non-finite
// values, zero variance or weights that do not match `star`.
// Locations with no neighbour (besides itself, for Gi) get z = NaN, bin 0.
GiStarResult getisOrdGiStar(std::span<const double> x, const Weights& w, const GiStarOptions& options);

}  // namespace trygg::geo::hotspot
