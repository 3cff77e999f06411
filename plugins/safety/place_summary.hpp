#pragma once
// Stage 4 of the safety analysis: one summary per place and round: the colour
// of each factor group, counts per colour, the headline class (docs/factors.md
// "The headline colour") and the worst factors.
#include <array>
#include <string>
#include <vector>

#include "geo/scoring/scoring.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct PlaceSummary {
  std::array<geo::scoring::Colour, kGroupCount> group{};  // worst assessed factor of each group
  geo::scoring::Colour actual = {};             // = crime_disorder (incidents)
  geo::scoring::Colour perceived_overall = {};  // worst of physical environment and perceived safety
  geo::scoring::Colour worst_group = {};        // worst of all groups (the former headline)
  geo::scoring::Colour overall = {};            // the headline class (headlineClass)
  std::array<int, 4> n{};                       // factors per colour, indexed by Colour
  int n_assessed = 0;
  double share_red = NAN;                       // n_red / n_assessed (NaN when none is assessed)
  std::vector<std::size_t> worst;               // red factors, lowest score first (at most 5)
  std::string worst_factors;                    // their ids, comma-separated
  std::string label;                            // map label: name and red / assessed
};

// The headline class of a place from its counts per colour (docs/factors.md).
geo::scoring::Colour headlineClass(const std::array<int, 4>& n, const HeadlineRule& rule);

// Summaries of every place in round r.
std::vector<PlaceSummary> summarisePlaces(const Catalogue& cat, const Assessment& A, std::size_t r,
                                          const std::vector<model::Place>& places);

}  // namespace trygg::plugins::safety
