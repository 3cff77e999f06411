#include "data/geotiff_writer.hpp"

#include <cstdio>
#include <fstream>
#include <mutex>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include "core/error.hpp"
#include "data/atomic_file.hpp"

namespace trygg::data {
namespace fs = std::filesystem;

namespace {

std::string lastGdalError() {
  const char* msg = CPLGetLastErrorMsg();
  return (msg && *msg) ? msg : "no message from GDAL";
}

struct DatasetCloser {
  void operator()(GDALDataset* ds) const {
    if (ds) GDALClose(ds);
  }
};

}  // namespace

void writeTextFileAtomic(const fs::path& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.tempPath(), std::ios::binary);
    f << text;
    f.close();
    if (!f) throwDataError("cannot write '{}'; check free disk space and permissions", path.string());
  }
  out.commit();
}

void writeGeoTiffFloat32(const fs::path& path, int width, int height, double origin_x, double origin_y,
                         double cell, std::span<const float> rows_top_to_bottom, float nodata,
                         const std::string& crs_wkt, const std::string& qml,
                         const std::map<std::string, std::string>& metadata, const std::string& band_description,
                         const std::string& unit) {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
  if (width <= 0 || height <= 0)
    throwUsageError("GeoTIFF '{}': size {} x {} must be positive", path.string(), width, height);
  if (!(cell > 0)) throwUsageError("GeoTIFF '{}': cell size {} must be > 0", path.string(), cell);
  if (rows_top_to_bottom.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    throwUsageError("GeoTIFF '{}': {} values for {} x {} cells", path.string(), rows_top_to_bottom.size(), width,
                    height);

  OGRSpatialReference srs;
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  CPLErrorReset();
  if (crs_wkt.empty() || srs.SetFromUserInput(crs_wkt.c_str()) != OGRERR_NONE)
    throwUsageError("GeoTIFF '{}': the CRS is missing or not understood by GDAL ({})", path.string(),
                    lastGdalError());
  // Make sure the EPSG code is known so it lands in the GeoKeys
  // (ProjectedCSTypeGeoKey) rather than as a user-defined CRS.
  if (!srs.GetAuthorityCode(nullptr)) srs.AutoIdentifyEPSG();

  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!drv) throw Error("GDAL was built without the GTiff driver");

  AtomicOutput tif(path);
  {
    CPLStringList opts;
    opts.SetNameValue("TILED", "YES");
    opts.SetNameValue("BLOCKXSIZE", "256");
    opts.SetNameValue("BLOCKYSIZE", "256");
    opts.SetNameValue("COMPRESS", "DEFLATE");
    opts.SetNameValue("PREDICTOR", "3");
    opts.SetNameValue("BIGTIFF", "IF_SAFER");
    CPLErrorReset();
    std::unique_ptr<GDALDataset, DatasetCloser> ds(
        drv->Create(tif.tempPath().c_str(), width, height, 1, GDT_Float32, opts.List()));
    if (!ds) throwDataError("cannot create GeoTIFF '{}': {}", path.string(), lastGdalError());
    double gt[6] = {origin_x, cell, 0, origin_y, 0, -cell};
    ds->SetGeoTransform(gt);
    if (ds->SetSpatialRef(&srs) != CE_None)
      throwDataError("GeoTIFF '{}': cannot store the CRS: {}", path.string(), lastGdalError());
    for (const auto& [k, v] : metadata) ds->SetMetadataItem(k.c_str(), v.c_str());
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->SetNoDataValue(static_cast<double>(nodata));
    if (!band_description.empty()) band->SetDescription(band_description.c_str());
    if (!unit.empty()) band->SetUnitType(unit.c_str());
    band->SetColorInterpretation(GCI_Undefined);  // not "Gray": the values are a measure, not a picture
    if (band->RasterIO(GF_Write, 0, 0, width, height, const_cast<float*>(rows_top_to_bottom.data()), width, height,
                       GDT_Float32, 0, 0, nullptr) != CE_None)
      throwDataError("GeoTIFF '{}': writing the cells failed: {}", path.string(), lastGdalError());
    CPLErrorReset();
    GDALDataset* raw = ds.release();
    GDALClose(raw);
    if (CPLGetLastErrorType() >= CE_Failure)
      throwDataError("GeoTIFF '{}': closing failed: {}; check free disk space", path.string(), lastGdalError());
  }
  if (!qml.empty()) {
    fs::path qml_path = path;
    qml_path.replace_extension(".qml");
    writeTextFileAtomic(qml_path, qml);
  }
  tif.commit();
}

}  // namespace trygg::data
