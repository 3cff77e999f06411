#pragma once
// A streaming CSV reader written for speed and for honest bookkeeping of bad rows.
//
// RFC 4180 (quoted fields, "" inside quotes, line breaks inside quotes) plus what
// real exports contain: CRLF or LF (or lone CR) line ends, a UTF-8 byte-order mark,
// the delimiter detected among , ; TAB | from the header line (or Excel's "sep=;"
// first line), and text in UTF-8
// or Windows-1252/Latin-1 (declared, or detected when the bytes are not valid UTF-8).
//
// The file is read in large blocks (4 MiB); fields are string_views into the block
// (or into a per-record scratch buffer for fields with "" escapes), valid until the
// next call of next(). Nothing is allocated per field.
//
// Bad rows are returned, never skipped, so the caller can count and reject them:
//  - FieldCount: the record has more or fewer fields than the header;
//  - BrokenQuote: text after a closing quote (`"ab"c,`), or a quote that is never
//    closed. A quoted field that spans line breaks but leaves the record with the
//    wrong number of fields (or with text after its closing quote) is also taken as
//    a broken quote: then only the first
//    physical line is the bad record and reading resumes at the next line, so one
//    stray quote costs one row, not the rest of the file.
// Blank lines are skipped (they hold no values) and are not counted as rows.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::data {

struct CsvOptions {
  char delimiter = 0;              // 0 = detect among , ; TAB |
  std::string encoding = "auto";   // auto, UTF-8, LATIN1 (ISO-8859-1), CP1252 (WINDOWS-1252)
  std::size_t block_size = 4u << 20;
};

struct CsvRecord {
  enum class Problem : std::uint8_t { None, FieldCount, BrokenQuote };
  std::int64_t row = 0;   // 1-based data row (the header is row 0)
  std::int64_t line = 0;  // 1-based physical line where the record starts (the header is line 1)
  std::vector<std::string_view> fields;
  std::string_view raw;   // the record's bytes without the line end
  Problem problem = Problem::None;
};

class CsvReader {
 public:
  enum class Encoding : std::uint8_t { Utf8, Latin1 };

  // Opens the file and reads the header. Throws DataError when the file cannot be
  // read or is empty (no header), UsageError for an unknown encoding name.
  CsvReader(const std::string& path, const CsvOptions& opts);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::vector<std::string>& header() const { return m_header; }  // UTF-8, trimmed
  int columnIndex(std::string_view name) const;  // case-insensitive; -1 when absent
  char delimiter() const { return m_delim; }
  Encoding encoding() const { return m_encoding; }
  // True when the encoding was not declared and the bytes were not UTF-8.
  bool encodingDetected() const { return m_detected; }

  // Next record; false at the end of the file.
  bool next(CsvRecord& rec);

  // A field as UTF-8 text (converted from Windows-1252 when the file is, or when
  // this field alone is not valid UTF-8 in an "auto" file; see lateLatin1Fields()).
  std::string toUtf8(std::string_view field) const;
  std::int64_t lateLatin1Fields() const { return m_late_latin1; }

  std::uint64_t bytesConsumed() const { return m_consumed + m_pos; }
  std::uint64_t fileSize() const { return m_size; }

 private:
  enum class Parse { Done, NeedMore };
  Parse parseRecord(CsvRecord& rec, std::size_t& end);
  bool fill();  // reads more bytes; false at EOF

  std::string m_path;
  std::FILE* m_file = nullptr;
  std::vector<char> m_buf;
  std::size_t m_pos = 0;       // start of unparsed data in m_buf
  std::size_t m_end = 0;       // end of valid data in m_buf
  std::uint64_t m_consumed = 0;  // bytes dropped from the front of m_buf so far
  std::uint64_t m_size = 0;
  bool m_eof = false;
  char m_delim = ',';
  Encoding m_encoding = Encoding::Utf8;
  bool m_auto = true;
  bool m_detected = false;
  std::vector<std::string> m_header;
  std::vector<std::string> m_header_folded;
  std::int64_t m_row = 0;
  std::int64_t m_line = 1;
  mutable std::int64_t m_late_latin1 = 0;
  // Per-record parse state (kept to avoid allocation).
  struct Span {
    std::size_t begin, len;
    bool escaped;
  };
  std::vector<Span> m_spans;
  bool m_stop[256] = {};  // bytes that end an unquoted field: delimiter, \n, \r
  std::string m_scratch;
};

}  // namespace trygg::data
