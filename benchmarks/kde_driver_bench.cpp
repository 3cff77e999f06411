// End-to-end KDE driver for benchmarks/e2e/kde_vs_peers.sh: reads the peers' workload
// CSV (id,x,y,datetime,category), runs one kernel density as the peer tool would, and
// prints PHASE lines (wall seconds), the CPU seconds of the KDE call (user + sys of the
// process: a fairer figure than wall time on a shared machine), the raster size, its
// maximum and its integral. TRYGG_THREADS=n caps the TBB threads.
//   kde_driver_bench incidents_1000000.csv quartic|quartic_qgis|gauss_binned|gauss_exact [out.f32]
// quartic*: QGIS's task (r = 200 m, 10 m pixels, raw, extent padded by r);
// gauss_*: spatstat's task (sigma = 100 m, 10 m pixels over the 20 km window, density).
#include <sys/resource.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "geo/hotspot/kde.hpp"

using namespace trygg::geo::hotspot;

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s incidents.csv quartic|quartic_qgis|gauss_binned|gauss_exact [out.f32]\n",
                 argv[0]);
    return 2;
  }
  const std::string task = argv[2];
  std::unique_ptr<tbb::global_control> threads;
  if (const char* n = std::getenv("TRYGG_THREADS"))
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(std::atoi(n)));
  double t = now();
  std::ifstream f(argv[1], std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  std::string buf((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<trygg::Point> pts;
  const char* p = buf.data();
  const char* end = p + buf.size();
  p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))) + 1;  // header
  while (p < end) {
    const char* c1 = static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(end - p)));
    if (!c1) break;
    trygg::Point q;
    auto r = std::from_chars(c1 + 1, end, q.x);
    r = std::from_chars(r.ptr + 1, end, q.y);
    pts.push_back(q);
    const char* nl = static_cast<const char*>(std::memchr(r.ptr, '\n', static_cast<std::size_t>(end - r.ptr)));
    p = nl ? nl + 1 : end;
  }
  buf.clear();
  buf.shrink_to_fit();
  std::printf("PHASE read_csv %.3f\n", now() - t);
  KdeOptions o;
  o.cell = 10;
  if (task.rfind("quartic", 0) == 0) {
    o.bandwidth = 200;
    if (task == "quartic_qgis") o.mode = PixelMode::QgisCompat;
  } else {
    o.kernel = Kernel::Gaussian;
    o.bandwidth = 100;
    o.output = KdeOutput::Density;
    o.extent = trygg::BBox{550000, 6690000, 570000, 6710000};
    o.mode = task == "gauss_exact" ? PixelMode::Exact : PixelMode::Binned;
  }
  t = now();
  const double c = cpuSeconds();
  const RasterGrid g = kernelDensity(pts, {}, o);
  std::printf("PHASE kde_%s %.3f\n", task.c_str(), now() - t);
  std::printf("CPU kde_%s %.3f\n", task.c_str(), cpuSeconds() - c);
  double mx = 0, sum = 0;
  for (float v : g.values)
    if (v != g.nodata) {
      mx = std::max(mx, static_cast<double>(v));
      sum += v;
    }
  std::printf("points %zu grid %d x %d max %.7g integral %.7g\n", pts.size(), g.width, g.height, mx,
              sum * g.cell * g.cell);
  if (argc > 3) {
    std::ofstream out(argv[3], std::ios::binary);
    out.write(reinterpret_cast<const char*>(g.values.data()),
              static_cast<std::streamsize>(g.values.size() * sizeof(float)));
  }
  return 0;
}
