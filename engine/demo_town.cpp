// The demo town generator. The town, its files and the planted patterns are
// documented in docs/demo.md; keep the two in step (the unit test
// tests/unit/engine/demo_town_test.cpp checks the documented facts).
//
// Coordinates are built as offsets in metres from the town centre
// (kE0, kN0) in SWEREF 99 TM and written with two decimals. Times are local
// Europe/Stockholm wall-clock times; the hours that do not exist or occur
// twice on DST change days are never generated.
#include "engine/demo_town.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/types.hpp"

namespace trygg::engine {
namespace {

namespace fs = std::filesystem;

// Town centre (Stora torget), SWEREF 99 TM: about 59.311 N 15.790 E, a rural
// part of Västmanland between Örebro and Arboga. The town is fictional.
constexpr double kE0 = 545000;
constexpr double kN0 = 6575000;

// ---------------------------------------------------------------------------
// Random numbers: xoshiro256** seeded by splitmix64 (Blackman & Vigna). Own
// uniform/normal/Poisson so that output does not depend on the standard library.

std::uint64_t splitmix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // One independent stream per part of the town, so changing one part does
  // not move every other random draw.
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (auto& s : m_s) s = splitmix(x);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  int below(int n) { return static_cast<int>(uniform() * n); }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller, one value per call
    double u1 = uniform();
    while (u1 <= 0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  int poisson(double mean) {  // Knuth; means here stay below 200
    const double l = std::exp(-mean);
    int k = 0;
    double p = 1;
    do {
      ++k;
      p *= uniform();
    } while (p > l);
    return k - 1;
  }
  template <std::size_t N>
  int pick(const std::array<double, N>& w) {
    double total = 0;
    for (double v : w) total += v;
    double r = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      r -= w[i];
      if (r < 0) return static_cast<int>(i);
    }
    return static_cast<int>(N - 1);
  }
  int pick(const std::vector<double>& w) {
    double total = 0;
    for (double v : w) total += v;
    double r = uniform() * total;
    for (std::size_t i = 0; i < w.size(); ++i) {
      r -= w[i];
      if (r < 0) return static_cast<int>(i);
    }
    return static_cast<int>(w.size() - 1);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> m_s{};
};

// ---------------------------------------------------------------------------
// Calendar (Howard Hinnant's days_from_civil / civil_from_days).

struct Ymd {
  int y, m, d;
};
std::int64_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
Ymd civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {y + (m <= 2), m, d};
}

// Time is counted in minutes of local wall-clock time since 2024-01-01 00:00.
const std::int64_t kDay0 = daysFromCivil(2024, 1, 1);
constexpr int kDays = 731;  // 2024-01-01 .. 2025-12-31 (2024 is a leap year)
constexpr int kMonths = 24;

int weekdayOfDay(int day) {  // Monday = 0; 2024-01-01 was a Monday
  return day % 7;
}
int monthIndexOfDay(int day) {  // 0 = 2024-01 .. 23 = 2025-12
  const Ymd c = civilFromDays(kDay0 + day);
  return (c.y - 2024) * 12 + c.m - 1;
}
int firstDayOfMonth(int month) {
  return static_cast<int>(daysFromCivil(2024 + month / 12, month % 12 + 1, 1) - kDay0);
}
int daysInMonth(int month) { return firstDayOfMonth(month + 1) - firstDayOfMonth(month); }

// 02:00-02:59 on the last Sunday of March (does not exist) and of October
// (happens twice) in Europe/Stockholm.
bool isDstChangeHour(int day, int hour) {
  if (hour != 2) return false;
  const Ymd c = civilFromDays(kDay0 + day);
  if (c.m != 3 && c.m != 10) return false;
  return weekdayOfDay(day) == 6 && c.d + 7 > 31;
}

std::string formatTime(std::int64_t minutes) {
  const std::int64_t day = minutes / 1440;
  const int mod = static_cast<int>(minutes % 1440);
  const Ymd c = civilFromDays(kDay0 + day);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}", c.y, c.m, c.d, mod / 60, mod % 60);
}
std::string formatDate(int y, int m, int d) { return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d); }

// ---------------------------------------------------------------------------
// Geometry helpers (offsets from the centre).

struct Xy {
  double x, y;
};
using Ring = std::vector<Xy>;

bool inRing(const Ring& r, double x, double y) {
  bool in = false;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    if ((r[i].y > y) != (r[j].y > y) && x < (r[j].x - r[i].x) * (y - r[i].y) / (r[j].y - r[i].y) + r[i].x) in = !in;
  }
  return in;
}
Xy uniformIn(Rng& rng, const Ring& r) {
  double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
  for (const Xy& p : r) {
    minx = std::min(minx, p.x);
    miny = std::min(miny, p.y);
    maxx = std::max(maxx, p.x);
    maxy = std::max(maxy, p.y);
  }
  for (;;) {
    const double x = rng.uniform(minx, maxx), y = rng.uniform(miny, maxy);
    if (inRing(r, x, y)) return {x, y};
  }
}
// ---------------------------------------------------------------------------
// The town.

struct AreaDef {
  const char* id;
  const char* name;
  Ring ring;
  const char* inspection_date_2024;  // baseline walk
  const char* inspection_date_2025;  // follow-up walk
  double improved_share;             // share of inspection pairs whose colour improves
};

// Centrum and Stationsområdet share the edge (400,-300)-(420,0)-(380,350);
// Norra Backa overlaps Centrum by up to about 45 m between x -250 and +250.
const std::vector<AreaDef>& areas() {
  static const std::vector<AreaDef> a = {
      {"A1", "Centrum",
       {{-480, -330}, {-150, -400}, {150, -380}, {400, -300}, {420, 0}, {380, 350}, {150, 420}, {-200, 400},
        {-450, 300}, {-520, 20}},
       "2024-09-10", "2025-09-09", 0.45},
      {"A2", "Stationsområdet",
       {{400, -300}, {700, -420}, {1000, -380}, {1050, 0}, {980, 380}, {650, 420}, {380, 350}, {420, 0}},
       "2024-09-11", "2025-09-10", 0.34},
      {"A3", "Norra Backa",
       {{-650, 330}, {-200, 360}, {150, 375}, {480, 420}, {560, 800}, {500, 1250}, {100, 1350}, {-350, 1300},
        {-650, 1100}, {-700, 700}},
       "2024-09-12", "2025-09-11", 0.06},
      {"A4", "Södra Ängen",
       {{-1250, -450}, {-800, -380}, {-420, -420}, {-180, -560}, {-150, -900}, {-300, -1250}, {-700, -1350},
        {-1150, -1250}, {-1300, -850}},
       "2024-09-13", "2025-09-12", 0.14},
  };
  return a;
}

struct PlaceDef {
  const char* id;
  const char* name;
  const char* kind;
  double x, y;      // anchor (polygon places: a point inside, where inspectors stand)
  int area;         // index into areas(), -1 outside every area
  double activity;  // share of place-bound incidents (relative weight)
  double unsafe;    // survey level "unsafe after dark", 1..5, baseline
  double unsafe_followup;
  Ring polygon;     // empty for point places
};

// Place points are at least 72 m apart and polygon places at least 62 m
// from every other place, so a 50 m radius never covers two places'
// inspection points (tested).
const std::vector<PlaceDef>& places() {
  static const std::vector<PlaceDef> p = {
      // Centrum
      {"P01", "Stora torget", "square", 0, 0, 0, 3.0, 2.6, 2.5, {}},
      {"P02", "Lilla torget", "square", -220, 150, 0, 1.0, 2.9, 2.3, {}},
      {"P03", "Busstorget", "bus_stop", 120, -80, 0, 2.2, 3.8, 3.6, {}},
      {"P04", "Krogen Gästis", "nightlife", 60, -40, 0, 2.4, 3.1, 3.0, {}},
      {"P05", "Storgatan gågata", "pedestrian_street", -100, 60, 0, 1.6, 2.4, 2.3, {}},
      {"P06", "Parkeringshuset Centrum", "parking", 200, 220, 0, 1.2, 3.9, 2.9, {}},
      {"P07", "Parkering Kvarnen", "parking", -350, 250, 0, 0.7, 3.0, 3.0, {}},
      {"P08", "Gallerian", "shopping_centre", 150, 120, 0, 2.0, 1.9, 1.8, {}},
      {"P09", "Stadsbiblioteket", "library", -150, -180, 0, 0.5, 1.8, 1.8, {}},
      {"P10", "Centrumskolan entré", "school_entrance", -380, -50, 0, 0.7, 2.1, 2.0, {}},
      {"P11", "Hållplats Kyrkan", "bus_stop", -200, -340, 0, 0.6, 2.8, 2.7, {}},
      {"P12", "Cykeltunneln Centrum", "underpass", 300, -250, 0, 0.9, 4.3, 3.0, {}},
      // Stationsområdet
      {"P13", "Resecentrum", "station", 650, 0, 1, 2.6, 3.5, 3.3, {}},
      {"P15", "Gångtunneln under spåren", "underpass", 700, -150, 1, 1.0, 4.6, 4.5, {}},
      {"P16", "Pendlarparkeringen", "parking", 820, 200, 1, 1.1, 3.4, 3.3, {}},
      {"P17", "Hållplats Resecentrum", "bus_stop", 600, -60, 1, 1.0, 3.2, 3.1, {}},
      {"P18", "Cykelparkeringen", "parking", 560, -120, 1, 1.0, 3.3, 2.9, {}},
      {"P19", "Godsmagasinet", "square", 850, -250, 1, 0.6, 3.6, 3.5, {}},
      {"P20", "Hållplats Stationsgatan", "bus_stop", 480, 280, 1, 0.6, 2.7, 2.6, {}},
      {"P21", "Kiosken Resecentrum", "shop", 700, 60, 1, 0.8, 2.6, 2.5, {}},
      // Norra Backa
      {"P22", "Backatorget", "square", 0, 800, 2, 1.2, 2.9, 2.9, {}},
      {"P23", "Backaskolan entré", "school_entrance", -200, 950, 2, 0.7, 2.2, 2.2, {}},
      {"P24", "Hållplats Backavägen", "bus_stop", -100, 650, 2, 0.6, 2.8, 2.8, {}},
      {"P25", "Parkering Backa centrum", "parking", 120, 720, 2, 0.8, 3.2, 3.2, {}},
      {"P26", "Gångtunnel Backavägen", "underpass", -350, 550, 2, 0.5, 4.2, 4.2, {}},
      {"P27", "Lekplatsen Backa", "playground", -300, 1150, 2, 0.3, 2.4, 2.4, {}},
      {"P28", "Backavallen idrottsplats", "sports_ground", 350, 1200, 2, 0.5, 2.6, 2.6, {}},
      {"P29", "Hållplats Norra Backa", "bus_stop", 300, 850, 2, 0.5, 2.7, 2.6, {}},
      {"P30", "Gångvägen Backaskogen", "footpath", -450, 900, 2, 0.02, 4.3, 4.3, {}},
      {"P31", "Förskolan Backa entré", "school_entrance", 150, 1120, 2, 0.3, 1.7, 1.7, {}},
      {"P32", "Pizzerian Backa", "shop", 80, 860, 2, 0.6, 2.5, 2.5, {}},
      // Södra Ängen
      {"P33", "Ängens torg", "square", -650, -800, 3, 1.4, 3.0, 2.9, {}},
      {"P34", "Ängsskolan entré", "school_entrance", -850, -650, 3, 0.8, 2.3, 2.2, {}},
      {"P35", "Hållplats Ängsvägen", "bus_stop", -550, -600, 3, 0.7, 2.9, 2.8, {}},
      {"P36", "Parkering Ängen", "parking", -800, -950, 3, 0.9, 3.1, 3.0, {}},
      {"P37", "Gångtunnel Ängsleden", "underpass", -320, -560, 3, 0.7, 4.4, 3.1, {}},
      {"P38", "Lekplatsen Ängen", "playground", -1000, -1100, 3, 0.3, 2.3, 2.3, {}},
      {"P39", "Hållplats Södra Ängen", "bus_stop", -900, -850, 3, 0.5, 2.7, 2.7, {}},
      {"P40", "Gångvägen Ängsbäcken", "footpath", -600, -1150, 3, 0.02, 3.9, 3.8, {}},
      {"P41", "Ängens centrum", "shop", -700, -730, 3, 1.0, 2.4, 2.4, {}},
      // Outside every delimited area
      {"P42", "Badplatsen", "park", -1300, 300, -1, 0.5, 2.6, 2.6, {}},
      {"P43", "Återvinningsstationen", "recycling", 1250, -700, -1, 0.4, 2.9, 2.9, {}},
      {"P44", "Hållplats Industrivägen", "bus_stop", 1300, 100, -1, 0.3, 3.0, 3.0, {}},
      // Polygon places (layer place_polygons)
      {"P45", "Kyrkparken", "park", -300, -200, 0, 1.4, 3.7, 2.7,
       {{-370, -250}, {-240, -265}, {-215, -180}, {-260, -140}, {-360, -150}}},
      {"P46", "Stationsparken", "park", 555, 155, 1, 1.5, 3.9, 3.0,
       {{500, 110}, {590, 95}, {620, 160}, {580, 210}, {510, 195}}},
      {"P47", "Backaparken", "park", 260, 1000, 2, 0.8, 3.3, 3.3,
       {{190, 950}, {300, 930}, {330, 1010}, {280, 1070}, {200, 1050}}},
      {"P48", "Ängsparken", "park", -390, -1000, 3, 1.0, 3.5, 2.8,
       {{-470, -1050}, {-350, -1080}, {-300, -990}, {-360, -930}, {-450, -950}}},
  };
  return p;
}

// Incident categories: the source's own Swedish words.
enum Cat : int { Mis, Ran, Sex, Ska, Klo, Aff, Ned, Nar, Ord, Inb, Sto, Fod, Ovr, kCats };
constexpr std::array<const char*, kCats> kCatWord = {
    "Misshandel",   "Rån",      "Sexualbrott", "Skadegörelse", "Klotter", "Olaga affischering", "Nedskräpning",
    "Narkotikabrott", "Ordningsstörning", "Inbrott", "Stöld", "Fordonsbrott", "Övrigt"};
using CatWeights = std::array<double, kCats>;

//                                Mis Rån Sex Ska Klo Aff Ned Nar Ord Inb Sto Fod Övr
const std::map<std::string_view, CatWeights>& kindCategories() {
  static const std::map<std::string_view, CatWeights> m = {
      {"square", {14, 3, 1, 8, 6, 4, 10, 6, 20, 0, 16, 2, 10}},
      {"nightlife", {32, 4, 3, 6, 2, 1, 6, 6, 28, 0, 7, 1, 4}},
      {"bus_stop", {8, 5, 1, 14, 10, 5, 12, 8, 18, 0, 8, 1, 10}},
      {"station", {8, 6, 2, 10, 8, 4, 8, 8, 14, 0, 22, 2, 8}},
      {"park", {8, 3, 2, 10, 6, 1, 20, 18, 18, 0, 4, 0, 10}},
      {"underpass", {8, 10, 3, 16, 30, 4, 8, 8, 8, 0, 2, 0, 3}},
      {"parking", {4, 2, 0, 10, 3, 0, 6, 4, 4, 0, 10, 50, 7}},
      {"school_entrance", {4, 1, 0, 26, 22, 2, 14, 4, 10, 12, 2, 0, 3}},
      {"shopping_centre", {6, 4, 0, 6, 4, 3, 6, 3, 10, 4, 48, 1, 5}},
      {"shop", {6, 5, 0, 8, 5, 3, 8, 3, 10, 6, 40, 1, 5}},
      {"pedestrian_street", {14, 4, 1, 8, 10, 8, 10, 4, 16, 0, 18, 0, 7}},
      {"playground", {2, 0, 0, 20, 14, 0, 24, 14, 14, 0, 2, 0, 10}},
      {"sports_ground", {4, 1, 0, 20, 14, 2, 16, 8, 18, 4, 6, 2, 5}},
      {"library", {4, 1, 0, 10, 8, 4, 10, 4, 18, 2, 28, 0, 11}},
      {"footpath", {4, 2, 2, 10, 10, 0, 20, 10, 10, 0, 2, 0, 30}},
      {"recycling", {0, 0, 0, 20, 14, 4, 40, 0, 4, 0, 8, 2, 8}},
  };
  return m;
}
constexpr CatWeights kResidential = {3, 0, 1, 12, 4, 0, 3, 3, 6, 35, 12, 18, 3};
constexpr CatWeights kTownNoise = {10, 2, 1, 12, 8, 3, 10, 6, 14, 6, 14, 8, 6};

// Spread (standard deviation, m) of place-bound incidents around the anchor.
double kindSpread(std::string_view kind) {
  if (kind == "square" || kind == "station" || kind == "shopping_centre") return 35;
  if (kind == "parking" || kind == "sports_ground") return 30;
  return 22;
}

// Hour-of-day profiles (relative weights, hour 0..23).
enum Profile { Night, Evening, Day, DayNight, kProfiles };
constexpr std::array<std::array<double, 24>, kProfiles> kHours = {{
    // Night: violence, disorder, robbery, sexual offences
    {{9, 7, 6, 4, 2, 1, 1, 1, 1, 1, 1.5, 2, 2.5, 2.5, 3, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9}},
    // Evening: vandalism, graffiti, littering, drugs, posters
    {{5, 4, 3, 2, 1, 0.5, 0.5, 1, 1.5, 1.5, 2, 2, 2.5, 2.5, 3, 3.5, 4, 5, 6, 7, 7, 7, 6.5, 6}},
    // Day: theft, other
    {{1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 3.5, 4.5, 5.5, 6, 6.5, 6.5, 6.5, 6.5, 6.5, 6, 5, 4, 3, 2.5, 2, 1.5}},
    // Day and night: burglary, vehicle crime (empty homes by day, dark car parks by night)
    {{5, 5, 4.5, 4, 3, 2, 1.5, 2, 3, 4, 4, 4, 3.5, 3.5, 3.5, 3.5, 3.5, 3, 3, 3, 3.5, 4, 4.5, 5}},
}};
constexpr std::array<Profile, kCats> kCatProfile = {Night, Night, Night, Evening, Evening, Evening, Evening,
                                                    Evening, Night, DayNight, Day, DayNight, Day};
// Summer factor (June-August) by category; winter months get 2 - f, so the
// yearly mean stays 1 and no trend is planted by seasons.
constexpr std::array<double, kCats> kSummer = {1.35, 1.2, 1.3, 1.2, 1.1, 1.0, 1.45, 1.25, 1.4, 0.8, 1.1, 1.0, 1.0};

double seasonFactor(int cat, int month) {
  const int m = month % 12 + 1;
  const double s = kSummer[cat];
  if (m >= 6 && m <= 8) return s;
  if (m == 12 || m <= 2) return 2 - s;
  return 1;
}
// Weekend nights (Friday and Saturday evening to the next morning) and the
// weekday rhythm of daytime theft.
double weekFactor(int cat, int day, int hour) {
  const Profile p = kCatProfile[cat];
  if (p == Night || p == Evening) {
    const bool night = hour >= 20 || hour < 5;
    const int night_of = hour < 5 ? (day + 6) % 7 : day % 7;  // the evening the night belongs to
    if (night && (night_of == 4 || night_of == 5)) return p == Night ? 3.0 : 2.0;
    return 1.0;
  }
  if (p == Day) {
    const int wd = weekdayOfDay(day);
    return wd == 5 ? 1.3 : wd == 6 ? 0.6 : 1.0;
  }
  return 1.0;
}

// A local time (minutes since 2024-01-01 00:00) for category cat, on a day
// in [day_lo, day_hi).
std::int64_t drawTime(Rng& rng, int cat, int day_lo, int day_hi) {
  const Profile p = kCatProfile[cat];
  double hmax = 0;
  for (double v : kHours[p]) hmax = std::max(hmax, v);
  const double wmax = hmax * 1.5 * 3.0;  // bounds season * week * hour
  for (;;) {
    const int day = day_lo + rng.below(day_hi - day_lo);
    const int hour = rng.below(24);
    if (isDstChangeHour(day, hour)) continue;
    const double w = kHours[p][hour] * seasonFactor(cat, monthIndexOfDay(day)) * weekFactor(cat, day, hour);
    if (rng.uniform() * wmax >= w) continue;
    const int minute = 5 * rng.below(12);  // reports are rounded to 5 minutes
    return static_cast<std::int64_t>(day) * 1440 + hour * 60 + minute;
  }
}

// ---------------------------------------------------------------------------
// Planted space-time patterns (docs/demo.md, "Planted patterns"). Cell
// centres on the 100 m grid aligned to multiples of 100 m in SWEREF 99 TM.

struct Planted {
  const char* name;
  double cx, cy;  // cell centre offset from (kE0, kN0)
  CatWeights cats;
  double first, last;  // expected monthly count in the first and last month (linear between)
  bool only_last;      // "new": nothing before the last month
};
const std::array<Planted, 3>& planted() {
  //                                           Mis Rån Sex Ska Klo Aff Ned Nar Ord Inb Sto Fod Övr
  static const std::array<Planted, 3> p = {{
      {"new", -1050, -550, {10, 6, 0, 20, 6, 0, 8, 30, 20, 0, 0, 0, 0}, 0, 90, true},
      {"intensifying", 850, -50, {0, 2, 0, 10, 4, 0, 0, 0, 0, 0, 54, 30, 0}, 35, 90, false},
      {"diminishing", -550, 1050, {8, 2, 0, 20, 14, 0, 16, 14, 26, 0, 0, 0, 0}, 100, 48, false},
  }};
  return p;
}

constexpr Xy kStack = {-60, -260};  // Polisstationen, Kyrkogatan: the geocoding fallback
constexpr int kStacked = 150;

// ---------------------------------------------------------------------------

struct IncidentRow {
  std::int64_t from = 0;
  std::int64_t to = -1;  // -1: an instant
  int cat = Ovr;
  std::string word;
  double x = 0, y = 0;
  const char* source = "polis";
};

std::string categoryWord(Rng& rng, int cat, bool bicycle_place) {
  if (cat == Sto && bicycle_place && rng.chance(0.6)) return "Cykelstöld";
  if (cat == Fod && rng.chance(0.5)) return "Bilinbrott";
  if (cat == Ovr && rng.chance(0.3)) return "Olaga hot";  // deliberately unmapped in the demo YAML
  return kCatWord[cat];
}

const char* sourceFor(Rng& rng, int cat) {
  if (cat == Klo || cat == Aff || cat == Ned) return rng.chance(0.7) ? "kommun" : "polis";
  if (cat == Ska) {
    const double u = rng.uniform();
    return u < 0.5 ? "polis" : u < 0.8 ? "kommun" : "fastighetsagare";
  }
  if (cat == Sto && rng.chance(0.2)) return "fastighetsagare";
  return "polis";
}

// A burglary discovered after a weekend or after a summer holiday: from/to.
void makeSpan(Rng& rng, IncidentRow& r) {
  if (rng.chance(0.8)) {
    // Weekends: Friday 16:00-19:00 to Monday 06:30-09:00. First Friday is 2024-01-05 (day 4).
    const int weeks = (kDays - 4 - 3) / 7;
    const int friday = 4 + 7 * rng.below(weeks + 1);
    r.from = friday * 1440LL + 16 * 60 + 5 * rng.below(36);
    r.to = (friday + 3) * 1440LL + 6 * 60 + 30 + 5 * rng.below(30);
  } else {
    // Summer holidays: leaving in late June or July, back 7-21 days later.
    const int year = rng.below(2);
    const int leave = static_cast<int>(daysFromCivil(2024 + year, 6, 22) - kDay0) + rng.below(30);
    r.from = leave * 1440LL + 8 * 60 + 5 * rng.below(48);
    r.to = (leave + 7 + rng.below(15)) * 1440LL + 14 * 60 + 5 * rng.below(72);
  }
}

Xy clippedNormal(Rng& rng, double sd, double clip) {
  for (;;) {
    const double dx = rng.normal() * sd, dy = rng.normal() * sd;
    if (std::abs(dx) <= clip && std::abs(dy) <= clip) return {dx, dy};
  }
}

std::vector<IncidentRow> makeIncidents(std::uint64_t seed, std::int64_t total) {
  std::vector<IncidentRow> rows;
  rows.reserve(static_cast<std::size_t>(total));

  // Planted patterns first (fixed sizes), so the background gets the rest.
  Rng prng(seed, 11);
  for (const Planted& pl : planted()) {
    for (int m = 0; m < kMonths; ++m) {
      double mean = pl.first + (pl.last - pl.first) * m / (kMonths - 1);
      if (pl.only_last) mean = m == kMonths - 1 ? pl.last : 0;
      const int n = mean > 0 ? prng.poisson(mean) : 0;
      for (int i = 0; i < n; ++i) {
        IncidentRow r;
        r.cat = prng.pick(pl.cats);
        r.from = drawTime(prng, r.cat, firstDayOfMonth(m), firstDayOfMonth(m) + daysInMonth(m));
        const Xy d = clippedNormal(prng, 12, 40);
        r.x = pl.cx + d.x;
        r.y = pl.cy + d.y;
        r.word = categoryWord(prng, r.cat, pl.cats[Sto] > 0);
        r.source = sourceFor(prng, r.cat);
        rows.push_back(std::move(r));
      }
    }
  }

  // The police station's address: a stack of geocoding fallbacks.
  Rng srng(seed, 12);
  for (int i = 0; i < kStacked; ++i) {
    IncidentRow r;
    r.cat = srng.pick(kTownNoise);
    r.from = drawTime(srng, r.cat, 0, kDays);
    r.x = kStack.x;
    r.y = kStack.y;
    r.word = categoryWord(srng, r.cat, false);
    rows.push_back(std::move(r));
  }

  const std::int64_t rest = total - static_cast<std::int64_t>(rows.size());
  const std::int64_t n_place = rest * 60 / 100;
  const std::int64_t n_resid = rest * 25 / 100;
  const std::int64_t n_noise = rest - n_place - n_resid;

  // Place-bound clusters.
  Rng rng(seed, 13);
  std::vector<double> w;
  for (const PlaceDef& p : places()) w.push_back(p.activity);
  for (std::int64_t i = 0; i < n_place; ++i) {
    const PlaceDef& p = places()[static_cast<std::size_t>(rng.pick(w))];
    IncidentRow r;
    r.cat = rng.pick(kindCategories().at(p.kind));
    if (!p.polygon.empty() && rng.chance(0.7)) {
      const Xy q = uniformIn(rng, p.polygon);
      r.x = q.x;
      r.y = q.y;
    } else {
      const double sd = kindSpread(p.kind);
      r.x = p.x + rng.normal() * sd;
      r.y = p.y + rng.normal() * sd;
    }
    const bool school = std::string_view(p.kind) == "school_entrance";
    if (r.cat == Inb && school) {
      makeSpan(rng, r);  // school break-ins are found on Monday morning
    } else {
      r.from = drawTime(rng, r.cat, 0, kDays);
    }
    r.word = categoryWord(rng, r.cat, std::string_view(p.name).find("Cykel") != std::string_view::npos ||
                                          std::string_view(p.kind) == "station");
    r.source = sourceFor(rng, r.cat);
    rows.push_back(std::move(r));
  }

  // Housing: burglary, vehicle crime and vandalism spread over the estates.
  Rng hrng(seed, 14);
  constexpr std::array<double, 4> kAreaShare = {0.12, 0.06, 0.42, 0.40};
  for (std::int64_t i = 0; i < n_resid; ++i) {
    const AreaDef& a = areas()[static_cast<std::size_t>(hrng.pick(kAreaShare))];
    IncidentRow r;
    r.cat = hrng.pick(kResidential);
    const Xy q = uniformIn(hrng, a.ring);
    r.x = q.x;
    r.y = q.y;
    if (r.cat == Inb && hrng.chance(0.25)) {
      makeSpan(hrng, r);
    } else {
      r.from = drawTime(hrng, r.cat, 0, kDays);
    }
    r.word = categoryWord(hrng, r.cat, false);
    r.source = sourceFor(hrng, r.cat);
    rows.push_back(std::move(r));
  }

  // Everything else, anywhere in and around town (some outside every area).
  Rng nrng(seed, 15);
  for (std::int64_t i = 0; i < n_noise; ++i) {
    IncidentRow r;
    r.cat = nrng.pick(kTownNoise);
    r.x = nrng.uniform(-1400, 1400);
    r.y = nrng.uniform(-1400, 1400);
    r.from = drawTime(nrng, r.cat, 0, kDays);
    r.word = categoryWord(nrng, r.cat, false);
    r.source = sourceFor(nrng, r.cat);
    rows.push_back(std::move(r));
  }

  // Round to the written precision before sorting, so the sort order is the
  // file order; then sort as an export would be (by time).
  for (IncidentRow& r : rows) {
    r.x = std::round((kE0 + r.x) * 100) / 100;
    r.y = std::round((kN0 + r.y) * 100) / 100;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const IncidentRow& a, const IncidentRow& b) {
    if (a.from != b.from) return a.from < b.from;
    if (a.x != b.x) return a.x < b.x;
    if (a.y != b.y) return a.y < b.y;
    return a.word < b.word;
  });
  return rows;
}

// ---------------------------------------------------------------------------
// Inspections.

constexpr std::array<const char*, 11> kFactors = {"lighting", "vegetation", "sightlines", "overview",
                                                  "maintenance", "graffiti", "litter", "damage",
                                                  "wayfinding", "hiding_places", "escape_routes"};
enum Factor { Lighting, Vegetation, Sightlines, Overview, Maintenance, Graffiti, Litter, Damage, Wayfinding,
              Hiding, Escape };

// Notes in Swedish by factor and colour (0 red, 1 yellow, 2 green).
constexpr std::array<std::array<const char*, 3>, 11> kNotes = {{
    {{"Mörkt, flera armaturer trasiga", "Ojämn belysning, mörka partier", "Väl upplyst"}},
    {{"Buskage skymmer gångvägen, behöver beskäras", "Viss igenväxning vid kanterna", "Vegetationen är välskött"}},
    {{"Skymd sikt, man ser inte vem som kommer", "Delvis skymd sikt", "God sikt åt alla håll"}},
    {{"Svårt att överblicka platsen", "Överblick från ett håll", "Bra överblick, syns från bostäder"}},
    {{"Förfallet, trasigt och eftersatt", "Visst slitage", "Välskött och hel"}},
    {{"Mycket klotter, inte sanerat", "Enstaka klotter", "Inget klotter"}},
    {{"Mycket skräp, överfulla papperskorgar", "En del skräp", "Rent och snyggt"}},
    {{"Skadegörelse på bänkar och glas", "Mindre skador", "Inga skador"}},
    {{"Svårt att hitta, skyltar saknas", "Skyltning finns men är otydlig", "Tydlig skyltning"}},
    {{"Många platser att gömma sig på", "Några skymda hörn", "Inga gömställen"}},
    {{"Inga flyktvägar, man blir instängd", "En flyktväg", "Flera flyktvägar"}},
}};

int colourOf(int rating) { return rating <= 6 ? 0 : rating <= 13 ? 1 : 2; }  // red < 6.67 <= yellow < 13.33 <= green
int ratingIn(Rng& rng, int colour) {
  static constexpr int lo[3] = {1, 7, 14};
  static constexpr int hi[3] = {6, 13, 19};
  return lo[colour] + rng.below(hi[colour] - lo[colour] + 1);
}

// Kind-specific adjustments of the baseline level per factor.
double factorAdjust(std::string_view kind, int f) {
  if (kind == "underpass") {
    if (f == Lighting) return -7;
    if (f == Hiding || f == Escape || f == Overview) return -6;
    if (f == Graffiti) return -5;
  }
  if (kind == "footpath") {
    if (f == Lighting) return -8;
    if (f == Vegetation || f == Sightlines || f == Hiding) return -6;
  }
  if (kind == "park") {
    if (f == Vegetation || f == Sightlines) return -5;
    if (f == Litter) return -3;
  }
  if (kind == "school_entrance" && (f == Graffiti || f == Damage)) return -4;
  if (kind == "parking" && (f == Lighting || f == Overview)) return -3;
  if ((kind == "square" || kind == "pedestrian_street" || kind == "shopping_centre") &&
      (f == Overview || f == Escape || f == Wayfinding)) {
    return 4;
  }
  if (kind == "bus_stop" && f == Litter) return -3;
  return 0;
}

struct Measure {
  const char* place;
  std::vector<int> factors;  // factors it improves
};
// Done measures by the follow-up round (street lights and vegetation files
// carry the same dates). Their factors are improved first.
const std::vector<Measure>& doneMeasures() {
  static const std::vector<Measure> m = {
      {"P12", {Lighting, Graffiti, Hiding, Overview}},  {"P06", {Lighting, Overview, Maintenance}},
      {"P45", {Lighting, Vegetation, Sightlines, Hiding}}, {"P02", {Maintenance, Litter, Damage}},
      {"P46", {Vegetation, Sightlines, Hiding}},          {"P37", {Lighting, Graffiti, Hiding}},
      {"P48", {Vegetation, Sightlines}},
  };
  return m;
}

struct ObsRow {
  std::string id, round, date, factor, place_id, note;
  int rating;
  double x, y;
};

// The anchor inspectors stand at: the point itself, for polygons the given
// interior point (tests check it lies inside).
std::vector<ObsRow> makeObservations(std::uint64_t seed) {
  Rng rng(seed, 21);
  const auto& ps = places();
  const std::size_t np = ps.size();
  // baseline[p][f], followup[p][f]; -1 = not inspected
  std::vector<std::array<int, 11>> base(np), follow(np);
  std::vector<std::array<bool, 11>> fixed(np);
  for (std::size_t i = 0; i < np; ++i) {
    const PlaceDef& p = ps[i];
    const double level = 12.0 - 2.2 * (p.unsafe - 2.5);
    for (int f = 0; f < 11; ++f) {
      const double v = level + factorAdjust(p.kind, f) + 3.0 * rng.normal();
      base[i][f] = static_cast<int>(std::clamp(std::lround(v), 1L, 19L));
      fixed[i][f] = false;
    }
  }
  auto indexOf = [&](std::string_view id) {
    for (std::size_t i = 0; i < np; ++i)
      if (id == ps[i].id) return i;
    throw Error(fmt::format("demo town: unknown place {}", id));
  };
  // Every factor red, yellow and green somewhere in both rounds: three
  // places in Södra Ängen/Norra Backa keep a fixed colour per factor.
  const std::array<const char*, 3> anchors = {"P35", "P24", "P41"};
  for (int f = 0; f < 11; ++f) {
    for (int c = 0; c < 3; ++c) {
      const std::size_t i = indexOf(anchors[(c + f) % 3]);
      base[i][f] = c == 0 ? 4 : c == 1 ? 10 : 17;
      fixed[i][f] = true;
    }
  }
  // The dark underpass by the railway stays red for lighting: its new lights
  // are only planned (street_lights.gpkg), the what-if case.
  const std::size_t p15 = indexOf("P15");
  base[p15][Lighting] = 3;
  fixed[p15][Lighting] = true;

  follow = base;
  follow[p15][Lighting] = 4;
  // Per area: improve exactly ceil(share * pairs) colours (measure places
  // first), make about 4 % worse, keep the rest in their band.
  for (std::size_t a = 0; a < areas().size(); ++a) {
    std::vector<std::pair<std::size_t, int>> pairs, prio, other;
    for (std::size_t i = 0; i < np; ++i) {
      if (ps[i].area != static_cast<int>(a)) continue;
      for (int f = 0; f < 11; ++f) pairs.emplace_back(i, f);
    }
    std::set<std::pair<std::size_t, int>> measured;
    for (const Measure& m : doneMeasures()) {
      for (int f : m.factors) measured.emplace(indexOf(m.place), f);
    }
    for (const auto& pf : pairs) {
      if (fixed[pf.first][pf.second] || colourOf(base[pf.first][pf.second]) == 2) continue;
      (measured.count(pf) ? prio : other).push_back(pf);
    }
    // Shuffle "other" (Fisher-Yates with our generator).
    for (std::size_t k = other.size(); k > 1; --k) std::swap(other[k - 1], other[static_cast<std::size_t>(rng.below(static_cast<int>(k)))]);
    const std::size_t want = static_cast<std::size_t>(std::ceil(areas()[a].improved_share * static_cast<double>(pairs.size())));
    std::set<std::pair<std::size_t, int>> improved;
    for (const auto& pf : prio) {
      if (improved.size() < want) improved.insert(pf);
    }
    for (const auto& pf : other) {
      if (improved.size() < want) improved.insert(pf);
    }
    if (improved.size() < want) {
      throw Error(fmt::format("demo town: area {} has too few non-green pairs for its improved share", areas()[a].name));
    }
    const std::size_t worse_n = (pairs.size() * 4 + 50) / 100;
    std::size_t worse = 0;
    for (const auto& [i, f] : pairs) {
      if (fixed[i][f]) continue;
      const int c = colourOf(base[i][f]);
      int nc = c;
      if (improved.count({i, f})) {
        nc = std::min(2, c + 1 + ((f == Lighting && c == 0 && measured.count({i, f})) ? 1 : 0));
      } else if (c > 0 && worse < worse_n && !measured.count({i, f}) && rng.chance(0.15)) {
        nc = c - 1;
        ++worse;
      }
      if (nc == c) {
        // Same band, the rating moves a little.
        static constexpr int lo[3] = {1, 7, 14};
        static constexpr int hi[3] = {6, 13, 19};
        follow[i][f] = std::clamp(base[i][f] + rng.below(3) - 1, lo[c], hi[c]);
      } else {
        follow[i][f] = ratingIn(rng, nc);
      }
    }
  }

  std::vector<ObsRow> rows;
  int next_id = 1;
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < np; ++i) {
      const PlaceDef& p = ps[i];
      // Places outside every area were walked only in the baseline round.
      if (round == 1 && p.area < 0) continue;
      const char* date = p.area < 0 ? "2024-09-13"
                         : round == 0 ? areas()[static_cast<std::size_t>(p.area)].inspection_date_2024
                                      : areas()[static_cast<std::size_t>(p.area)].inspection_date_2025;
      for (int f = 0; f < 11; ++f) {
        const int rating = round == 0 ? base[i][f] : follow[i][f];
        const int copies = rng.chance(0.15) ? 2 : 1;  // a second inspector, same colour band
        for (int k = 0; k < copies; ++k) {
          ObsRow o;
          o.id = fmt::format("O{:05d}", next_id++);
          o.round = round == 0 ? "baseline" : "followup";
          o.date = date;
          o.factor = kFactors[static_cast<std::size_t>(f)];
          o.place_id = p.id;
          const int c = colourOf(rating);
          if (k == 0) {
            o.rating = rating;
          } else {
            static constexpr int lo[3] = {1, 7, 14};
            static constexpr int hi[3] = {6, 13, 19};
            o.rating = std::clamp(rating + rng.below(3) - 1, lo[c], hi[c]);
          }
          o.note = kNotes[static_cast<std::size_t>(f)][static_cast<std::size_t>(c)];
          const double jitter = k == 0 ? 3 : 8;
          o.x = std::round((kE0 + p.x + rng.uniform(-jitter, jitter)) * 100) / 100;
          o.y = std::round((kN0 + p.y + rng.uniform(-jitter, jitter)) * 100) / 100;
          rows.push_back(std::move(o));
        }
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Perception: pins and survey answers.

constexpr std::array<const char*, 3> kGenders = {"kvinna", "man", "annat"};
constexpr std::array<double, 3> kGenderShare = {0.56, 0.40, 0.04};
constexpr std::array<const char*, 4> kAgeBands = {"16-24", "25-44", "45-64", "65+"};
constexpr std::array<double, 4> kAgeShare = {0.20, 0.35, 0.28, 0.17};

struct PinRow {
  std::string id, round, time_of_day, gender, age_band;
  double x, y;
};

std::vector<PinRow> makePins(std::uint64_t seed) {
  Rng rng(seed, 31);
  std::vector<PinRow> rows;
  int next_id = 1;
  for (int round = 0; round < 2; ++round) {
    const int n = round == 0 ? 1400 : 1150;
    std::vector<double> w;
    for (const PlaceDef& p : places()) {
      const double u = round == 0 ? p.unsafe : p.unsafe_followup;
      w.push_back((u - 1) * (u - 1) * (u - 1));
    }
    for (int k = 0; k < n; ++k) {
      PinRow r;
      r.id = fmt::format("N{:05d}", next_id++);
      r.round = round == 0 ? "baseline" : "followup";
      double x, y;
      if (rng.chance(0.1)) {
        x = rng.uniform(-1300, 1300);
        y = rng.uniform(-1300, 1300);
      } else {
        const PlaceDef& p = places()[static_cast<std::size_t>(rng.pick(w))];
        if (!p.polygon.empty()) {
          const Xy q = uniformIn(rng, p.polygon);
          x = q.x;
          y = q.y;
        } else {
          x = p.x + rng.normal() * 20;
          y = p.y + rng.normal() * 20;
        }
      }
      const int g = rng.pick(kGenderShare);
      r.gender = kGenders[static_cast<std::size_t>(g)];
      r.age_band = kAgeBands[static_cast<std::size_t>(rng.pick(kAgeShare))];
      r.time_of_day = rng.chance(g == 0 ? 0.78 : 0.65) ? "dark" : "day";
      r.x = std::round((kE0 + x) * 100) / 100;
      r.y = std::round((kN0 + y) * 100) / 100;
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

struct AnswerRow {
  std::string respondent, place_id, round, gender, age_band;
  int value;
};

std::vector<AnswerRow> makeAnswers(std::uint64_t seed) {
  Rng rng(seed, 41);
  std::vector<AnswerRow> rows;
  const auto& ps = places();
  for (int round = 0; round < 2; ++round) {
    const int n = round == 0 ? 700 : 650;
    for (int k = 0; k < n; ++k) {
      const std::string resp = fmt::format("{}{:04d}", round == 0 ? 'B' : 'F', k + 1);
      const int g = rng.pick(kGenderShare);
      const int age = rng.pick(kAgeShare);
      const int home = rng.below(4);
      // Places in the home area, the town centre, the station and the
      // town-wide places outside every area.
      std::vector<std::size_t> cand;
      for (std::size_t i = 0; i < ps.size(); ++i) {
        if (ps[i].area == home || ps[i].area <= 1) cand.push_back(i);  // <= 1: centre, station, outside
      }
      const int answers = 5 + rng.below(4);
      for (int a = 0; a < answers && !cand.empty(); ++a) {
        const std::size_t j = static_cast<std::size_t>(rng.below(static_cast<int>(cand.size())));
        const PlaceDef& p = ps[cand[j]];
        cand.erase(cand.begin() + static_cast<std::ptrdiff_t>(j));
        const double u = round == 0 ? p.unsafe : p.unsafe_followup;
        const double shift = (g == 0 ? 0.45 : g == 2 ? 0.3 : -0.3) + (age == 0 ? -0.2 : age == 3 ? 0.4 : 0);
        const double v = u + shift + 0.7 * rng.normal();
        AnswerRow r;
        r.respondent = resp;
        r.place_id = p.id;
        r.round = round == 0 ? "baseline" : "followup";
        r.gender = kGenders[static_cast<std::size_t>(g)];
        r.age_band = kAgeBands[static_cast<std::size_t>(age)];
        r.value = static_cast<int>(std::clamp(std::lround(v), 1L, 5L));
        rows.push_back(std::move(r));
      }
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Measures: street lights and vegetation.

struct LightRow {
  std::string id, status, date, origin;
  double radius, x, y;
};

// Streets the lighting stock follows (offsets).
const std::vector<std::pair<Xy, Xy>>& streets() {
  static const std::vector<std::pair<Xy, Xy>> s = {
      {{-1350, 20}, {1350, 20}},      // Storgatan
      {{-100, -1350}, {-100, 1350}},  // Kyrkogatan
      {{100, -100}, {620, -100}},     // Stationsgatan
      {{-650, 600}, {550, 600}},      // Backavägen
      {{-500, 1000}, {400, 1000}},    // Backaringen
      {{-1250, -650}, {-200, -650}},  // Ängsvägen
      {{-1100, -1000}, {-250, -1000}},// Ängsringen
      {{900, -400}, {900, 400}},      // Järnvägsgatan
  };
  return s;
}
// Places with no working light nearby at the start of the project.
constexpr std::array<const char*, 6> kDarkPlaces = {"P15", "P30", "P26", "P12", "P37", "P40"};

struct PlannedLights {
  const char* place;
  const char* status;
  const char* date;
  int count;
  double spacing;  // along a line through the place (east-west), m
  double radius;
  bool ring;       // centre plus a ring of count-1 lights at 30 m
};
const std::vector<PlannedLights>& actionPlanLights() {
  static const std::vector<PlannedLights> l = {
      {"P12", "done", "2025-02-14", 5, 20, 20, false},  {"P37", "done", "2025-06-10", 5, 20, 20, false},
      {"P06", "done", "2024-12-05", 4, 25, 20, false},  {"P45", "done", "2025-03-20", 4, 25, 18, false},
      {"P18", "started", "2025-11-03", 3, 25, 20, false}, {"P15", "planned", "2026-03-31", 7, 0, 25, true},
      {"P30", "planned", "2026-05-31", 6, 20, 20, false},
  };
  return l;
}

std::vector<LightRow> makeLights(std::uint64_t seed) {
  Rng rng(seed, 51);
  std::vector<LightRow> rows;
  int next_id = 1;
  auto placeXy = [](std::string_view id) {
    for (const PlaceDef& p : places())
      if (id == p.id) return Xy{p.x, p.y};
    throw Error(fmt::format("demo town: unknown place {}", id));
  };
  std::vector<Xy> dark;
  for (const char* id : kDarkPlaces) dark.push_back(placeXy(id));
  for (const auto& [a, b] : streets()) {
    const double len = std::hypot(b.x - a.x, b.y - a.y);
    const double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
    int k = 0;
    for (double s = 10; s < len; s += 35, ++k) {
      const double side = (k % 2 == 0) ? 8 : -8;
      const double x = a.x + ux * s - uy * side, y = a.y + uy * s + ux * side;
      bool near_dark = false;
      for (const Xy& d : dark) near_dark = near_dark || std::hypot(x - d.x, y - d.y) < 80;
      if (near_dark) continue;
      LightRow r;
      r.id = fmt::format("L{:04d}", next_id++);
      r.status = "done";
      r.origin = "existing";
      r.date = formatDate(2005 + rng.below(18), 1 + rng.below(12), 1 + rng.below(28));
      r.radius = 15 + rng.below(11);
      r.x = std::round((kE0 + x) * 100) / 100;
      r.y = std::round((kN0 + y) * 100) / 100;
      rows.push_back(std::move(r));
    }
  }
  // Lights at the places themselves (the stock before the project): busy
  // places well lit, parks and playgrounds less, the dark places none.
  for (const PlaceDef& p : places()) {
    bool is_dark = false;
    for (const char* id : kDarkPlaces) is_dark = is_dark || std::string_view(id) == p.id;
    if (is_dark) continue;
    const std::string_view kind = p.kind;
    int n = 3;
    if (kind == "square" || kind == "pedestrian_street" || kind == "shopping_centre" || kind == "station" ||
        kind == "bus_stop" || kind == "nightlife") {
      n = 5;
    } else if (kind == "parking") {
      n = 4;
    } else if (kind == "park" || kind == "playground" || kind == "recycling") {
      n = 1;
    }
    for (int k = 0; k < n; ++k) {
      const double ang = rng.uniform(0, 2 * std::numbers::pi), r = rng.uniform(5, 40);
      const double x = p.x + r * std::cos(ang), y = p.y + r * std::sin(ang);
      bool near_dark = false;
      for (const Xy& d : dark) near_dark = near_dark || std::hypot(x - d.x, y - d.y) < 80;
      if (near_dark) continue;
      rows.push_back({fmt::format("L{:04d}", next_id++), "done",
                      formatDate(2005 + rng.below(18), 1 + rng.below(12), 1 + rng.below(28)), "existing",
                      static_cast<double>(15 + rng.below(11)), std::round((kE0 + x) * 100) / 100,
                      std::round((kN0 + y) * 100) / 100});
    }
  }
  // One old, weak light at the railway underpass: almost dark.
  {
    const Xy p = placeXy("P15");
    rows.push_back({fmt::format("L{:04d}", next_id++), "done", "2011-10-04", "existing", 15,
                    std::round((kE0 + p.x - 40) * 100) / 100, std::round((kN0 + p.y + 25) * 100) / 100});
  }
  for (const PlannedLights& pl : actionPlanLights()) {
    const Xy c = placeXy(pl.place);
    for (int k = 0; k < pl.count; ++k) {
      double x, y;
      if (pl.ring) {
        if (k == 0) {
          x = c.x;
          y = c.y;
        } else {
          const double ang = 2 * std::numbers::pi * (k - 1) / (pl.count - 1);
          x = c.x + 30 * std::cos(ang);
          y = c.y + 30 * std::sin(ang);
        }
      } else {
        x = c.x + (k - (pl.count - 1) / 2.0) * pl.spacing;
        y = c.y + ((k % 2 == 0) ? 6 : -6);
      }
      rows.push_back({fmt::format("L{:04d}", next_id++), pl.status, pl.date, "action_plan", pl.radius,
                      std::round((kE0 + x) * 100) / 100, std::round((kN0 + y) * 100) / 100});
    }
  }
  return rows;
}

struct VegRow {
  std::string id, status, date, place_id, note;
  Ring ring;  // absolute coordinates
};

std::vector<VegRow> makeVegetation(std::uint64_t seed) {
  Rng rng(seed, 61);
  struct Def {
    const char* place;
    const char* status;
    const char* date;
    double dx, dy, r;
    const char* note;
  };
  static const std::array<Def, 10> defs = {{
      {"P45", "done", "2025-04-15", 10, 0, 22, "Buskage längs gångvägen i parken"},
      {"P46", "done", "2025-05-12", -15, 10, 20, "Häck mot stationen"},
      {"P15", "planned", "2026-04-30", 25, 20, 18, "Sly på banvallen vid tunneln"},
      {"P30", "planned", "2026-04-30", 10, -15, 24, "Skogsbryn längs gångvägen"},
      {"P48", "done", "2025-05-20", 0, 15, 20, "Buskage vid lekytan"},
      {"P40", "started", "2025-10-01", -10, 10, 22, "Sly längs bäcken"},
      {"P26", "planned", "2026-05-15", 20, 15, 15, "Buskar vid tunnelmynningen"},
      {"P47", "planned", "2026-05-15", -20, 0, 18, "Häck mot Backaringen"},
      {"P12", "done", "2025-02-10", -20, 12, 14, "Buskar vid tunnelns västra mynning"},
      {"P37", "done", "2025-06-01", 15, -10, 16, "Buskage vid Ängsleden"},
  }};
  std::vector<VegRow> rows;
  int next_id = 1;
  for (const Def& d : defs) {
    Xy c{};
    for (const PlaceDef& p : places())
      if (std::string_view(d.place) == p.id) c = {p.x + d.dx, p.y + d.dy};
    VegRow v;
    v.id = fmt::format("V{:02d}", next_id++);
    v.status = d.status;
    v.date = d.date;
    v.place_id = d.place;
    v.note = d.note;
    for (int k = 0; k < 8; ++k) {  // an irregular octagon
      const double ang = 2 * std::numbers::pi * k / 8;
      const double r = d.r * rng.uniform(0.7, 1.2);
      v.ring.push_back({std::round((kE0 + c.x + r * std::cos(ang)) * 100) / 100,
                        std::round((kN0 + c.y + r * std::sin(ang)) * 100) / 100});
    }
    rows.push_back(std::move(v));
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Writing.

std::string csvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

// Writes to "<name>.partial" and renames over the final name.
void writeTextFile(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throwDataError("demo: cannot write {}; check that the folder is writable", tmp.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throwDataError("demo: writing {} failed (disk full?)", tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throwDataError("demo: cannot rename {} to {}: {}", tmp.string(), path.string(), ec.message());
}

struct Field {
  const char* name;
  OGRFieldType type;
};

// A GeoPackage written through GDAL, with a fixed OGR_CURRENT_DATE so that
// gpkg_contents.last_change (and so the file) is the same on every run.
class GpkgFile {
 public:
  explicit GpkgFile(const fs::path& path) : m_path(path), m_tmp(path.parent_path() / (path.stem().string() + ".partial.gpkg")) {
    std::error_code ec;
    fs::remove(m_tmp, ec);
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (drv == nullptr) throwDataError("demo: GDAL has no GPKG driver; install GDAL with GeoPackage support");
    m_ds = drv->Create(m_tmp.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (m_ds == nullptr) throwDataError("demo: cannot create {}: {}", m_tmp.string(), CPLGetLastErrorMsg());
    // One transaction per file: features are not committed one by one.
    if (m_ds->StartTransaction() != OGRERR_NONE) throwDataError("demo: cannot start a transaction in {}", m_tmp.string());
    m_srs.importFromEPSG(3006);
    m_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  }
  GpkgFile(const GpkgFile&) = delete;
  GpkgFile& operator=(const GpkgFile&) = delete;
  ~GpkgFile() {
    if (m_ds != nullptr) {
      GDALClose(m_ds);
      std::error_code ec;
      fs::remove(m_tmp, ec);
    }
  }
  OGRLayer* layer(const char* name, OGRwkbGeometryType type, const std::vector<Field>& fields) {
    char** opts = nullptr;
    opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "YES");
    opts = CSLSetNameValue(opts, "FID", "fid");
    OGRLayer* l = m_ds->CreateLayer(name, &m_srs, type, opts);
    CSLDestroy(opts);
    if (l == nullptr) throwDataError("demo: cannot create layer {} in {}: {}", name, m_tmp.string(), CPLGetLastErrorMsg());
    for (const Field& f : fields) {
      OGRFieldDefn def(f.name, f.type);
      if (l->CreateField(&def) != OGRERR_NONE) throwDataError("demo: cannot create field {}.{}", name, f.name);
    }
    return l;
  }
  void add(OGRLayer* l, OGRFeature& f) {
    if (l->CreateFeature(&f) != OGRERR_NONE) {
      throwDataError("demo: cannot write a feature to {}: {}", m_tmp.string(), CPLGetLastErrorMsg());
    }
  }
  void commit() {
    if (m_ds->CommitTransaction() != OGRERR_NONE) throwDataError("demo: cannot commit {}", m_tmp.string());
    CPLErrorReset();
    GDALClose(m_ds);
    m_ds = nullptr;
    if (CPLGetLastErrorType() == CE_Failure) {
      throwDataError("demo: closing {} failed: {}", m_tmp.string(), CPLGetLastErrorMsg());
    }
    std::error_code ec;
    fs::rename(m_tmp, m_path, ec);
    if (ec) throwDataError("demo: cannot rename {} to {}: {}", m_tmp.string(), m_path.string(), ec.message());
  }

 private:
  fs::path m_path, m_tmp;
  GDALDataset* m_ds = nullptr;
  OGRSpatialReference m_srs;
};

OGRPolygon polygonOf(const Ring& ring, double e0, double n0) {
  OGRLinearRing lr;
  for (const Xy& p : ring) lr.addPoint(e0 + p.x, n0 + p.y);
  lr.closeRings();
  OGRPolygon poly;
  poly.addRing(&lr);
  return poly;
}

void setDate(OGRFeature& f, const char* field, const std::string& iso) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d) != 3) throw Error("demo: bad date " + iso);
  f.SetField(field, y, m, d, 0, 0, 0.0F, 0);
}

void writeAreas(const fs::path& path) {
  GpkgFile g(path);
  OGRLayer* l = g.layer("areas", wkbPolygon, {{"id", OFTString}, {"name", OFTString}});
  for (const AreaDef& a : areas()) {
    OGRFeature f(l->GetLayerDefn());
    f.SetField("id", a.id);
    f.SetField("name", a.name);
    OGRPolygon poly = polygonOf(a.ring, kE0, kN0);
    f.SetGeometry(&poly);
    g.add(l, f);
  }
  g.commit();
}

void writePlaces(const fs::path& path) {
  GpkgFile g(path);
  const std::vector<Field> fields = {{"id", OFTString}, {"name", OFTString}, {"kind", OFTString}};
  OGRLayer* pts = g.layer("places", wkbPoint, fields);
  for (const PlaceDef& p : places()) {
    if (!p.polygon.empty()) continue;
    OGRFeature f(pts->GetLayerDefn());
    f.SetField("id", p.id);
    f.SetField("name", p.name);
    f.SetField("kind", p.kind);
    OGRPoint pt(kE0 + p.x, kN0 + p.y);
    f.SetGeometry(&pt);
    g.add(pts, f);
  }
  OGRLayer* polys = g.layer("place_polygons", wkbPolygon, fields);
  for (const PlaceDef& p : places()) {
    if (p.polygon.empty()) continue;
    OGRFeature f(polys->GetLayerDefn());
    f.SetField("id", p.id);
    f.SetField("name", p.name);
    f.SetField("kind", p.kind);
    OGRPolygon poly = polygonOf(p.polygon, kE0, kN0);
    f.SetGeometry(&poly);
    g.add(polys, f);
  }
  g.commit();
}

void writeLights(const fs::path& path, const std::vector<LightRow>& rows) {
  GpkgFile g(path);
  OGRLayer* l = g.layer("street_lights", wkbPoint,
                        {{"id", OFTString}, {"status", OFTString}, {"date", OFTDate}, {"radius", OFTReal},
                         {"origin", OFTString}});
  for (const LightRow& r : rows) {
    OGRFeature f(l->GetLayerDefn());
    f.SetField("id", r.id.c_str());
    f.SetField("status", r.status.c_str());
    setDate(f, "date", r.date);
    f.SetField("radius", r.radius);
    f.SetField("origin", r.origin.c_str());
    OGRPoint pt(r.x, r.y);
    f.SetGeometry(&pt);
    g.add(l, f);
  }
  g.commit();
}

void writeVegetation(const fs::path& path, const std::vector<VegRow>& rows) {
  GpkgFile g(path);
  OGRLayer* l = g.layer("vegetation", wkbPolygon,
                        {{"id", OFTString}, {"status", OFTString}, {"date", OFTDate}, {"place_id", OFTString},
                         {"note", OFTString}});
  for (const VegRow& r : rows) {
    OGRFeature f(l->GetLayerDefn());
    f.SetField("id", r.id.c_str());
    f.SetField("status", r.status.c_str());
    setDate(f, "date", r.date);
    f.SetField("place_id", r.place_id.c_str());
    f.SetField("note", r.note.c_str());
    OGRPolygon poly = polygonOf(r.ring, 0, 0);
    f.SetGeometry(&poly);
    g.add(l, f);
  }
  g.commit();
}

// Sets a thread-local GDAL config option for the scope.
class ScopedConfig {
 public:
  ScopedConfig(const char* key, const char* value) : m_key(key) {
    const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
    if (old != nullptr) m_old = old;
    m_had = old != nullptr;
    CPLSetThreadLocalConfigOption(key, value);
  }
  ~ScopedConfig() { CPLSetThreadLocalConfigOption(m_key, m_had ? m_old.c_str() : nullptr); }
  ScopedConfig(const ScopedConfig&) = delete;
  ScopedConfig& operator=(const ScopedConfig&) = delete;

 private:
  const char* m_key;
  std::string m_old;
  bool m_had = false;
};

}  // namespace

std::vector<std::filesystem::path> DemoTownFiles::all() const {
  return {areas, places, incidents, observations, perception_pins, survey_answers, street_lights, vegetation};
}

DemoTownFiles generateDemoTown(const std::filesystem::path& dir, const DemoTownOptions& options) {
  if (options.incidents < 5000) {
    throwUsageError("demo: --incidents must be at least 5000 (got {}): the planted patterns alone take about 3300 rows",
                    options.incidents);
  }
  if (options.incidents > 10'000'000) {
    throwUsageError("demo: --incidents must be at most 10000000 (got {})", options.incidents);
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throwDataError("demo: cannot create folder {}: {}", dir.string(), ec.message());

  DemoTownFiles files;
  files.dir = dir;
  files.areas = dir / "areas.gpkg";
  files.places = dir / "places.gpkg";
  files.incidents = dir / "incidents.csv";
  files.observations = dir / "observations.csv";
  files.perception_pins = dir / "perception_pins.csv";
  files.survey_answers = dir / "survey_answers.csv";
  files.street_lights = dir / "street_lights.gpkg";
  files.vegetation = dir / "vegetation.gpkg";

  GDALAllRegister();
  // Reproducible GeoPackages: gpkg_contents.last_change gets a fixed timestamp.
  ScopedConfig date("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z");

  writeAreas(files.areas);
  writePlaces(files.places);
  writeLights(files.street_lights, makeLights(options.seed));
  writeVegetation(files.vegetation, makeVegetation(options.seed));

  {
    const std::vector<IncidentRow> rows = makeIncidents(options.seed, options.incidents);
    std::string out = "id,time,time_from,time_to,category,x,y,source\n";
    out.reserve(rows.size() * 80);
    std::int64_t id = 1;
    for (const IncidentRow& r : rows) {
      const std::string when = r.to < 0 ? formatTime(r.from) + ",," : "," + formatTime(r.from) + "," + formatTime(r.to);
      out += fmt::format("{},{},{},{:.2f},{:.2f},{}\n", id++, when, csvField(r.word), r.x, r.y, r.source);
    }
    writeTextFile(files.incidents, out);
  }
  {
    std::string out = "id,round,date,factor,rating,place_id,x,y,note\n";
    for (const ObsRow& o : makeObservations(options.seed)) {
      out += fmt::format("{},{},{},{},{},{},{:.2f},{:.2f},{}\n", o.id, o.round, o.date, o.factor, o.rating,
                         o.place_id, o.x, o.y, csvField(o.note));
    }
    writeTextFile(files.observations, out);
  }
  {
    std::string out = "id,x,y,round,time_of_day,gender,age_band\n";
    for (const PinRow& p : makePins(options.seed)) {
      out += fmt::format("{},{:.2f},{:.2f},{},{},{},{}\n", p.id, p.x, p.y, p.round, p.time_of_day, p.gender,
                         p.age_band);
    }
    writeTextFile(files.perception_pins, out);
  }
  {
    std::string out = "respondent_id,place_id,question,value,gender,age_band,round\n";
    for (const AnswerRow& a : makeAnswers(options.seed)) {
      out += fmt::format("{},{},unsafe_after_dark,{},{},{},{}\n", a.respondent, a.place_id, a.value, a.gender,
                         a.age_band, a.round);
    }
    writeTextFile(files.survey_answers, out);
  }
  return files;
}

}  // namespace trygg::engine
