#include "geo/scoring/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

namespace trygg::geo::scoring {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

std::string_view colourId(Colour c) {
  switch (c) {
    case Colour::Red: return "red";
    case Colour::Yellow: return "yellow";
    case Colour::Green: return "green";
    case Colour::NotAssessed: break;
  }
  return "not_assessed";
}

std::optional<Colour> parseColour(std::string_view text) {
  const std::string t = lower(text);
  if (t == "red" || t == "röd" || t == "rÖd") return Colour::Red;
  if (t == "yellow" || t == "gul") return Colour::Yellow;
  if (t == "green" || t == "grön" || t == "grÖn") return Colour::Green;
  if (t == "not_assessed" || t.empty()) return Colour::NotAssessed;
  return std::nullopt;
}

Colour worseOf(Colour a, Colour b) {
  if (!assessed(a)) return b;
  if (!assessed(b)) return a;
  return std::min(a, b);
}

// ---- score table

ScoreTable ScoreTable::identity() { return ScoreTable{{kScoreMin, kScoreMax}, {kScoreMin, kScoreMax}}; }

double ScoreTable::operator()(double v) const {
  if (std::isnan(v) || raw.empty()) return kNaN;
  if (v <= raw.front()) return score.front();
  if (v >= raw.back()) return score.back();
  const auto it = std::upper_bound(raw.begin(), raw.end(), v);
  const std::size_t k = static_cast<std::size_t>(it - raw.begin());  // raw[k-1] <= v < raw[k]
  const double t = (v - raw[k - 1]) / (raw[k] - raw[k - 1]);
  return score[k - 1] + t * (score[k] - score[k - 1]);
}

std::string ScoreTable::problem() const {
  if (raw.empty()) return "the table is empty; give at least one [raw, score] pair";
  if (raw.size() != score.size()) return "every row must be a [raw, score] pair";
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (!std::isfinite(raw[i]) || !std::isfinite(score[i])) return "table values must be finite numbers";
    if (score[i] < kScoreMin || score[i] > kScoreMax)
      return fmt::format("score {} is outside 0..20; scores use the inspection scale (0 alarming, 20 good)", score[i]);
    if (i > 0 && !(raw[i] > raw[i - 1]))
      return fmt::format("raw values must increase from row to row ({} after {}); sort the rows by raw value",
                         raw[i], raw[i - 1]);
  }
  return {};
}

int ScoreTable::direction() const {
  bool up = false, down = false;
  for (std::size_t i = 1; i < score.size(); ++i) {
    up = up || score[i] > score[i - 1];
    down = down || score[i] < score[i - 1];
  }
  return up && down ? 2 : up ? 1 : down ? -1 : 0;
}

// ---- bands

Colour Bands::colourOf(double s) const {
  if (std::isnan(s)) return Colour::NotAssessed;
  if (s < yellow_from) return Colour::Red;
  if (s < green_from) return Colour::Yellow;
  return Colour::Green;
}

double Bands::middle(Colour c) const {
  switch (c) {
    case Colour::Red: return (kScoreMin + yellow_from) / 2;
    case Colour::Yellow: return (yellow_from + green_from) / 2;
    case Colour::Green: return (green_from + kScoreMax) / 2;
    case Colour::NotAssessed: break;
  }
  return kNaN;
}

std::string Bands::problem() const {
  if (!std::isfinite(yellow_from) || !std::isfinite(green_from)) return "cut-offs must be numbers";
  if (!(yellow_from > kScoreMin))
    return fmt::format("yellow_from {} must be above 0 (0 is the most alarming score, always red)", yellow_from);
  if (!(green_from > yellow_from))
    return fmt::format("the cut-offs are out of order: need yellow_from ({}) < green_from ({}); a cut-off is the "
                       "lowest score of the better colour",
                       yellow_from, green_from);
  if (green_from > kScoreMax) return fmt::format("green_from {} is above 20, the top of the scale", green_from);
  return {};
}

// ---- combination

std::string_view combineId(Combine c) {
  switch (c) {
    case Combine::Worst: return "worst";
    case Combine::Mean: return "mean";
    case Combine::Median: return "median";
    case Combine::CountOfProblems: return "count_of_problems";
  }
  return "worst";
}

std::optional<Combine> parseCombine(std::string_view text) {
  const std::string t = lower(text);
  if (t == "worst" || t == "min") return Combine::Worst;
  if (t == "mean") return Combine::Mean;
  if (t == "median") return Combine::Median;
  if (t == "count_of_problems" || t == "problems") return Combine::CountOfProblems;
  return std::nullopt;
}

double combine(std::span<const double> scores, Combine rule, double problem_below) {
  std::vector<double> v;
  v.reserve(scores.size());
  for (double s : scores)
    if (!std::isnan(s)) v.push_back(s);
  if (rule == Combine::CountOfProblems)
    return static_cast<double>(std::count_if(v.begin(), v.end(), [&](double s) { return s < problem_below; }));
  if (v.empty()) return kNaN;
  switch (rule) {
    case Combine::Worst: return *std::min_element(v.begin(), v.end());
    case Combine::Mean: return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    case Combine::Median: {
      std::sort(v.begin(), v.end());
      const std::size_t n = v.size();
      return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    case Combine::CountOfProblems: break;
  }
  return kNaN;
}

// ---- small counts

double poissonUpperTail(std::int64_t x, double mu) {
  if (x <= 0) return 1.0;
  if (!(mu > 0)) return 0.0;  // nothing expected, something observed
  // P(X >= x) = P(Gamma(x, 1) <= mu), the regularised lower incomplete gamma.
  return boost::math::gamma_p(static_cast<double>(x), mu);
}

GuardResult smallCountGuard(std::int64_t count, double expected, const GuardOptions& o) {
  GuardResult g;
  g.p = std::isfinite(expected) ? poissonUpperTail(count, expected) : kNaN;
  if (count < o.min_count) {
    g.reason = fmt::format("{} incidents, fewer than {}: too few to call red", count, o.min_count);
  } else if (!(g.p < o.alpha)) {
    g.reason = std::isfinite(expected)
                   ? fmt::format("{} incidents against {:.2f} expected from the area's rate: p = {:.3g} is not below {}",
                                 count, expected, g.p, o.alpha)
                   : std::string("no expected count (the area's rate is unknown)");
  } else {
    g.allows_red = true;
  }
  return g;
}

Colour guardColour(Colour c, const GuardResult& g) { return c == Colour::Red && !g.allows_red ? Colour::Yellow : c; }

// ---- change

std::string_view changeId(Change c) {
  switch (c) {
    case Change::Improved: return "improved";
    case Change::Unchanged: return "unchanged";
    case Change::Worse: return "worse";
    case Change::NotComparable: break;
  }
  return "not_comparable";
}

Change changeOf(Colour before, Colour after) {
  if (!assessed(before) || !assessed(after)) return Change::NotComparable;
  if (after > before) return Change::Improved;
  if (after < before) return Change::Worse;
  return Change::Unchanged;
}

void ChangeSummary::add(Colour before, Colour after) {
  const Change c = changeOf(before, after);
  if (c == Change::NotComparable) {
    ++not_comparable;
    return;
  }
  ++pairs;
  ++matrix[static_cast<std::size_t>(before) - 1][static_cast<std::size_t>(after) - 1];
  if (before != Colour::Green) ++not_green_before;
  if (c == Change::Improved) {
    ++improved;
    ++improved_not_green;
  } else if (c == Change::Worse) {
    ++worse;
  } else {
    ++unchanged;
  }
}

double ChangeSummary::shareImproved() const {
  return pairs > 0 ? static_cast<double>(improved) / static_cast<double>(pairs) : kNaN;
}
double ChangeSummary::shareImprovedNotGreen() const {
  return not_green_before > 0 ? static_cast<double>(improved_not_green) / static_cast<double>(not_green_before) : kNaN;
}
bool ChangeSummary::goalMet(double min_share) const { return pairs > 0 && shareImproved() >= min_share; }

// ---- rank-sum test

RankSumResult wilcoxonRankSum(std::span<const double> x, std::span<const double> y, Tail tail) {
  RankSumResult r;
  std::vector<std::pair<double, int>> all;
  for (double v : x)
    if (!std::isnan(v)) all.emplace_back(v, 0);
  for (double v : y)
    if (!std::isnan(v)) all.emplace_back(v, 1);
  double sx = 0, sy = 0;
  for (const auto& [v, g] : all) {
    (g == 0 ? r.n_x : r.n_y) += 1;
    (g == 0 ? sx : sy) += v;
  }
  r.mean_x = r.n_x ? sx / static_cast<double>(r.n_x) : kNaN;
  r.mean_y = r.n_y ? sy / static_cast<double>(r.n_y) : kNaN;
  if (r.n_x == 0 || r.n_y == 0) {
    r.w = r.z = r.p = kNaN;
    return r;
  }
  std::sort(all.begin(), all.end());
  const std::size_t n = all.size();
  double rank_x = 0, ties = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && all[j].first == all[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // average rank
    for (std::size_t k = i; k < j; ++k)
      if (all[k].second == 0) rank_x += mid;
    ties += t * t * t - t;
    i = j;
  }
  const double nx = static_cast<double>(r.n_x), ny = static_cast<double>(r.n_y), N = nx + ny;
  r.w = rank_x - nx * (nx + 1) / 2;
  const double z0 = r.w - nx * ny / 2;
  const double sigma = std::sqrt((nx * ny / 12) * ((N + 1) - ties / (N * (N - 1))));
  if (!(sigma > 0)) {
    r.z = r.p = kNaN;
    return r;
  }
  double correction = 0;
  switch (tail) {
    case Tail::TwoSided: correction = z0 > 0 ? 0.5 : z0 < 0 ? -0.5 : 0; break;
    case Tail::Greater: correction = 0.5; break;
    case Tail::Less: correction = -0.5; break;
  }
  r.z = (z0 - correction) / sigma;
  const double lower_tail = 0.5 * std::erfc(-r.z / std::sqrt(2.0));
  const double upper_tail = 0.5 * std::erfc(r.z / std::sqrt(2.0));
  switch (tail) {
    case Tail::TwoSided: r.p = std::min(1.0, 2 * std::min(lower_tail, upper_tail)); break;
    case Tail::Greater: r.p = upper_tail; break;
    case Tail::Less: r.p = lower_tail; break;
  }
  return r;
}

}  // namespace trygg::geo::scoring
