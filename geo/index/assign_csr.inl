// Implementation of trygg::geo::assignCsr (included by polygon_index.hpp).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace trygg::geo {

template <typename F>
void assignCsr(std::span<const Point> pts, std::size_t chunk, F&& f, std::vector<std::uint32_t>& offsets,
               std::vector<std::uint32_t>& ids) {
  const std::size_t n = pts.size();
  if (chunk == 0) chunk = 16384;
  const std::size_t nchunks = (n + chunk - 1) / chunk;
  offsets.assign(n + 1, 0);
  // Pass 1: per point counts into offsets[i + 1], per chunk ids into a local buffer.
  std::vector<std::vector<std::uint32_t>> local(nchunks);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nchunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<std::uint32_t> tmp;
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const std::size_t b = c * chunk, e = std::min(n, b + chunk);
      auto& buf = local[c];
      buf.reserve(e - b);
      for (std::size_t i = b; i < e; ++i) {
        f(pts[i], tmp);
        offsets[i + 1] = static_cast<std::uint32_t>(tmp.size());
        buf.insert(buf.end(), tmp.begin(), tmp.end());
      }
    }
  });
  // Chunk sizes -> chunk starts (sequential, nchunks is small).
  std::vector<std::size_t> cstart(nchunks + 1, 0);
  for (std::size_t c = 0; c < nchunks; ++c) cstart[c + 1] = cstart[c] + local[c].size();
  ids.resize(cstart[nchunks]);
  // Pass 2: prefix sums within each chunk and copy the ids.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nchunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const std::size_t b = c * chunk, e = std::min(n, b + chunk);
      std::uint32_t run = static_cast<std::uint32_t>(cstart[c]);
      // offsets[b] belongs to the previous chunk's last point (or 0): set starts only.
      for (std::size_t i = b; i < e; ++i) {
        const std::uint32_t cnt = offsets[i + 1];
        run += cnt;
        offsets[i + 1] = run;
      }
      std::copy(local[c].begin(), local[c].end(), ids.begin() + static_cast<std::ptrdiff_t>(cstart[c]));
      std::vector<std::uint32_t>().swap(local[c]);
    }
  });
}

}  // namespace trygg::geo
