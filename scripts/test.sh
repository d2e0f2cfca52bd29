#!/usr/bin/env bash
# Sets up the machine, builds everything and runs every test:
#   1. the generated codec is what the generator makes from Kafka 4.1.1's specs
#   2. release build + all unit tests (ctest)
#   3. one clang build with ASan+UBSan (and libFuzzer's coverage): every
#      test again, then the libFuzzer targets, each for a fixed budget
#      (FUZZ_SECONDS, default 45)
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-45}
JOBS=${JOBS:-$(nproc)}
started=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }

step "setup"
scripts/setup.sh

step "generated protocol code matches Kafka 4.1.1's specs"
if mvn -q -B dependency:get -Dartifact=org.apache.kafka:kafka-clients:4.1.1 >/dev/null 2>&1; then
  tools/codegen/regenerate.sh
  git diff --exit-code --stat -- common/protocol/generated tests/protocol/generated
  if [ -n "$(git status --porcelain -- common/protocol/generated tests/protocol/generated)" ]; then
    echo "generated code is stale: commit the output of tools/codegen/regenerate.sh" >&2
    exit 1
  fi
else
  echo "!! NOT CHECKED: Maven Central is unreachable, so the committed codec was not"
  echo "!! compared with a fresh generation from kafka-clients-4.1.1.jar."
fi

step "release build"
# Line tables only (-g1): backtraces keep file:line, and the build is faster.
# Unity builds: several .cpp files of a target compiled as one, so the
# headers (Asio, spdlog, the generated messages) are parsed once per batch,
# not per file; a fresh build takes about half the time.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build build -j "$JOBS"

step "unit, system and cross-check tests"
ctest --test-dir build -j "$JOBS" --output-on-failure | tee build/ctest.log
reference_state=build/tests/crosscheck/reference/reference.txt
if ! grep -q '^bootstrap=' "$reference_state" 2>/dev/null; then
  echo "!! NOT CROSS-CHECKED: no reference Kafka 4.1.1 ($(cat "$reference_state" 2>/dev/null || echo 'not started'))."
  echo "!! The cross-check scenarios ran against kafkalite only and compared nothing."
fi

step "sanitizer build (clang, ASan+UBSan, with the libFuzzer targets)"
# One build serves both the sanitized tests and the fuzz targets (clang, as
# libFuzzer needs), so nothing is compiled a third time. -O1 and line tables
# only: it compiles much faster so, and still gives file:line in every report.
SANITIZE_FLAGS=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DKAFKALITE_SANITIZE=ON -DKAFKALITE_FUZZ=ON
                -DCMAKE_UNITY_BUILD=ON)
CXX=clang++ cmake -S . -B build-sanitize -G Ninja "${SANITIZE_FLAGS[@]}" >/dev/null
cmake --build build-sanitize -j "$JOBS"

step "unit tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-sanitize -j "$JOBS" --output-on-failure | tee build-sanitize/ctest.log

step "fuzzing, ${FUZZ_SECONDS}s per target"
fuzz=build-sanitize/tests/fuzz
rm -rf "$fuzz/seeds" && mkdir -p "$fuzz/seeds/record_batch" "$fuzz/seeds/request_frame" \
  "$fuzz/seeds/broker_state" "$fuzz/corpus/record_batch" "$fuzz/corpus/request_frame" "$fuzz/corpus/broker_state"
"$fuzz/fuzz_seeds" "$fuzz/seeds/record_batch" "$fuzz/seeds/request_frame"
for f in tests/protocol/golden/frames/*/*_request.bin; do  # real client requests, unframed
  tail -c +5 "$f" >"$fuzz/seeds/request_frame/golden_$(basename "$(dirname "$f")")_$(basename "$f")"
done
# broker_state: programs of requests against an in-memory broker, with the
# log's invariants checked after every step.
for target in request_frame record_batch broker_state; do
  "$fuzz/${target}_fuzzer" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 "$fuzz/corpus/$target" "$fuzz/seeds/$target" 2>"$fuzz/$target.log" ||
    { tail -50 "$fuzz/$target.log"; echo "fuzzer $target found a problem" >&2; exit 1; }
  echo "$target: $(grep -h 'stat::number_of_executed_units' "$fuzz/$target.log" | awk '{print $2}') executions, no finding"
done

step "all tests passed"
# One closing line for both ctest runs (pipefail made any failure fatal above).
total=$(grep -h "tests passed, 0 tests failed out of" build/ctest.log build-sanitize/ctest.log |
  awk '{sum += $NF} END {print sum}')
echo "kafkalite: $total passed, 0 failed"
