#include "geo/crs/crs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "core/error.hpp"

using trygg::geo::Crs;
using trygg::geo::Transformer;

TEST(Crs, Sweref99TmIsProjectedInMetres) {
  const Crs c = Crs::fromUserString("EPSG:3006");
  EXPECT_TRUE(c.isProjected());
  EXPECT_FALSE(c.isGeographic());
  EXPECT_EQ(c.authId(), "EPSG:3006");
  EXPECT_EQ(c.epsg(), 3006);
  EXPECT_DOUBLE_EQ(c.linearUnitMetres(), 1.0);
  EXPECT_EQ(c.name(), "SWEREF99 TM");
}

TEST(Crs, BareNumberAndLowerCaseAreEpsg) {
  EXPECT_EQ(Crs::fromUserString(" 3006 ").epsg(), 3006);
  EXPECT_EQ(Crs::fromUserString("epsg:3011").epsg(), 3011);
}

TEST(Crs, PortlandIsInInternationalFeet) {
  const Crs c = Crs::fromUserString("EPSG:2913");
  EXPECT_TRUE(c.isProjected());
  EXPECT_DOUBLE_EQ(c.linearUnitMetres(), 0.3048);
}

TEST(Crs, StLouisIsInUsSurveyFeet) {
  const Crs c = Crs::fromUserString("ESRI:102696");
  EXPECT_TRUE(c.isProjected());
  EXPECT_EQ(c.authId(), "ESRI:102696");
  EXPECT_EQ(c.epsg(), 0);
  EXPECT_NEAR(c.linearUnitMetres(), 1200.0 / 3937.0, 1e-15);
}

TEST(Crs, Wgs84IsGeographic) {
  const Crs c = Crs::fromUserString("EPSG:4326");
  EXPECT_TRUE(c.isGeographic());
  EXPECT_FALSE(c.isProjected());
  EXPECT_EQ(c.linearUnitMetres(), 0.0);
}

TEST(Crs, WktAndProjStringAreAccepted) {
  const Crs a = Crs::fromUserString("EPSG:3006");
  const Crs b = Crs::fromUserString(a.wkt());
  EXPECT_EQ(b.authId(), "EPSG:3006");
  EXPECT_TRUE(a.equivalentTo(b));
  const Crs p = Crs::fromUserString("+proj=utm +zone=33 +ellps=GRS80 +units=m +no_defs");
  EXPECT_TRUE(p.isProjected());
  EXPECT_DOUBLE_EQ(p.linearUnitMetres(), 1.0);
}

TEST(Crs, UnknownTextSaysWhatToWrite) {
  try {
    (void)Crs::fromUserString("EPSG:99999999");
    FAIL() << "expected UsageError";
  } catch (const trygg::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("EPSG:99999999"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("EPSG:3006"), std::string::npos);
  }
  EXPECT_THROW((void)Crs::fromUserString(""), trygg::UsageError);
}

TEST(Crs, UtmZoneForAuto) {
  EXPECT_EQ(Crs::utmFor(17.99, 59).epsg(), 32633);
  // A zone is half-open [west, east): the usual floor((lon + 180) / 6) + 1, so
  // the boundary meridian 18 E belongs to zone 34, as in GDAL and pyproj.
  EXPECT_EQ(Crs::utmFor(18, 59).epsg(), 32634);
  EXPECT_EQ(Crs::utmFor(15, 59).epsg(), 32633);
  EXPECT_EQ(Crs::utmFor(-90.2, 38.6).epsg(), 32615);   // St. Louis
  EXPECT_EQ(Crs::utmFor(-122.7, 45.5).epsg(), 32610);  // Portland
  EXPECT_EQ(Crs::utmFor(151.2, -33.9).epsg(), 32756);  // Sydney: south
  EXPECT_EQ(Crs::utmFor(5.3, 60.4).epsg(), 32632);     // Bergen: the 32V exception
  EXPECT_EQ(Crs::utmFor(15.6, 78.2).epsg(), 32633);    // Svalbard
  EXPECT_THROW((void)Crs::utmFor(200, 0), trygg::UsageError);
}

TEST(Transformer, StockholmWgs84ToSweref99Tm) {
  // Expected values from PROJ 9.1's cs2cs, once:
  //   echo "59.3293 18.0686" | cs2cs -f %.4f EPSG:4326 EPSG:3006
  //   -> 6580743.0083  674571.8664
  // cs2cs uses the authority axis order (lat lon in, northing easting out);
  // the Transformer is normalised, so x = lon/easting, y = lat/northing.
  const Transformer t(Crs::fromUserString("EPSG:4326"), Crs::fromUserString("EPSG:3006"));
  EXPECT_FALSE(t.isIdentity());
  double x = 18.0686, y = 59.3293;
  ASSERT_TRUE(t.transform(x, y));
  EXPECT_NEAR(x, 674571.8664, 1e-3);
  EXPECT_NEAR(y, 6580743.0083, 1e-3);
}

TEST(Transformer, LocalZone1800ToSweref99Tm) {
  // echo "6580000 150000" | cs2cs -f %.4f EPSG:3011 EPSG:3006
  //   -> 6581212.0319  670641.8014   (northing easting in and out)
  const Transformer t(Crs::fromUserString("EPSG:3011"), Crs::fromUserString("EPSG:3006"));
  double x = 150000, y = 6580000;
  ASSERT_TRUE(t.transform(x, y));
  EXPECT_NEAR(x, 670641.8014, 1e-3);
  EXPECT_NEAR(y, 6581212.0319, 1e-3);
}

TEST(Transformer, ManyPointsMatchOnePoint) {
  const Transformer t(Crs::fromUserString("EPSG:4326"), Crs::fromUserString("EPSG:3006"));
  std::vector<double> xs{18.0686, 11.9746, 13.0038}, ys{59.3293, 57.7089, 55.6050};
  std::vector<double> ex = xs, ey = ys;
  t.transform(xs, ys);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    ASSERT_TRUE(t.transform(ex[i], ey[i]));
    EXPECT_DOUBLE_EQ(xs[i], ex[i]);
    EXPECT_DOUBLE_EQ(ys[i], ey[i]);
  }
  std::vector<double> one{1.0};
  EXPECT_THROW(t.transform(one, std::span<double>(ys)), trygg::UsageError);
}

TEST(Transformer, IdentityAndCopies) {
  const Crs a = Crs::fromUserString("EPSG:3006");
  const Transformer id(a, Crs::fromUserString("3006"));
  EXPECT_TRUE(id.isIdentity());
  double x = 583000, y = 6610000;
  EXPECT_TRUE(id.transform(x, y));
  EXPECT_EQ(x, 583000);
  EXPECT_EQ(y, 6610000);

  // Copies own their context: use them from two threads at once.
  const Transformer t(Crs::fromUserString("EPSG:4326"), a);
  std::vector<double> r(2);
  std::thread th1([&, c = t] { double u = 18.0686, v = 59.3293; c.transform(u, v); r[0] = u; });
  std::thread th2([&, c = t] { double u = 18.0686, v = 59.3293; c.transform(u, v); r[1] = u; });
  th1.join();
  th2.join();
  EXPECT_NEAR(r[0], 674571.8664, 1e-3);
  EXPECT_EQ(r[0], r[1]);
}

TEST(Transformer, FailedPointIsReported) {
  const Transformer t(Crs::fromUserString("EPSG:3006"), Crs::fromUserString("EPSG:4326"));
  double x = 1e30, y = 1e30;
  EXPECT_FALSE(t.transform(x, y));
}
