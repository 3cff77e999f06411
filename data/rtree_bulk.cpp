#include "data/rtree_bulk.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/error.hpp"

namespace trygg::data {

namespace {

// A prepared statement that throws on error (internal: the tables are ours).
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : m_db(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_s, nullptr) != SQLITE_OK)
      throw Error(fmt::format("R*Tree bulk load: cannot prepare '{}': {}", sql, sqlite3_errmsg(db)));
  }
  ~Stmt() { sqlite3_finalize(m_s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(m_s, i, v);
    return *this;
  }
  Stmt& blob(int i, const std::vector<std::uint8_t>& b) {
    sqlite3_bind_blob(m_s, i, b.data(), static_cast<int>(b.size()), SQLITE_STATIC);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(m_s);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) throw Error(fmt::format("R*Tree bulk load: {}", sqlite3_errmsg(m_db)));
    return false;
  }
  void run() {
    step();
    sqlite3_reset(m_s);
  }
  sqlite3_stmt* get() const { return m_s; }

 private:
  sqlite3* m_db;
  sqlite3_stmt* m_s = nullptr;
};

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(fmt::format("R*Tree bulk load: '{}' failed: {}", sql.substr(0, 200), m));
  }
}

float down(double d) {
  float f = static_cast<float>(d);
  if (static_cast<double>(f) > d) f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}
float up(double d) {
  float f = static_cast<float>(d);
  if (static_cast<double>(f) < d) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

// Hamilton's iterative form in a 2^16 × 2^16 grid.
std::uint32_t hilbert(std::uint32_t x, std::uint32_t y) {
  std::uint32_t d = 0;
  for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
    const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      std::swap(x, y);
    }
  }
  return d;
}

void put64(std::uint8_t* o, std::int64_t v) {
  const auto u = __builtin_bswap64(static_cast<std::uint64_t>(v));
  std::memcpy(o, &u, 8);
}
void putF(std::uint8_t* o, float v) {
  const auto u = __builtin_bswap32(std::bit_cast<std::uint32_t>(v));
  std::memcpy(o, &u, 4);
}

constexpr std::size_t kCell = 24;  // 8-byte id + 4 float32 (2-D)

// Writes the nodes of one tree, bottom-up, numbering them top-down (the root
// must be node 1), in the format of SQLite's rtree.c: a node is a big-endian
// blob of depth (2 bytes, root only), cell count (2 bytes) and its cells.
class NodeWriter {
 public:
  NodeWriter(sqlite3* db, const std::string& name, std::size_t node_size, std::size_t fanout)
      : m_blob(node_size),
        m_node(db, fmt::format("INSERT INTO \"{}_node\"(nodeno, data) VALUES (?, ?)", name)),
        m_parent(db, fmt::format("INSERT INTO \"{}_parent\"(nodeno, parentnode) VALUES (?, ?)", name)),
        m_fanout(fanout) {}

  template <class CellFn>
  RtreeBox write(std::int64_t nodeno, std::uint16_t depth, std::size_t ncells, CellFn&& cell) {
    std::fill(m_blob.begin(), m_blob.end(), 0);
    const std::uint16_t d = nodeno == 1 ? depth : 0;
    m_blob[0] = static_cast<std::uint8_t>(d >> 8);
    m_blob[1] = static_cast<std::uint8_t>(d & 0xff);
    m_blob[2] = static_cast<std::uint8_t>(ncells >> 8);
    m_blob[3] = static_cast<std::uint8_t>(ncells & 0xff);
    constexpr float kInf = std::numeric_limits<float>::infinity();
    RtreeBox nb{kInf, -kInf, kInf, -kInf};
    for (std::size_t c = 0; c < ncells; ++c) {
      std::int64_t id;
      RtreeBox b;
      cell(c, id, b);
      std::uint8_t* o = m_blob.data() + 4 + c * kCell;
      put64(o, id);
      putF(o + 8, b.x0);
      putF(o + 12, b.x1);
      putF(o + 16, b.y0);
      putF(o + 20, b.y1);
      nb = {std::min(nb.x0, b.x0), std::max(nb.x1, b.x1), std::min(nb.y0, b.y0), std::max(nb.y1, b.y1)};
    }
    m_node.bind(1, nodeno).blob(2, m_blob);
    m_node.run();
    return nb;
  }
  void parent(std::int64_t child, std::int64_t parent) {
    m_parent.bind(1, child).bind(2, parent);
    m_parent.run();
  }
  std::size_t fanout() const { return m_fanout; }

 private:
  std::vector<std::uint8_t> m_blob;
  Stmt m_node, m_parent;
  std::size_t m_fanout;
};

std::int64_t scalarInt(sqlite3* db, const std::string& sql) {
  Stmt s(db, sql);
  return s.step() ? sqlite3_column_int64(s.get(), 0) : 0;
}

}  // namespace

RtreeBox outwardBox(double minx, double maxx, double miny, double maxy) {
  return {down(minx), up(maxx), down(miny), up(maxy)};
}

std::uint32_t hilbertKey(double x, double y, const BBox& ext) {
  const double sx = ext.width() > 0 ? 65535.0 / ext.width() : 0, sy = ext.height() > 0 ? 65535.0 / ext.height() : 0;
  const double gx = std::clamp((x - ext.minx) * sx, 0.0, 65535.0), gy = std::clamp((y - ext.miny) * sy, 0.0, 65535.0);
  return hilbert(static_cast<std::uint32_t>(gx), static_cast<std::uint32_t>(gy));
}

void sortHilbert(std::vector<RtreeEntry>& entries) {
  BBox ext;
  auto centre = [](const RtreeBox& b) {
    return Point{0.5 * (static_cast<double>(b.x0) + b.x1), 0.5 * (static_cast<double>(b.y0) + b.y1)};
  };
  for (const auto& e : entries) ext.expand(centre(e.box));
  for (auto& e : entries) {
    const Point c = centre(e.box);
    e.key = hilbertKey(c.x, c.y, ext);
  }
  std::sort(entries.begin(), entries.end(),
            [](const RtreeEntry& a, const RtreeEntry& b) { return a.key != b.key ? a.key < b.key : a.id < b.id; });
}

void bulkLoadRtree(sqlite3* db, const std::string& name, const std::vector<RtreeEntry>& entries) {
  bulkLoadRtree(db, name, entries.size(), [&](std::size_t i, std::int64_t& id, RtreeBox& box) {
    id = entries[i].id;
    box = entries[i].box;
  });
}

namespace detail {

void bulkLoadRtreeImpl(sqlite3* db, const std::string& name, std::size_t n,
                       void (*entry)(const void* ctx, std::size_t i, std::int64_t& id, RtreeBox& box),
                       const void* ctx) {
  // The node size SQLite uses for an existing R*Tree is the root blob's length.
  const auto node_size =
      static_cast<std::size_t>(scalarInt(db, fmt::format("SELECT length(data) FROM \"{}_node\" WHERE nodeno = 1", name)));
  if (node_size < 4 + 2 * kCell) throw Error(fmt::format("R*Tree {}: unexpected node size {}", name, node_size));
  if (n == 0) return;
  const std::size_t fanout = std::min<std::size_t>(51, (node_size - 4) / kCell);  // RTREE_MAXCELLS = 51
  exec(db, fmt::format("DELETE FROM \"{0}_node\"; DELETE FROM \"{0}_rowid\"; DELETE FROM \"{0}_parent\"", name));

  // Level sizes bottom-up; node numbers top-down.
  std::vector<std::size_t> sizes{(n + fanout - 1) / fanout};
  while (sizes.back() > 1) sizes.push_back((sizes.back() + fanout - 1) / fanout);
  std::vector<std::int64_t> first(sizes.size());
  first.back() = 1;
  for (std::size_t l = sizes.size() - 1; l-- > 0;) first[l] = first[l + 1] + static_cast<std::int64_t>(sizes[l + 1]);
  const auto depth = static_cast<std::uint16_t>(sizes.size() - 1);

  NodeWriter w(db, name, node_size, fanout);
  // Leaves; the id -> leaf map is indexed by id for %_rowid (written in id order).
  std::vector<std::uint32_t> leaf_of;
  std::vector<RtreeBox> boxes(sizes[0]);
  for (std::size_t i = 0; i < sizes[0]; ++i) {
    const std::size_t b = i * fanout, m = std::min(fanout, n - b);
    const std::int64_t nodeno = first[0] + static_cast<std::int64_t>(i);
    boxes[i] = w.write(nodeno, depth, m, [&](std::size_t c, std::int64_t& id, RtreeBox& bx) {
      entry(ctx, b + c, id, bx);
      if (id <= 0) throw Error(fmt::format("R*Tree {}: id {} is not positive", name, id));
      const auto k = static_cast<std::size_t>(id);
      if (k >= leaf_of.size()) leaf_of.resize(std::max(k + 1, leaf_of.size() * 3 / 2), 0);
      if (leaf_of[k] != 0) throw Error(fmt::format("R*Tree {}: id {} given twice", name, id));
      leaf_of[k] = static_cast<std::uint32_t>(nodeno);
    });
  }
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    std::vector<RtreeBox> next(sizes[l]);
    for (std::size_t i = 0; i < sizes[l]; ++i) {
      const std::size_t b = i * fanout, m = std::min(fanout, sizes[l - 1] - b);
      const std::int64_t nodeno = first[l] + static_cast<std::int64_t>(i);
      next[i] = w.write(nodeno, depth, m, [&](std::size_t c, std::int64_t& id, RtreeBox& bx) {
        id = first[l - 1] + static_cast<std::int64_t>(b + c);
        bx = boxes[b + c];
        w.parent(id, nodeno);
      });
    }
    boxes.swap(next);
  }
  Stmt ins_rowid(db, fmt::format("INSERT INTO \"{}_rowid\"(rowid, nodeno) VALUES (?, ?)", name));
  for (std::size_t id = 1; id < leaf_of.size(); ++id) {
    if (leaf_of[id] == 0) continue;
    ins_rowid.bind(1, static_cast<std::int64_t>(id)).bind(2, static_cast<std::int64_t>(leaf_of[id]));
    ins_rowid.run();
  }
}

}  // namespace detail
}  // namespace trygg::data
