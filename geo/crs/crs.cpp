// PROJ C API wrapper (PROJ >= 9.1). See crs.hpp for the axis-order rule.
#include "geo/crs/crs.hpp"

#include <proj.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace trygg::geo {
namespace {

// One PJ_CONTEXT per object. PROJ's own logging goes into the context's
// buffer instead of stderr, so that its message can become part of ours.
struct Context {
  PJ_CONTEXT* ctx = nullptr;
  std::string last_log;

  Context() {
    ctx = proj_context_create();
    if (ctx == nullptr) throw Error("crs: PROJ could not create a context (out of memory?)");
    proj_log_level(ctx, PJ_LOG_ERROR);
    proj_log_func(ctx, this, [](void* self, int, const char* msg) {
      if (msg != nullptr) static_cast<Context*>(self)->last_log = msg;
    });
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() { proj_context_destroy(ctx); }

  std::string lastError() const {
    const int err = proj_context_errno(ctx);
    std::string msg = err != 0 ? proj_context_errno_string(ctx, err) : std::string();
    if (!last_log.empty() && msg.find(last_log) == std::string::npos) {
      msg = msg.empty() ? last_log : msg + " (" + last_log + ")";
    }
    return msg.empty() ? std::string("unknown PROJ error") : msg;
  }
};

struct PjDeleter {
  void operator()(PJ* p) const { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

struct PjListDeleter {
  void operator()(PJ_OBJ_LIST* p) const { proj_list_destroy(p); }
};

}  // namespace

struct Crs::Impl {
  Context context;
  PjPtr pj;
  std::string user_text;  // as the user wrote it, for messages

  // The horizontal part: the CRS itself, the first component of a compound
  // CRS, or the source of a bound CRS (a CRS with +towgs84).
  PjPtr horizontal() const {
    PjPtr cur(proj_clone(context.ctx, pj.get()));
    for (int guard = 0; guard < 4 && cur; ++guard) {
      const PJ_TYPE t = proj_get_type(cur.get());
      if (t == PJ_TYPE_BOUND_CRS) {
        cur.reset(proj_get_source_crs(context.ctx, cur.get()));
      } else if (t == PJ_TYPE_COMPOUND_CRS) {
        cur.reset(proj_crs_get_sub_crs(context.ctx, cur.get(), 0));
      } else {
        break;
      }
    }
    return cur;
  }
};

Crs::Crs(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Crs::Crs(const Crs& other) : m_impl(std::make_unique<Impl>()) {
  m_impl->pj.reset(proj_clone(m_impl->context.ctx, other.m_impl->pj.get()));
  m_impl->user_text = other.m_impl->user_text;
  if (!m_impl->pj) throw Error("crs: PROJ could not copy a CRS: " + m_impl->context.lastError());
}
Crs& Crs::operator=(const Crs& other) {
  if (this != &other) *this = Crs(other);
  return *this;
}
Crs::Crs(Crs&&) noexcept = default;
Crs& Crs::operator=(Crs&&) noexcept = default;
Crs::~Crs() = default;

Crs Crs::fromUserString(std::string_view s) {
  const std::string_view t = text::trim(s);
  if (t.empty()) {
    throw UsageError(
        "crs: empty coordinate reference system; write an authority code such as EPSG:3006 "
        "(SWEREF 99 TM), a WKT string or a PROJ string");
  }
  std::string def(t);
  // A bare number is an EPSG code: people write "crs: 3006".
  if (text::parseInt(t).has_value()) def = "EPSG:" + def;
  // A PROJ string without +type=crs is an operation to PROJ, not a CRS.
  if (def.starts_with("+") && def.find("type=crs") == std::string::npos) def += " +type=crs";

  auto impl = std::make_unique<Impl>();
  impl->user_text = std::string(t);
  impl->pj.reset(proj_create(impl->context.ctx, def.c_str()));
  if (!impl->pj) {
    throw UsageError(fmt::format(
        "crs: '{}' is not a coordinate reference system PROJ knows ({}); write an authority code "
        "such as EPSG:3006 (SWEREF 99 TM), EPSG:3011 (SWEREF 99 18 00), ESRI:102696, a WKT string or "
        "a PROJ string",
        impl->user_text, impl->context.lastError()));
  }
  if (!proj_is_crs(impl->pj.get())) {
    throw UsageError(fmt::format(
        "crs: '{}' is a coordinate operation or datum, not a coordinate reference system; give the "
        "CRS itself, e.g. EPSG:3006",
        impl->user_text));
  }
  return Crs(std::move(impl));
}

Crs Crs::utmFor(double lon, double lat) {
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw UsageError(fmt::format(
        "crs auto: lon {} lat {} is not a WGS 84 longitude/latitude; the data's extent must be "
        "known in degrees to pick a UTM zone",
        lon, lat));
  }
  int zone = static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1;
  if (zone > 60) zone = 60;  // lon == 180
  // The two irregular zones of the UTM grid (NGA grid definition).
  if (lat >= 56 && lat < 64 && lon >= 3 && lon < 12) zone = 32;
  if (lat >= 72 && lat < 84) {
    if (lon >= 0 && lon < 9) zone = 31;
    else if (lon >= 9 && lon < 21) zone = 33;
    else if (lon >= 21 && lon < 33) zone = 35;
    else if (lon >= 33 && lon < 42) zone = 37;
  }
  const int code = (lat >= 0 ? 32600 : 32700) + zone;
  return fromUserString(fmt::format("EPSG:{}", code));
}

std::string Crs::wkt() const {
  const char* w = proj_as_wkt(m_impl->context.ctx, m_impl->pj.get(), PJ_WKT2_2019, nullptr);
  return w != nullptr ? std::string(w) : std::string();
}

std::string Crs::authId() const {
  const char* auth = proj_get_id_auth_name(m_impl->pj.get(), 0);
  const char* code = proj_get_id_code(m_impl->pj.get(), 0);
  if (auth != nullptr && code != nullptr) return std::string(auth) + ":" + code;
  // A WKT without AUTHORITY/ID: accept PROJ's identification only when it is
  // certain (confidence 100), as GDAL does for its auto-identification.
  int* confidence = nullptr;
  std::unique_ptr<PJ_OBJ_LIST, PjListDeleter> list(
      proj_identify(m_impl->context.ctx, m_impl->pj.get(), nullptr, nullptr, &confidence));
  std::string result;
  if (list && proj_list_get_count(list.get()) > 0 && confidence != nullptr && confidence[0] == 100) {
    PjPtr best(proj_list_get(m_impl->context.ctx, list.get(), 0));
    const char* a = best ? proj_get_id_auth_name(best.get(), 0) : nullptr;
    const char* c = best ? proj_get_id_code(best.get(), 0) : nullptr;
    if (a != nullptr && c != nullptr) result = std::string(a) + ":" + c;
  }
  proj_int_list_destroy(confidence);
  return result;
}

int Crs::epsg() const {
  const std::string id = authId();
  if (!id.starts_with("EPSG:")) return 0;
  return static_cast<int>(text::parseInt(std::string_view(id).substr(5)).value_or(0));
}

std::string Crs::name() const {
  const char* n = proj_get_name(m_impl->pj.get());
  return n != nullptr ? std::string(n) : std::string();
}

bool Crs::isGeographic() const {
  PjPtr h = m_impl->horizontal();
  if (!h) return false;
  const PJ_TYPE t = proj_get_type(h.get());
  return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

bool Crs::isProjected() const {
  PjPtr h = m_impl->horizontal();
  return h && proj_get_type(h.get()) == PJ_TYPE_PROJECTED_CRS;
}

double Crs::linearUnitMetres() const {
  if (!isProjected()) return 0;
  PjPtr h = m_impl->horizontal();
  PjPtr cs(proj_crs_get_coordinate_system(m_impl->context.ctx, h.get()));
  double factor = 0;
  if (!cs || !proj_cs_get_axis_info(m_impl->context.ctx, cs.get(), 0, nullptr, nullptr, nullptr,
                                    &factor, nullptr, nullptr, nullptr)) {
    throw DataError(fmt::format("crs '{}': PROJ cannot tell its axis unit: {}", m_impl->user_text,
                                m_impl->context.lastError()));
  }
  return factor;
}

bool Crs::equivalentTo(const Crs& other) const {
  return proj_is_equivalent_to_with_ctx(m_impl->context.ctx, m_impl->pj.get(), other.m_impl->pj.get(),
                                        PJ_COMP_EQUIVALENT) != 0;
}

// ---------------------------------------------------------------------------

struct Transformer::Impl {
  Context context;
  Crs from;
  Crs to;
  PjPtr op;
  bool identity = false;

  Impl(const Crs& f, const Crs& t) : from(f), to(t) {
    identity = from.equivalentTo(to);
    PjPtr src(proj_clone(context.ctx, from.impl().pj.get()));
    PjPtr dst(proj_clone(context.ctx, to.impl().pj.get()));
    PjPtr raw(src && dst ? proj_create_crs_to_crs_from_pj(context.ctx, src.get(), dst.get(), nullptr, nullptr)
                         : nullptr);
    if (raw) op.reset(proj_normalize_for_visualization(context.ctx, raw.get()));
    if (!op) {
      throw UsageError(fmt::format(
          "crs: no transformation from '{}' to '{}' ({}); check both CRSs, or give the source CRS "
          "explicitly in the layer's 'crs' key",
          from.name(), to.name(), context.lastError()));
    }
  }
};

Transformer::Transformer(const Crs& from, const Crs& to) : m_impl(std::make_unique<Impl>(from, to)) {}
Transformer::Transformer(const Transformer& other)
    : m_impl(std::make_unique<Impl>(other.m_impl->from, other.m_impl->to)) {}
Transformer& Transformer::operator=(const Transformer& other) {
  if (this != &other) m_impl = std::make_unique<Impl>(other.m_impl->from, other.m_impl->to);
  return *this;
}
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;
Transformer::~Transformer() = default;

bool Transformer::isIdentity() const { return m_impl->identity; }

bool Transformer::transform(double& x, double& y) const {
  if (m_impl->identity) return std::isfinite(x) && std::isfinite(y);
  PJ_COORD c = proj_coord(x, y, 0, 0);
  proj_errno_reset(m_impl->op.get());
  c = proj_trans(m_impl->op.get(), PJ_FWD, c);
  x = c.xy.x;
  y = c.xy.y;
  if (!std::isfinite(x) || !std::isfinite(y) || proj_errno(m_impl->op.get()) != 0) {
    x = y = HUGE_VAL;
    proj_errno_reset(m_impl->op.get());
    return false;
  }
  return true;
}

void Transformer::transform(std::span<double> xs, std::span<double> ys) const {
  if (xs.size() != ys.size()) {
    throw UsageError(fmt::format("crs: transform needs as many x as y values (got {} and {})", xs.size(),
                                 ys.size()));
  }
  if (m_impl->identity || xs.empty()) return;
  proj_errno_reset(m_impl->op.get());
  proj_trans_generic(m_impl->op.get(), PJ_FWD, xs.data(), sizeof(double), xs.size(), ys.data(),
                     sizeof(double), ys.size(), nullptr, 0, 0, nullptr, 0, 0);
  proj_errno_reset(m_impl->op.get());
}

}  // namespace trygg::geo
