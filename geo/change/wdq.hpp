#pragma once
// Weighted Displacement Quotient (Bowers & Johnson 2003, "Measuring the
// geographical displacement and diffusion of benefit effects of crime prevention
// activity", J. Quantitative Criminology 19(3)):
//   success = A_after/C_after − A_before/C_before
//   buffer  = B_after/C_after − B_before/C_before
//   WDQ     = buffer / success
// A treated area, B buffer ring around it, C control area. The success measure
// is negative when the treated area improved relative to the control. WDQ is
// only meaningful then; otherwise — and when the control has no events in a
// period — the result is "not applicable" with the reason, never a number.
// Worked example (METHODS.md §8): A 100→50, B 100→150, C 100→100 gives WDQ = −1.
#include <string>

namespace trygg::geo::change {

struct WdqCounts {
  double treatedBefore = 0;   // A_before
  double treatedAfter = 0;    // A_after
  double bufferBefore = 0;    // B_before
  double bufferAfter = 0;     // B_after
  double controlBefore = 0;   // C_before
  double controlAfter = 0;    // C_after
};

enum class WdqVerdict {
  NotApplicable,            // see WdqResult::reason
  DiffusionOfBenefits,      // WDQ > 0: the buffer improved too
  NoBufferChange,           // WDQ == 0
  Displacement,             // −1 <= WDQ < 0: the buffer got worse, by less than the gain
  DisplacementExceedsGain,  // WDQ < −1: the buffer lost more than the treated area gained
};

struct WdqResult {
  bool applicable = false;
  WdqVerdict verdict = WdqVerdict::NotApplicable;
  double successMeasure = 0;  // NaN when the control has no events in a period
  double bufferMeasure = 0;   // NaN when the control has no events in a period
  double wdq = 0;             // NaN when not applicable
  std::string reason;         // why not applicable (empty when applicable)
  std::string interpretation; // one sentence for reports
};

// Counts may be weighted (non-integer) but must be finite and >= 0; throws UsageError otherwise.
WdqResult weightedDisplacementQuotient(const WdqCounts& counts);

std::string_view toString(WdqVerdict verdict);

}  // namespace trygg::geo::change
