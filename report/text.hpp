#pragma once
// The report's words: numbers formatted for the reader's language and the
// sentences that turn the analysis' numbers into statements a workshop reads
// ("violence rose 34 % (95 % CI 12–60 %), significant"). Pure functions, no I/O,
// unit-tested in both languages (tests/unit/report/text_test.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trygg::report {

enum class Lang { sv, en };

// "sv" or "en" (case-insensitive); anything else throws UsageError.
Lang parseLang(std::string_view s);
std::string_view langId(Lang l);

// 3.14159, 2 -> "3.14" (en) / "3,14" (sv); a minus sign is U+2212.
std::string number(double v, int decimals, Lang l);
// A share 0.3125 -> "31 %" (whole percent; below 1 % one decimal).
std::string percent(double share, Lang l);
// p-values: "p = 0.003", "p < 0.001" (sv "p = 0,003").
std::string pValue(double p, Lang l);
// Counts in the publish profile: values 1..(threshold-1), and missing values
// (suppressed by the run), become "fewer than 5".
std::string count(std::optional<std::int64_t> n, Lang l, int suppress_below = 0);

// Colour words: red|yellow|green|not_assessed -> "red" / "röd", ...
std::string colourWord(std::string_view colour, Lang l);

// One incident change test (a row of <analysis>_incident_tests).
struct IncidentTest {
  std::string subject;                  // "Incidents", "Violence", ...
  std::optional<std::int64_t> before, after;
  double rate_ratio = 0;                // after/before per day; NaN = no data
  double rr_low = 0, rr_high = 0;       // 95 % interval of the rate ratio
  double p_value = 1;
  double alpha = 0.05;
  double wdq = 0;                       // NaN when not applicable
  std::string wdq_verdict;              // not_applicable, displacement, displacement_exceeds_gain, no_buffer_change,
                                        // diffusion_of_benefits
  int suppress_below = 0;               // publish profile: counts under this are not printed
};
// "Incidents rose 34 % (17 → 23; 95 % CI 12–60 %), significant (p = 0.003); no displacement to the buffer."
std::string incidentChangeSentence(const IncidentTest& t, Lang l);
// "rose" | "fell" | "no_change" | "no_data" from a rate ratio.
std::string_view direction(double rate_ratio);

// The 25 % goal of an area.
struct GoalVerdict {
  std::int64_t pairs = 0, improved = 0;
  double share_improved = 0;            // improved / pairs
  double goal = 0.25;
};
std::string goalSentence(const GoalVerdict& g, Lang l);

// Measures started or done against 50 %.
struct MeasuresVerdict {
  std::int64_t measures = 0, started_done = 0;
  double goal = 0.5;
};
std::string measuresSentence(const MeasuresVerdict& m, Lang l);

// Perceived safety: survey answers (higher = less safe) and unsafe pins.
struct PerceptionChange {
  std::optional<std::int64_t> n_before, n_after;
  std::optional<double> mean_before, mean_after, p;   // one-sided rank-sum p
  std::optional<std::int64_t> pins_before, pins_after;
  std::optional<double> pins_p;
  double alpha = 0.05;
  int suppress_below = 0;
};
std::string surveySentence(const PerceptionChange& c, Lang l);
std::string pinsSentence(const PerceptionChange& c, Lang l);

// Evidence of one factor at one place, in words (from <analysis>_place_factors).
struct FactorEvidence {
  std::string label;                     // the factor's label in the report's language
  std::string metric;                    // incidents_per_year, rating, survey_mean, lit_share, ...
  std::string colour;
  std::optional<double> score, value, expected, p_value;
  std::optional<std::int64_t> evidence;
  bool guarded = false;
  int suppress_below = 0;
};
// "Lighting (red, score 3.3): 25 % of the place lit (1 light)."
std::string evidenceSentence(const FactorEvidence& e, Lang l);

}  // namespace trygg::report
