#include "geo/bench/accuracy.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace trygg::geo::bench {
namespace {

// Cumulative areas are sums of doubles; a coverage such as 0.01 × 10,000 m²
// must still admit exactly 100 m² of cells.
constexpr double kAreaTolerance = 1e-9;

void validate(const CellInputs& c, const AccuracyOptions& o) {
  const size_t n = c.scores.size();
  if (c.testCounts.size() != n || c.areas.size() != n)
    throwUsageError("bench: scores, test counts and areas need one entry per cell (got {}, {}, {})", n,
                    c.testCounts.size(), c.areas.size());
  if (!c.trainCounts.empty() && c.trainCounts.size() != n)
    throwUsageError("bench: training counts need one entry per cell (got {} for {} cells)", c.trainCounts.size(), n);
  if (!c.cellIds.empty() && c.cellIds.size() != n)
    throwUsageError("bench: cell ids need one entry per cell (got {} for {} cells)", c.cellIds.size(), n);
  for (size_t i = 0; i < n; ++i) {
    if (!(c.areas[i] >= 0) || !std::isfinite(c.areas[i]))
      throwUsageError("bench: cell {} has area {}; areas must be finite and >= 0", i, c.areas[i]);
    if (!(c.testCounts[i] >= 0) || !std::isfinite(c.testCounts[i]))
      throwUsageError("bench: cell {} has test count {}; counts must be finite and >= 0", i, c.testCounts[i]);
    if (!c.trainCounts.empty() && (!(c.trainCounts[i] >= 0) || !std::isfinite(c.trainCounts[i])))
      throwUsageError("bench: cell {} has training count {}; counts must be finite and >= 0", i, c.trainCounts[i]);
  }
  if (o.studyArea < 0 || !std::isfinite(o.studyArea))
    throwUsageError("bench: study area must be >= 0 (got {})", o.studyArea);
}

void checkCoverage(double coverage) {
  if (!(coverage > 0 && coverage <= 1))
    throwUsageError("bench: coverage must be a fraction in (0, 1] (got {}); 1 % is 0.01", coverage);
}

// Rank order: key descending (NaN last), then cell id ascending; zero-area cells dropped.
std::vector<size_t> rankCells(const CellInputs& c, std::span<const double> key) {
  std::vector<size_t> order;
  order.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i)
    if (c.areas[i] > 0) order.push_back(i);
  auto id = [&](size_t i) { return c.cellIds.empty() ? static_cast<std::int64_t>(i) : c.cellIds[i]; };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double ka = key[a], kb = key[b];
    const bool na = std::isnan(ka), nb = std::isnan(kb);
    if (na != nb) return nb;  // non-NaN first
    if (!na && ka != kb) return ka > kb;
    return id(a) < id(b);
  });
  while (!order.empty() && std::isnan(key[order.back()])) order.pop_back();
  return order;
}

// Number of leading cells of `order` whose cumulative area stays within budget.
size_t prefixWithin(const std::vector<size_t>& order, std::span<const double> areas, double budget,
                    double* areaOut) {
  const double limit = budget * (1 + kAreaTolerance);
  double acc = 0;
  size_t k = 0;
  for (; k < order.size(); ++k) {
    const double next = acc + areas[order[k]];
    if (next > limit) break;
    acc = next;
  }
  *areaOut = acc;
  return k;
}

}  // namespace

std::vector<HotspotAccuracy> evaluateHotspots(const CellInputs& cells, std::span<const double> coverages,
                                              const AccuracyOptions& options) {
  validate(cells, options);
  for (double cov : coverages) checkCoverage(cov);
  const double sumArea = std::accumulate(cells.areas.begin(), cells.areas.end(), 0.0);
  const double studyArea = options.studyArea > 0 ? options.studyArea : sumArea;
  const double total = std::accumulate(cells.testCounts.begin(), cells.testCounts.end(), 0.0);
  const bool haveTrain = !cells.trainCounts.empty();
  const double total1 = haveTrain ? std::accumulate(cells.trainCounts.begin(), cells.trainCounts.end(), 0.0) : 0.0;

  const std::vector<size_t> byScore = rankCells(cells, cells.scores);
  const std::vector<size_t> byCount = rankCells(cells, cells.testCounts);

  std::vector<HotspotAccuracy> out;
  out.reserve(coverages.size());
  for (double cov : coverages) {
    HotspotAccuracy r;
    r.coverage = cov;
    r.studyArea = studyArea;
    r.total = total;
    const double budget = cov * studyArea;
    const size_t k = prefixWithin(byScore, cells.areas, budget, &r.flaggedArea);
    r.flaggedCells = static_cast<std::int64_t>(k);
    double n1 = 0;
    for (size_t i = 0; i < k; ++i) {
      r.n += cells.testCounts[byScore[i]];
      if (haveTrain) n1 += cells.trainCounts[byScore[i]];
    }
    const size_t kStar = prefixWithin(byCount, cells.areas, budget, &r.nStarArea);
    for (size_t i = 0; i < kStar; ++i) r.nStar += cells.testCounts[byCount[i]];

    if (total > 0) {
      r.hitRate = r.n / total;
      if (r.flaggedArea > 0 && studyArea > 0) r.pai = (r.n / total) / (r.flaggedArea / studyArea);
    }
    if (r.nStar > 0) r.pei = r.n / r.nStar;
    if (haveTrain) {
      r.n1 = n1;
      r.total1 = total1;
      if (n1 > 0 && total1 > 0 && total > 0) r.rri = (r.n / n1) / (total / total1);
    }
    out.push_back(r);
  }
  return out;
}

HotspotAccuracy evaluateHotspots(const CellInputs& cells, double coverage, const AccuracyOptions& options) {
  const double cov[1] = {coverage};
  return evaluateHotspots(cells, std::span<const double>(cov), options).front();
}

std::vector<std::size_t> flaggedCells(const CellInputs& cells, double coverage, const AccuracyOptions& options) {
  validate(cells, options);
  checkCoverage(coverage);
  const double sumArea = std::accumulate(cells.areas.begin(), cells.areas.end(), 0.0);
  const double studyArea = options.studyArea > 0 ? options.studyArea : sumArea;
  std::vector<size_t> order = rankCells(cells, cells.scores);
  double area = 0;
  order.resize(prefixWithin(order, cells.areas, coverage * studyArea, &area));
  return order;
}

}  // namespace trygg::geo::bench
