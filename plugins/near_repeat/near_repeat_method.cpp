#include "plugins/near_repeat/near_repeat_method.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "data/geotiff_writer.hpp"  // writeTextFileAtomic
#include "data/gpkg_writer.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/aoristic.hpp"
#include "geo/hotspot/knox.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

NearRepeatMethod::NearRepeatMethod() {
  m_sel.declare(*this);
  addArg("spatial_bands", "Spatial band breaks (lengths, m unless a unit is given); bands are [a, b)", &m_spatial);
  addArg("temporal_bands", "Temporal band breaks in days; bands are [a, b)", &m_temporal);
  addChoiceArg("distance", "Distance between incidents", &m_distance, {"euclidean", "manhattan"});
  addArg("permutations", "Monte Carlo permutations of the incidents' times", &m_permutations).min(0);
  addArg("seed", "Random seed (same seed, same result, whatever the number of threads)", &m_seed);
  addArg("whole_days", "Times as whole local days (as the Near Repeat Calculator) rather than fractional days",
         &m_whole_days);
}

void NearRepeatMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  const auto sel = engine::selectIncidents(ctx, m_sel, where);
  const auto& inc = *ctx.incidents;
  std::vector<Point> pts;
  std::vector<EpochSeconds> times;
  for (std::size_t s = 0; s < sel.index.size(); ++s) {
    const auto i = sel.index[s];
    if (inc.t_from[i] == kNoTime) continue;
    pts.push_back(sel.pts[s]);
    times.push_back(hs::spanMidpoint(inc.t_from[i], inc.t_to[i]));
  }
  if (pts.size() < 2) throwDataError("{}: the Knox test needs at least 2 incidents with a time", where);
  hs::KnoxOptions o;
  o.spatial_breaks.clear();
  for (const auto& s : m_spatial) o.spatial_breaks.push_back(ctx.toCrsUnits(parseLengthMetres(s, where + " spatial_bands")));
  o.temporal_breaks.clear();
  for (const auto& s : m_temporal) {
    const auto v = text::parseDouble(s, false);
    if (!v || *v < 0) throwUsageError("{}: temporal_bands: '{}' is not a number of days >= 0", where, s);
    o.temporal_breaks.push_back(*v);
  }
  o.distance = m_distance == "manhattan" ? hs::KnoxDistance::Manhattan : hs::KnoxDistance::Euclidean;
  o.permutations = m_permutations;
  o.seed = m_seed;
  const auto days = hs::knoxDays(times, m_whole_days, engine::zoneOffsetFn(ctx.time_zone));
  const auto r = hs::knoxTest(pts, days, o);

  auto& T = ctx.gpkg->createLayer({.name = ctx.analysis_name,
                                   .geom = data::GeomType::None,
                                   .fields = {{"spatial_from", FieldType::Real},
                                              {"spatial_to", FieldType::Real},
                                              {"days_from", FieldType::Real},
                                              {"days_to", FieldType::Real},
                                              {"observed", FieldType::Integer64},
                                              {"expected", FieldType::Real},
                                              {"sim_mean", FieldType::Real},
                                              {"sim_median", FieldType::Real},
                                              {"knox_ratio_mean", FieldType::Real},
                                              {"knox_ratio_median", FieldType::Real},
                                              {"p", FieldType::Real}},
                                   .title = fmt::format("Near-repeat Knox table ({})", ctx.analysis_name),
                                   .description = "Pairs of incidents by [from, to) distance and [from, to) days"});
  auto real = [](double v) { return std::isfinite(v) ? Value{v} : Value{}; };
  for (const auto& c : r.cells) {
    const Value v[] = {real(c.spatial_from * ctx.unit_metres), real(c.spatial_to * ctx.unit_metres), real(c.temporal_from),
                       real(c.temporal_to), Value{c.observed}, real(c.expected), real(c.sim_mean), real(c.sim_median),
                       real(c.ratio_mean), real(c.ratio_median), real(c.p)};
    T.add({}, v);
  }
  const auto csv = ctx.output_dir / fmt::format("{}_{}.csv", ctx.output_name, ctx.analysis_name);
  data::writeTextFileAtomic(csv, hs::knoxTableCsv(r));
  ctx.files_written.push_back(csv);
  const auto txt = ctx.output_dir / fmt::format("{}_{}.txt", ctx.output_name, ctx.analysis_name);
  data::writeTextFileAtomic(txt, hs::knoxTableText(r));
  ctx.files_written.push_back(txt);
  auto& m = *ctx.metadata;
  m["events"] = r.events;
  m["pairs_enumerated"] = r.pairs_enumerated;
  m["permutations"] = m_permutations;
  m["seed"] = m_seed;
  m["intervals"] = "half-open [from, to) in both distance and days";
  m["excluded_stacked"] = sel.excluded_stacked;
  m["selection"] = sel.description;
}

}  // namespace trygg::plugins
