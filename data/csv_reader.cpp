#include "data/csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/error.hpp"
#include "core/text.hpp"

namespace trygg::data {

namespace {

// A quoted field that runs over line breaks for more than this is taken as an
// unclosed quote (no real export puts a megabyte of text in one cell).
constexpr std::size_t kMaxQuotedSpan = 1u << 20;

std::string upperAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool allAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

}  // namespace

CsvReader::CsvReader(const std::string& path, const CsvOptions& opts) : m_path(path) {
  const std::string enc = upperAscii(text::trim(opts.encoding));
  if (enc.empty() || enc == "AUTO") {
    m_auto = true;
  } else if (enc == "UTF-8" || enc == "UTF8") {
    m_auto = false;
    m_encoding = Encoding::Utf8;
  } else if (enc == "LATIN1" || enc == "LATIN-1" || enc == "ISO-8859-1" || enc == "ISO8859-1" || enc == "CP1252" ||
             enc == "WINDOWS-1252" || enc == "ISO-8859-15") {
    m_auto = false;
    m_encoding = Encoding::Latin1;
  } else {
    throwUsageError("{}: encoding '{}' is not supported; use auto, UTF-8, LATIN1 or CP1252", path, opts.encoding);
  }
  if (opts.delimiter != 0 && (opts.delimiter == '"' || opts.delimiter == '\n' || opts.delimiter == '\r'))
    throwUsageError("{}: delimiter '{}' cannot be used; use , ; | or a tab", path, opts.delimiter);

  m_file = std::fopen(path.c_str(), "rb");
  if (m_file == nullptr) throwDataError("{}: cannot open the file ({}); check the layer's source path", path, std::strerror(errno));
  std::fseek(m_file, 0, SEEK_END);
  m_size = static_cast<std::uint64_t>(std::ftell(m_file));
  std::fseek(m_file, 0, SEEK_SET);
  m_buf.resize(std::max<std::size_t>(opts.block_size, 1024));
  fill();

  // UTF-16/UTF-32 (Excel's "Unicode text", PowerShell's default): a byte-order
  // mark FF FE / FE FF, or NUL bytes, which UTF-8 and Windows-1252 text never
  // holds. Said plainly instead of reading garbled column names.
  {
    const std::string_view head(m_buf.data() + m_pos, std::min<std::size_t>(m_end - m_pos, 4096));
    const bool bom16 = head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') ||
                                            (head[0] == '\xFE' && head[1] == '\xFF'));
    if (bom16 || head.find('\0') != std::string_view::npos) {
      std::fclose(m_file);
      m_file = nullptr;
      throwDataError("{}: the file is {} (it holds {}); trygg reads CSV as UTF-8 or Windows-1252: save it as "
                     "\"CSV UTF-8\" (Excel: Save As > CSV UTF-8; iconv -f UTF-16 -t UTF-8)",
                     path, bom16 ? "UTF-16 encoded" : "not text or is UTF-16/UTF-32 encoded",
                     bom16 ? "a UTF-16 byte-order mark" : "NUL bytes");
    }
  }
  // Byte-order mark.
  if (m_end - m_pos >= 3 && std::memcmp(m_buf.data() + m_pos, "\xEF\xBB\xBF", 3) == 0) m_pos += 3;
  // Blank leading lines carry nothing.
  while (m_pos < m_end && (m_buf[m_pos] == '\n' || m_buf[m_pos] == '\r' || m_buf[m_pos] == ' ')) {
    if (m_buf[m_pos] == '\n') ++m_line;
    ++m_pos;
  }
  if (m_pos >= m_end)
    throwDataError("{}: the file is empty; a CSV layer needs a header row with the column names and one row per record",
                   path);

  const std::string_view block(m_buf.data() + m_pos, m_end - m_pos);
  // Encoding: judge by the whole first block, cut at its last line end so that a
  // multi-byte character split by the block boundary is not taken as invalid.
  if (m_auto) {
    std::string_view sniff = block;
    if (!m_eof) {
      const auto nl = sniff.rfind('\n');
      if (nl != std::string_view::npos) sniff = sniff.substr(0, nl);
    }
    if (!text::isValidUtf8(sniff)) {
      m_encoding = Encoding::Latin1;
      m_detected = true;
    }
  }

  // Excel's "sep=;" first line declares the delimiter; it is not the header.
  char excel_sep = 0;
  if (m_end - m_pos >= 5 && std::memcmp(m_buf.data() + m_pos, "sep=", 4) == 0 &&
      (m_end - m_pos == 5 || m_buf[m_pos + 5] == '\n' || m_buf[m_pos + 5] == '\r')) {
    excel_sep = m_buf[m_pos + 4];
    m_pos += 5;
    while (m_pos < m_end && (m_buf[m_pos] == '\n' || m_buf[m_pos] == '\r')) {
      if (m_buf[m_pos] == '\n') ++m_line;
      ++m_pos;
    }
  }
  const std::string_view first(m_buf.data() + m_pos, m_end - m_pos);

  // Delimiter: the candidate that occurs most often in the header line outside quotes.
  if (opts.delimiter != 0) {
    m_delim = opts.delimiter;
  } else if (excel_sep != 0) {
    m_delim = excel_sep;
  } else {
    static constexpr char kCandidates[] = {',', ';', '\t', '|'};
    std::size_t counts[4] = {0, 0, 0, 0};
    bool in_quotes = false;
    for (char c : first) {
      if (c == '"') in_quotes = !in_quotes;
      if (in_quotes) continue;
      if (c == '\n' || c == '\r') break;
      for (int k = 0; k < 4; ++k)
        if (c == kCandidates[k]) ++counts[k];
    }
    int best = 0;
    for (int k = 1; k < 4; ++k)
      if (counts[k] > counts[best]) best = k;
    m_delim = kCandidates[best];
  }

  m_stop[static_cast<unsigned char>(m_delim)] = true;
  m_stop[static_cast<unsigned char>('\n')] = true;
  m_stop[static_cast<unsigned char>('\r')] = true;

  // Header.
  CsvRecord hdr;
  for (;;) {
    std::size_t end = 0;
    if (parseRecord(hdr, end) == Parse::NeedMore) {
      fill();
      continue;
    }
    m_pos = end;
    break;
  }
  if (hdr.problem == CsvRecord::Problem::BrokenQuote)
    throwDataError("{}: the header row has a broken quote; fix the quoting of the column names", path);
  for (auto f : hdr.fields) {
    m_header.push_back(toUtf8(text::trim(f)));
    m_header_folded.push_back(text::foldCase(m_header.back()));
  }
}

CsvReader::~CsvReader() {
  if (m_file != nullptr) std::fclose(m_file);
}

int CsvReader::columnIndex(std::string_view name) const {
  const std::string key = text::foldCase(text::trim(name));
  for (std::size_t i = 0; i < m_header_folded.size(); ++i)
    if (m_header_folded[i] == key) return static_cast<int>(i);
  return -1;
}

bool CsvReader::fill() {
  if (m_eof) return false;
  // Keep the unparsed tail, drop what is consumed.
  if (m_pos > 0) {
    std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
    m_end -= m_pos;
    m_consumed += m_pos;
    m_pos = 0;
  }
  if (m_end == m_buf.size()) m_buf.resize(m_buf.size() * 2);  // one record larger than a block
  const std::size_t got = std::fread(m_buf.data() + m_end, 1, m_buf.size() - m_end, m_file);
  if (got == 0) {
    if (std::ferror(m_file)) throwDataError("{}: read error after {} bytes; check the file", m_path, m_consumed + m_end);
    m_eof = true;
    return false;
  }
  m_end += got;
  return true;
}

CsvReader::Parse CsvReader::parseRecord(CsvRecord& rec, std::size_t& end) {
  const char* b = m_buf.data();
  const std::size_t n = m_end;
  const char delim = m_delim;
  std::size_t i = m_pos;
  m_spans.clear();
  bool quoted_newline = false;
  bool after_quote_text = false;
  bool unclosed = false;
  std::int64_t inner_lines = 0;

  for (;;) {
    if (i >= n || b[i] != '"') {
      // Unquoted field: the hot path. SSE2 finds the next delimiter or line end 16
      // bytes at a time, so there is no data-dependent branch per byte.
      std::size_t j = i;
#if defined(__SSE2__)
      const __m128i vd = _mm_set1_epi8(delim);
      const __m128i vn = _mm_set1_epi8('\n');
      const __m128i vr = _mm_set1_epi8('\r');
      bool hit = false;
      while (j + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + j));
        const int mask = _mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vn)), _mm_cmpeq_epi8(v, vr)));
        if (mask != 0) {
          j += static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
          hit = true;
          break;
        }
        j += 16;
      }
      if (!hit)
#endif
      {
        const bool* stop = m_stop;
        while (j < n && !stop[static_cast<unsigned char>(b[j])]) ++j;
      }
      if (j >= n && !m_eof) return Parse::NeedMore;
      m_spans.push_back(Span{i, j - i, false});
      i = j;
    } else {
      Span span{i, 0, false};
      std::size_t j = i + 1;
      bool esc = false;
      bool closed = false;
      while (!closed) {
        const void* q = std::memchr(b + j, '"', n - j);
        if (q == nullptr) {
          const bool has_nl = std::memchr(b + i, '\n', n - i) != nullptr;
          if (!m_eof && !(has_nl && n - m_pos > kMaxQuotedSpan)) return Parse::NeedMore;
          unclosed = true;
          break;
        }
        const std::size_t k = static_cast<std::size_t>(static_cast<const char*>(q) - b);
        if (k + 1 >= n && !m_eof) return Parse::NeedMore;  // is it "" or the closing quote?
        if (k + 1 < n && b[k + 1] == '"') {
          esc = true;
          j = k + 2;
          continue;
        }
        const auto nl = std::count(b + i + 1, b + k, '\n');
        if (nl > 0) {
          quoted_newline = true;
          inner_lines += nl;
        }
        span = Span{i + 1, k - i - 1, esc};
        i = k + 1;
        closed = true;
      }
      if (unclosed) break;
      if (i < n && b[i] != delim && b[i] != '\n' && b[i] != '\r') {
        after_quote_text = true;
        while (i < n && b[i] != delim && b[i] != '\n' && b[i] != '\r') ++i;
        if (i >= n && !m_eof) return Parse::NeedMore;
        span.len = i - span.begin;  // keep the stray text visible in the field
        span.escaped = false;
      }
      m_spans.push_back(span);
    }
    if (i < n && b[i] == delim) {
      ++i;
      continue;
    }
    // End of the record.
    const std::size_t rec_end = i;
    if (i < n && b[i] == '\r') {
      ++i;
      if (i < n && b[i] == '\n') ++i;
      else if (i >= n && !m_eof) return Parse::NeedMore;
    } else if (i < n && b[i] == '\n') {
      ++i;
    }
    end = i;
    rec.raw = std::string_view(b + m_pos, rec_end - m_pos);
    break;
  }

  rec.problem = CsvRecord::Problem::None;
  rec.line = m_line;
  const bool wrong_count = !m_header.empty() && m_spans.size() != m_header.size();
  if (unclosed || (quoted_newline && (wrong_count || after_quote_text))) {
    // A stray quote: the bad record is the first physical line only; resume after it.
    const void* nl = std::memchr(b + m_pos, '\n', n - m_pos);
    std::size_t line_end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - b) : n;
    end = nl ? line_end + 1 : n;
    if (line_end > m_pos && b[line_end - 1] == '\r') --line_end;
    rec.raw = std::string_view(b + m_pos, line_end - m_pos);
    rec.fields.clear();
    rec.problem = CsvRecord::Problem::BrokenQuote;
    m_line += 1;
    return Parse::Done;
  }
  m_line += 1 + inner_lines;

  // Resolve the fields; "" escapes are undone into the scratch buffer.
  std::size_t need = 0;
  for (const auto& s : m_spans)
    if (s.escaped) need += s.len;
  if (need > 0 && m_scratch.size() < need) m_scratch.resize(need);
  std::size_t out = 0;
  rec.fields.clear();
  for (const auto& s : m_spans) {
    if (!s.escaped) {
      rec.fields.emplace_back(b + s.begin, s.len);
      continue;
    }
    const std::size_t start = out;
    for (std::size_t k = s.begin; k < s.begin + s.len; ++k) {
      m_scratch[out++] = b[k];
      if (b[k] == '"') ++k;  // "" -> "
    }
    rec.fields.emplace_back(m_scratch.data() + start, out - start);
  }
  if (after_quote_text) rec.problem = CsvRecord::Problem::BrokenQuote;
  else if (wrong_count) rec.problem = CsvRecord::Problem::FieldCount;
  return Parse::Done;
}

bool CsvReader::next(CsvRecord& rec) {
  for (;;) {
    if (m_pos >= m_end) {
      if (m_eof) return false;
      fill();
      continue;
    }
    std::size_t end = 0;
    if (parseRecord(rec, end) == Parse::NeedMore) {
      fill();
      continue;
    }
    m_pos = end;
    // A blank line (nothing but a line end, or spaces) holds no values.
    if (rec.problem != CsvRecord::Problem::BrokenQuote && rec.fields.size() <= 1 &&
        text::trim(rec.raw).empty()) {
      continue;
    }
    rec.row = ++m_row;
    return true;
  }
}

std::string CsvReader::toUtf8(std::string_view field) const {
  if (m_encoding == Encoding::Latin1) return text::latin1ToUtf8(field);
  if (allAscii(field) || text::isValidUtf8(field)) return std::string(field);
  // Not UTF-8 although the file looked like it (or was declared so): the bytes are
  // almost surely Windows-1252; convert so that stored text is valid UTF-8.
  ++m_late_latin1;
  return text::latin1ToUtf8(field);
}

}  // namespace trygg::data
