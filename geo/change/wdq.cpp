#include "geo/change/wdq.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"

namespace trygg::geo::change {

std::string_view toString(WdqVerdict verdict) {
  switch (verdict) {
    case WdqVerdict::NotApplicable: return "not_applicable";
    case WdqVerdict::DiffusionOfBenefits: return "diffusion_of_benefits";
    case WdqVerdict::NoBufferChange: return "no_buffer_change";
    case WdqVerdict::Displacement: return "displacement";
    case WdqVerdict::DisplacementExceedsGain: return "displacement_exceeds_gain";
  }
  return "not_applicable";
}

WdqResult weightedDisplacementQuotient(const WdqCounts& c) {
  for (double v : {c.treatedBefore, c.treatedAfter, c.bufferBefore, c.bufferAfter, c.controlBefore, c.controlAfter}) {
    if (!std::isfinite(v) || v < 0) throwUsageError("change.wdq: counts must be finite and >= 0 (got {})", v);
  }
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  WdqResult r;
  r.wdq = kNaN;
  if (c.controlBefore == 0 || c.controlAfter == 0) {
    r.successMeasure = kNaN;
    r.bufferMeasure = kNaN;
    r.reason = fmt::format("the control area has no events in the {} period, so no ratio to it exists; "
                           "use a larger control area or a longer period",
                           c.controlBefore == 0 ? (c.controlAfter == 0 ? "before and after" : "before") : "after");
    r.interpretation = "WDQ not applicable: " + r.reason;
    return r;
  }
  r.successMeasure = c.treatedAfter / c.controlAfter - c.treatedBefore / c.controlBefore;
  r.bufferMeasure = c.bufferAfter / c.controlAfter - c.bufferBefore / c.controlBefore;
  if (!(r.successMeasure < 0)) {
    r.reason = fmt::format("the treated area did not improve relative to the control (success measure {:.4g} >= 0); "
                           "displacement is only assessed after a gain",
                           r.successMeasure);
    r.interpretation = "WDQ not applicable: " + r.reason;
    return r;
  }
  r.applicable = true;
  r.wdq = r.bufferMeasure / r.successMeasure;
  if (r.wdq > 0) {
    r.verdict = WdqVerdict::DiffusionOfBenefits;
    r.interpretation = fmt::format("WDQ {:.3g} > 0: diffusion of benefits — the buffer improved along with the treated area", r.wdq);
  } else if (r.wdq == 0) {
    r.verdict = WdqVerdict::NoBufferChange;
    r.interpretation = "WDQ 0: no change in the buffer relative to the control — neither displacement nor diffusion";
  } else if (r.wdq >= -1) {
    r.verdict = WdqVerdict::Displacement;
    r.interpretation = fmt::format("WDQ {:.3g} < 0: displacement to the buffer, no larger than the gain in the treated area", r.wdq);
  } else {
    r.verdict = WdqVerdict::DisplacementExceedsGain;
    r.interpretation = fmt::format("WDQ {:.3g} < −1: displacement to the buffer larger than the gain in the treated area", r.wdq);
  }
  return r;
}

}  // namespace trygg::geo::change
