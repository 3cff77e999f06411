// Knox test for near repeats; see knox.hpp for the definitions, sources and
// the enumeration strategy.
#include "geo/hotspot/knox.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <type_traits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "geo/hotspot/rng.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr std::uint8_t kBelowFirst = 255;                 // pair closer than spatial_breaks[0]
constexpr std::int64_t kMaxPairs = 150'000'000;           // ~1.8 GB of pairs; refuse beyond
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Pair {
  std::uint32_t i, j;
  std::uint8_t spatial;  // finite spatial band, or kBelowFirst
};

void validateBreaks(const std::vector<double>& b, const char* what) {
  if (b.size() < 2) throwUsageError("knox: {} breaks need at least 2 values (one band)", what);
  if (b.size() > 250) throwUsageError("knox: at most 249 {} bands (got {})", what, b.size() - 1);
  for (std::size_t k = 0; k < b.size(); ++k) {
    if (std::isnan(b[k]) || b[k] < 0) throwUsageError("knox: {} break {} is {}; breaks must be >= 0", what, k, b[k]);
    if (std::isinf(b[k]) && k + 1 != b.size()) {
      throwUsageError("knox: only the last {} break may be infinite", what);
    }
    if (k > 0 && !(b[k] > b[k - 1])) {
      throwUsageError("knox: {} breaks must increase strictly ({} then {})", what, b[k - 1], b[k]);
    }
  }
}

// Band lookup on half-open intervals [b_k, b_{k+1}); -1 when outside all bands.
class BandLookup {
 public:
  explicit BandLookup(const std::vector<double>& breaks) : m_b(breaks) {
    const double w = m_b[1] - m_b[0];
    m_uniform = std::isfinite(m_b.back()) && w > 0;
    for (std::size_t k = 0; m_uniform && k < m_b.size(); ++k) {
      m_uniform = m_b[k] == m_b[0] + static_cast<double>(k) * w;
    }
    m_width = w;
  }
  int operator()(double v) const {
    const auto bands = static_cast<int>(m_b.size()) - 1;
    if (!(v >= m_b[0]) || v >= m_b.back()) return -1;
    if (m_uniform) {
      // Arithmetic guess, then an exact check against the breaks themselves.
      auto k = static_cast<int>((v - m_b[0]) / m_width);
      k = std::clamp(k, 0, bands - 1);
      if (m_b[static_cast<std::size_t>(k)] <= v && v < m_b[static_cast<std::size_t>(k) + 1]) return k;
    }
    return static_cast<int>(std::upper_bound(m_b.begin(), m_b.end(), v) - m_b.begin()) - 1;
  }

 private:
  const std::vector<double>& m_b;
  bool m_uniform = false;
  double m_width = 0;
};

// Number of pairs with |Δt| < b, for sorted times.
std::int64_t pairsCloserThan(const std::vector<double>& sorted, double b) {
  const std::size_t n = sorted.size();
  if (std::isinf(b)) return static_cast<std::int64_t>(n) * static_cast<std::int64_t>(n - 1) / 2;
  std::int64_t count = 0;
  std::size_t j = 0;
  for (std::size_t i = 0; i < n; ++i) {
    j = std::max(j, i + 1);
    while (j < n && sorted[j] - sorted[i] < b) ++j;
    count += static_cast<std::int64_t>(j - i - 1);
  }
  return count;
}

std::string fmtBreak(double v) { return std::isinf(v) ? std::string("inf") : fmt::format("{:g}", v); }
std::string fmtInterval(double a, double b) { return fmt::format("[{}, {})", fmtBreak(a), fmtBreak(b)); }
std::string fmtNumber(double v, int decimals) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return "inf";
  return fmt::format("{:.{}f}", v, decimals);
}
std::string csvNumber(double v) {
  if (std::isnan(v)) return "";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);
}

}  // namespace

std::vector<double> knoxDays(std::span<const EpochSeconds> times, bool whole_days, const UtcOffsetFn& tz) {
  std::vector<double> days(times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (times[i] == kNoTime) throwDataError("knox: event {} has no time; every event needs one", i);
    if (whole_days) {
      const std::int64_t local = times[i] + (tz ? tz(times[i]) : 0);
      days[i] = static_cast<double>(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
    } else {
      days[i] = static_cast<double>(times[i]) / 86400.0;
    }
  }
  return days;
}

KnoxResult knoxTest(std::span<const Point> xy, std::span<const double> t_days, const KnoxOptions& options) {
  if (xy.size() != t_days.size()) {
    throwUsageError("knox: {} locations but {} times; give one of each per event", xy.size(), t_days.size());
  }
  if (xy.size() < 2) throwUsageError("knox: {} event(s); at least 2 are needed to form a pair", xy.size());
  if (xy.size() > std::numeric_limits<std::uint32_t>::max()) throwUsageError("knox: too many events");
  validateBreaks(options.spatial_breaks, "spatial");
  validateBreaks(options.temporal_breaks, "temporal");
  if (options.permutations < 0) throwUsageError("knox: permutations must be >= 0 (got {})", options.permutations);
  for (std::size_t e = 0; e < xy.size(); ++e) {
    if (!std::isfinite(xy[e].x) || !std::isfinite(xy[e].y) || !std::isfinite(t_days[e])) {
      throwUsageError("knox: event {} has a non-finite coordinate or time", e);
    }
  }

  const std::size_t n = xy.size();
  const std::vector<double>& sb = options.spatial_breaks;
  const std::vector<double>& tb = options.temporal_breaks;
  const std::size_t S = sb.size() - 1, T = tb.size() - 1;
  const bool open_spatial = std::isinf(sb.back());
  const double reach = open_spatial ? sb[S - 1] : sb[S];  // pairs with d < reach are enumerated

  // ---- order events along a grid of cell size `reach`, then enumerate pairs once.
  std::vector<Point> pts(xy.begin(), xy.end());
  std::vector<double> times(t_days.begin(), t_days.end());
  std::vector<Pair> pairs;
  if (reach > 0) {
    BBox box;
    for (const Point& p : pts) box.expand(p);
    const double cols_d = std::floor(box.width() / reach) + 1;
    const double rows_d = std::floor(box.height() / reach) + 1;
    if (cols_d * rows_d > 9e18) throwUsageError("knox: the extent is too large for a {} band", reach);
    const auto cols = static_cast<std::int64_t>(cols_d);
    auto cellOf = [&](const Point& p) {
      const auto cx = static_cast<std::int64_t>((p.x - box.minx) / reach);
      const auto cy = static_cast<std::int64_t>((p.y - box.miny) / reach);
      return std::pair{cx, cy};
    };
    std::vector<std::int64_t> key(n);
    for (std::size_t e = 0; e < n; ++e) {
      const auto [cx, cy] = cellOf(pts[e]);
      key[e] = cy * cols + cx;
    }
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
    // Renumber events in grid order: nearby events get nearby indices, which
    // keeps the permuted-time lookups of one replicate cache-friendly.
    std::vector<Point> p2(n);
    std::vector<double> t2(n);
    std::vector<std::int64_t> k2(n);
    for (std::size_t e = 0; e < n; ++e) {
      p2[e] = pts[order[e]];
      t2[e] = times[order[e]];
      k2[e] = key[order[e]];
    }
    pts.swap(p2);
    times.swap(t2);
    key.swap(k2);

    const BandLookup spatial_band(sb);
    const bool manhattan = options.distance == KnoxDistance::Manhattan;
    constexpr std::size_t kChunk = 2048;
    const std::size_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<std::vector<Pair>> per_chunk(chunks);
    tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
      auto& out = per_chunk[c];
      const std::size_t end = std::min(n, (c + 1) * kChunk);
      for (std::size_t a = c * kChunk; a < end; ++a) {
        const auto [cx, cy] = cellOf(pts[a]);
        // Only partners later in grid order: each pair once. Those lie in this
        // row of cells or the next (keys grow with the row), and cells
        // (cx-1 .. cx+1, cy+dy) are one contiguous key range.
        for (std::int64_t dy = 0; dy <= 1; ++dy) {
          const std::int64_t lo = (cy + dy) * cols + std::max<std::int64_t>(cx - 1, 0);
          const std::int64_t hi = (cy + dy) * cols + std::min<std::int64_t>(cx + 1, cols - 1);
          auto first = std::lower_bound(key.begin() + static_cast<std::ptrdiff_t>(a) + 1, key.end(), lo);
          for (auto it = first; it != key.end() && *it <= hi; ++it) {
            const auto b = static_cast<std::size_t>(it - key.begin());
            const double dx = pts[b].x - pts[a].x, dyv = pts[b].y - pts[a].y;
            const double d = manhattan ? std::fabs(dx) + std::fabs(dyv) : std::sqrt(dx * dx + dyv * dyv);
            if (!(d < reach)) continue;
            const int band = spatial_band(d);
            if (band < 0 && !open_spatial) continue;  // below the first break and nothing needs it
            out.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b),
                           band < 0 ? kBelowFirst : static_cast<std::uint8_t>(band)});
          }
        }
      }
    });
    std::size_t total = 0;
    for (const auto& v : per_chunk) total += v.size();
    if (static_cast<std::int64_t>(total) > kMaxPairs) {
      throwUsageError("knox: {} pairs lie within {} of each other (limit {}); choose a smaller largest spatial band",
                      total, reach, kMaxPairs);
    }
    pairs.reserve(total);
    for (auto& v : per_chunk) {
      pairs.insert(pairs.end(), v.begin(), v.end());
      std::vector<Pair>().swap(v);
    }
  }

  // ---- totals per temporal band over ALL pairs (invariant under permutation).
  std::vector<double> sorted_times = times;
  std::sort(sorted_times.begin(), sorted_times.end());
  std::vector<std::int64_t> temporal_total(T);
  {
    std::vector<std::int64_t> closer(T + 1);
    for (std::size_t k = 0; k <= T; ++k) closer[k] = pairsCloserThan(sorted_times, tb[k]);
    for (std::size_t k = 0; k < T; ++k) temporal_total[k] = closer[k + 1] - closer[k];
  }
  const std::int64_t pairs_total = static_cast<std::int64_t>(n) * static_cast<std::int64_t>(n - 1) / 2;

  const BandLookup temporal_band(tb);
  // Whole-day times (the usual case) take a faster path: int32 times and a
  // lookup table from |Δt| to its band, instead of doubles and a search.
  const double last_finite_t = std::isinf(tb.back()) ? tb[T - 1] : tb[T];
  constexpr double kMaxLut = 1 << 20;
  bool integer_days = std::ceil(last_finite_t) <= kMaxLut;
  for (std::size_t e = 0; e < n && integer_days; ++e) {
    integer_days = times[e] == std::floor(times[e]) && std::fabs(times[e]) < 1e9;
  }
  std::vector<std::int32_t> int_times;
  std::vector<std::int16_t> lut;
  std::int16_t beyond_lut = -1;  // band of |Δt| >= lut.size()
  if (integer_days) {
    int_times.resize(n);
    for (std::size_t e = 0; e < n; ++e) int_times[e] = static_cast<std::int32_t>(times[e]);
    lut.resize(static_cast<std::size_t>(std::ceil(last_finite_t)));
    for (std::size_t d = 0; d < lut.size(); ++d) lut[d] = static_cast<std::int16_t>(temporal_band(static_cast<double>(d)));
    beyond_lut = std::isinf(tb.back()) ? static_cast<std::int16_t>(T - 1) : std::int16_t{-1};
  }

  // Counts for R assignments of times at once, from times laid out event-major
  // (tt[e * R + r] = time of event e in assignment r): one pass over the pairs
  // serves R replicates, so the pair list is streamed from memory R times less
  // often, and the R times of an event share a cache line.
  //
  // The inner loop is branch-free: counts go to a scratch table with one extra
  // row (pairs below the first spatial break) and one extra column (|Δt|
  // outside every temporal band), and consecutive increments go to R different
  // tables, so they do not wait on each other.
  std::vector<std::int16_t> lutc(lut.size() + 1);  // temporal column, T for "no band"
  for (std::size_t d = 0; d < lut.size(); ++d) lutc[d] = lut[d] < 0 ? static_cast<std::int16_t>(T) : lut[d];
  lutc.back() = beyond_lut < 0 ? static_cast<std::int16_t>(T) : beyond_lut;
  const std::size_t cols = T + 1, table = (S + 1) * cols;
  auto countBlock = [&](const auto* tt, std::size_t R, std::int64_t* counts /* R × S × T */) {
    std::vector<std::int64_t> scratch(R * table, 0);
    const auto lut_cap = static_cast<std::uint32_t>(lut.size());
    for (const Pair& pr : pairs) {
      const auto* a = tt + static_cast<std::size_t>(pr.i) * R;
      const auto* b = tt + static_cast<std::size_t>(pr.j) * R;
      const std::size_t row = (pr.spatial == kBelowFirst ? S : pr.spatial) * cols;
      for (std::size_t r = 0; r < R; ++r) {
        std::size_t col;
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(*tt)>, std::int32_t>) {
          const auto d = std::min(static_cast<std::uint32_t>(std::abs(a[r] - b[r])), lut_cap);
          col = static_cast<std::size_t>(lutc[d]);
        } else {
          const int k = temporal_band(std::fabs(a[r] - b[r]));
          col = k < 0 ? T : static_cast<std::size_t>(k);
        }
        ++scratch[r * table + row + col];
      }
    }
    for (std::size_t r = 0; r < R; ++r) {
      const std::int64_t* sc = scratch.data() + r * table;
      std::int64_t* out = counts + r * S * T;
      for (std::size_t s = 0; s < S; ++s) {
        for (std::size_t k = 0; k < T; ++k) out[s * T + k] = sc[s * cols + k];
      }
      if (open_spatial) {
        for (std::size_t k = 0; k < T; ++k) {
          std::int64_t enumerated_in = 0;  // every enumerated pair in temporal band k, below-first row included
          for (std::size_t s = 0; s <= S; ++s) enumerated_in += sc[s * cols + k];
          out[(S - 1) * T + k] = temporal_total[k] - enumerated_in;
        }
      }
    }
  };

  std::vector<std::int64_t> observed(S * T);
  if (integer_days) {
    countBlock(int_times.data(), 1, observed.data());
  } else {
    countBlock(times.data(), 1, observed.data());
  }

  // Pairs per spatial band (for the exact expectation).
  std::vector<std::int64_t> spatial_total(S, 0);
  std::int64_t enumerated = 0;
  for (const Pair& pr : pairs) {
    ++enumerated;
    if (pr.spatial != kBelowFirst) ++spatial_total[pr.spatial];
  }
  if (open_spatial) spatial_total[S - 1] = pairs_total - enumerated;

  // ---- Monte Carlo: permute the times over the events, nrep times.
  const auto nrep = static_cast<std::size_t>(options.permutations);
  std::vector<std::int64_t> sims(nrep * S * T);
  constexpr std::size_t kRepBlock = 8;
  const std::size_t blocks = (nrep + kRepBlock - 1) / kRepBlock;
  auto runBlocks = [&](const auto& source) {
    using TT = typename std::remove_cvref_t<decltype(source)>::value_type;
    tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t blk) {
      const std::size_t first = blk * kRepBlock;
      const std::size_t R = std::min(kRepBlock, nrep - first);
      std::vector<TT> perm(n), tt(n * R);
      for (std::size_t r = 0; r < R; ++r) {
        // Replicate rep's shuffle depends on (seed, rep) only.
        SplitMix64 rng(options.seed, first + r);
        std::copy(source.begin(), source.end(), perm.begin());
        for (std::size_t i = n - 1; i > 0; --i) {  // Fisher–Yates
          const auto j = static_cast<std::size_t>(rng.below(i + 1));
          std::swap(perm[i], perm[j]);
        }
        for (std::size_t e = 0; e < n; ++e) tt[e * R + r] = perm[e];
      }
      countBlock(tt.data(), R, sims.data() + first * S * T);
    });
  };
  if (nrep > 0) {
    if (integer_days) {
      runBlocks(int_times);
    } else {
      runBlocks(times);
    }
  }

  KnoxResult result;
  result.options = options;
  result.events = n;
  result.pairs_total = pairs_total;
  result.pairs_enumerated = enumerated;
  result.cells.resize(S * T);
  std::vector<double> column(nrep);
  for (std::size_t s = 0; s < S; ++s) {
    for (std::size_t k = 0; k < T; ++k) {
      KnoxCell& c = result.cells[s * T + k];
      const std::size_t idx = s * T + k;
      c.spatial_band = s;
      c.temporal_band = k;
      c.spatial_from = sb[s];
      c.spatial_to = sb[s + 1];
      c.temporal_from = tb[k];
      c.temporal_to = tb[k + 1];
      c.observed = observed[idx];
      c.expected = static_cast<double>(spatial_total[s]) * static_cast<double>(temporal_total[k]) /
                   static_cast<double>(pairs_total);
      if (nrep == 0) {
        c.sim_mean = c.sim_median = c.ratio_mean = c.ratio_median = c.p = kNaN;
        continue;
      }
      double sum = 0;
      std::int64_t at_least = 0;
      for (std::size_t rep = 0; rep < nrep; ++rep) {
        const std::int64_t v = sims[rep * S * T + idx];
        column[rep] = static_cast<double>(v);
        sum += static_cast<double>(v);
        at_least += v >= c.observed;
      }
      c.sim_mean = sum / static_cast<double>(nrep);
      const std::size_t mid = nrep / 2;
      std::nth_element(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(mid), column.end());
      c.sim_median = column[mid];
      if (nrep % 2 == 0) {
        const double lower = *std::max_element(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(mid));
        c.sim_median = (c.sim_median + lower) / 2;
      }
      const auto obs = static_cast<double>(c.observed);
      c.ratio_mean = c.sim_mean > 0 ? obs / c.sim_mean : kNaN;
      c.ratio_median = c.sim_median > 0 ? obs / c.sim_median : kNaN;
      c.sim_at_least = at_least;
      c.p = static_cast<double>(at_least + 1) / static_cast<double>(nrep + 1);
    }
  }
  return result;
}

std::string knoxTableText(const KnoxResult& r) {
  const std::size_t S = r.spatialBands(), T = r.temporalBands();
  std::string out;
  out += "Knox test for near repeats (space-time interaction)\n";
  out += fmt::format("events: {}   pairs: {}   pairs within the largest finite spatial band: {}\n", r.events,
                     r.pairs_total, r.pairs_enumerated);
  out += fmt::format("distance: {}   time: |dt| in days   bands are half-open [from, to)\n",
                     r.options.distance == KnoxDistance::Manhattan ? "Manhattan" : "Euclidean");
  if (r.options.permutations > 0) {
    out += fmt::format("permutations of event times: {}   seed: {}   p = (#{{sim >= obs}} + 1) / (nrep + 1)\n",
                       r.options.permutations, r.options.seed);
  } else {
    out += "permutations: 0 (observed counts and exact expectations only)\n";
  }

  std::vector<std::string> row_labels(S), col_labels(T);
  std::size_t row_w = std::string_view("distance \\ days").size();
  for (std::size_t s = 0; s < S; ++s) {
    row_labels[s] = fmtInterval(r.options.spatial_breaks[s], r.options.spatial_breaks[s + 1]);
    row_w = std::max(row_w, row_labels[s].size());
  }
  std::size_t col_w = 8;
  for (std::size_t k = 0; k < T; ++k) {
    col_labels[k] = fmtInterval(r.options.temporal_breaks[k], r.options.temporal_breaks[k + 1]);
    col_w = std::max(col_w, col_labels[k].size());
  }
  auto matrix = [&](const std::string& title, auto value) {
    out += "\n" + title + "\n";
    out += fmt::format("{:<{}}", "distance \\ days", row_w);
    for (std::size_t k = 0; k < T; ++k) out += fmt::format("  {:>{}}", col_labels[k], col_w);
    out += "\n";
    for (std::size_t s = 0; s < S; ++s) {
      out += fmt::format("{:<{}}", row_labels[s], row_w);
      for (std::size_t k = 0; k < T; ++k) out += fmt::format("  {:>{}}", value(r.at(s, k)), col_w);
      out += "\n";
    }
  };
  matrix("Observed pairs", [](const KnoxCell& c) { return fmt::format("{}", c.observed); });
  matrix("Expected pairs under random timing (exact)", [](const KnoxCell& c) { return fmtNumber(c.expected, 2); });
  if (r.options.permutations > 0) {
    matrix("Knox ratio (observed / mean of simulations)",
           [](const KnoxCell& c) { return fmtNumber(c.ratio_mean, 2); });
    matrix("Knox ratio (observed / median of simulations)",
           [](const KnoxCell& c) { return fmtNumber(c.ratio_median, 2); });
    matrix("p-value (one-sided: more pairs than chance)", [](const KnoxCell& c) { return fmtNumber(c.p, 3); });
  }
  return out;
}

std::string knoxTableCsv(const KnoxResult& r) {
  std::string out =
      "spatial_from,spatial_to,temporal_from_days,temporal_to_days,observed,expected,sim_mean,sim_median,"
      "ratio_mean,ratio_median,sim_at_least,p,permutations,seed,distance\n";
  const char* metric = r.options.distance == KnoxDistance::Manhattan ? "manhattan" : "euclidean";
  for (const KnoxCell& c : r.cells) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csvNumber(c.spatial_from),
                       csvNumber(c.spatial_to), csvNumber(c.temporal_from), csvNumber(c.temporal_to), c.observed,
                       csvNumber(c.expected), csvNumber(c.sim_mean), csvNumber(c.sim_median),
                       csvNumber(c.ratio_mean), csvNumber(c.ratio_median),
                       r.options.permutations > 0 ? fmt::format("{}", c.sim_at_least) : std::string(),
                       csvNumber(c.p), r.options.permutations, r.options.seed, metric);
  }
  return out;
}

}  // namespace trygg::geo::hotspot
