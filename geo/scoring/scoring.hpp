#pragma once
// The arithmetic of the safety analysis (trygghetsanalys): scores on the
// inspection practice's 0–20 scale (0 alarming problem, 20 good level; Tryggare
// Sverige's trygghetsbesiktning, METHODS.md §9), colour bands, the rules that
// combine several observations of one factor, the small-count guard for
// incident factors, colour changes between rounds and the share improved
// against the Trygga Platser goal (at least 25 % of the factors improve their
// colour code, DOMAIN.md). Pure functions, no I/O; docs/methods/safety-analysis.md.
//
// The published sources give no numeric colour cut-offs; every default here is
// a default of this engine, not the method's official number.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::geo::scoring {

inline constexpr double kScoreMin = 0;
inline constexpr double kScoreMax = 20;

// A colour code. Ordered from bad to good so that "worse" is "smaller";
// NotAssessed is not a colour and never compares as good.
enum class Colour : std::uint8_t { NotAssessed = 0, Red = 1, Yellow = 2, Green = 3 };

std::string_view colourId(Colour c);  // "red", "yellow", "green", "not_assessed"
// "red"/"röd", "yellow"/"gul", "green"/"grön", "not_assessed" (case-insensitive).
std::optional<Colour> parseColour(std::string_view text);
// The worse of two colours; NotAssessed counts only when both are NotAssessed.
Colour worseOf(Colour a, Colour b);
inline bool assessed(Colour c) { return c != Colour::NotAssessed; }

// Raw value -> score by a piecewise-linear table: strictly increasing raw
// breakpoints, scores within 0..20. Values beyond the ends take the end scores
// (clamped); NaN stays NaN. One breakpoint = a constant.
struct ScoreTable {
  std::vector<double> raw;
  std::vector<double> score;
  // raw == score on 0..20 (ratings already on the inspection scale).
  static ScoreTable identity();
  double operator()(double value) const;
  // "" when usable, else what is wrong ("raw values must increase: 3 after 5").
  std::string problem() const;
  // higher raw -> higher score (+1), lower (-1), flat (0) or mixed (2).
  int direction() const;
};

// Colour cut-offs: a cut-off is the lowest score of the better colour:
//   red: score < yellow_from;  yellow: yellow_from <= score < green_from;  green: score >= green_from.
// DEFAULT: thirds of the scale (20/3, 40/3), the bands the observation reader
// maps written colours into (an inspector's "yellow" = 10, the middle of its band).
struct Bands {
  double yellow_from = 20.0 / 3.0;
  double green_from = 40.0 / 3.0;
  Colour colourOf(double score) const;  // NaN -> NotAssessed
  // The middle of a colour's band ("an inspector's written colour").
  double middle(Colour c) const;
  // "" when 0 < yellow_from < green_from <= 20, else what is wrong and the fix.
  std::string problem() const;
};

// How several observations of one factor near one place become one value.
enum class Combine : std::uint8_t {
  Worst,           // the lowest score (the inspection practice: the worst spot decides)
  Mean,            // the mean score
  Median,          // the median score
  CountOfProblems  // the number of observations scored below `problem_below` (a count, not a score)
};
std::string_view combineId(Combine c);
std::optional<Combine> parseCombine(std::string_view text);
// NaN for an empty input (Worst/Mean/Median); 0 for CountOfProblems. NaN scores are skipped.
double combine(std::span<const double> scores, Combine rule, double problem_below);

// P(X >= x) for X ~ Poisson(mu): the one-sided ("greater") p of R's
// poisson.test(x, T, r, alternative = "greater") with mu = r T. x <= 0 -> 1.
double poissonUpperTail(std::int64_t x, double mu);

// The small-count guard for incident factors: a place may be red only when it
// has at least `min_count` incidents AND the count is significantly above what
// the area's rate predicts (one-sided Poisson p < alpha).
// DEFAULT: 3 incidents, alpha 0.05 (engine defaults, configurable per factor).
struct GuardOptions {
  std::int64_t min_count = 3;
  double alpha = 0.05;
};
struct GuardResult {
  bool allows_red = false;
  double p = 1;           // P(X >= count | expected)
  std::string reason;     // why red is not allowed ("2 incidents < 3"), "" when allowed
};
GuardResult smallCountGuard(std::int64_t count, double expected, const GuardOptions& o = {});
// Applies the guard to a colour: red becomes yellow when the guard does not allow it.
Colour guardColour(Colour c, const GuardResult& g);

// Colour change of one place × factor between two rounds.
enum class Change : std::uint8_t { Improved, Unchanged, Worse, NotComparable };
std::string_view changeId(Change c);  // "improved", "unchanged", "worse", "not_comparable"
Change changeOf(Colour before, Colour after);

// Per area: the goal's measure, improved / pairs coloured in both rounds.
struct ChangeSummary {
  std::int64_t pairs = 0;           // coloured in both rounds
  std::int64_t improved = 0, unchanged = 0, worse = 0;
  std::int64_t not_comparable = 0;  // not assessed in one or both rounds
  std::int64_t not_green_before = 0;
  std::int64_t improved_not_green = 0;  // == improved (a green pair cannot improve); kept for clarity
  // matrix[before][after], index 0 red, 1 yellow, 2 green.
  std::array<std::array<std::int64_t, 3>, 3> matrix{};
  void add(Colour before, Colour after);
  double shareImproved() const;          // NaN when pairs == 0
  double shareImprovedNotGreen() const;  // improved / not_green_before; NaN when 0
  // share improved >= min_share (DEFAULT 0.25, seed 000); false when no pairs.
  bool goalMet(double min_share = 0.25) const;
};

enum class Tail : std::uint8_t { TwoSided, Less, Greater };

// Wilcoxon rank-sum (Mann–Whitney) test of x against y with the normal
// approximation, tie correction and continuity correction — R's
// wilcox.test(x, y, alternative, exact = FALSE, correct = TRUE). Survey answers
// on a 1–5 scale are full of ties, where R itself leaves the exact test.
// "less": x tends to be smaller than y.
struct RankSumResult {
  double w = 0;  // R's W: rank sum of x minus n_x (n_x + 1) / 2
  double z = 0;
  double p = 1;  // NaN when either sample is empty or every value is tied
  std::int64_t n_x = 0, n_y = 0;
  double mean_x = 0, mean_y = 0;
};
RankSumResult wilcoxonRankSum(std::span<const double> x, std::span<const double> y, Tail tail = Tail::TwoSided);

}  // namespace trygg::geo::scoring
