#!/usr/bin/env bash
# Configures and builds trygg in ./build (Release). Extra args go to cmake;
# TARGET=trygg builds only the command-line program.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > build.cmake.log 2>&1 || { cat build.cmake.log; exit 1; }
cmake --build build -j "$JOBS" ${TARGET:+--target "$TARGET"}
