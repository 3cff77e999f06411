// Bulk-loaded R*Trees: SQLite's own rtreecheck() accepts them, and a window
// query through the tree returns exactly what a brute-force scan returns.
#include "data/rtree_bulk.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "core/error.hpp"

using namespace trygg::data;

namespace {

struct Db {
  sqlite3* db = nullptr;
  Db() { sqlite3_open(":memory:", &db); }
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " " << sql;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }
  std::set<std::int64_t> ids(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::set<std::int64_t> out;
    while (sqlite3_step(st) == SQLITE_ROW) out.insert(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return out;
  }
};

std::vector<RtreeEntry> randomBoxes(std::size_t n, double extent, double max_size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, extent), s(0, max_size);
  std::vector<RtreeEntry> e;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = 500000 + u(rng), y = 6400000 + u(rng), w = s(rng), h = s(rng);
    e.push_back({static_cast<std::int64_t>(i + 1), outwardBox(x, x + w, y, y + h)});
  }
  return e;
}

}  // namespace

TEST(RtreeBulk, OutwardBoxContainsTheDoubleBox) {
  const double x = 500000.123456789, y = 6400000.987654321;
  const RtreeBox b = outwardBox(x, x, y, y);
  EXPECT_LE(static_cast<double>(b.x0), x);
  EXPECT_GE(static_cast<double>(b.x1), x);
  EXPECT_LE(static_cast<double>(b.y0), y);
  EXPECT_GE(static_cast<double>(b.y1), y);
  EXPECT_LT(b.x0, b.x1);  // not representable in float: the box has width
}

TEST(RtreeBulk, TreesOfEverySizeAreValidAndAnswerWindowQueries) {
  // 1 entry (a lone root leaf), one full node, one more than a node, and a
  // three-level tree.
  for (std::size_t n : {std::size_t{1}, std::size_t{51}, std::size_t{52}, std::size_t{3000}}) {
    Db d;
    d.exec("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)");
    d.exec("CREATE TABLE boxes(id INTEGER PRIMARY KEY, minx, maxx, miny, maxy)");
    auto e = randomBoxes(n, 5000, n == 3000 ? 200 : 10, static_cast<unsigned>(n));
    for (const auto& b : e)
      d.exec("INSERT INTO boxes VALUES (" + std::to_string(b.id) + "," + std::to_string(b.box.x0) + "," +
             std::to_string(b.box.x1) + "," + std::to_string(b.box.y0) + "," + std::to_string(b.box.y1) + ")");
    sortHilbert(e);
    d.exec("BEGIN");
    bulkLoadRtree(d.db, "r", e);
    d.exec("COMMIT");
    EXPECT_EQ(d.text("SELECT rtreecheck('r')"), "ok") << n;
    EXPECT_EQ(d.text("SELECT count(*) FROM r"), std::to_string(n));
    // Windows: the tree's answer equals the scan's.
    for (const char* where : {" maxx >= 500100.25 AND minx <= 503500.25 AND maxy >= 6400100.25 AND miny <= 6404800.25",
                              " maxx >= 504990 AND minx <= 506000 AND maxy >= 6400000 AND miny <= 6400300",
                              " maxx >= 0 AND minx <= 1 AND maxy >= 0 AND miny <= 1"})
      EXPECT_EQ(d.ids(std::string("SELECT id FROM r WHERE") + where),
                d.ids(std::string("SELECT id FROM boxes WHERE") + where))
          << n << where;
  }
}

TEST(RtreeBulk, EmptyInputLeavesAnEmptyValidTree) {
  Db d;
  d.exec("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)");
  bulkLoadRtree(d.db, "r", std::vector<RtreeEntry>{});
  EXPECT_EQ(d.text("SELECT rtreecheck('r')"), "ok");
  EXPECT_EQ(d.text("SELECT count(*) FROM r"), "0");
}

TEST(RtreeBulk, RefusesDuplicateAndNonPositiveIds) {
  Db d;
  d.exec("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)");
  std::vector<RtreeEntry> dup{{1, outwardBox(0, 1, 0, 1)}, {1, outwardBox(2, 3, 2, 3)}};
  EXPECT_THROW(bulkLoadRtree(d.db, "r", dup), trygg::Error);
  std::vector<RtreeEntry> zero{{0, outwardBox(0, 1, 0, 1)}};
  EXPECT_THROW(bulkLoadRtree(d.db, "r", zero), trygg::Error);
}
