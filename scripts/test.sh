#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through ctest;
# then builds a second tree (build-asan) with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs the whole suite again there
# (docs/reliability.md). TRYGG_SANITIZERS=0 skips the second pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
LAUNCHER=()
if command -v ccache > /dev/null; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
scripts/build.sh "${LAUNCHER[@]}"
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 600)

if [ "${TRYGG_SANITIZERS:-1}" != 0 ]; then
  # Only what the tests need: no benchmarks. -O1 keeps the build and the
  # tests fast enough for CI; frame pointers give whole stacks in reports.
  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  t0=$(date +%s)
  mkdir -p build-asan
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCMAKE_CXX_FLAGS="$SAN" -DCMAKE_C_FLAGS="$SAN" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DTRYGG_BUILD_BENCHMARKS=OFF "${LAUNCHER[@]}" > build-asan/cmake.log 2>&1 || { cat build-asan/cmake.log; exit 1; }
  cmake --build build-asan -j "${JOBS:-$(nproc)}"
  t1=$(date +%s)
  # halt_on_error: the first finding fails the test. Leak checking is off:
  # GDAL, PROJ and GEOS keep process-lifetime caches that LeakSanitizer
  # reports as leaks (docs/reliability.md).
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  (cd build-asan && ctest --output-on-failure -j "$(nproc)" --timeout 1800)
  t2=$(date +%s)
  echo "sanitizer tree: build $((t1 - t0)) s, ctest $((t2 - t1)) s"
fi
