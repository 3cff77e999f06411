#include "report/run_outputs.hpp"

#include <gdal.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"

namespace trygg::report {

namespace fs = std::filesystem;

std::string Record::str(const std::string& f) const {
  const auto it = text.find(f);
  return it == text.end() || !it->second ? std::string() : *it->second;
}

std::optional<double> Record::real(const std::string& f) const {
  const auto t = text.find(f);
  if (t == text.end() || !t->second) return std::nullopt;
  const auto it = num.find(f);
  if (it == num.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> Record::integer(const std::string& f) const {
  const auto v = real(f);
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

std::optional<bool> Record::flag(const std::string& f) const {
  if (const auto v = real(f)) return *v != 0;
  const auto s = str(f);
  if (s == "true" || s == "TRUE" || s == "1") return true;
  if (s == "false" || s == "FALSE" || s == "0") return false;
  return std::nullopt;
}

BBox2 wkbEnvelope(const std::string& wkb) {
  BBox2 b;
  if (wkb.empty()) return b;
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) return b;
  if (!g->IsEmpty()) {
    OGREnvelope e;
    g->getEnvelope(&e);
    b = {e.MinX, e.MinY, e.MaxX, e.MaxY};
  }
  OGRGeometryFactory::destroyGeometry(g);
  return b;
}

RunOutputs::RunOutputs(const fs::path& output_dir, const std::string& output_name)
    : m_dir(output_dir), m_gpkg(output_dir / (output_name + ".gpkg")) {
  if (!fs::exists(m_gpkg))
    throwDataError("{}: no results of a run yet; run `trygg run` on the project first, then `trygg report`",
                   m_gpkg.string());
  m_ds = GDALOpenEx(m_gpkg.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!m_ds) throwDataError("{}: cannot open the run's GeoPackage ({}); run `trygg run` again", m_gpkg.string(), CPLGetLastErrorMsg());
  const auto json_path = output_dir / (output_name + "_summary.json");
  std::string text;
  if (fs::exists(json_path)) {
    std::ifstream f(json_path);
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  } else {
    // The same summary is stored in the GeoPackage's trygg_metadata table.
    auto* ds = static_cast<GDALDataset*>(m_ds);
    if (OGRLayer* l = ds->ExecuteSQL("SELECT value FROM trygg_metadata WHERE key = 'run_summary'", nullptr, nullptr)) {
      if (OGRFeature* ft = l->GetNextFeature()) {
        text = ft->GetFieldAsString(0);
        OGRFeature::DestroyFeature(ft);
      }
      ds->ReleaseResultSet(l);
    }
  }
  if (text.empty())
    throwDataError("{}: the run summary is missing; run `trygg run` on the project again", json_path.string());
  try {
    m_summary = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throwDataError("{}: the run summary is not valid JSON ({}); run `trygg run` again", json_path.string(), e.what());
  }
}

RunOutputs::~RunOutputs() {
  if (m_ds) GDALClose(m_ds);
}

bool RunOutputs::hasLayer(const std::string& layer) { return table(layer).exists; }

const Table& RunOutputs::table(const std::string& layer) {
  if (const auto it = m_cache.find(layer); it != m_cache.end()) return it->second;
  Table t;
  t.name = layer;
  auto* ds = static_cast<GDALDataset*>(m_ds);
  if (OGRLayer* l = ds->GetLayerByName(layer.c_str())) {
    t.exists = true;
    OGRFeatureDefn* d = l->GetLayerDefn();
    for (int i = 0; i < d->GetFieldCount(); ++i) t.fields.emplace_back(d->GetFieldDefn(i)->GetNameRef());
    l->ResetReading();
    for (auto& f : *l) {
      Record r;
      for (int i = 0; i < d->GetFieldCount(); ++i) {
        const auto* fd = d->GetFieldDefn(i);
        const std::string name = fd->GetNameRef();
        if (!f->IsFieldSetAndNotNull(i)) {
          r.text[name] = std::nullopt;
          continue;
        }
        r.text[name] = std::string(f->GetFieldAsString(i));
        switch (fd->GetType()) {
          case OFTInteger:
          case OFTInteger64:
          case OFTReal: r.num[name] = f->GetFieldAsDouble(i); break;
          default: break;
        }
      }
      if (OGRGeometry* g = f->GetGeometryRef()) {
        if (g->Is3D() || g->IsMeasured()) g->flattenTo2D();  // the map renderer reads 2D WKB
        r.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(r.wkb.data()), wkbVariantIso);
      }
      t.rows.push_back(std::move(r));
    }
  }
  return m_cache.emplace(layer, std::move(t)).first->second;
}

fs::path RunOutputs::outputFile(const std::string& written) const {
  const fs::path p(written);
  const auto here = m_dir / p.filename();
  if (fs::exists(here)) return here;
  return p;
}

}  // namespace trygg::report
