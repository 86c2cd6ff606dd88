#!/usr/bin/env bash
# Second command: install what is missing, build (Release), run every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
source scripts/env.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Release -DPTMC_BUILD_BENCH=ON >/dev/null
cmake --build build-test -j "$(nproc)"
ctest --test-dir build-test --output-on-failure -j "$(nproc)" "$@"
