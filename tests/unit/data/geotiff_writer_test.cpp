// GeoTIFF writer: Float32, NoData, EPSG in the GeoKeys, DEFLATE + predictor 3,
// tiles, metadata, a same-name .qml, atomic replacement.
#include "data/geotiff_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "data/qml.hpp"

namespace fs = std::filesystem;
using namespace trygg::data;

namespace {
fs::path freshDir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("trygg_tif_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
std::vector<std::string> listing(const fs::path& d) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(d)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST(GeoTiffWriter, WritesAQgisReadyRaster) {
  const fs::path dir = freshDir("write");
  const fs::path tif = dir / "kde_all.tif";
  // 3 columns x 2 rows, top row first.
  const std::vector<float> cells{0, 1, 2, 3, -9999, 5.5f};
  writeGeoTiffFloat32(tif, 3, 2, 500000, 6400020, 10, cells, -9999, "EPSG:3006", qmlKdeHeat(5.5, -9999),
                      {{"TRYGG_METHOD", "kde"}, {"TRYGG_BANDWIDTH_M", "200"}});
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"kde_all.qml", "kde_all.tif"}));
  EXPECT_TRUE(checkRasterQml(slurp(dir / "kde_all.qml")).empty());

  std::unique_ptr<GDALDataset> ds(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->GetRasterXSize(), 3);
  EXPECT_EQ(ds->GetRasterYSize(), 2);
  double gt[6];
  ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
  EXPECT_EQ(std::vector<double>(gt, gt + 6), (std::vector<double>{500000, 10, 0, 6400020, 0, -10}));
  const OGRSpatialReference* srs = ds->GetSpatialRef();
  ASSERT_TRUE(srs);
  EXPECT_STREQ(srs->GetAuthorityName(nullptr), "EPSG");
  EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "3006");
  GDALRasterBand* b = ds->GetRasterBand(1);
  EXPECT_EQ(b->GetRasterDataType(), GDT_Float32);
  int has_nodata = 0;
  EXPECT_EQ(b->GetNoDataValue(&has_nodata), -9999);
  EXPECT_TRUE(has_nodata);
  int bx = 0, by = 0;
  b->GetBlockSize(&bx, &by);
  EXPECT_EQ(bx, 256);
  EXPECT_EQ(by, 256);
  EXPECT_STREQ(ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"), "DEFLATE");
  EXPECT_STREQ(ds->GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE"), "3");
  EXPECT_STREQ(ds->GetMetadataItem("TRYGG_METHOD"), "kde");
  EXPECT_STREQ(ds->GetMetadataItem("TRYGG_BANDWIDTH_M"), "200");
  std::vector<float> back(6);
  ASSERT_EQ(b->RasterIO(GF_Read, 0, 0, 3, 2, back.data(), 3, 2, GDT_Float32, 0, 0, nullptr), CE_None);
  EXPECT_EQ(back, cells);
  fs::remove_all(dir);
}

TEST(GeoTiffWriter, FeetCrsKeepsItsEpsgCode) {
  const fs::path dir = freshDir("feet");
  OGRSpatialReference srs;
  srs.importFromEPSG(2913);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  const std::string w = wkt;
  CPLFree(wkt);
  const std::vector<float> cells{1, 2, 3, 4};
  writeGeoTiffFloat32(dir / "p.tif", 2, 2, 7600000, 700000, 100, cells, -1, w, "", {});
  EXPECT_EQ(listing(dir), std::vector<std::string>{"p.tif"});
  std::unique_ptr<GDALDataset> ds(GDALDataset::Open((dir / "p.tif").c_str(), GDAL_OF_RASTER));
  ASSERT_TRUE(ds);
  EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "2913");
  EXPECT_NEAR(ds->GetSpatialRef()->GetLinearUnits(), 0.3048, 1e-9);
  fs::remove_all(dir);
}

TEST(GeoTiffWriter, FailureLeavesThePreviousFiles) {
  const fs::path dir = freshDir("atomic");
  const fs::path tif = dir / "grid.tif";
  const std::vector<float> cells{1, 2, 3, 4};
  writeGeoTiffFloat32(tif, 2, 2, 0, 20, 10, cells, -9999, "EPSG:3006", qmlKdeHeat(4, -9999), {});
  const std::string before_tif = slurp(tif);
  const std::string before_qml = slurp(dir / "grid.qml");
  EXPECT_THROW(writeGeoTiffFloat32(tif, 3, 2, 0, 20, 10, cells, -9999, "EPSG:3006", "", {}), trygg::UsageError);
  EXPECT_THROW(writeGeoTiffFloat32(tif, 2, 2, 0, 20, 10, cells, -9999, "no such crs", "", {}), trygg::UsageError);
  EXPECT_THROW(writeGeoTiffFloat32(tif, 2, 2, 0, 20, 0, cells, -9999, "EPSG:3006", "", {}), trygg::UsageError);
  EXPECT_EQ(slurp(tif), before_tif);
  EXPECT_EQ(slurp(dir / "grid.qml"), before_qml);
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"grid.qml", "grid.tif"}));
  fs::remove_all(dir);
}
