#include "report/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.hpp"

namespace trygg::report {

namespace {

bool sv(Lang l) { return l == Lang::sv; }

// fmt::format with the Swedish or the English pattern.
template <class... Args>
std::string tr(Lang l, const char* sv_pattern, const char* en_pattern, Args&&... args) {
  return fmt::format(fmt::runtime(sv(l) ? sv_pattern : en_pattern), std::forward<Args>(args)...);
}

std::string signedFix(std::string s) {
  // U+2212 MINUS SIGN reads better than a hyphen in running text.
  if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);
  return s;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Whole percent of a (positive or negative) change in percent units.
std::string pctWhole(double pct, Lang l) {
  double r = std::round(pct);
  if (r == 0) r = 0;  // no "-0"
  return number(r, 0, l) + " %";
}

std::string ciText(double rr, double lo, double hi, Lang l) {
  const std::string ci = sv(l) ? "95 % KI " : "95 % CI ";
  if (!std::isfinite(lo) || !std::isfinite(hi)) return ci + (sv(l) ? "saknas" : "not available");
  const double clo = (lo - 1) * 100, chi = (hi - 1) * 100;
  const auto whole = [&](double v) { return number(std::round(v) == 0 ? 0.0 : std::round(v), 0, l); };
  if (rr > 1 && clo >= 0) return ci + whole(clo) + "\u2013" + whole(chi) + " %";
  if (rr < 1 && chi <= 0) return ci + whole(-chi) + "\u2013" + whole(-clo) + " %";
  // The interval includes no change: show the signed change at both ends.
  const auto sgn = [&](double v) {
    const double r = std::round(v);
    return r > 0 ? "+" + whole(r) : whole(r);
  };
  return ci + sgn(clo) + (sv(l) ? " % till " : " % to ") + sgn(chi) + " %";
}

std::string wdqText(const IncidentTest& t, Lang l) {
  const std::string w = std::isfinite(t.wdq) ? "WDQ " + number(t.wdq, 2, l) : "";
  if (t.wdq_verdict == "displacement")
    return sv(l) ? "förflyttning till buffertzonen (" + w + ")" : "displacement to the buffer (" + w + ")";
  if (t.wdq_verdict == "displacement_exceeds_gain")
    return sv(l) ? "förflyttning till buffertzonen, större än vinsten (" + w + ")"
                 : "displacement to the buffer, larger than the gain (" + w + ")";
  if (t.wdq_verdict == "no_buffer_change")
    return sv(l) ? "ingen förflyttning till buffertzonen" : "no displacement to the buffer";
  if (t.wdq_verdict == "diffusion_of_benefits")
    return sv(l) ? "ingen förflyttning: även buffertzonen förbättrades jämfört med kontrollområdet (" + w + ")"
                 : "no displacement: the buffer also improved relative to the control area (diffusion of benefits, " + w + ")";
  return sv(l) ? "förflyttning bedöms inte (ingen förbättring jämfört med kontrollområdet)"
               : "displacement not assessed (no gain relative to the control area)";
}

bool small(std::optional<std::int64_t> n, int suppress_below) {
  return !n || (suppress_below > 0 && *n > 0 && *n < suppress_below);
}

}  // namespace

Lang parseLang(std::string_view s) {
  std::string v(s);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (v == "sv") return Lang::sv;
  if (v == "en") return Lang::en;
  throwUsageError("language '{}': use sv or en", s);
}

std::string_view langId(Lang l) { return sv(l) ? "sv" : "en"; }

std::string number(double v, int decimals, Lang l) {
  if (!std::isfinite(v)) return "\u2013";
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s.erase(0, s[0] == '-' ? 1 : 0);
  if (sv(l)) std::replace(s.begin(), s.end(), '.', ',');
  return signedFix(s);
}

std::string percent(double share, Lang l) {
  if (!std::isfinite(share)) return "\u2013";
  const double p = share * 100;
  if (p != 0 && std::fabs(p) < 1) return number(p, 1, l) + " %";
  return number(std::round(p), 0, l) + " %";
}

std::string pValue(double p, Lang l) {
  if (!std::isfinite(p)) return sv(l) ? "p saknas" : "p not available";
  if (p < 0.001) return sv(l) ? "p < 0,001" : "p < 0.001";
  std::string s = fmt::format("{:.2g}", p);
  if (sv(l)) std::replace(s.begin(), s.end(), '.', ',');
  return "p = " + s;
}

std::string count(std::optional<std::int64_t> n, Lang l, int suppress_below) {
  // In the publish profile a missing count is one the run suppressed (1..threshold-1).
  if ((!n && suppress_below > 0) || (n && suppress_below > 0 && *n > 0 && *n < suppress_below))
    return tr(l, "färre än {}", "fewer than {}", suppress_below);
  if (!n) return sv(l) ? "uppgift saknas" : "not given";
  // Thousands: 20 000 (sv, narrow no-break space) / 20,000 (en).
  std::string d = std::to_string(*n < 0 ? -*n : *n), out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += sv(l) ? "\u202f" : ",";
    out += d[i];
  }
  return (*n < 0 ? "\u2212" : "") + out;
}

std::string colourWord(std::string_view c, Lang l) {
  if (c == "red") return sv(l) ? "röd" : "red";
  if (c == "yellow") return sv(l) ? "gul" : "yellow";
  if (c == "green") return sv(l) ? "grön" : "green";
  return sv(l) ? "ej bedömd" : "not assessed";
}

std::string_view direction(double rr) {
  if (std::isnan(rr)) return "no_data";
  if (rr > 1) return "rose";
  if (rr < 1) return "fell";
  return "no_change";
}

std::string incidentChangeSentence(const IncidentTest& t, Lang l) {
  const std::string subject = capitalised(t.subject);
  const bool zero_before = t.before && *t.before == 0;
  const bool zero_after = t.after && *t.after == 0;
  if (std::isnan(t.rate_ratio) || (zero_before && zero_after))
    return subject + (sv(l) ? ": inga händelser under någon av perioderna; inget test."
                            : ": no incidents in either period; no test.");
  if (zero_before || std::isinf(t.rate_ratio)) {
    if (small(t.after, t.suppress_below))
      return subject + (sv(l) ? " ökade från 0; ingen kvot kan beräknas." : " rose from 0; no ratio can be computed.");
    return subject + tr(l, " ökade från 0 till {}; ingen kvot kan beräknas.", " rose from 0 to {}; no ratio can be computed.",
                                 count(t.after, l));
  }
  std::string counts;
  if (!small(t.before, t.suppress_below) && !small(t.after, t.suppress_below))
    counts = count(t.before, l) + " \u2192 " + count(t.after, l) + "; ";
  const auto dir = direction(t.rate_ratio);
  std::string verb;
  if (dir == "rose") verb = (sv(l) ? " ökade med " : " rose ") + pctWhole((t.rate_ratio - 1) * 100, l);
  else if (dir == "fell") verb = (sv(l) ? " minskade med " : " fell ") + pctWhole((1 - t.rate_ratio) * 100, l);
  else verb = sv(l) ? " förändrades inte" : " did not change";
  const bool significant = std::isfinite(t.p_value) && t.p_value < t.alpha;
  const std::string sig = significant ? (sv(l) ? "signifikant" : "significant") : (sv(l) ? "inte signifikant" : "not significant");
  return subject + verb + " (" + counts + ciText(t.rate_ratio, t.rr_low, t.rr_high, l) + "), " + sig + " (" +
         pValue(t.p_value, l) + "); " + wdqText(t, l) + ".";
}

std::string goalSentence(const GoalVerdict& g, Lang l) {
  if (g.pairs <= 0)
    return sv(l) ? "Kan inte bedömas: ingen faktor har en färgkod i båda omgångarna."
                 : "Not assessed: no factor has a colour in both rounds.";
  const bool met = g.share_improved + 1e-12 >= g.goal;
  return tr(l, "{}: {} av färgkoderna förbättrades ({} av {}; mål {}).", "{}: {} of the factor colours improved ({} of {}; goal {}).",
                     met ? (sv(l) ? "Målet är nått" : "Goal met") : (sv(l) ? "Målet är inte nått" : "Goal not met"),
                     percent(g.share_improved, l), count(g.improved, l), count(g.pairs, l), percent(g.goal, l));
}

std::string measuresSentence(const MeasuresVerdict& m, Lang l) {
  if (m.measures <= 0)
    return sv(l) ? "Inga åtgärder i området (påbörjade, klara eller planerade)."
                 : "No measures in the area (started, done or planned).";
  const double share = static_cast<double>(m.started_done) / static_cast<double>(m.measures);
  const bool met = share + 1e-12 >= m.goal;
  return tr(l, "{} av {} åtgärder är påbörjade eller klara ({}; mål {}): {}.", "{} of {} measures started or done ({}; goal {}): {}.",
                     count(m.started_done, l), count(m.measures, l), percent(share, l), percent(m.goal, l),
                     met ? (sv(l) ? "målet är nått" : "goal met") : (sv(l) ? "målet är inte nått" : "goal not met"));
}

std::string surveySentence(const PerceptionChange& c, Lang l) {
  if (!c.mean_before || !c.mean_after || !std::isfinite(*c.mean_before) || !std::isfinite(*c.mean_after))
    return sv(l) ? "Enkäten: inga jämförbara svar från båda omgångarna." : "Survey: no comparable answers from both rounds.";
  const bool sig = c.p && std::isfinite(*c.p) && *c.p < c.alpha;
  std::string verdict;
  if (sig) verdict = sv(l) ? "upplevd trygghet förbättrades signifikant" : "perceived safety improved significantly";
  else if (*c.mean_after < *c.mean_before) verdict = sv(l) ? "en förbättring, inte signifikant" : "an improvement, not significant";
  else verdict = sv(l) ? "ingen förbättring" : "no improvement";
  return tr(l, "Enkäten: medelsvar {} ({} svar) före och {} ({} svar) efter (högre = otryggare); {} (ensidigt rangsummetest, {}).", "Survey: mean answer {} ({} answers) before and {} ({} answers) after (higher = less safe); {} (one-sided rank-sum test, {}).",
                     number(*c.mean_before, 2, l), count(c.n_before, l, c.suppress_below), number(*c.mean_after, 2, l),
                     count(c.n_after, l, c.suppress_below), verdict, c.p ? pValue(*c.p, l) : pValue(NAN, l));
}

std::string pinsSentence(const PerceptionChange& c, Lang l) {
  if ((!c.pins_before || *c.pins_before == 0) && (!c.pins_after || *c.pins_after == 0))
    return sv(l) ? "Otrygghetsmarkeringar: inga i någon omgång." : "Unsafe-place pins: none in either round.";
  const bool sig = c.pins_p && std::isfinite(*c.pins_p) && *c.pins_p < c.alpha;
  std::string verdict;
  const std::int64_t b = c.pins_before.value_or(0), a = c.pins_after.value_or(0);
  if (sig) verdict = sv(l) ? "signifikant färre" : "significantly fewer";
  else if (a < b) verdict = sv(l) ? "färre, inte signifikant" : "fewer, not significant";
  else if (a > b) verdict = sv(l) ? "fler" : "more";
  else verdict = sv(l) ? "oförändrat" : "unchanged";
  std::string p = c.pins_p && std::isfinite(*c.pins_p) ? " (" + pValue(*c.pins_p, l) + ")" : "";
  return tr(l, "Otrygghetsmarkeringar: {} före, {} efter; {}{}.", "Unsafe-place pins: {} before, {} after; {}{}.",
                     count(c.pins_before, l, c.suppress_below), count(c.pins_after, l, c.suppress_below), verdict, p);
}

std::string evidenceSentence(const FactorEvidence& e, Lang l) {
  const auto num = [&](const std::optional<double>& v, int d) { return v ? number(*v, d, l) : std::string("\u2013"); };
  const std::string n = count(e.evidence, l, e.suppress_below);
  std::string what;
  const std::string& m = e.metric;
  if (m == "incidents_per_year" || m == "incidents_relative") {
    what = tr(l, "{} händelser under perioden", "{} incidents in the period", n);
    if (e.expected && std::isfinite(*e.expected))
      what += tr(l, ", {} väntade utifrån områdets nivå", ", {} expected from the area's rate", num(e.expected, 1));
    if (e.p_value && std::isfinite(*e.p_value)) what += " (" + pValue(*e.p_value, l) + ")";
  } else if (m == "rating") {
    what = tr(l, "besiktningsbetyg {} av 20 ({} betyg)",
              e.evidence && *e.evidence == 1 ? "inspection rating {} of 20 ({} rating)" : "inspection rating {} of 20 ({} ratings)",
                       num(e.value, 1), n);
  } else if (m == "survey_mean") {
    what = tr(l, "medelsvar {} i enkäten ({} svar)", "mean survey answer {} ({} answers)", num(e.value, 2), n);
  } else if (m == "pins_per_hectare" || m == "pins_relative") {
    what = tr(l, "{} otrygghetsmarkeringar", "{} unsafe-place pins", n);
    if (e.expected && std::isfinite(*e.expected))
      what += tr(l, ", {} väntade", ", {} expected", num(e.expected, 1));
  } else if (m == "lit_share") {
    const bool one = e.evidence && *e.evidence == 1;
    what = tr(l, one ? "{} av platsen belyst av gatubelysning ({} lampa)" : "{} av platsen belyst av gatubelysning ({} lampor)",
              one ? "{} of the place lit by street lights ({} light)" : "{} of the place lit by street lights ({} lights)",
              e.value ? percent(*e.value, l) : std::string("\u2013"), n);
  } else if (m == "cover_share") {
    what = tr(l, "{} av platsen täckt av vegetation att gallra", "{} of the place covered by vegetation to trim",
                       e.value ? percent(*e.value, l) : std::string("\u2013"));
  } else if (m == "function_mix") {
    what = tr(l, "{} olika slags platser inom gångavstånd", "{} kinds of places within walking distance",
                       num(e.value, 0));
  } else {
    what = tr(l, "värde {}", "value {}", num(e.value, 2));
  }
  if (e.guarded) what += sv(l) ? "; hålls på gult av småtalsskyddet" : "; kept at yellow by the small-count guard";
  return fmt::format("{} ({}, {} {}): {}.", e.label, colourWord(e.colour, l), sv(l) ? "poäng" : "score", num(e.score, 1),
                     what);
}

}  // namespace trygg::report
