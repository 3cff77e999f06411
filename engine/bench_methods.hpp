#pragma once
// The forecasting methods of `trygg bench`, computed on a grid from incidents
// binned once into its cells. Every method is "per-cell source values, then
// optionally a fixed stencil": the stencil depends only on the setting and the
// grid, so it is built once and reused for every forecast (a KDE at the cell
// centres of binned counts is the convolution of the counts with the kernel
// sampled at the centre offsets).
//
//  counts        window=<days>: sum of the weights of the training records of the
//                last `window` days (default: the whole training window).
//  counts_decay  half_life=<days>: exponentially weighted history,
//                Σ w · 2^(−age/half_life), age in days before the forecast date.
//  kde           kernel=quartic|epanechnikov|triweight|uniform|triangular|gaussian,
//                bandwidth=<length>: Σ_j c_j K(d_ij/h) over cell centres (raw kernel
//                values as in QGIS, METHODS.md §3; gaussian: h = σ, cut at 4σ).
//                Differs from an exact KDE in that each incident sits at its cell centre.
//  gistar        band=<length>: Getis–Ord Gi* z-score (Getis & Ord 1992; Ord & Getis
//                1995) of the training counts, binary weights for centres within
//                `band`, the cell itself included; cells with no variance: NaN.
//  near_repeat   space=<length>,time=<days>: prospective hotspotting after Bowers,
//                Johnson & Pease (2004), "Prospective hot-spotting: the future of
//                crime mapping?", Br. J. Criminol. 44(5): each training record
//                within `space` (centre distance) and `time` (age) adds
//                w / ((1 + d/cell) (1 + ⌊age/7⌋)), distance in cell widths, age in whole
//                weeks (defaults 400 m and 56 days, the paper's bands). The paper's
//                own cells were 50 m; here the bench grid's.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace trygg::engine::bench {

enum class MethodKind { Counts, CountsDecay, Kde, GiStar, NearRepeat };

struct MethodSetting {
  MethodKind kind = MethodKind::Counts;
  std::string method;  // "kde"
  std::string label;   // canonical "kde:kernel=quartic,bandwidth=300" (lengths in metres)
  std::string params;  // "kernel=quartic,bandwidth=300"
  std::string kernel = "quartic";
  double lengthMetres = 0;  // bandwidth / band / space
  double days = 0;          // window / half_life / time (0 = the training window for counts)
};

// Expands "kde:kernel=quartic|gaussian,bandwidth=100..600/100" into its settings
// (the cartesian product, in the order written). Values: a number, a length
// with a unit ("300 ft"), a list a|b|c, or a range from..to/step (inclusive).
// Throws UsageError naming the spec for unknown methods or parameters.
std::vector<MethodSetting> expandMethodSpec(const std::string& spec);

struct BenchGrid {
  std::string shape;               // square | hexagon
  double cell = 0;                 // working-CRS units
  double unitMetres = 1;           // working-CRS linear unit in metres
  std::size_t ncells = 0;          // kept cells (area inside the study area > 0)
  std::vector<double> areas;       // inside area per kept cell, working units²
  std::vector<std::int64_t> ids;   // stable id (row * ncols + col) for tie-breaking
  std::vector<Point> centres;      // in the grid's (rotated) frame
  std::vector<std::int32_t> col, row;
  int ncols = 0, nrows = 0;
  std::vector<std::int64_t> lookup;  // row * ncols + col -> kept index or -1
  double studyArea = 0;            // sum of areas
};

// Training records of one forecast, already restricted to the training window
// and to what was available at the forecast date.
struct TrainingEvents {
  std::span<const std::int32_t> cell;
  std::span<const double> ageDays;  // > 0: days before the forecast date
  std::span<const double> weight;
};

class MethodScorer {
 public:
  // Builds each setting's stencil (and Gi*'s neighbour counts) once.
  MethodScorer(const BenchGrid& grid, const std::vector<MethodSetting>& settings, double trainingDays);
  // Scores of setting s for every kept cell into out (resized). scratch is reused.
  void score(std::size_t s, const TrainingEvents& ev, std::vector<double>& scratch, std::vector<double>& out) const;
  std::size_t stencilSize(std::size_t s) const;

 private:
  struct Tap {
    std::int32_t dc, dr;
    double w;
  };
  void scatter(std::size_t s, std::span<const double> src, std::vector<double>& out) const;

  const BenchGrid& m_grid;
  std::vector<MethodSetting> m_settings;
  double m_trainingDays;
  std::vector<std::vector<Tap>> m_stencil[2];  // [source row parity][setting]
  std::vector<std::vector<double>> m_giW;      // Gi*: Σ_j w_ij per cell
};

}  // namespace trygg::engine::bench
