#!/usr/bin/env bash
# Sets up the machine and builds kafkalite. The broker itself (`kafkalite
# serve`) arrives with the broker core; until then this sets up and builds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
if [ -x build/broker/kafkalite ]; then
  exec build/broker/kafkalite serve "$@"
fi
echo "serve: built; the broker is not part of this build yet"
