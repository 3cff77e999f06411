#include "plugins/getis_ord/getis_ord_method.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/getis_ord.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

GetisOrdMethod::GetisOrdMethod() {
  m_sel.declare(*this);
  m_units.declare(*this);
  addArg("star", "Gi* (true: the unit itself is in its neighbourhood) or Gi (false)", &m_star);
  addArg("permutations", "Conditional permutations for the pseudo p-value (0 = none)", &m_permutations).min(0);
  addArg("seed", "Random seed (same seed, same p_sim, whatever the number of threads)", &m_seed);
  addArg("alpha", "Significance level for the FDR cut-off", &m_alpha).minExclusive(0).max(0.5);
  addArg("fdr", "Benjamini–Hochberg false discovery rate on the bins", &m_fdr);
  addChoiceArg("bins", "Gi_Bin from the two-sided analytic p (ArcGIS) or the permutation p", &m_bins,
               {"analytic", "permutation"});
}

void GetisOrdMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  const auto sel = engine::selectIncidents(ctx, m_sel, where);
  auto units = engine::buildUnits(ctx, sel, m_units, where);
  units.band = ctx.toCrsUnits(m_units.band);
  const auto w = engine::buildWeights(units, m_units, m_star, where);

  hs::GiStarOptions o;
  o.star = m_star;
  o.permutations = m_permutations;
  o.seed = m_seed;
  o.alpha = m_alpha;
  o.fdr = m_fdr;
  o.bin_source = m_bins == "permutation" ? hs::BinSource::Permutation : hs::BinSource::Analytic;
  if (m_bins == "permutation" && m_permutations == 0)
    throwUsageError("{}: bins: permutation needs permutations > 0", where);
  const auto r = hs::getisOrdGiStar(units.counts, w, o);

  auto& L = ctx.gpkg->createLayer(
      {.name = ctx.analysis_name,
       .geom = data::GeomType::Polygon,
       .fields = {{"unit_id", FieldType::String},
                  {"name", FieldType::String},
                  {"count", FieldType::Real},
                  {"GiZScore", FieldType::Real},
                  {"GiPValue", FieldType::Real},
                  {"p_sim", FieldType::Real},
                  {"z_sim", FieldType::Real},
                  {"p_fdr", FieldType::Real},
                  {"Gi_Bin", FieldType::Integer},
                  {"NNeighbors", FieldType::Integer}},
       .title = fmt::format("Gi* hot spots ({})", ctx.analysis_name),
       .description = r.bin_source_note,
       .style_qml = data::qmlHotspotGiBin(data::GeomType::Polygon, "Gi_Bin")});
  auto real = [](double v) { return std::isfinite(v) ? Value{v} : Value{}; };
  int hot = 0, cold = 0;
  for (std::size_t i = 0; i < units.ids.size(); ++i) {
    const Value v[] = {Value{units.ids[i]}, Value{units.names.empty() ? std::string() : units.names[i]},
                       Value{units.counts[i]}, real(r.z[i]), real(r.p[i]), real(r.p_sim[i]), real(r.z_sim[i]),
                       real(r.p_fdr[i]), Value{static_cast<std::int64_t>(r.bin[i])},
                       Value{static_cast<std::int64_t>(r.n_neighbours[i])}};
    L.add(units.wkb[i], v);
    hot += r.bin[i] > 0;
    cold += r.bin[i] < 0;
  }
  ctx.hotspot_cells.push_back({ctx.analysis_name, units.wkb, r.bin});
  auto& m = *ctx.metadata;
  m["units"] = units.is_grid ? fmt::format("{} grid, cell {} ({})", m_units.shape, units.cell * ctx.unit_metres,
                                           units.cell_note.empty() ? "given" : units.cell_note)
                             : std::string("areas");
  m["unit_count"] = units.ids.size();
  m["weights"] = w.kind;
  if (units.band > 0) m["band_crs_units"] = units.band;
  if (!units.band_note.empty()) m["band_note"] = units.band_note;
  m["bins"] = r.bin_source_note;
  m["alternative"] = r.alternative;
  m["fdr_cutoff"] = r.fdr_cutoff;
  m["seed"] = m_seed;
  m["hot_units"] = hot;
  m["cold_units"] = cold;
  m["incidents_used"] = sel.pts.size();
  m["incidents_outside_units"] = units.outside;
  m["excluded_stacked"] = sel.excluded_stacked;
  m["selection"] = sel.description;
}

}  // namespace trygg::plugins
