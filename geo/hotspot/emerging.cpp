// Emerging hot spot analysis (ArcGIS Pro "How Emerging Hot Spot Analysis
// works"; R sfdep emerging_hotspot_analysis). See emerging.hpp for the choices
// and docs/methods/emerging-hotspots.md for the definitions.
#include "geo/hotspot/emerging.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/hotspot/inference.hpp"
#include "geo/hotspot/rng.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::size_t kMaxSteps = 100000;  // a guard against "1 second steps over ten years"

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// The start of the step that ends k steps before window_end.
EpochSeconds stepBoundary(EpochSeconds window_end, std::int64_t k, const StepLength& step, const UtcOffsetFn& tz) {
  switch (step.unit) {
    case StepLength::Unit::Seconds:
      return window_end - k * step.count;
    case StepLength::Unit::Days: {
      const std::int64_t local_end = window_end + (tz ? tz(window_end) : 0);
      return localToUtc(local_end - k * step.count * kDay, tz);
    }
    case StepLength::Unit::Months: {
      const std::int64_t local_end = window_end + (tz ? tz(window_end) : 0);
      const std::int64_t days = floorDiv(local_end, kDay);
      const std::int64_t second_of_day = local_end - days * kDay;
      const CivilDate end_date = civilFromDays(days);
      const std::int64_t month_index = static_cast<std::int64_t>(end_date.year) * 12 + (end_date.month - 1) -
                                       k * step.count;
      CivilDate d;
      d.year = static_cast<int>(floorDiv(month_index, 12));
      d.month = static_cast<int>(month_index - static_cast<std::int64_t>(d.year) * 12) + 1;
      d.day = std::min(end_date.day, daysInMonth(d.year, d.month));
      return localToUtc(daysFromCivil(d) * kDay + second_of_day, tz);
    }
  }
  return window_end;
}

const char* unitName(StepLength::Unit u) {
  switch (u) {
    case StepLength::Unit::Seconds: return "seconds";
    case StepLength::Unit::Days: return "days";
    case StepLength::Unit::Months: return "months";
  }
  return "?";
}

void validateOptions(const EmergingOptions& o) {
  if (o.time_lag < 0) throwUsageError("emerging: time_lag must be >= 0 (got {})", o.time_lag);
  if (!(o.alpha > 0 && o.alpha <= 1)) throwUsageError("emerging: alpha must be in (0, 1] (got {})", o.alpha);
  if (!(o.mk_alpha > 0 && o.mk_alpha <= 1)) {
    throwUsageError("emerging: mk_alpha must be in (0, 1] (got {})", o.mk_alpha);
  }
  if (o.permutations < 0) throwUsageError("emerging: permutations must be >= 0 (got {})", o.permutations);
}

}  // namespace

StepLength parseStepLength(std::string_view text_in, std::string_view where) {
  // Owned copies only: the words are std::string, never views into a
  // temporary (issue 10 item 15: views into a temporary trimmed string were
  // read after it died).
  const std::string trimmed(text::trim(text_in));
  std::vector<std::string> words;
  for (const auto p : text::split(trimmed, ' '))
    if (!p.empty()) words.emplace_back(p);
  if (words.size() != 2)
    throwUsageError("{}: step must be like '1 month', '2 weeks' or '7 days' (got '{}')", where, text_in);
  const auto n = text::parseInt(words[0]);
  if (!n || *n <= 0) throwUsageError("{}: step count must be a whole number > 0 (got '{}')", where, text_in);
  const std::string unit = text::foldCase(words[1]);
  StepLength st;
  st.count = *n;
  if (unit.rfind("month", 0) == 0) st.unit = StepLength::Unit::Months;
  else if (unit.rfind("week", 0) == 0) { st.unit = StepLength::Unit::Days; st.count *= 7; }
  else if (unit.rfind("day", 0) == 0) st.unit = StepLength::Unit::Days;
  else throwUsageError("{}: step unit must be days, weeks or months (got '{}')", where, text_in);
  return st;
}

int TimeSteps::stepOf(EpochSeconds t) const {
  if (boundaries.size() < 2 || t < boundaries.front() || t >= boundaries.back()) return -1;
  const auto it = std::upper_bound(boundaries.begin(), boundaries.end(), t);
  return static_cast<int>(it - boundaries.begin()) - 1;
}

TimeSteps timeSteps(EpochSeconds window_start, EpochSeconds window_end, StepLength step,
                    std::span<const EpochSeconds> event_times, const UtcOffsetFn& tz) {
  if (window_end <= window_start) {
    throwUsageError("emerging: the time window is empty (start {} is not before end {})", window_start,
                    window_end);
  }
  if (step.count <= 0) throwUsageError("emerging: the step length must be > 0 (got {})", step.count);
  TimeSteps ts;
  ts.window_start = window_start;
  ts.window_end = window_end;
  ts.boundaries.push_back(window_end);
  for (std::int64_t k = 1;; ++k) {
    const EpochSeconds b = stepBoundary(window_end, k, step, tz);
    if (b < window_start) break;
    ts.boundaries.push_back(b);
    if (ts.boundaries.size() > kMaxSteps) {
      throwUsageError("emerging: more than {} time steps of {} {}; choose a longer step", kMaxSteps, step.count,
                      unitName(step.unit));
    }
  }
  std::reverse(ts.boundaries.begin(), ts.boundaries.end());
  if (ts.boundaries.size() < 2) {
    throwUsageError("emerging: the window is shorter than one step of {} {}; choose a shorter step", step.count,
                    unitName(step.unit));
  }
  for (EpochSeconds t : event_times) {
    if (t < window_start || t >= window_end) {
      ++ts.events_outside_window;
    } else if (t < ts.boundaries.front()) {
      ++ts.events_in_dropped_step;
    }
  }
  return ts;
}

std::string_view emergingCategoryName(EmergingCategory c) {
  switch (c) {
    case EmergingCategory::NoPattern: return "No Pattern Detected";
    case EmergingCategory::NewHot: return "New Hot Spot";
    case EmergingCategory::ConsecutiveHot: return "Consecutive Hot Spot";
    case EmergingCategory::IntensifyingHot: return "Intensifying Hot Spot";
    case EmergingCategory::PersistentHot: return "Persistent Hot Spot";
    case EmergingCategory::DiminishingHot: return "Diminishing Hot Spot";
    case EmergingCategory::SporadicHot: return "Sporadic Hot Spot";
    case EmergingCategory::OscillatingHot: return "Oscillating Hot Spot";
    case EmergingCategory::HistoricalHot: return "Historical Hot Spot";
    case EmergingCategory::NewCold: return "New Cold Spot";
    case EmergingCategory::ConsecutiveCold: return "Consecutive Cold Spot";
    case EmergingCategory::IntensifyingCold: return "Intensifying Cold Spot";
    case EmergingCategory::PersistentCold: return "Persistent Cold Spot";
    case EmergingCategory::DiminishingCold: return "Diminishing Cold Spot";
    case EmergingCategory::SporadicCold: return "Sporadic Cold Spot";
    case EmergingCategory::OscillatingCold: return "Oscillating Cold Spot";
    case EmergingCategory::HistoricalCold: return "Historical Cold Spot";
  }
  return "?";
}

std::string_view emergingCategoryKey(EmergingCategory c) {
  switch (c) {
    case EmergingCategory::NoPattern: return "no_pattern";
    case EmergingCategory::NewHot: return "new_hot";
    case EmergingCategory::ConsecutiveHot: return "consecutive_hot";
    case EmergingCategory::IntensifyingHot: return "intensifying_hot";
    case EmergingCategory::PersistentHot: return "persistent_hot";
    case EmergingCategory::DiminishingHot: return "diminishing_hot";
    case EmergingCategory::SporadicHot: return "sporadic_hot";
    case EmergingCategory::OscillatingHot: return "oscillating_hot";
    case EmergingCategory::HistoricalHot: return "historical_hot";
    case EmergingCategory::NewCold: return "new_cold";
    case EmergingCategory::ConsecutiveCold: return "consecutive_cold";
    case EmergingCategory::IntensifyingCold: return "intensifying_cold";
    case EmergingCategory::PersistentCold: return "persistent_cold";
    case EmergingCategory::DiminishingCold: return "diminishing_cold";
    case EmergingCategory::SporadicCold: return "sporadic_cold";
    case EmergingCategory::OscillatingCold: return "oscillating_cold";
    case EmergingCategory::HistoricalCold: return "historical_cold";
  }
  return "?";
}

EmergingCategory classifyEmerging(std::span<const int> sig, double mk_z, double mk_p,
                                  const EmergingOptions& options) {
  const std::size_t n = sig.size();
  if (n == 0) return EmergingCategory::NoPattern;
  const bool trend_significant = mk_p <= options.mk_alpha;

  struct Facts {
    bool last = false;       // final step significant in this polarity
    std::size_t count = 0;   // significant steps in this polarity
    std::size_t run = 0;     // length of the final uninterrupted run
    bool ninety = false;     // >= 90 % of steps, exactly: 10·count >= 9·n
    bool opposite = false;   // any significant step of the other polarity
    bool intensifying = false, diminishing = false;  // significant MK trend away from / towards 0
  };
  auto facts = [&](int polarity) {
    Facts f;
    for (int s : sig) {
      if (s == polarity) ++f.count;
      if (s == -polarity) f.opposite = true;
    }
    f.last = sig[n - 1] == polarity;
    for (std::size_t i = n; i > 0 && sig[i - 1] == polarity; --i) ++f.run;
    f.ninety = 10 * f.count >= 9 * n;
    f.intensifying = trend_significant && polarity * mk_z > 0;
    f.diminishing = trend_significant && polarity * mk_z < 0;
    return f;
  };
  const Facts hot = facts(+1);
  const Facts cold = facts(-1);
  using C = EmergingCategory;
  struct Level {
    bool (*rule)(const Facts&);
    C hot, cold;
  };
  // THE precedence order (METHODS.md §5); one level at a time, hot then cold —
  // at one level the two cannot both hold (each needs its own final step, or
  // >= 90 % of the steps).
  static constexpr Level kLevels[] = {
      {[](const Facts& f) { return f.last && f.count == 1; }, C::NewHot, C::NewCold},
      {[](const Facts& f) { return f.last && f.run >= 2 && f.run == f.count && !f.ninety; }, C::ConsecutiveHot,
       C::ConsecutiveCold},
      {[](const Facts& f) { return f.ninety && f.last && f.intensifying; }, C::IntensifyingHot,
       C::IntensifyingCold},
      {[](const Facts& f) { return f.ninety && f.last && f.diminishing; }, C::DiminishingHot, C::DiminishingCold},
      {[](const Facts& f) { return f.ninety && !f.last; }, C::HistoricalHot, C::HistoricalCold},
      {[](const Facts& f) { return f.ninety && f.last; }, C::PersistentHot, C::PersistentCold},
      {[](const Facts& f) { return f.last && !f.ninety && !f.opposite; }, C::SporadicHot, C::SporadicCold},
      {[](const Facts& f) { return f.last && !f.ninety && f.opposite; }, C::OscillatingHot, C::OscillatingCold},
  };
  for (const Level& level : kLevels) {
    if (level.rule(hot)) return level.hot;
    if (level.rule(cold)) return level.cold;
  }
  return C::NoPattern;
}

SpaceTimeCube buildCube(std::size_t cells, std::span<const std::int64_t> cell_of_event,
                        std::span<const EpochSeconds> event_times, std::span<const double> weights,
                        EpochSeconds window_start, EpochSeconds window_end, const EmergingOptions& options,
                        const UtcOffsetFn& tz) {
  if (cell_of_event.size() != event_times.size() || (!weights.empty() && weights.size() != event_times.size())) {
    throwUsageError("emerging: {} cell indices, {} times and {} weights; give one of each per event",
                    cell_of_event.size(), event_times.size(), weights.size());
  }
  SpaceTimeCube cube;
  cube.time = timeSteps(window_start, window_end, options.step, event_times, tz);
  cube.cells = cells;
  cube.steps = cube.time.steps();
  cube.values.assign(cube.cells * cube.steps, 0.0);
  for (std::size_t e = 0; e < event_times.size(); ++e) {
    const std::int64_t c = cell_of_event[e];
    if (c < 0) {
      ++cube.events_without_cell;
      continue;
    }
    if (static_cast<std::size_t>(c) >= cells) {
      throwUsageError("emerging: event {} is in cell {}, but the grid has {} cells", e, c, cells);
    }
    const int s = cube.time.stepOf(event_times[e]);
    if (s < 0) continue;  // counted by timeSteps() as dropped or outside
    cube.values[static_cast<std::size_t>(s) * cells + static_cast<std::size_t>(c)] +=
        weights.empty() ? 1.0 : weights[e];
    ++cube.events_used;
  }
  return cube;
}

EmergingResult emergingHotspots(std::span<const double> values, std::size_t cells, std::size_t steps,
                                std::span<const std::uint32_t> offsets, std::span<const std::uint32_t> neighbours,
                                const EmergingOptions& options) {
  validateOptions(options);
  if (steps < 2) throwUsageError("emerging: the cube has {} time step(s); at least 2 are needed (ArcGIS asks for 10)", steps);
  if (cells == 0) throwUsageError("emerging: the cube has no locations");
  if (values.size() != cells * steps) {
    throwUsageError("emerging: {} values for {} cells × {} steps", values.size(), cells, steps);
  }
  if (offsets.size() != cells + 1 || offsets.front() != 0 || offsets.back() != neighbours.size()) {
    throwUsageError("emerging: the neighbour list does not match the {} cells (offsets must hold cells + 1 entries "
                    "from 0 to the number of neighbours)", cells);
  }
  for (std::size_t i = 0; i < cells; ++i) {
    if (offsets[i + 1] < offsets[i]) throwUsageError("emerging: neighbour offsets decrease at cell {}", i);
    bool self = false;
    for (std::uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) {
      if (neighbours[k] >= cells) throwUsageError("emerging: cell {} has neighbour {} out of range", i, neighbours[k]);
      self = self || neighbours[k] == i;
    }
    if (!self) {
      throwUsageError("emerging: cell {} is not its own neighbour; space-time Gi* needs self-included weights", i);
    }
  }
  for (std::size_t b = 0; b < values.size(); ++b) {
    if (!std::isfinite(values[b])) throwUsageError("emerging: cube value {} is not finite", b);
  }

  const std::size_t n = cells * steps;
  const auto nd = static_cast<double>(n);
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / nd;
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / nd);
  if (!(sd > 1e-12 * std::max(1.0, std::fabs(mean)))) {
    throwUsageError("emerging: every bin of the space-time cube holds the same value ({}); there is no variation "
                    "to test — widen the window, the categories or the cell size", mean);
  }

  // Spatial lag per step: lag[t*cells + i] = Σ_{j ∈ N(i)} x[t*cells + j].
  std::vector<double> lag(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b < r.end(); ++b) {
      const std::size_t t = b / cells, i = b % cells;
      const double* row = values.data() + t * cells;
      double s = 0;
      for (std::uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) s += row[neighbours[k]];
      lag[b] = s;
    }
  });

  const auto k_lag = static_cast<std::size_t>(options.time_lag);
  std::vector<double> z(n), p(n), obs_sum(n), weight_count(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b < r.end(); ++b) {
      const std::size_t t = b / cells, i = b % cells;
      const std::size_t first = t >= k_lag ? t - k_lag : 0;
      double sum = 0;
      for (std::size_t s = first; s <= t; ++s) sum += lag[s * cells + i];
      const double w = static_cast<double>((offsets[i + 1] - offsets[i]) * (t - first + 1));
      const double den = sd * std::sqrt((nd * w - w * w) / (nd - 1));
      // den = 0 only when the neighbourhood is the whole cube: nothing to compare with.
      z[b] = den > 0 ? (sum - mean * w) / den : 0.0;
      p[b] = std::erfc(std::fabs(z[b]) / std::sqrt(2.0));
      obs_sum[b] = sum;
      weight_count[b] = w;
    }
  });

  // Conditional permutation (METHODS.md §2): x_b stays, its W − 1 other slots
  // are filled by values drawn without replacement from the n − 1 other bins;
  // Gi* rises with the neighbourhood sum, so we compare sums. As esda's
  // conditional randomisation (crand), one table of random draws is shared by
  // every bin: row k is a random ordered sample of max(W) − 1 indices from
  // [0, n − 1), and bin b reads the first W_b − 1 of them, mapping an index
  // r >= b to r + 1 so that b itself is never drawn. Every bin still gets a
  // valid permutation distribution; the table depends only on the seed (row k
  // on (seed, k)), so the results do not depend on the number of threads, and
  // each bin's permuted sums are evaluated by a sweep (below).
  std::vector<double> p_sim;
  if (options.permutations > 0) {
    p_sim.assign(n, std::numeric_limits<double>::quiet_NaN());
    const auto perms = static_cast<std::size_t>(options.permutations);
    const auto max_w = static_cast<std::size_t>(*std::max_element(weight_count.begin(), weight_count.end()));
    const std::size_t m = std::min(max_w - 1, n - 1);  // draws per table row
    std::vector<std::uint32_t> rids(perms * m);
    std::vector<double> at_r1(perms * m);  // values[r + 1] at each draw
    tbb::enumerable_thread_specific<std::vector<unsigned char>> marks([&] { return std::vector<unsigned char>(n, 0); });
    tbb::parallel_for(std::size_t{0}, perms, [&](std::size_t k) {
      auto& mark = marks.local();
      SplitMix64 rng(options.seed, k);
      std::uint32_t* row = rids.data() + k * m;
      const std::uint64_t pool = n - 1;
      std::size_t filled = 0;
      for (std::uint64_t j = pool - m; j < pool; ++j) {  // Floyd: a uniform m-subset of [0, pool)
        std::uint64_t pick = rng.below(j + 1);
        if (mark[pick]) pick = j;
        mark[pick] = 1;
        row[filled++] = static_cast<std::uint32_t>(pick);
      }
      for (std::size_t j = 0; j < m; ++j) mark[row[j]] = 0;
      for (std::size_t j = m; j > 1; --j) {  // Floyd's order is not uniform: shuffle so every prefix is a sample
        std::swap(row[j - 1], row[rng.below(j)]);
      }
      for (std::size_t j = 0; j < m; ++j) {
        at_r1[k * m + j] = values[row[j] + 1];
      }
    });
    // Bin b's permuted sum for row k with d draws is
    //   x_b + Σ_{j<d} values[r_j + 1] + Σ_{j<d, r_j < b} (values[r_j] − values[r_j + 1]),
    // a step function of b. For every draw count d in use we sort each row's
    // first d entries by r once; sweeping b upwards then moves a pointer
    // through them, so a (bin, permutation) costs O(1) instead of O(d).
    std::vector<std::size_t> draw_counts;
    for (std::size_t b = 0; b < n; ++b) {
      const auto d = static_cast<std::size_t>(weight_count[b]) - 1;
      if (d > 0 && d <= m) draw_counts.push_back(d);
    }
    std::sort(draw_counts.begin(), draw_counts.end());
    draw_counts.erase(std::unique(draw_counts.begin(), draw_counts.end()), draw_counts.end());
    const std::size_t nd_counts = draw_counts.size();
    std::vector<std::size_t> slot_of_d(m + 1, SIZE_MAX);
    std::vector<std::size_t> start_of_slot(nd_counts + 1, 0);  // per row: sorted entries of slot i at [start, start + d)
    for (std::size_t i = 0; i < nd_counts; ++i) {
      slot_of_d[draw_counts[i]] = i;
      start_of_slot[i + 1] = start_of_slot[i] + draw_counts[i];
    }
    const std::size_t row_len = start_of_slot[nd_counts];
    std::vector<std::uint32_t> sorted_r(perms * row_len);
    std::vector<double> sorted_diff(perms * row_len);  // values[r] − values[r + 1], in r order
    std::vector<double> base(perms * nd_counts);       // Σ_{j<d} values[r_j + 1]
    tbb::parallel_for(std::size_t{0}, perms, [&](std::size_t k) {
      std::vector<std::uint32_t> tmp;
      for (std::size_t i = 0; i < nd_counts; ++i) {
        const std::size_t d = draw_counts[i];
        tmp.assign(rids.begin() + static_cast<std::ptrdiff_t>(k * m),
                   rids.begin() + static_cast<std::ptrdiff_t>(k * m + d));
        double b1 = 0;
        for (std::size_t j = 0; j < d; ++j) b1 += at_r1[k * m + j];
        base[k * nd_counts + i] = b1;
        std::sort(tmp.begin(), tmp.end());
        const std::size_t at = k * row_len + start_of_slot[i];
        for (std::size_t j = 0; j < d; ++j) {
          sorted_r[at + j] = tmp[j];
          sorted_diff[at + j] = values[tmp[j]] - values[tmp[j] + 1];
        }
      }
    });
    constexpr std::size_t kChunk = 4096;
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
      const std::size_t b0 = c * kChunk, b1 = std::min(n, b0 + kChunk);
      std::vector<std::uint32_t> larger(b1 - b0, 0);
      std::vector<std::size_t> ptr(nd_counts);
      std::vector<double> cum(nd_counts);
      for (std::size_t k = 0; k < perms; ++k) {
        const std::uint32_t* rs = sorted_r.data() + k * row_len;
        const double* df = sorted_diff.data() + k * row_len;
        const double* bs = base.data() + k * nd_counts;
        // Pointers at b0: entries with r < b0 already switched to values[r].
        for (std::size_t i = 0; i < nd_counts; ++i) {
          const std::uint32_t* first = rs + start_of_slot[i];
          const std::uint32_t* last = first + draw_counts[i];
          const std::size_t p = static_cast<std::size_t>(std::lower_bound(first, last, static_cast<std::uint32_t>(b0)) - first);
          double acc = 0;
          for (std::size_t j = 0; j < p; ++j) acc += df[start_of_slot[i] + j];
          ptr[i] = p;
          cum[i] = acc;
        }
        for (std::size_t b = b0; b < b1; ++b) {
          const auto d = static_cast<std::size_t>(weight_count[b]) - 1;
          if (d == 0 || d > m) continue;
          const std::size_t i = slot_of_d[d];
          const std::size_t at = start_of_slot[i];
          std::size_t p = ptr[i];
          double acc = cum[i];
          while (p < draw_counts[i] && rs[at + p] < b) acc += df[at + p++];
          ptr[i] = p;
          cum[i] = acc;
          larger[b - b0] += values[b] + bs[i] + acc >= obs_sum[b];
        }
      }
      const auto perms_u = static_cast<std::uint32_t>(perms);
      for (std::size_t b = b0; b < b1; ++b) {
        const auto d = static_cast<std::size_t>(weight_count[b]) - 1;
        if (d == 0 || d > m) continue;
        const std::uint32_t l = larger[b - b0];
        p_sim[b] = static_cast<double>(std::min(l, perms_u - l) + 1) / static_cast<double>(perms + 1);
      }
    });
  }

  std::vector<double> p_used(n);
  for (std::size_t b = 0; b < n; ++b) {
    p_used[b] = p_sim.empty() ? p[b] : (std::isnan(p_sim[b]) ? 1.0 : std::min(1.0, 2.0 * p_sim[b]));
  }
  if (options.fdr) p_used = benjaminiHochberg(p_used);  // inference.hpp: R p.adjust("BH")

  EmergingResult result;
  result.cells = cells;
  result.steps = steps;
  result.bins = n;
  result.mean = mean;
  result.sd = sd;
  result.p_source = fmt::format(
      "{}, {}; significant when <= {}; space-time Gi* with {} previous step(s); Mann-Kendall on z, p <= {}",
      p_sim.empty() ? std::string("analytic two-sided normal p")
                    : fmt::format("conditional permutation p (folded pseudo-p doubled, capped at 1; {} permutations, "
                                  "seed {})",
                                  options.permutations, options.seed),
      options.fdr ? fmt::format("Benjamini-Hochberg FDR over all {} bins", n) : std::string("no FDR adjustment"),
      options.alpha, options.time_lag, options.mk_alpha);
  result.locations.resize(cells);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells, 256), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i < r.end(); ++i) {
      EmergingLocation& loc = result.locations[i];
      loc.z.resize(steps);
      loc.p.resize(steps);
      loc.p_used.resize(steps);
      loc.sig.resize(steps);
      if (!p_sim.empty()) loc.p_sim.resize(steps);
      for (std::size_t t = 0; t < steps; ++t) {
        const std::size_t b = t * cells + i;
        loc.z[t] = z[b];
        loc.p[t] = p[b];
        loc.p_used[t] = p_used[b];
        if (!p_sim.empty()) loc.p_sim[t] = p_sim[b];
        const bool significant = p_used[b] <= options.alpha;
        loc.sig[t] = significant ? (z[b] > 0 ? 1 : (z[b] < 0 ? -1 : 0)) : 0;
        loc.hot_steps += loc.sig[t] == 1;
        loc.cold_steps += loc.sig[t] == -1;
      }
      loc.trend = mannKendall(loc.z);
      loc.category = classifyEmerging(loc.sig, loc.trend.z, loc.trend.p, options);
      loc.code = emergingCategoryCode(loc.category);
    }
  });
  return result;
}

}  // namespace trygg::geo::hotspot
