#pragma once
// Comparing two categorical hot-spot maps on the same cells (Gi* bins -3..3 or
// LISA cluster classes), as ArcGIS Pro's "Hot Spot Analysis Comparison" tool
// does: a cross-tabulation, a fuzzy similarity (category weights + a distance-
// decayed neighbourhood, Hagen 2003), a fuzzy kappa against the similarity
// expected when the two maps are paired at random (Hagen-Zanker 2009), with the
// expectation estimated by seeded permutations and also computed exactly, and a
// per-cell change class (appeared, persisted, disappeared, ...).
// See docs/methods/compare.md for the formulas, the sources and our departures.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace trygg::geo::hotspot {

// K categories coded 0..K-1, their names and a K x K similarity matrix M
// (row-major, symmetric, entries in [0, 1], 1 on the diagonal): M[a][b] is how
// much category a of one map counts as a match for category b of the other.
struct CategoryScheme {
  std::vector<std::string> names;
  std::vector<double> weights;  // K * K
  int not_significant = -1;     // the code of "not significant" (-1: none)
  std::size_t size() const { return names.size(); }
  double weight(int a, int b) const { return weights[static_cast<std::size_t>(a) * names.size() + static_cast<std::size_t>(b)]; }
  // Throws UsageError when M is not square, symmetric, within [0, 1] or 1 on the diagonal.
  void validate() const;
};

// Gi* bins: code = bin + 3 (0 = "cold 99 %" ... 3 = "not significant" ... 6 = "hot 99 %").
// fuzzy = true: same direction, both significant: 1 - |bin_a - bin_b| / 3
// (hot 99 % vs hot 95 %: 2/3, hot 99 % vs hot 90 %: 1/3); everything else 0
// (hot vs cold, significant vs not significant). fuzzy = false: identity.
CategoryScheme giBinScheme(bool fuzzy = true);
inline int giBinCode(int bin) { return bin + 3; }
// LISA clusters: 0 not significant, 1 HH, 2 LL, 3 LH, 4 HL; identity weights.
CategoryScheme lisaClusterScheme();

// Fuzzy neighbourhood of every cell, row-compressed: cell i's neighbours are
// neighbours[offsets[i] .. offsets[i+1]) with membership in (0, 1]. The cell
// itself is implied with membership 1 and must not be listed.
struct FuzzyNeighbourhood {
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> neighbours;
  std::vector<double> membership;
  std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::string description;
};

// The k nearest other cells (by centre distance, ties to the lower index) with
// membership 2^(-d / halving): a neighbour at the halving distance counts half.
// halving <= 0: the median distance from a cell to its nearest other cell (the
// cell size on a grid: rook neighbours 1/2, queen diagonals 2^-sqrt(2) = 0.375).
// k = 0: no neighbourhood (a crisp, cell-by-cell comparison).
FuzzyNeighbourhood decayNeighbourhood(std::span<const Point> centres, int k, double halving);

struct CompareOptions {
  CategoryScheme scheme = giBinScheme(true);
  // Random pairings for the expected similarity; 0 = none (kappa from the exact expectation).
  int permutations = 199;
  // REQUIRES: same seed -> same result, whatever the number of threads.
  std::uint64_t seed = 0;
  // ArcGIS "Exclude nonsignificant features": leave out cells where both maps
  // are not significant (a conditional similarity and kappa).
  bool exclude_both_not_significant = false;
};

struct CompareResult {
  std::size_t k = 0;                      // categories
  std::vector<std::int64_t> crosstab;     // K * K: [a * K + b] cells with a in map A and b in map B (all cells)
  std::vector<std::uint8_t> included;     // 1 = cell takes part in the similarity
  std::size_t n_compared = 0;             // included cells
  double agreement = 0;                   // share of included cells with a == b
  double weighted_agreement = 0;          // mean M[a_i][b_i] (no neighbourhood)
  double similarity = 0;                  // S: mean local fuzzy similarity
  double expected = 0;                    // E: mean S over random pairings (permutations)
  double expected_sd = 0;                 // sd of S over the permutations
  double kappa = 0;                       // (S - E) / (1 - E), NaN when E = 1
  double expected_exact = 0;              // E over all n^2 pairings (what the permutations estimate)
  double kappa_exact = 0;                 // (S - E_exact) / (1 - E_exact)
  int permutations = 0;
  std::vector<double> local_similarity;   // s_i (NaN for excluded cells)
  std::vector<double> local_expected;     // E_i over all pairings of cell i (exact)
  std::vector<double> local_kappa;        // (s_i - E_i) / (1 - E_i), NaN when E_i = 1 or excluded
};

// Compares map A (before) with map B (after): a[i], b[i] are category codes of
// cell i in 0..K-1. Local fuzzy similarity (Hagen-Zanker 2009, eq. of the
// two-way similarity):
//   mu^A_i(c) = max( M[a_i][c], max_{j in N(i)} m_ij M[a_j][c] )   (likewise mu^B_i)
//   s_i       = min( mu^B_i(a_i), mu^A_i(b_i) )
// S = mean s_i over included cells. Random pairing of A's cell i with B's cell k
// gives min( mu^B_k(a_i), mu^A_i(b_k) ); E is its mean over pairings.
// Throws UsageError for size mismatches, codes outside 0..K-1, a bad scheme, no
// included cell or negative permutations.
CompareResult compareCategorical(std::span<const int> a, std::span<const int> b, const FuzzyNeighbourhood& nb,
                                 const CompareOptions& options);

// Per-cell change of Gi* bins from before to after. Precedence: a cell
// significant in both maps with opposite signs is a flip (hot_to_cold,
// cold_to_hot), not "disappeared" plus "appeared"; same sign is persisted, or
// intensified / weakened when split_intensity and |bin| rose / fell; one side
// not significant is appeared / disappeared; neither is not_significant.
enum class HotspotChange : std::uint8_t {
  NotSignificant,
  HotAppeared, HotPersisted, HotIntensified, HotWeakened, HotDisappeared, HotToCold,
  ColdAppeared, ColdPersisted, ColdIntensified, ColdWeakened, ColdDisappeared, ColdToHot,
};
inline constexpr int kHotspotChangeCount = 13;
HotspotChange hotspotChange(int before_bin, int after_bin, bool split_intensity = true);
// "not_significant", "hot_appeared", ... (the layer's `change` values).
std::string_view hotspotChangeId(HotspotChange c);
// "Hot spot appeared", ... (legend text).
std::string_view hotspotChangeLabel(HotspotChange c);

}  // namespace trygg::geo::hotspot
