#pragma once
// What the report reads: the outputs of the last `trygg run` (the GeoPackage,
// its rasters and <output_name>_summary.json), never the inputs. Layers are
// read generically (every field as text or number, geometry as WKB) so the
// report adapts to added fields and reads old and new layer shapes alike.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace trygg::report {

struct Record {
  std::string wkb;                                          // empty: no geometry
  std::map<std::string, std::optional<std::string>> text;   // every field as text; nullopt = NULL
  std::map<std::string, double> num;                        // numeric fields (Integer, Real, Boolean as 0/1)

  bool has(const std::string& f) const { return text.count(f) > 0; }
  std::string str(const std::string& f) const;                 // "" for NULL or absent
  std::optional<double> real(const std::string& f) const;      // nullopt for NULL, absent or not a number
  std::optional<std::int64_t> integer(const std::string& f) const;
  std::optional<bool> flag(const std::string& f) const;        // Boolean, 0/1 or "true"/"false"
};

struct Table {
  std::string name;
  std::vector<std::string> fields;
  std::vector<Record> rows;
  bool exists = false;
};

struct BBox2 {
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  bool empty() const { return !(maxx > minx && maxy > miny); }
};
// The envelope of a WKB geometry (2D; Z/M ignored). Empty for an empty or bad geometry.
BBox2 wkbEnvelope(const std::string& wkb);

class RunOutputs {
 public:
  // Opens <output_dir>/<output_name>.gpkg and reads the summary (the JSON file,
  // else the GeoPackage's trygg_metadata table). Throws DataError "run `trygg
  // run` first" when there is no run yet.
  RunOutputs(const std::filesystem::path& output_dir, const std::string& output_name);
  ~RunOutputs();
  RunOutputs(const RunOutputs&) = delete;
  RunOutputs& operator=(const RunOutputs&) = delete;

  const nlohmann::json& summary() const { return m_summary; }
  const std::filesystem::path& gpkgPath() const { return m_gpkg; }
  const std::filesystem::path& outputDir() const { return m_dir; }
  // The layer, read once and cached; exists = false when the GeoPackage has no such layer.
  const Table& table(const std::string& layer);
  bool hasLayer(const std::string& layer);
  // A file written by the run (an analysis' "files" in the summary), found in the
  // output folder even when the folder was moved since.
  std::filesystem::path outputFile(const std::string& written) const;

 private:
  std::filesystem::path m_dir, m_gpkg;
  nlohmann::json m_summary;
  void* m_ds = nullptr;  // GDALDatasetH
  std::map<std::string, Table> m_cache;
};

}  // namespace trygg::report
