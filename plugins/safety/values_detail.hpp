#pragma once
// Internal to stage 2 (factor values): what the per-source value functions
// share: the places' areas, buffer areas and radius indexes.
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety::detail {

// Rows [begin, end) of one input layer of a kind (all rows when no layer is named).
struct Range {
  std::size_t begin = 0, end = SIZE_MAX;
  bool contains(std::size_t i) const { return i >= begin && i < end; }
};
Range rangeFor(const engine::RunContext& ctx, const Factor& f);
std::optional<std::pair<std::size_t, std::size_t>> layerRange(const engine::RunContext& ctx, model::LayerKind kind,
                                                              const std::string& name);
model::LayerKind kindOf(Source s);

struct ValuesContext {
  const engine::RunContext& ctx;
  const Catalogue& cat;
  const std::vector<RoundSpec>& rounds;
  OverlayMode mode;
  Assessment& A;
  std::vector<bool> on;  // factors to compute
  std::size_t P = 0, F = 0, R = 0, NA = 0;
  std::unique_ptr<geo::PolygonIndex> area_index;
  std::vector<std::span<const std::uint8_t>> area_wkb;
  std::vector<double> area_size;
  double extent_size = 0;

  ValuesContext(const engine::RunContext& c, const Catalogue& k, const std::vector<RoundSpec>& r, OverlayMode m,
                Assessment& a, const std::vector<std::size_t>& only);
  // Buffer area of each place for a radius (CRS units; 0 = each place's own).
  const std::vector<double>& bufferAreas(double radius_crs);
  // The places' radius index for a radius (CRS units; 0 = each place's own).
  const geo::RadiusIndex& placeIndex(double radius_crs);
  // A factor's radius in CRS units (0 = the places' own).
  double radiusOf(const Factor& f) const { return f.radius_m > 0 ? ctx.toCrsUnits(f.radius_m) : 0; }
  // Factors of the catalogue that are on and pass `pred`.
  template <class Pred>
  std::vector<std::size_t> factorsWhere(Pred pred) const {
    std::vector<std::size_t> out;
    for (std::size_t f = 0; f < F; ++f)
      if (on[f] && pred(cat.factors[f])) out.push_back(f);
    return out;
  }
  // Every place of round r: not assessed for factor f, with the reason.
  void notAssessedAll(std::size_t r, std::size_t f, const std::string& why);
  // The expected count of place p: the reference count × the place's share of
  // its first area (or of the study extent when it lies in none).
  double expected(std::size_t p, double ref, const std::vector<double>& bufa) const;

 private:
  std::map<double, std::vector<double>> m_buffer_areas;
  std::map<double, std::vector<geo::RadiusSource>> m_sources;
  std::map<double, std::unique_ptr<geo::RadiusIndex>> m_idx;
};

// A count factor (incidents or pins near a place, `v.expected` set): the value
// is the rate (`absolute`) or the count relative to its expectation, and the
// one-sided Poisson p of the count. Stage 3 scores it and applies the guard.
void countValue(FactorValue& v, std::int64_t n, double absolute_rate, bool absolute);

void incidentValues(ValuesContext& vc);
void observationValues(ValuesContext& vc);
void perceptionValues(ValuesContext& vc);
void overlayValues(ValuesContext& vc);

}  // namespace trygg::plugins::safety::detail
