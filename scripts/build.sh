#!/usr/bin/env bash
# Configures and builds LQER Studio into ./build (Release, Ninja, ccache when available).
# Extra arguments go to the CMake configure step, e.g. -DLQER_BUILD_STUDIO=OFF.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j "$jobs"
