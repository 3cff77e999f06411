// The only translation unit that includes Mapnik. Mapnik 3.1's headers are
// built with the flags `mapnik-config --cflags` gives (set for this file alone
// in CMakeLists.txt), so its defines do not leak into the rest of trygg.
#include "report/map_renderer.hpp"

#include <mapnik/agg_renderer.hpp>
#include <mapnik/datasource_cache.hpp>
#include <mapnik/feature.hpp>
#include <mapnik/feature_factory.hpp>
#include <mapnik/font_engine_freetype.hpp>
#include <mapnik/geometry.hpp>
#include <mapnik/image.hpp>
#include <mapnik/image_util.hpp>
#include <mapnik/layer.hpp>
#include <mapnik/load_map.hpp>
#include <mapnik/map.hpp>
#include <mapnik/memory_datasource.hpp>
#include <mapnik/unicode.hpp>
#include <mapnik/version.hpp>
#include <mapnik/wkb.hpp>

#include <mutex>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"

#ifndef TRYGG_MAPNIK_INPUT_DIR
#define TRYGG_MAPNIK_INPUT_DIR "/usr/lib/mapnik/3.1/input"
#endif
#ifndef TRYGG_FONT_DIR
#define TRYGG_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

namespace trygg::report {

namespace {

// One spatial reference for the map and every layer: Mapnik compares the
// strings and, when equal, does not transform. The coordinates stay in the
// run's working CRS.
constexpr const char* kSrs = "epsg:3006";

void registerOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    mapnik::datasource_cache::instance().register_datasources(TRYGG_MAPNIK_INPUT_DIR);
    mapnik::freetype_engine::register_fonts(TRYGG_FONT_DIR, true);
  });
}

std::shared_ptr<mapnik::memory_datasource> vectorSource(const MapLayer& ml) {
  mapnik::parameters p;
  p["type"] = "memory";
  auto ds = std::make_shared<mapnik::memory_datasource>(p);
  auto ctx = std::make_shared<mapnik::context_type>();
  std::set<std::string> keys;
  for (const auto& f : ml.features)
    for (const auto& [k, v] : f.attrs)
      if (keys.insert(k).second) ctx->push(k);
  mapnik::transcoder tr("utf-8");
  mapnik::value_integer id = 0;
  for (const auto& f : ml.features) {
    if (f.wkb.empty()) continue;
    auto geom = mapnik::geometry_utils::from_wkb(f.wkb.data(), f.wkb.size(), mapnik::wkbGeneric);
    if (geom.is<mapnik::geometry::geometry_empty>()) continue;
    auto feat = mapnik::feature_factory::create(ctx, ++id);
    feat->set_geometry(std::move(geom));
    for (const auto& k : keys) feat->put(k, tr.transcode(""));
    for (const auto& [k, v] : f.attrs) feat->put(k, tr.transcode(v.c_str()));
    ds->push(feat);
  }
  return ds;
}

}  // namespace

std::string renderMapPng(const MapSpec& spec) {
  registerOnce();
  try {
    const int w = static_cast<int>(spec.width * spec.scale), h = static_cast<int>(spec.height * spec.scale);
    mapnik::Map m(w, h, kSrs);
    mapnik::load_map_string(m, spec.stylesheet, true);
    m.set_srs(kSrs);
    int n = 0;
    for (const auto& ml : spec.layers) {
      mapnik::layer l(fmt::format("layer{}", ++n), kSrs);
      if (!ml.raster.empty()) {
        mapnik::parameters p;
        p["type"] = "gdal";
        p["file"] = ml.raster.string();
        p["band"] = mapnik::value_integer(1);
        l.set_datasource(mapnik::datasource_cache::instance().create(p));
      } else {
        l.set_datasource(vectorSource(ml));
      }
      l.add_style(ml.style);
      m.add_layer(l);
    }
    m.zoom_to_box(mapnik::box2d<double>(spec.bbox.minx, spec.bbox.miny, spec.bbox.maxx, spec.bbox.maxy));
    mapnik::image_rgba8 im(w, h);
    mapnik::agg_renderer<mapnik::image_rgba8> ren(m, im, spec.scale);
    ren.apply();
    return mapnik::save_to_string(im, "png8:m=h:z=9");
  } catch (const std::exception& e) {
    throw Error(fmt::format("report map: Mapnik could not draw the map: {}", e.what()));
  }
}

std::string mapRendererName() { return std::string("Mapnik ") + MAPNIK_VERSION_STRING; }

}  // namespace trygg::report
