#include "plugins/local_moran/local_moran_method.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/local_moran.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

LocalMoranMethod::LocalMoranMethod() {
  m_sel.declare(*this);
  m_units.declare(*this);
  addArg("permutations", "Conditional permutations for the pseudo p-value (0 = none)", &m_permutations).min(0);
  addArg("seed", "Random seed (same seed, same p_sim, whatever the number of threads)", &m_seed);
  addArg("alpha", "Significance level", &m_alpha).minExclusive(0).max(0.5);
  addArg("fdr", "Benjamini–Hochberg false discovery rate before labelling", &m_fdr);
  addChoiceArg("p", "Which p labels the clusters: analytic (spdep localmoran) or permutation", &m_p,
               {"analytic", "permutation"});
}

void LocalMoranMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  const auto sel = engine::selectIncidents(ctx, m_sel, where);
  auto units = engine::buildUnits(ctx, sel, m_units, where);
  units.band = ctx.toCrsUnits(m_units.band);
  const auto w = hs::rowStandardised(engine::buildWeights(units, m_units, false, where));

  hs::LocalMoranOptions o;
  o.permutations = m_permutations;
  o.seed = m_seed;
  o.alpha = m_alpha;
  o.fdr = m_fdr;
  o.p_source = m_p == "permutation" ? hs::BinSource::Permutation : hs::BinSource::Analytic;
  if (m_p == "permutation" && m_permutations == 0) throwUsageError("{}: p: permutation needs permutations > 0", where);
  const auto r = hs::localMoran(units.counts, w, o);

  const std::vector<data::QmlCategory> cats{{"HH", "High-High (hot cluster)", "#d7191c"},
                                            {"LL", "Low-Low (cold cluster)", "#2c7bb6"},
                                            {"HL", "High-Low (outlier)", "#fdae61"},
                                            {"LH", "Low-High (outlier)", "#abd9e9"},
                                            {"", "Not significant", "#e0e0e0"}};
  auto& L = ctx.gpkg->createLayer({.name = ctx.analysis_name,
                                   .geom = data::GeomType::Polygon,
                                   .fields = {{"unit_id", FieldType::String},
                                              {"name", FieldType::String},
                                              {"count", FieldType::Real},
                                              {"Ii", FieldType::Real},
                                              {"E_Ii", FieldType::Real},
                                              {"Var_Ii", FieldType::Real},
                                              {"Z_Ii", FieldType::Real},
                                              {"p", FieldType::Real},
                                              {"p_sim", FieldType::Real},
                                              {"p_fdr", FieldType::Real},
                                              {"lag", FieldType::Real},
                                              {"cluster", FieldType::String}},
                                   .title = fmt::format("Local Moran's I ({})", ctx.analysis_name),
                                   .description = r.p_source_note,
                                   .style_qml = data::qmlCategorized(data::GeomType::Polygon, "cluster", cats)});
  auto real = [](double v) { return std::isfinite(v) ? Value{v} : Value{}; };
  std::map<std::string, int> tally;
  for (std::size_t i = 0; i < units.ids.size(); ++i) {
    const std::string label = r.quadrant[i] == hs::Quadrant::NotSignificant ? "" : hs::quadrantLabel(r.quadrant[i]);
    ++tally[label.empty() ? "not significant" : label];
    const Value v[] = {Value{units.ids[i]}, Value{units.names.empty() ? std::string() : units.names[i]},
                       Value{units.counts[i]}, real(r.I[i]), real(r.expected[i]), real(r.variance[i]), real(r.z[i]),
                       real(r.p[i]), real(r.p_sim[i]), real(r.p_fdr[i]), real(r.lag[i]),
                       label.empty() ? Value{} : Value{label}};
    L.add(units.wkb[i], v);
  }
  auto& m = *ctx.metadata;
  m["unit_count"] = units.ids.size();
  m["weights"] = w.kind;
  if (units.band > 0) m["band_crs_units"] = units.band;
  m["p_source"] = r.p_source_note;
  m["clusters"] = tally;
  m["seed"] = m_seed;
  m["incidents_used"] = sel.pts.size();
  m["excluded_stacked"] = sel.excluded_stacked;
  m["selection"] = sel.description;
}

}  // namespace trygg::plugins
