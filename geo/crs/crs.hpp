#pragma once
// Coordinate reference systems and transformations over the PROJ C API.
//
// Axis order: every Transformer is normalised for visualisation
// (proj_normalize_for_visualization), so x is always easting/longitude and y
// northing/latitude, whatever the EPSG database says (EPSG:4326 is lat/lon and
// EPSG:3006-3018 are northing/easting there). Nothing in the engine swaps axes
// by looking at a code (METHODS.md §11).
//
// Threads: each Crs and Transformer owns its own PJ_CONTEXT, so distinct
// objects may be used from distinct threads at once; one object is not safe
// for concurrent use (thread-compatible, like a std::vector). Copy a
// Transformer per thread.
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace trygg::geo {

class Crs {
 public:
  // Accepts "EPSG:3006", "epsg:3006", "3006" (taken as EPSG), "ESRI:102696",
  // a WKT string, a PROJ string ("+proj=tmerc ..."; "+type=crs" is added when
  // missing) or PROJJSON. Throws UsageError naming the text and the fix.
  static Crs fromUserString(std::string_view s);
  // The WGS 84 / UTM zone (EPSG:326xx north, 327xx south) holding lon/lat,
  // with the Norway (32V) and Svalbard (31X-37X) exceptions. Zones are
  // half-open [west, east): lon 18 exactly is zone 34, 17.99 zone 33. Used for the
  // project's "auto" working CRS. Throws UsageError outside -180..180/-90..90.
  static Crs utmFor(double lon, double lat);

  Crs(const Crs& other);
  Crs& operator=(const Crs& other);
  Crs(Crs&&) noexcept;
  Crs& operator=(Crs&&) noexcept;
  ~Crs();

  std::string wkt() const;      // WKT2:2019
  std::string authId() const;   // "EPSG:3006", or "" when no authority code is known
  int epsg() const;             // 3006, or 0 when the CRS has no EPSG code
  std::string name() const;     // "SWEREF99 TM"
  bool isGeographic() const;    // latitude/longitude (2D or 3D), also inside a compound CRS
  bool isProjected() const;
  // Size of the horizontal linear unit in metres: 1 for metres, 0.3048 for the
  // international foot, 1200/3937 for the US survey foot. 0 for a geographic
  // CRS (its unit is an angle, not a length).
  double linearUnitMetres() const;
  // Same CRS for coordinate purposes (PROJ's "equivalent" comparison).
  bool equivalentTo(const Crs& other) const;

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  explicit Crs(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

class Transformer {
 public:
  // Picks PROJ's best available operation for the whole area of use.
  // Throws UsageError when PROJ knows no way between the two.
  Transformer(const Crs& from, const Crs& to);
  Transformer(const Transformer& other);
  Transformer& operator=(const Transformer& other);
  Transformer(Transformer&&) noexcept;
  Transformer& operator=(Transformer&&) noexcept;
  ~Transformer();

  // In place; x = easting/longitude, y = northing/latitude (degrees).
  // Returns false (and leaves x, y as infinity) when the point cannot be
  // transformed, e.g. outside the projection's domain.
  bool transform(double& x, double& y) const;
  // Many points at once (proj_trans_generic). Points that fail become
  // +infinity (HUGE_VAL); check with std::isfinite. xs and ys must have the
  // same size (asserted by a UsageError).
  void transform(std::span<double> xs, std::span<double> ys) const;
  // True when from and to are equivalent: transform() then changes nothing.
  bool isIdentity() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace trygg::geo
