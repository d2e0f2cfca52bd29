#!/usr/bin/env bash
# Sets up the machine, builds kafkalite, and runs `kafkalite serve`: the lab's
# broker on localhost:19092 (EXTERNAL) and localhost:9092 (PLAINTEXT), the
# web console on http://localhost:8080, data in ./kafkalite-data. Extra arguments go to `kafkalite serve`, e.g.
#   scripts/serve.sh --override num.partitions=3
#   scripts/serve.sh --config server.properties
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >&2
# The same configuration as scripts/test.sh's release build (a unity build).
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j "$(nproc)" --target kafkalite >&2
exec build/cli/kafkalite serve "$@"
