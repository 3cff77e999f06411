// The report's sentences: direction, interval and significance in both
// languages, the goal verdicts, evidence in words, and the publish profile.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "report/text.hpp"

using namespace trygg::report;

namespace {

IncidentTest test(double rr, double lo, double hi, double p, std::string verdict = "not_applicable", double wdq = NAN) {
  IncidentTest t;
  t.subject = "violence";
  t.before = 50;
  t.after = 67;
  t.rate_ratio = rr;
  t.rr_low = lo;
  t.rr_high = hi;
  t.p_value = p;
  t.wdq = wdq;
  t.wdq_verdict = std::move(verdict);
  return t;
}

}  // namespace

TEST(ReportNumbers, DecimalCommaInSwedishPointInEnglish) {
  EXPECT_EQ(number(3.14159, 2, Lang::en), "3.14");
  EXPECT_EQ(number(3.14159, 2, Lang::sv), "3,14");
  EXPECT_EQ(number(-0.22, 2, Lang::en), "\u22120.22");
  EXPECT_EQ(number(-0.001, 2, Lang::sv), "0,00");  // no "−0,00"
  EXPECT_EQ(percent(0.3125, Lang::en), "31 %");
  EXPECT_EQ(percent(0.004, Lang::sv), "0,4 %");
  EXPECT_EQ(percent(0.0, Lang::en), "0 %");
  EXPECT_EQ(pValue(0.0031, Lang::en), "p = 0.0031");
  EXPECT_EQ(pValue(0.0031, Lang::sv), "p = 0,0031");
  EXPECT_EQ(pValue(0.00001, Lang::en), "p < 0.001");
  EXPECT_EQ(pValue(0.41, Lang::en), "p = 0.41");
  EXPECT_EQ(count(20000, Lang::en), "20,000");
  EXPECT_EQ(count(20000, Lang::sv), "20\u202f000");
  EXPECT_EQ(count(3, Lang::en, 5), "fewer than 5");
  EXPECT_EQ(count(3, Lang::sv, 5), "färre än 5");
  EXPECT_EQ(count(0, Lang::en, 5), "0");
  EXPECT_EQ(count(7, Lang::en, 5), "7");
  EXPECT_EQ(count(std::nullopt, Lang::en, 5), "fewer than 5");  // suppressed by a published run
  EXPECT_EQ(count(std::nullopt, Lang::en), "not given");
}

TEST(ReportLanguage, ParsesSvAndEnOnly) {
  EXPECT_EQ(parseLang("sv"), Lang::sv);
  EXPECT_EQ(parseLang("EN"), Lang::en);
  EXPECT_THROW(parseLang("de"), trygg::UsageError);
}

TEST(IncidentSentence, SignificantRiseWithIntervalInEnglish) {
  const auto s = incidentChangeSentence(test(1.34, 1.12, 1.60, 0.003), Lang::en);
  EXPECT_EQ(s, "Violence rose 34 % (50 \u2192 67; 95 % CI 12\u201360 %), significant (p = 0.003); "
               "displacement not assessed (no gain relative to the control area).");
}

TEST(IncidentSentence, SignificantRiseInSwedish) {
  auto t = test(1.34, 1.12, 1.60, 0.003);
  t.subject = "våld";
  const auto s = incidentChangeSentence(t, Lang::sv);
  EXPECT_EQ(s, "Våld ökade med 34 % (50 \u2192 67; 95 % KI 12\u201360 %), signifikant (p = 0,003); "
               "förflyttning bedöms inte (ingen förbättring jämfört med kontrollområdet).");
}

TEST(IncidentSentence, FallWithDisplacementVerdicts) {
  auto t = test(0.8, 0.67, 0.95, 0.01, "no_buffer_change", 0);
  EXPECT_EQ(incidentChangeSentence(t, Lang::en),
            "Violence fell 20 % (50 \u2192 67; 95 % CI 5\u201333 %), significant (p = 0.01); no displacement to the buffer.");
  EXPECT_EQ(incidentChangeSentence(t, Lang::sv),
            "Violence minskade med 20 % (50 \u2192 67; 95 % KI 5\u201333 %), signifikant (p = 0,01); "
            "ingen förflyttning till buffertzonen.");
  t.wdq_verdict = "displacement";
  t.wdq = -0.222;
  EXPECT_NE(incidentChangeSentence(t, Lang::en).find("displacement to the buffer (WDQ \u22120.22)"), std::string::npos);
  t.wdq_verdict = "diffusion_of_benefits";
  t.wdq = 0.5;
  EXPECT_NE(incidentChangeSentence(t, Lang::en).find("diffusion of benefits, WDQ 0.50"), std::string::npos);
  EXPECT_NE(incidentChangeSentence(t, Lang::sv).find("även buffertzonen förbättrades jämfört med kontrollområdet (WDQ 0,50)"), std::string::npos);
}

TEST(IncidentSentence, IntervalAcrossNoChangeIsSignedAndNotSignificant) {
  const auto en = incidentChangeSentence(test(1.10, 0.95, 1.27, 0.21), Lang::en);
  EXPECT_NE(en.find("rose 10 %"), std::string::npos) << en;
  EXPECT_NE(en.find("95 % CI \u22125 % to +27 %"), std::string::npos) << en;
  EXPECT_NE(en.find("not significant (p = 0.21)"), std::string::npos) << en;
  const auto sv = incidentChangeSentence(test(0.9, 0.7, 1.15, 0.4), Lang::sv);
  EXPECT_NE(sv.find("minskade med 10 %"), std::string::npos) << sv;
  EXPECT_NE(sv.find("95 % KI \u221230 % till +15 %"), std::string::npos) << sv;
  EXPECT_NE(sv.find("inte signifikant (p = 0,4)"), std::string::npos) << sv;
}

TEST(IncidentSentence, NoDataAndZeroBefore) {
  auto t = test(NAN, NAN, NAN, NAN);
  t.before = 0;
  t.after = 0;
  EXPECT_EQ(incidentChangeSentence(t, Lang::en), "Violence: no incidents in either period; no test.");
  EXPECT_EQ(incidentChangeSentence(t, Lang::sv), "Violence: inga händelser under någon av perioderna; inget test.");
  t.after = 6;
  t.rate_ratio = INFINITY;
  EXPECT_EQ(incidentChangeSentence(t, Lang::en), "Violence rose from 0 to 6; no ratio can be computed.");
  EXPECT_EQ(direction(1.2), "rose");
  EXPECT_EQ(direction(0.8), "fell");
  EXPECT_EQ(direction(1.0), "no_change");
  EXPECT_EQ(direction(NAN), "no_data");
}

TEST(IncidentSentence, PublishProfileHidesSmallCounts) {
  auto t = test(1.5, 0.4, 6.0, 0.6);
  t.before = 2;
  t.after = 3;
  t.suppress_below = 5;
  const auto s = incidentChangeSentence(t, Lang::en);
  EXPECT_EQ(s.find("2 \u2192 3"), std::string::npos) << s;
  EXPECT_NE(s.find("rose 50 %"), std::string::npos) << s;
}

TEST(GoalSentence, MetAtExactlyTheGoalAndNotAssessedWithoutPairs) {
  EXPECT_EQ(goalSentence({.pairs = 20, .improved = 5, .share_improved = 0.25, .goal = 0.25}, Lang::en),
            "Goal met: 25 % of the factor colours improved (5 of 20; goal 25 %).");
  EXPECT_EQ(goalSentence({.pairs = 20, .improved = 2, .share_improved = 0.1, .goal = 0.25}, Lang::sv),
            "Målet är inte nått: 10 % av färgkoderna förbättrades (2 av 20; mål 25 %).");
  EXPECT_EQ(goalSentence({.pairs = 0}, Lang::en), "Not assessed: no factor has a colour in both rounds.");
  EXPECT_EQ(measuresSentence({.measures = 10, .started_done = 6, .goal = 0.5}, Lang::en),
            "6 of 10 measures started or done (60 %; goal 50 %): goal met.");
  EXPECT_EQ(measuresSentence({.measures = 4, .started_done = 1, .goal = 0.5}, Lang::sv),
            "1 av 4 åtgärder är påbörjade eller klara (25 %; mål 50 %): målet är inte nått.");
  EXPECT_EQ(measuresSentence({}, Lang::en), "No measures in the area (started, done or planned).");
}

TEST(PerceptionSentence, SurveyAndPins) {
  PerceptionChange c;
  c.n_before = 40;
  c.n_after = 38;
  c.mean_before = 3.4;
  c.mean_after = 2.9;
  c.p = 0.012;
  c.pins_before = 25;
  c.pins_after = 14;
  c.pins_p = 0.04;
  EXPECT_EQ(surveySentence(c, Lang::en),
            "Survey: mean answer 3.40 (40 answers) before and 2.90 (38 answers) after (higher = less safe); perceived "
            "safety improved significantly (one-sided rank-sum test, p = 0.012).");
  EXPECT_NE(surveySentence(c, Lang::sv).find("upplevd trygghet förbättrades signifikant"), std::string::npos);
  EXPECT_EQ(pinsSentence(c, Lang::en), "Unsafe-place pins: 25 before, 14 after; significantly fewer (p = 0.04).");
  EXPECT_EQ(pinsSentence(c, Lang::sv), "Otrygghetsmarkeringar: 25 före, 14 efter; signifikant färre (p = 0,04).");
  c.p = 0.3;
  EXPECT_NE(surveySentence(c, Lang::en).find("an improvement, not significant"), std::string::npos);
  PerceptionChange none;
  EXPECT_EQ(surveySentence(none, Lang::en), "Survey: no comparable answers from both rounds.");
  EXPECT_EQ(pinsSentence(none, Lang::en), "Unsafe-place pins: none in either round.");
}

TEST(EvidenceSentence, IncidentsRatingsAndOverlaysInBothLanguages) {
  FactorEvidence e{.label = "Våld", .metric = "incidents_per_year", .colour = "red", .score = 3.3, .value = 9,
                   .expected = 1.26, .p_value = 0.0004, .evidence = 9};
  EXPECT_EQ(evidenceSentence(e, Lang::sv),
            "Våld (röd, poäng 3,3): 9 händelser under perioden, 1,3 väntade utifrån områdets nivå (p < 0,001).");
  e.label = "Violence";
  EXPECT_EQ(evidenceSentence(e, Lang::en),
            "Violence (red, score 3.3): 9 incidents in the period, 1.3 expected from the area's rate (p < 0.001).");
  FactorEvidence lit{.label = "Lighting", .metric = "lit_share", .colour = "yellow", .score = 8, .value = 0.25, .evidence = 1};
  EXPECT_EQ(evidenceSentence(lit, Lang::en), "Lighting (yellow, score 8.0): 25 % of the place lit by street lights (1 light).");
  FactorEvidence r{.label = "Belysning", .metric = "rating", .colour = "red", .score = 5, .value = 5, .evidence = 2};
  EXPECT_EQ(evidenceSentence(r, Lang::sv), "Belysning (röd, poäng 5,0): besiktningsbetyg 5,0 av 20 (2 betyg).");
  FactorEvidence g = e;
  g.colour = "yellow";
  g.guarded = true;
  g.evidence = 2;
  g.suppress_below = 5;
  const auto s = evidenceSentence(g, Lang::en);
  EXPECT_NE(s.find("fewer than 5 incidents"), std::string::npos) << s;
  EXPECT_NE(s.find("kept at yellow by the small-count guard"), std::string::npos) << s;
}
