#include "data/csv_reader.hpp"

#include <gmock/gmock.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace trygg::data {
namespace {

std::string fixture(const std::string& name) { return std::string(TRYGG_TEST_DATA_DIR) + "/ingest/" + name; }

std::string writeTemp(const std::string& name, const std::string& bytes) {
  const auto dir = std::filesystem::temp_directory_path() / ("trygg_csv_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct Row {
  std::int64_t row, line;
  std::vector<std::string> fields;
  CsvRecord::Problem problem;
};

std::vector<Row> readAll(const std::string& path, CsvOptions opts = {}) {
  CsvReader r(path, opts);
  std::vector<Row> out;
  CsvRecord rec;
  while (r.next(rec)) {
    Row row{rec.row, rec.line, {}, rec.problem};
    for (auto f : rec.fields) row.fields.emplace_back(f);
    out.push_back(std::move(row));
  }
  return out;
}

TEST(CsvReader, BadRowsFixture) {
  const auto rows = readAll(fixture("incidents_bad_rows.csv"));
  ASSERT_EQ(rows.size(), 16u);  // the blank line is not a row
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].row, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(rows[2].fields[5], "a note, with comma");
  EXPECT_EQ(rows[4].problem, CsvRecord::Problem::FieldCount);  // row 5: 5 fields
  EXPECT_EQ(rows[5].problem, CsvRecord::Problem::FieldCount);  // row 6: 7 fields
  EXPECT_EQ(rows[6].problem, CsvRecord::Problem::BrokenQuote);  // row 7: unclosed quote, one line lost only
  EXPECT_EQ(rows[7].problem, CsvRecord::Problem::None);         // row 8: quoted line break and "" escapes
  ASSERT_EQ(rows[7].fields.size(), 6u);
  EXPECT_EQ(rows[7].fields[0], "8");
  EXPECT_EQ(rows[7].fields[5], "multi\nline \"note\"");
  EXPECT_EQ(rows[7].line, 9);
  EXPECT_EQ(rows[8].line, 11);  // row 9 follows the two-line row 8
  EXPECT_EQ(rows[14].problem, CsvRecord::Problem::BrokenQuote);  // row 15: text after closing quote
  EXPECT_EQ(rows[15].fields[0], "16");
  EXPECT_EQ(rows[15].line, 19);  // after the blank line 18
  int problems = 0;
  for (const auto& r : rows) problems += r.problem != CsvRecord::Problem::None;
  EXPECT_EQ(problems, 4);
}

TEST(CsvReader, TinyBlocksGiveTheSameRecords) {
  // Every record boundary, quote and CRLF falls across a block edge somewhere.
  for (const char* name : {"incidents_bad_rows.csv", "swedish_excel.csv", "latin1.csv"}) {
    SCOPED_TRACE(name);
    const auto big = readAll(fixture(name));
    for (std::size_t block : {7u, 16u, 33u}) {
      CsvOptions o;
      o.block_size = block;
      const auto small = readAll(fixture(name), o);
      ASSERT_EQ(small.size(), big.size());
      for (std::size_t i = 0; i < big.size(); ++i) {
        EXPECT_EQ(small[i].fields, big[i].fields) << "row " << i + 1 << " block " << block;
        EXPECT_EQ(small[i].problem, big[i].problem);
        EXPECT_EQ(small[i].line, big[i].line);
      }
    }
  }
}

TEST(CsvReader, SwedishExcelExport) {
  CsvReader r(fixture("swedish_excel.csv"), {});
  EXPECT_EQ(r.delimiter(), ';');
  EXPECT_EQ(r.encoding(), CsvReader::Encoding::Utf8);
  EXPECT_THAT(r.header(), ::testing::ElementsAre("id", "x", "y", "tid", "kategori"));  // BOM removed
  CsvRecord rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.fields[1], "674000,5");
  EXPECT_EQ(rec.fields[4], "Skadegörelse");  // no \r left over from CRLF
  ASSERT_TRUE(r.next(rec));
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(rec.fields[1], "674 002,5");
  ASSERT_TRUE(r.next(rec));
  EXPECT_FALSE(r.next(rec));
}

TEST(CsvReader, Latin1DetectedAndConverted) {
  CsvReader r(fixture("latin1.csv"), {});
  EXPECT_EQ(r.encoding(), CsvReader::Encoding::Latin1);
  EXPECT_TRUE(r.encodingDetected());
  CsvRecord rec;
  ASSERT_TRUE(r.next(rec));
  EXPECT_EQ(r.toUtf8(rec.fields[4]), "Skadegörelse");
  EXPECT_EQ(r.toUtf8(rec.fields[5]), "Åby ängar");

  CsvReader declared(fixture("latin1.csv"), {0, "LATIN1"});
  EXPECT_FALSE(declared.encodingDetected());
  EXPECT_EQ(declared.encoding(), CsvReader::Encoding::Latin1);

  CsvReader utf8(fixture("utf8.csv"), {});
  EXPECT_EQ(utf8.encoding(), CsvReader::Encoding::Utf8);
  EXPECT_FALSE(utf8.encodingDetected());
  ASSERT_TRUE(utf8.next(rec));
  EXPECT_EQ(utf8.toUtf8(rec.fields[5]), "Åby ängar");
}

TEST(CsvReader, DelimiterDetection) {
  EXPECT_EQ(CsvReader(writeTemp("tab.csv", "a\tb\tc\n1\t2\t3\n"), {}).delimiter(), '\t');
  EXPECT_EQ(CsvReader(writeTemp("pipe.csv", "a|b|c\n1|2|3\n"), {}).delimiter(), '|');
  EXPECT_EQ(CsvReader(writeTemp("comma.csv", "\"a;b\",c\n1,2\n"), {}).delimiter(), ',');  // ; inside quotes
  EXPECT_EQ(CsvReader(writeTemp("single.csv", "a\n1\n"), {}).delimiter(), ',');
  // Excel's "sep=" line names the delimiter and is not the header.
  CsvReader excel(writeTemp("excel_sep.csv", "sep=;\r\na;b,c\r\n1;2,5\r\n"), {});
  EXPECT_EQ(excel.delimiter(), ';');
  EXPECT_THAT(excel.header(), ::testing::ElementsAre("a", "b,c"));
  CsvRecord rec;
  ASSERT_TRUE(excel.next(rec));
  EXPECT_EQ(rec.row, 1);
  EXPECT_EQ(rec.line, 3);
  // Declared delimiter wins over detection.
  EXPECT_EQ(CsvReader(writeTemp("declared.csv", "a;b,c\n"), {','}).delimiter(), ',');
}

TEST(CsvReader, LineEndsAndLastLine) {
  const auto rows = readAll(writeTemp("cr.csv", "a,b\r1,2\r3,4"));  // old Mac CR, no final newline
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields[1], "4");
  const auto quoted = readAll(writeTemp("q.csv", "a,b\n\"x\",\"\"\n"));
  ASSERT_EQ(quoted.size(), 1u);
  EXPECT_EQ(quoted[0].fields[1], "");
  EXPECT_EQ(quoted[0].problem, CsvRecord::Problem::None);
}

TEST(CsvReader, UnclosedQuoteAtEndOfFileCostsOneRow) {
  const auto rows = readAll(writeTemp("unclosed.csv", "a,b\n1,\"open\n2,3\n4,5\n"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].problem, CsvRecord::Problem::BrokenQuote);
  EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(rows[2].row, 3);
}

TEST(CsvReader, EmptyFileIsAnError) {
  try {
    CsvReader r(fixture("empty.csv"), {});
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("empty.csv"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("header"));
  }
  EXPECT_THROW(CsvReader(fixture("does_not_exist.csv"), {}), DataError);
  EXPECT_THROW(CsvReader(fixture("utf8.csv"), {0, "EBCDIC"}), UsageError);
}

TEST(CsvReader, HeaderOnlyHasNoRows) {
  CsvReader r(fixture("header_only.csv"), {});
  EXPECT_EQ(r.header().size(), 5u);
  CsvRecord rec;
  EXPECT_FALSE(r.next(rec));
}

}  // namespace
}  // namespace trygg::data
