#pragma once
// Stage 7 of the safety analysis (overlay): what each measure covers: its
// coverage geometry (a light's or camera's radius, the polygon, a line
// buffered by line_radius), the places whose buffer it touches, the last
// round's unsafe pins inside it, the red factors of those places and the hot
// spot cells of an earlier Gi* analysis. The coverage is computed first: the
// action plan and the incident tests read which measures cover each place.
#include <optional>
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "geo/geos/geos.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct Coverage {
  std::vector<geo::Wkb> cover;                              // per measure (empty: no geometry)
  std::vector<std::vector<std::uint32_t>> covered_places;   // per measure: places whose buffer it touches
  std::vector<std::vector<std::uint32_t>> place_measures;   // per place: measures touching its buffer
  std::string measureIds(const std::vector<model::Measure>& measures, std::size_t p) const;
};

Coverage measureCoverage(const engine::RunContext& ctx, double line_radius_crs);

struct MeasureOverlay {
  std::size_t measure = 0;        // index into ctx.measures
  std::string places;             // ids of the covered places, comma-separated
  std::int64_t unsafe_pins = 0;   // the last round's pins inside the coverage
  std::string red_factors;        // "place:factor,..." of the covered places in the last round
  int n_red_factors = 0;
  std::optional<std::int64_t> hotspot_cells;  // none when no Gi* analysis ran before
};

struct OverlayResult {
  std::vector<MeasureOverlay> rows;  // measures with a geometry, in input order
  std::int64_t covering = 0;         // measures that cover at least one place
  std::string hotspot_analysis;      // the Gi* analysis read ("" = none)
};

OverlayResult overlay(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A, const Coverage& cov);

}  // namespace trygg::plugins::safety
