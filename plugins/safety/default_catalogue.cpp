// GENERATED from config/factors.yaml (tests/unit/plugins/safety/catalogue_test.cpp checks they are
// identical). To change the defaults edit config/factors.yaml and copy it here.
#include "plugins/safety/catalogue.hpp"

namespace trygg::plugins::safety {

const char* defaultCatalogueYaml() {
  return R"TRYGG_YAML(
# trygg's default factor catalogue for the safety analysis (trygghetsanalys).
#
# Every number here is a DEFAULT of this engine, not an official number of the
# Trygga Platser model or of Tryggare Sverige's inspection practice: the
# published sources give no numeric cut-offs (docs/factors.md). Copy this file,
# change it, and point the analysis at it with `catalogue: my_factors.yaml`.
#
# Scores use the inspection scale 0 (alarming problem) .. 20 (good level). A raw
# value becomes a score by the factor's piecewise-linear `table` of
# [raw, score] rows (clamped at the ends). Colours: red < yellow_from <= yellow
# < green_from <= green; a cut-off is the lowest score of the better colour.
version: 1
description: trygg default factors (defaults, not official numbers)
bands: { yellow_from: 20/3, green_from: 40/3 }   # thirds of the scale; ratings 0..6 red, 7..13 yellow, 14..20 green
# The headline class of a place (places_<round>.overall) from its assessed
# factors: red when >= 25 % of them are red, yellow when >= 15 %, else green
# when >= 40 % are green (else yellow); fewer than 3 assessed: not_assessed.
headline: { min_assessed: 3, red_share: 0.25, yellow_share: 0.15, green_share: 0.4 }

factors:
  # ---- crime and disorder (actual safety): incidents within the place's radius
  # in the round's period (12 months ending at the round's date), per year.
  # The guard: red only with >= 3 incidents and a one-sided Poisson p < 0.05
  # against the area's rate times the place's share of the area.
  - id: violence_robbery
    label_sv: Våld och rån
    label_en: Violence and robbery
    group: crime_disorder
    source: incidents
    metric: incidents_per_year
    categories: [violence, robbery]
    direction: higher_is_worse
    table: [[0, 20], [2, 14], [10, 7], [30, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the register covers the whole study area: no report near the place is a finding
  - id: vandalism_graffiti
    label_sv: Skadegörelse, klotter och olaga affischering
    label_en: Vandalism, graffiti and illegal posters
    group: crime_disorder
    source: incidents
    metric: incidents_per_year
    categories: [vandalism, graffiti, illegal_posters]
    direction: higher_is_worse
    table: [[0, 20], [5, 14], [20, 7], [50, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the register covers the whole study area: no report near the place is a finding
  - id: littering
    label_sv: Nedskräpning
    label_en: Littering
    group: crime_disorder
    source: incidents
    metric: incidents_per_year
    categories: [littering]
    direction: higher_is_worse
    table: [[0, 20], [3, 14], [12, 7], [30, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the register covers the whole study area: no report near the place is a finding
  - id: drugs
    label_sv: Narkotika
    label_en: Drugs
    group: crime_disorder
    source: incidents
    metric: incidents_per_year
    categories: [drugs]
    direction: higher_is_worse
    table: [[0, 20], [2, 14], [8, 7], [20, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the register covers the whole study area: no report near the place is a finding
  - id: disorder
    label_sv: Ordningsstörning
    label_en: Public disorder
    group: crime_disorder
    source: incidents
    metric: incidents_per_year
    categories: [disorder]
    direction: higher_is_worse
    table: [[0, 20], [3, 14], [12, 7], [30, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the register covers the whole study area: no report near the place is a finding

  # ---- physical environment: walk-inspection ratings (already on 0..20; the
  # observations layer's rating_scale maps 1-5, 0-3 and written colours).
  # Several ratings of one factor near one place: the worst decides.
  - { id: lighting, label_sv: Belysning, label_en: Lighting, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: vegetation, label_sv: Vegetation, label_en: Vegetation, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: sightlines, label_sv: Siktlinjer, label_en: Sightlines, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: overview, label_sv: Överblickbarhet, label_en: Overview, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: maintenance, label_sv: Skötsel och underhåll, label_en: Maintenance, group: physical_environment,
      source: observations, metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]],
      min_evidence: 1 }
  - { id: graffiti, label_sv: Klotter, label_en: Graffiti, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: litter, label_sv: Nedskräpning (besiktning), label_en: Litter (inspection), group: physical_environment,
      source: observations, metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]],
      min_evidence: 1 }
  - { id: damage, label_sv: Skador och förfall, label_en: Damage, group: physical_environment, source: observations,
      metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]], min_evidence: 1 }
  - { id: wayfinding, label_sv: Orienterbarhet, label_en: Wayfinding, group: physical_environment,
      source: observations, metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]],
      min_evidence: 1 }
  - { id: hiding_places, label_sv: Gömställen, label_en: Places to hide, group: physical_environment,
      source: observations, metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]],
      min_evidence: 1 }
  - { id: escape_routes, label_sv: Flyktvägar, label_en: Escape routes, group: physical_environment,
      source: observations, metric: rating, combine: worst, direction: higher_is_better, table: [[0, 0], [20, 20]],
      min_evidence: 1 }

  # ---- physical environment from overlays.
  - id: lit_share
    label_sv: Andel upplyst yta
    label_en: Share of the place lit by street lights
    group: physical_environment
    source: overlay
    metric: lit_share            # union of the lights' circles (their radius, else default_radius) / place buffer
    measure_kind: street_light   # done lights dated on or before the round's date
    default_radius: 15
    direction: higher_is_better
    table: [[0, 0], [0.8, 20]]   # 80 % lit or more = 20
  - id: vegetation_cover
    label_sv: Igenvuxen vegetation
    label_en: Overgrown vegetation cover
    group: physical_environment
    source: overlay
    metric: cover_share          # vegetation polygons count until their trimming is done
    measure_kind: vegetation
    effect: removes
    direction: higher_is_worse
    table: [[0, 20], [0.05, 14], [0.15, 7], [0.3, 0]]
    # absence_is_evidence is false: a list of vegetation to trim is not an inventory of the
    # place, so a place no polygon touches is not assessed rather than green.

  # ---- perceived safety (trygghet): survey answers and unsafe pins.
  - id: survey_unsafe
    label_sv: Otrygghet enligt enkät
    label_en: Feeling unsafe (survey)
    group: perceived_safety
    source: perception
    metric: survey_mean          # mean answer, 1 (safe) .. 5 (very unsafe)
    direction: higher_is_worse
    table: [[1, 20], [5, 0]]
    min_evidence: 5
  - id: unsafe_pins
    label_sv: Otrygga platser (kartnålar)
    label_en: Unsafe pins
    group: perceived_safety
    source: perception
    metric: pins_relative        # pins / (the area's pins × the place's share of the area)
    direction: higher_is_worse
    table: [[0, 20], [2, 14], [5, 7], [10, 0]]
    guard: { min_count: 3, alpha: 0.05 }
    absence_is_evidence: true    # the pin survey covers the whole study area: no pin near the place is a finding

  # ---- life and functions.
  - id: function_mix
    label_sv: Funktionsblandning
    label_en: Mix of functions
    group: life_functions
    source: overlay
    metric: function_mix         # distinct kinds of places within walk_radius (the place's own included)
    walk_radius: 300
    direction: higher_is_better
    table: [[1, 4], [2, 8], [4, 14], [6, 20]]
)TRYGG_YAML";
}

}  // namespace trygg::plugins::safety
