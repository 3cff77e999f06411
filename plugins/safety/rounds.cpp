#include "plugins/safety/rounds.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <date/date.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/runner.hpp"
#include "engine/selection.hpp"

namespace trygg::plugins::safety {

namespace {

std::string ymdOf(EpochSeconds t, const std::string& zone) {
  const auto off = engine::zoneOffsetFn(zone)(t);
  const auto days = date::floor<date::days>(date::sys_seconds{std::chrono::seconds{t + off}});
  const date::year_month_day ymd{days};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// YYYY-MM-DD shifted by whole days or months (day clamped to the month's end).
std::string shiftYmd(const std::string& ymd, int months, int days) {
  int y = 0, m = 0, d = 0;
  std::sscanf(ymd.c_str(), "%d-%d-%d", &y, &m, &d);
  date::year_month_day v{date::year{y} / m / d};
  if (months != 0) {
    const auto ym = date::year_month{v.year(), v.month()} + date::months{months};
    const auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
    v = date::year_month_day{ym.year(), ym.month(), std::min(v.day(), last)};
  }
  if (days != 0) v = date::year_month_day{date::sys_days{v} + date::days{days}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                     static_cast<unsigned>(v.day()));
}

}  // namespace

std::size_t roundIndex(const std::vector<RoundSpec>& rounds, const std::string& name) {
  std::size_t r = rounds.size();
  for (std::size_t k = 0; k < rounds.size(); ++k)
    if (name == rounds[k].name) r = k;
  return r;
}

std::vector<RoundSpec> resolveRounds(const engine::RunContext& ctx, const AssessOptions& o) {
  if (o.rounds.empty()) throwUsageError("{}: rounds: give at least one round name (e.g. baseline, followup)", o.where);
  if (!o.round_dates.empty() && o.round_dates.size() != o.rounds.size())
    throwUsageError("{}: round_dates has {} dates for {} rounds; give one date per round (YYYY-MM-DD) or none",
                    o.where, o.round_dates.size(), o.rounds.size());
  std::vector<RoundSpec> out;
  for (std::size_t r = 0; r < o.rounds.size(); ++r) {
    RoundSpec s;
    s.name = o.rounds[r];
    s.years = o.incident_months / 12.0;
    EpochSeconds latest_obs = kNoTime, latest_per = kNoTime;
    if (ctx.observations)
      for (const auto& ob : *ctx.observations)
        if (ob.round == s.name) {
          ++s.observations;
          if (ob.time != kNoTime) latest_obs = latest_obs == kNoTime ? ob.time : std::max(latest_obs, ob.time);
        }
    if (ctx.perception)
      for (const auto& pe : *ctx.perception)
        if (pe.round == s.name) {
          (pe.kind == model::Perception::Kind::Pin ? s.pins : s.answers) += 1;
          if (pe.time != kNoTime) latest_per = latest_per == kNoTime ? pe.time : std::max(latest_per, pe.time);
        }
    if (!o.round_dates.empty() && !o.round_dates[r].empty()) {
      s.date = o.round_dates[r];
      s.date_source = "given";
    } else if (latest_obs != kNoTime) {
      s.date = ymdOf(latest_obs, ctx.time_zone);
      s.date_source = "latest observation";
    } else if (latest_per != kNoTime) {
      s.date = ymdOf(latest_per, ctx.time_zone);
      s.date_source = "latest perception";
    } else {
      s.date_source = "unknown";
    }
    if (!s.date.empty()) {
      const std::string w = fmt::format("{}: round {} date", o.where, s.name);
      (void)engine::localDayStart(s.date, ctx.time_zone, w);  // validates
      s.day_end = engine::localDayStart(shiftYmd(s.date, 0, 1), ctx.time_zone, w);
      s.period_start = engine::localDayStart(shiftYmd(shiftYmd(s.date, 0, 1), -o.incident_months, 0), ctx.time_zone, w);
    }
    out.push_back(std::move(s));
  }
  return out;
}

void recordRounds(const std::vector<RoundSpec>& rounds, int incident_months, nlohmann::json& meta) {
  auto& jr = meta["rounds"] = nlohmann::json::array();
  std::vector<std::string> missing;
  for (const auto& r : rounds) {
    jr.push_back({{"name", r.name}, {"date", r.date}, {"date_source", r.date_source},
                  {"observations", r.observations}, {"survey_answers", r.answers}, {"pins", r.pins},
                  {"incident_period", r.date.empty() ? std::string("unknown")
                                                     : fmt::format("{} months ending {}", incident_months, r.date)}});
    if (r.observations == 0 && r.answers == 0 && r.pins == 0 && r.date_source != "given") missing.push_back(r.name);
  }
  if (missing.empty()) return;
  std::string m;
  for (const auto& x : missing) m += (m.empty() ? "" : ", ") + x;
  meta["missing_rounds"] = missing;
  meta["missing_rounds_note"] = fmt::format(
      "round(s) {} have no observations, survey answers or pins and no date: their factors are not assessed and the "
      "before/after step compares only what both rounds have",
      m);
}

}  // namespace trygg::plugins::safety
