#include "plugins/safety/scores.hpp"

#include <fmt/format.h>

namespace trygg::plugins::safety {

namespace sc = geo::scoring;

void scoreValue(const Factor& f, FactorValue& v) {
  if (!v.measured) return;
  v.score = f.table(v.value);
  v.colour = f.bands.colourOf(v.score);
  if (v.evidence < f.min_evidence) {
    v.too_little_evidence = true;
    v.colour = sc::Colour::NotAssessed;
    if (v.note.empty()) v.note = fmt::format("{} pieces of evidence, fewer than {}", v.evidence, f.min_evidence);
  }
  // No evidence at all reads as good only where the catalogue says absence is evidence.
  if (v.evidence == 0 && !f.absence_is_evidence && (v.colour == sc::Colour::Green || v.colour == sc::Colour::Yellow)) {
    v.too_little_evidence = true;
    v.colour = sc::Colour::NotAssessed;
    v.note = "no evidence (0): the catalogue does not count absence as evidence for this factor (absence_is_evidence)";
  }
  if (f.guard && isCountMetric(f.metric)) {
    const auto g = sc::smallCountGuard(v.evidence, v.expected, f.guard_options);
    const auto c2 = sc::guardColour(v.colour, g);
    if (c2 != v.colour) {
      v.guarded = true;
      v.note = "small-count guard: " + g.reason;
      v.colour = c2;
    }
  }
}

void scoreAndColour(const Catalogue& cat, Assessment& A) {
  for (std::size_t r = 0; r < A.rounds.size(); ++r)
    for (std::size_t p = 0; p < A.n_places; ++p)
      for (std::size_t f = 0; f < A.n_factors; ++f) scoreValue(cat.factors[f], A.at(r, p, f));
}

}  // namespace trygg::plugins::safety
