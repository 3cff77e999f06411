#pragma once
// The bundled demo town "Ängsby" (fictional), written as ordinary input files
// (GeoPackage and CSV, SWEREF 99 TM / EPSG:3006) that demo/project.yaml points
// at. Deterministic: the same options give byte-identical files on the same
// build (own xoshiro256** generator and formatting; no std:: distributions,
// whose output differs between standard libraries). docs/demo.md documents
// every file, column, value and the planted patterns.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace trygg::engine {

struct DemoTownOptions {
  std::uint64_t seed = 20261122;
  // Total rows of incidents.csv, planted patterns and the coordinate stack
  // included (those are fixed: about 3,300 rows). At least 5,000.
  std::int64_t incidents = 20000;
};

struct DemoTownFiles {
  std::filesystem::path dir;
  std::filesystem::path areas;            // areas.gpkg, layer "areas"
  std::filesystem::path places;           // places.gpkg, layers "places" (points), "place_polygons"
  std::filesystem::path incidents;        // incidents.csv
  std::filesystem::path observations;     // observations.csv
  std::filesystem::path perception_pins;  // perception_pins.csv
  std::filesystem::path survey_answers;   // survey_answers.csv
  std::filesystem::path street_lights;    // street_lights.gpkg, layer "street_lights"
  std::filesystem::path vegetation;       // vegetation.gpkg, layer "vegetation"
  std::vector<std::filesystem::path> all() const;
};

// Writes every file into dir (created if needed), each to a temporary name
// first and then renamed, so an interrupted run leaves no half-written file.
// Throws UsageError for bad options, DataError when a file cannot be written.
DemoTownFiles generateDemoTown(const std::filesystem::path& dir, const DemoTownOptions& options = {});

}  // namespace trygg::engine
