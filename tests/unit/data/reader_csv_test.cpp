// CSV layers through the public reader API, on the fixtures in tests/data/ingest/.
// Every test checks the bookkeeping: read == loaded + rejected, the count per
// reason and the exact rejected row numbers.
#include <gmock/gmock.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "data/reader.hpp"

namespace trygg::data {
namespace {

using model::RejectReason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string fixture(const std::string& name) { return std::string(TRYGG_TEST_DATA_DIR) + "/ingest/" + name; }

LayerConfig csvLayer(model::LayerKind kind, const std::string& file) {
  LayerConfig cfg;
  cfg.kind = kind;
  cfg.name = "test_layer";
  cfg.source = fixture(file);
  cfg.crs = "EPSG:3006";
  return cfg;
}

ReadOptions sweref() {
  ReadOptions o;
  o.working_crs = "EPSG:3006";
  return o;
}

struct Incidents {
  std::vector<model::Incident> rows;
  std::vector<model::Rejected> rejected;
  model::LayerCounts counts;
  int batches = 0;
};

Incidents readAllIncidents(const LayerConfig& cfg, const ReadOptions& opts = sweref()) {
  Incidents out;
  out.counts = readIncidents(
      cfg, opts,
      [&](std::vector<model::Incident>& b) {
        ++out.batches;
        for (auto& i : b) out.rows.push_back(std::move(i));
      },
      [&](model::Rejected&& r) { out.rejected.push_back(std::move(r)); });
  return out;
}

std::vector<std::int64_t> rowsWith(const std::vector<model::Rejected>& rej, RejectReason r) {
  std::vector<std::int64_t> out;
  for (const auto& x : rej)
    if (x.reason == r) out.push_back(x.row);
  return out;
}

const model::Incident& byRow(const Incidents& in, std::int64_t row) {
  for (const auto& i : in.rows)
    if (i.row == row) return i;
  throw std::runtime_error("row not loaded: " + std::to_string(row));
}

const model::Rejected& rejectedRow(const std::vector<model::Rejected>& rej, std::int64_t row) {
  for (const auto& r : rej)
    if (r.row == row) return r;
  throw std::runtime_error("row not rejected: " + std::to_string(row));
}

void expectBalanced(const model::LayerCounts& c, std::size_t rejected_records) {
  EXPECT_EQ(c.read, c.loaded + c.rejected);
  EXPECT_TRUE(c.balanced());
  EXPECT_EQ(static_cast<std::size_t>(c.rejected), rejected_records);
  std::int64_t by_reason = 0;
  for (const auto& [k, n] : c.rejected_by_reason) by_reason += n;
  EXPECT_EQ(by_reason, c.rejected);
}

TEST(ReaderCsv, IncidentsBadRows) {
  auto in = readAllIncidents(csvLayer(model::LayerKind::Incidents, "incidents_bad_rows.csv"));
  EXPECT_EQ(in.counts.read, 16);
  EXPECT_EQ(in.counts.loaded, 7);
  EXPECT_EQ(in.counts.rejected, 9);
  expectBalanced(in.counts, in.rejected.size());
  EXPECT_EQ(in.rows.size(), 7u);
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadTime), ElementsAre(4, 16));
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadRow), ElementsAre(5, 6, 7, 15));
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadCoordinate), ElementsAre(9));
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::NoGeometry), ElementsAre(10));
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::DuplicateId), ElementsAre(13));
  EXPECT_EQ(in.counts.rejected_by_reason.at("bad_row"), 4);
  EXPECT_EQ(in.counts.rejected_by_reason.at("bad_time"), 2);
  EXPECT_EQ(in.counts.warnings.at("unmapped_category:Olaga hot"), 1);
  EXPECT_EQ(in.counts.warnings.at("empty_time"), 1);

  const auto& r4 = rejectedRow(in.rejected, 4);
  EXPECT_THAT(r4.message, HasSubstr("incidents_bad_rows.csv row 4"));
  EXPECT_THAT(r4.message, HasSubstr("time '2023-13-01' is not a date; use ISO 8601"));
  EXPECT_THAT(r4.message, HasSubstr("time_format"));
  EXPECT_EQ(r4.layer, model::LayerKind::Incidents);
  EXPECT_EQ(r4.layer_name, "test_layer");
  EXPECT_THAT(r4.source, HasSubstr("incidents_bad_rows.csv"));
  EXPECT_THAT(r4.raw_json, HasSubstr("\"time\":\"2023-13-01\""));
  EXPECT_THAT(rejectedRow(in.rejected, 13).message, HasSubstr("already used by row 1"));
  EXPECT_THAT(rejectedRow(in.rejected, 5).message, HasSubstr("has 5 fields but the header has 6"));
  EXPECT_THAT(rejectedRow(in.rejected, 7).message, HasSubstr("broken quote"));
  EXPECT_THAT(rejectedRow(in.rejected, 7).raw_json, HasSubstr("\"_raw\":\"7,674006"));
  EXPECT_THAT(rejectedRow(in.rejected, 9).message, HasSubstr("row 9 (line 11)"));

  const auto& i1 = byRow(in, 1);
  EXPECT_DOUBLE_EQ(i1.pt.x, 674000.5);
  EXPECT_DOUBLE_EQ(i1.pt.y, 6580000.25);
  EXPECT_EQ(i1.t_from, 1673631000);  // 2023-01-13 18:30 CET = 17:30Z
  EXPECT_EQ(i1.t_to, i1.t_from);
  EXPECT_EQ(i1.category, Category::Vandalism);
  EXPECT_EQ(i1.source_id, "1");
  EXPECT_EQ(i1.flags, 0u);
  EXPECT_EQ(byRow(in, 2).category, Category::Graffiti);  // Swedish label "Klotter"
  EXPECT_EQ(byRow(in, 2).t_from, 1673634600);           // 18:30Z as written
  EXPECT_EQ(byRow(in, 3).t_from, 1673564400);           // date only: local midnight
  EXPECT_EQ(byRow(in, 8).source_id, "8");
  EXPECT_EQ(byRow(in, 11).flags, model::kFlagNoTime);
  EXPECT_EQ(byRow(in, 11).t_from, kNoTime);
  EXPECT_EQ(byRow(in, 12).category, Category::Other);
  EXPECT_EQ(byRow(in, 12).source_category, "Olaga hot");
  EXPECT_EQ(byRow(in, 14).category, Category::Disorder);
}

TEST(ReaderCsv, StrictAndCategoryMapAndTimeFormat) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "incidents_bad_rows.csv");
  cfg.strict = true;
  auto strict = readAllIncidents(cfg);
  expectBalanced(strict.counts, strict.rejected.size());
  EXPECT_THAT(rowsWith(strict.rejected, RejectReason::UnknownCategory), ElementsAre(12));
  EXPECT_EQ(strict.counts.loaded, 6);
  const auto& r12 = rejectedRow(strict.rejected, 12);
  EXPECT_THAT(r12.message, HasSubstr("row 12"));
  EXPECT_THAT(r12.message, HasSubstr("'Olaga hot'"));
  EXPECT_THAT(r12.message, HasSubstr("categories"));
  EXPECT_EQ(strict.counts.warnings.count("unmapped_category:Olaga hot"), 0u);

  cfg.category_map["OLAGA HOT"] = Category::Violence;  // keys are case-insensitive
  cfg.time_format = "%d/%m/%Y";
  auto mapped = readAllIncidents(cfg);
  expectBalanced(mapped.counts, mapped.rejected.size());
  EXPECT_EQ(byRow(mapped, 12).category, Category::Violence);
  EXPECT_THAT(rowsWith(mapped.rejected, RejectReason::BadTime), ElementsAre(4));
  EXPECT_EQ(byRow(mapped, 16).t_from, 1673650800);  // 14/01/2023 local midnight = 2023-01-13T23:00Z
  EXPECT_EQ(mapped.counts.loaded, 8);
}

TEST(ReaderCsv, BatchesAndExtent) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "incidents_bad_rows.csv");
  auto opts = sweref();
  opts.batch_size = 3;
  auto in = readAllIncidents(cfg, opts);
  EXPECT_EQ(in.batches, 3);  // 7 incidents in batches of 3
  EXPECT_EQ(in.rows.size(), 7u);

  opts.extent = BBox{674000, 6580000, 674005, 6580005};
  auto ext = readAllIncidents(cfg, opts);
  expectBalanced(ext.counts, ext.rejected.size());
  // The extent is checked before values: row 16 (bad time) is outside first.
  EXPECT_THAT(rowsWith(ext.rejected, RejectReason::OutsideExtent), ElementsAre(8, 11, 12, 13, 14, 16));
  EXPECT_THAT(rowsWith(ext.rejected, RejectReason::BadTime), ElementsAre(4));
  EXPECT_EQ(ext.counts.loaded, 3);
  EXPECT_THAT(rejectedRow(ext.rejected, 8).message, HasSubstr("outside the study extent"));
}

TEST(ReaderCsv, Filter) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "incidents_bad_rows.csv");
  cfg.filter = "id <> '1' AND x >= 674010";
  auto in = readAllIncidents(cfg);
  expectBalanced(in.counts, in.rejected.size());
  // Malformed rows (5, 6, 7, 15) cannot be filtered and are always read.
  EXPECT_EQ(in.counts.read, 8);
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadRow), ElementsAre(5, 6, 7, 15));
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadTime), ElementsAre(16));
  EXPECT_EQ(in.counts.loaded, 3);

  cfg.filter = "category = 'theft'";
  auto theft = readAllIncidents(cfg);
  for (const auto& i : theft.rows) EXPECT_EQ(i.category, Category::Theft);

  cfg.filter = "x LIKE '67%'";
  try {
    readAllIncidents(cfg);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("supports only"));
  }
  cfg.filter = "nosuchcolumn = 'a'";
  EXPECT_THROW(readAllIncidents(cfg), UsageError);
}

TEST(ReaderCsv, SwedishSpreadsheetExport) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "swedish_excel.csv");
  cfg.columns["time"] = "tid";  // "kategori" is found by its Swedish name
  auto in = readAllIncidents(cfg);
  expectBalanced(in.counts, in.rejected.size());
  ASSERT_EQ(in.counts.loaded, 4);
  EXPECT_DOUBLE_EQ(byRow(in, 1).pt.x, 674000.5);
  EXPECT_DOUBLE_EQ(byRow(in, 1).pt.y, 6580000.25);
  EXPECT_DOUBLE_EQ(byRow(in, 3).pt.x, 674002.5);  // "674 002,5": space as thousands separator
  EXPECT_DOUBLE_EQ(byRow(in, 4).pt.y, 6580003.75);
  EXPECT_EQ(byRow(in, 1).category, Category::Vandalism);
  EXPECT_EQ(byRow(in, 1).source_category, "Skadegörelse");
  EXPECT_EQ(byRow(in, 3).category, Category::Theft);
  EXPECT_EQ(byRow(in, 4).category, Category::Littering);
  EXPECT_EQ(byRow(in, 1).t_from, 1673631000);

  cfg.decimal = '.';  // declared point decimals: the comma numbers are bad coordinates
  auto dot = readAllIncidents(cfg);
  expectBalanced(dot.counts, dot.rejected.size());
  EXPECT_THAT(rowsWith(dot.rejected, RejectReason::BadCoordinate), ElementsAre(1, 2, 3, 4));

  cfg.decimal = 0;
  cfg.delimiter = ',';  // wrong delimiter declared: one column, no coordinates
  try {
    readAllIncidents(cfg);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("swedish_excel.csv"));
  }
}

TEST(ReaderCsv, Latin1AndUtf8) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "latin1.csv");
  auto detected = readAllIncidents(cfg);
  expectBalanced(detected.counts, detected.rejected.size());
  ASSERT_EQ(detected.counts.loaded, 2);
  EXPECT_EQ(detected.counts.warnings.at("encoding_detected:windows-1252"), 1);
  EXPECT_EQ(byRow(detected, 1).source_category, "Skadegörelse");
  EXPECT_EQ(byRow(detected, 1).category, Category::Vandalism);
  EXPECT_EQ(byRow(detected, 2).category, Category::Theft);  // Stöld

  cfg.encoding = "LATIN1";
  auto declared = readAllIncidents(cfg);
  EXPECT_EQ(declared.counts.warnings.count("encoding_detected:windows-1252"), 0u);
  EXPECT_EQ(byRow(declared, 1).source_category, "Skadegörelse");

  auto utf8 = readAllIncidents(csvLayer(model::LayerKind::Incidents, "utf8.csv"));
  EXPECT_TRUE(utf8.counts.warnings.empty());
  EXPECT_EQ(byRow(utf8, 1).source_category, "Skadegörelse");
}

TEST(ReaderCsv, LatLonPoint) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "lonlat.csv");
  cfg.crs.clear();  // lon/lat columns mean WGS 84
  auto in = readAllIncidents(cfg);
  expectBalanced(in.counts, in.rejected.size());
  ASSERT_EQ(in.counts.loaded, 1);
  // `echo "18.0686 59.3293" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3006 -output_xy`
  //  -> 674571.866449145 6580743.00833094 (cs2cs with lat lon input agrees to 0.1 mm)
  EXPECT_NEAR(byRow(in, 1).pt.x, 674571.866449145, 1e-3);
  EXPECT_NEAR(byRow(in, 1).pt.y, 6580743.00833094, 1e-3);
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadCoordinate), ElementsAre(2));  // lat 95
}

TEST(ReaderCsv, MissingCrsIsAnError) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "points_nocrs.csv");
  cfg.crs.clear();
  try {
    readAllIncidents(cfg);
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("points_nocrs.csv"));
    EXPECT_THAT(e.what(), HasSubstr("crs: EPSG:"));
  }
}

TEST(ReaderCsv, EmptyFileAndHeaderOnly) {
  try {
    readAllIncidents(csvLayer(model::LayerKind::Incidents, "empty.csv"));
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("empty.csv"));
    EXPECT_THAT(e.what(), HasSubstr("empty"));
  }
  auto none = readAllIncidents(csvLayer(model::LayerKind::Incidents, "header_only.csv"));
  EXPECT_EQ(none.counts.read, 0);
  EXPECT_EQ(none.counts.loaded, 0);
  EXPECT_EQ(none.counts.warnings.at("no_rows"), 1);
}

TEST(ReaderCsv, TimeSpans) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "incidents_span.csv");
  cfg.columns["time_from"] = "from";
  cfg.columns["time_to"] = "to";
  auto in = readAllIncidents(cfg);
  expectBalanced(in.counts, in.rejected.size());
  EXPECT_EQ(in.counts.loaded, 5);
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::BadTime), ElementsAre(3, 7));
  EXPECT_THAT(rejectedRow(in.rejected, 3).message, HasSubstr("before time_from"));
  EXPECT_EQ(byRow(in, 1).t_from, 1673629200);  // 18:00 CET
  EXPECT_EQ(byRow(in, 1).t_to, 1673636400);    // 20:00 CET
  EXPECT_EQ(byRow(in, 1).flags, model::kFlagTimeSpan);
  EXPECT_EQ(byRow(in, 2).t_from, 1673564400);  // 2023-01-13 00:00 local
  EXPECT_EQ(byRow(in, 2).t_to, 1673737199);    // a date-only `to`: the end of 2023-01-14
  EXPECT_EQ(byRow(in, 4).flags, model::kFlagNoTime);
  EXPECT_EQ(byRow(in, 5).t_from, 1673564400);  // a date alone: the whole day
  EXPECT_EQ(byRow(in, 5).t_to, 1673650799);
  EXPECT_EQ(byRow(in, 5).flags, model::kFlagTimeSpan);
  EXPECT_EQ(byRow(in, 6).t_to, byRow(in, 6).t_from);
  EXPECT_EQ(byRow(in, 6).flags, 0u);
}

TEST(ReaderCsv, LowPrecisionFlag) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "utf8.csv");
  cfg.low_precision = true;
  auto in = readAllIncidents(cfg);
  for (const auto& i : in.rows) EXPECT_TRUE(i.flags & model::kFlagLowPrecision);
}

TEST(ReaderCsv, PerceptionWithoutCoordinatesJoinsById) {
  auto res = readPerception(csvLayer(model::LayerKind::Perception, "perception.csv"), sweref());
  expectBalanced(res.counts, res.rejected.size());
  EXPECT_EQ(res.counts.read, 6);
  EXPECT_EQ(res.counts.loaded, 4);
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::NoGeometry), ElementsAre(4));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::BadValue), ElementsAre(5));
  ASSERT_EQ(res.rows.size(), 4u);
  EXPECT_TRUE(res.rows[0].has_point);
  EXPECT_EQ(res.rows[0].kind, model::Perception::Kind::Pin);
  EXPECT_TRUE(std::isnan(res.rows[0].value));
  EXPECT_FALSE(res.rows[1].has_point);
  EXPECT_EQ(res.rows[1].place_id, "P7");
  EXPECT_EQ(res.rows[1].kind, model::Perception::Kind::Answer);
  EXPECT_EQ(res.rows[1].value, 4);
  EXPECT_FALSE(res.rows[2].has_point);
  EXPECT_EQ(res.rows[2].area_id, "A1");
  EXPECT_EQ(res.rows[2].kind, model::Perception::Kind::Answer);  // inferred from the value
  EXPECT_TRUE(res.rows[3].has_point);
  EXPECT_EQ(res.rows[3].pt.x, 674010);
  EXPECT_THAT(rejectedRow(res.rejected, 4).message, HasSubstr("neither coordinates nor a place_id or area_id"));
}

TEST(ReaderCsv, ObservationsColourScale) {
  auto cfg = csvLayer(model::LayerKind::Observations, "observations.csv");
  cfg.rating_scale = "colour";
  cfg.default_round = "baseline";
  auto res = readObservations(cfg, sweref());
  expectBalanced(res.counts, res.rejected.size());
  EXPECT_EQ(res.counts.loaded, 4);
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::BadValue), ElementsAre(4));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::MissingValue), ElementsAre(5));
  EXPECT_THAT(rejectedRow(res.rejected, 4).message, HasSubstr("rating 'blue'"));
  ASSERT_EQ(res.rows.size(), 4u);
  EXPECT_NEAR(res.rows[0].score, 20.0 / 6.0, 1e-12);
  EXPECT_EQ(res.rows[0].factor, "lighting");
  EXPECT_EQ(res.rows[0].round, "baseline");
  EXPECT_EQ(res.rows[0].note, "dark path");
  EXPECT_EQ(res.rows[0].time, 1673631000);
  EXPECT_EQ(res.rows[1].score, 10.0);
  EXPECT_EQ(res.rows[1].time, kNoTime);
  EXPECT_NEAR(res.rows[2].score, 100.0 / 6.0, 1e-12);
  EXPECT_EQ(res.rows[2].round, "followup");
  EXPECT_EQ(res.rows[3].round, "baseline");  // default_round
}

TEST(ReaderCsv, RatingScales) {
  EXPECT_EQ(*mapRating("1", "1-5", true), 0.0);
  EXPECT_EQ(*mapRating("3", "1-5", true), 10.0);
  EXPECT_EQ(*mapRating("5", "1-5", true), 20.0);
  EXPECT_EQ(*mapRating("5", "1-5", false), 0.0);
  EXPECT_EQ(*mapRating("2,5", "1-5", true), 7.5);
  EXPECT_FALSE(mapRating("6", "1-5", true));
  EXPECT_FALSE(mapRating("0", "1-5", true));
  EXPECT_NEAR(*mapRating("2", "0-3", true), 40.0 / 3.0, 1e-12);
  EXPECT_EQ(*mapRating("3", "0-3", true), 20.0);
  EXPECT_EQ(*mapRating("3", "0-3", false), 0.0);
  EXPECT_FALSE(mapRating("3.5", "0-3", true));
  EXPECT_EQ(*mapRating("12", "0-20", true), 12.0);
  EXPECT_FALSE(mapRating("21", "0-20", true));
  EXPECT_FALSE(mapRating("-1", "0-20", true));
  EXPECT_EQ(*mapRating("GRÖN", "colour", true), 100.0 / 6.0);
  EXPECT_EQ(*mapRating("Yellow", "colour", true), 10.0);
  EXPECT_THROW(mapRating("1", "1-10", true), UsageError);
}

TEST(ReaderCsv, AreasFromWktWithRepair) {
  auto cfg = csvLayer(model::LayerKind::Areas, "areas_wkt.csv");
  cfg.columns["id"] = "area_id";
  auto opts = sweref();
  opts.extent = BBox{673000, 6579000, 676000, 6582000};
  auto res = readAreas(cfg, opts);
  expectBalanced(res.counts, res.rejected.size());
  EXPECT_EQ(res.counts.read, 8);
  EXPECT_EQ(res.counts.loaded, 2);
  EXPECT_EQ(res.counts.repaired, 1);
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::WrongGeometryType), ElementsAre(3));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::NoGeometry), ElementsAre(4));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::InvalidGeometry), ElementsAre(5, 8));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::DuplicateId), ElementsAre(6));
  EXPECT_THAT(rowsWith(res.rejected, RejectReason::OutsideExtent), ElementsAre(7));
  ASSERT_EQ(res.rows.size(), 2u);
  EXPECT_EQ(res.rows[0].id, "A1");
  EXPECT_EQ(res.rows[0].name, "Centrum");
  EXPECT_FALSE(res.rows[0].repaired);
  EXPECT_EQ(res.rows[1].id, "A2");
  EXPECT_TRUE(res.rows[1].repaired);
  // The bow-tie becomes two triangles: a MultiPolygon (ISO WKB type 6, little endian).
  const auto& wkb = res.rows[1].geom.wkb;
  ASSERT_GE(wkb.size(), 5u);
  EXPECT_EQ(wkb[0], 1);
  std::uint32_t type = 0;
  std::memcpy(&type, wkb.data() + 1, 4);
  EXPECT_EQ(type, 6u);
  EXPECT_DOUBLE_EQ(res.rows[1].geom.bbox.minx, 674200);
  EXPECT_DOUBLE_EQ(res.rows[1].geom.bbox.maxy, 6580100);
  EXPECT_THAT(rejectedRow(res.rejected, 8).message, HasSubstr("MakeValid"));
}

TEST(ReaderCsv, ProbeCsv) {
  auto cfg = csvLayer(model::LayerKind::Incidents, "lonlat.csv");
  cfg.crs.clear();
  const auto info = probeLayer(cfg);
  EXPECT_TRUE(info.has_crs);
  EXPECT_EQ(info.crs_authid, "EPSG:4326");
  EXPECT_FALSE(info.crs_projected);
  const auto none = probeLayer([] {
    LayerConfig c;
    c.source = fixture("points_nocrs.csv");
    return c;
  }());
  EXPECT_FALSE(none.has_crs);
}

}  // namespace
}  // namespace trygg::data

namespace trygg::data {
namespace {

// Increasing integer ids take a fast path; ids that break the run (smaller,
// non-canonical like "007", or text) must still be checked against all earlier ids.
TEST(ReaderCsv, IncidentIdDuplicatesAcrossIdKinds) {
  const auto dir = std::filesystem::temp_directory_path() / ("trygg_reader_csv_ids_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "ids.csv").string();
  {
    std::ofstream f(path);
    f << "id,x,y\n";
    const char* ids[] = {"1", "2", "5", "3", "5", "7", "007", "abc", "2", "abc", "8", "7"};
    for (const char* id : ids) f << id << ",674000,6580000\n";
  }
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Incidents;
  cfg.source = path;
  cfg.crs = "EPSG:3006";
  auto in = readAllIncidents(cfg);
  expectBalanced(in.counts, in.rejected.size());
  // rows: 1:"1" 2:"2" 3:"5" 4:"3" 5:"5"dup(3) 6:"7" 7:"007" 8:"abc" 9:"2"dup(2) 10:"abc"dup(8) 11:"8" 12:"7"dup(6)
  EXPECT_THAT(rowsWith(in.rejected, RejectReason::DuplicateId), ElementsAre(5, 9, 10, 12));
  EXPECT_THAT(rejectedRow(in.rejected, 5).message, HasSubstr("already used by row 3"));
  EXPECT_THAT(rejectedRow(in.rejected, 9).message, HasSubstr("already used by row 2"));
  EXPECT_THAT(rejectedRow(in.rejected, 10).message, HasSubstr("already used by row 8"));
  EXPECT_THAT(rejectedRow(in.rejected, 12).message, HasSubstr("already used by row 6"));
  EXPECT_EQ(in.counts.loaded, 8);
}

}  // namespace
}  // namespace trygg::data

namespace trygg::data {
namespace {

TEST(ReaderCsv, PlaceRadiusInWorkingCrsUnits) {
  const auto dir = std::filesystem::temp_directory_path() / ("trygg_reader_csv_radius_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "places_nyc.csv").string();
  std::ofstream(path) << "id,lon,lat,radius\nTimes Square,-73.9855,40.7580,\nBryant Park,-73.9832,40.7536,30\n";
  LayerConfig cfg;
  cfg.kind = model::LayerKind::Places;
  cfg.source = path;
  ReadOptions feet;
  feet.working_crs = "EPSG:2263";  // NAD83 / New York Long Island (ftUS)
  auto res = readPlaces(cfg, feet);
  ASSERT_EQ(res.counts.loaded, 2);
  const double us_ft = 1200.0 / 3937.0;
  EXPECT_NEAR(res.rows[0].radius, 50.0 / us_ft, 1e-6);  // default 50 m
  EXPECT_NEAR(res.rows[1].radius, 30.0 / us_ft, 1e-6);  // a radius column holds metres
  EXPECT_EQ(res.rows[0].id, "Times Square");

  cfg.radius = 100;  // already converted by the engine: used as is
  auto set = readPlaces(cfg, feet);
  EXPECT_EQ(set.rows[0].radius, 100);
  EXPECT_NEAR(set.rows[1].radius, 30.0 / us_ft, 1e-6);
}

}  // namespace
}  // namespace trygg::data

// A police export with both an instant column and span columns: rows whose
// instant is empty use the span (not "no time").
TEST(ReaderCsvSpans, InstantOrSpanInOneFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("trygg-span-mixed_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "mixed.csv";
  {
    std::ofstream f(path);
    f << "id,time,time_from,time_to,category,x,y\n"
         "1,2024-03-01 10:00,,,Klotter,545000,6575000\n"
         "2,,2024-03-01 16:00,2024-03-04 08:00,Inbrott,545010,6575010\n"
         "3,,,,Klotter,545020,6575020\n";
  }
  trygg::data::LayerConfig cfg;
  cfg.name = "mixed";
  cfg.source = path.string();
  cfg.crs = "EPSG:3006";
  cfg.columns = {{"id", "id"}, {"time", "time"}, {"time_from", "time_from"}, {"time_to", "time_to"},
                 {"category", "category"}, {"x", "x"}, {"y", "y"}};
  trygg::data::ReadOptions ro;
  ro.working_crs = "EPSG:3006";
  std::vector<trygg::model::Incident> rows;
  const auto counts = trygg::data::readIncidents(
      cfg, ro, [&](std::vector<trygg::model::Incident>& b) { rows.insert(rows.end(), b.begin(), b.end()); }, {});
  ASSERT_EQ(counts.loaded, 3);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].t_from, rows[0].t_to);
  EXPECT_TRUE(rows[1].flags & trygg::model::kFlagTimeSpan);
  EXPECT_EQ(rows[1].t_to - rows[1].t_from, (2 * 24 + 16) * 3600);
  EXPECT_TRUE(rows[2].flags & trygg::model::kFlagNoTime);
  std::filesystem::remove_all(dir);
}
