#include "plugins/safety/safety_method.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "core/category.hpp"
#include "core/error.hpp"
#include "engine/run_context.hpp"
#include "plugins/safety/assess.hpp"
#include "plugins/safety/results.hpp"
#include "plugins/safety/writer.hpp"

namespace trygg::plugins {

namespace fs = std::filesystem;

SafetyMethod::SafetyMethod() {
  addArg("catalogue", "Factor catalogue (YAML); empty = the built-in config/factors.yaml (docs/factors.md)", &m_catalogue);
  addArg("rounds", "Round names as in the observations/perception 'round' column: before, ..., after", &m_rounds);
  addArg("round_dates", "Date of each round (YYYY-MM-DD); empty = the latest observation (else perception) of the round",
         &m_round_dates);
  addArg("incident_months", "Length of a round's incident period, ending at the round's date", &m_incident_months)
      .min(1).max(120).unit("months");
  addArg("sections", "Sections to run: factors, change, tests, overlay, what_if", &m_sections)
      .choices({"factors", "change", "tests", "overlay", "what_if"});
  addArg("min_improved_share", "The goal: share of factors with an improved colour (Trygga Platser: 0.25)",
         &m_min_improved_share).min(0).max(1);
  addArg("min_measures_share", "The goal: share of measures started or done (Trygga Platser: 0.5)",
         &m_min_measures_share).min(0).max(1);
  addArg("alpha", "Significance level of the change tests", &m_alpha).minExclusive(0).max(0.5);
  addArg("test_categories", "Incident categories of the change tests (ids; empty = all)", &m_test_categories);
  addLengthArg("wdq_buffer", "Width of the buffer ring around a treated area or place (WDQ)", &m_wdq_buffer).minExclusive(0);
  addLengthArg("control_gap", "Extra gap between the buffers and the control area (the extent minus treated areas and "
               "buffers)", &m_control_gap).min(0);
  addChoiceArg("sppt_units", "Units of the spatial point pattern test", &m_sppt_units, {"grid", "areas"});
  addLengthArg("sppt_cell", "Grid cell size of the SPPT", &m_sppt_cell).minExclusive(0);
  addArg("sppt_samples", "SPPT samples (85 % of the after events each)", &m_sppt_samples).min(20);
  addArg("seed", "Random seed of the SPPT (same seed, same result)", &m_seed);
  addLengthArg("line_radius", "Coverage of a line measure without a radius (buffer distance)", &m_line_radius).minExclusive(0);
  addArg("suppress_below", "Publish profile: counts 1..(n-1) and survey groups under n are suppressed", &m_suppress_below)
      .min(1);
  addArg("action_plan_max", "Rows of the action plan (0 = every red and yellow place × factor)", &m_action_plan_max).min(0);
}

namespace {

std::string resolveCatalogue(const std::string& path, const engine::RunContext& ctx) {
  // Relative paths are relative to the project file's folder, as every path
  // in the project file is.
  fs::path p(path);
  if (p.is_absolute() || ctx.base_dir.empty()) return p.string();
  return (ctx.base_dir / p).lexically_normal().string();
}

}  // namespace

// The stages in order (plugins/safety/results.hpp); the writer turns each
// stage's typed result into layers.
void SafetyMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  auto& meta = *ctx.metadata;
  const auto has = [&](const char* s) { return std::find(m_sections.begin(), m_sections.end(), s) != m_sections.end(); };

  safety::SafetyResults res;
  res.cat = m_catalogue.empty() ? safety::defaultCatalogue() : safety::loadCatalogue(resolveCatalogue(m_catalogue, ctx));
  safety::checkLayers(ctx, res.cat);
  meta["catalogue"] = res.cat.file;
  meta["factors"] = res.cat.factors.size();
  // 1 rounds
  res.rounds = safety::resolveRounds(ctx, {m_rounds, m_round_dates, m_incident_months, where});
  safety::recordRounds(res.rounds, m_incident_months, meta);
  // 2, 3 factor values, scores and colours
  res.A = safety::factorValues(ctx, res.cat, res.rounds, safety::OverlayMode::AsOfRound);
  safety::scoreAndColour(res.cat, res.A);
  for (const auto& n : res.A.notes) meta["notes"].push_back(n);
  res.coverage = safety::measureCoverage(ctx, ctx.toCrsUnits(m_line_radius));
  const std::size_t R = res.rounds.size();

  safety::WriterOptions wo{ctx.analysis_name, ctx.publish, m_suppress_below, m_alpha, m_min_improved_share,
                           m_min_measures_share, m_line_radius, m_wdq_buffer, m_control_gap, m_sppt_units,
                           m_sppt_samples, m_seed};
  safety::LayerWriter out(ctx, res, wo);
  // 4 place summaries, the action plan, perception splits
  if (has("factors")) {
    for (std::size_t r = 0; r < R; ++r) res.places.push_back(safety::summarisePlaces(res.cat, res.A, r, *ctx.places));
    res.plan = safety::actionPlan(res.cat, res.A, *ctx.places,
                                  {m_action_plan_max, ctx.publish, m_suppress_below, 3});
    res.splits = safety::perceptionSplits(ctx, res.rounds);
    out.placeFactors();
    out.placesPerRound();
    out.actionPlan();
    out.perceptionSplits();
  }
  // 5 change, 6 perception tests
  if (has("change")) {
    if (R < 2) {
      meta["change"] =
          fmt::format("only one round ({}): no before/after; give rounds: [baseline, followup]", res.rounds[0].name);
    } else {
      res.change = safety::colourChanges(ctx, res.A);
      res.perception = safety::perceptionTests(ctx, res.cat, res.A);
      out.factorChanges();
      out.placeChanges();
      out.perceptionChange();
      out.areaChange();
    }
  }
  // 6 incident tests
  if (has("tests")) {
    safety::IncidentTestOptions io;
    for (const auto& c : m_test_categories) {
      const auto cc = parseCategory(c);
      if (!cc) throwUsageError("{}: test_categories: unknown category '{}'; see docs/categories.md", where, c);
      io.categories[static_cast<std::size_t>(*cc)] = true;
    }
    io.wdq_buffer_m = m_wdq_buffer;
    io.control_gap_m = m_control_gap;
    io.alpha = m_alpha;
    io.sppt_units = m_sppt_units;
    io.sppt_cell_m = m_sppt_cell;
    io.sppt_samples = m_sppt_samples;
    io.seed = m_seed;
    io.where = where;
    res.incidents = safety::incidentTests(ctx, res.rounds, res.coverage, io);
    if (!res.incidents->ran) {
      meta["tests"] = res.incidents->not_run;
    } else {
      if (res.incidents->periods_overlap)
        meta["tests_note"] = "the two incident periods overlap: incidents in the overlap count in both";
      out.incidentTests();
      out.sppt();
    }
  }
  // 7 overlay
  if (has("overlay")) {
    res.overlay = safety::overlay(ctx, res.cat, res.A, res.coverage);
    out.measureCover();
  }
  // 8 what-if
  if (has("what_if")) {
    res.what_if = safety::whatIf(ctx, res.cat, res.A);
    out.whatIf();
  }
  out.suppressionSummary();
}

}  // namespace trygg::plugins
