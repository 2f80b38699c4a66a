#!/usr/bin/env bash
# Sanitizers and fuzzing of the C++ core (issue 6, items 4 and 5). Exits non-zero on any failure.
#
#   1. Builds the core, the kernels and every native test with AddressSanitizer (leak checking
#      on) and UndefinedBehaviorSanitizer (-DVARSTORE_SANITIZE=address,undefined) and runs ctest
#      under it: test_naming, test_name_trie, test_variable_store, test_conv2d_relu_isa.
#   2. If clang++ is available: builds the libFuzzer target tests/cpp/fuzz_names.cpp
#      (-fsanitize=fuzzer,address,undefined) and runs it for a bounded time on a copy of the seed
#      corpus tests/cpp/fuzz_corpus/ (FUZZ_SECONDS, default 60).
#
# Needs cmake and ninja (pip install cmake ninja); clang for step 2. On Debian bookworm:
#   apt-get install -y clang libclang-rt-14-dev      # clang 14 + the libFuzzer/sanitizer runtimes
# Budget: ~3 minutes on 2 cores (builds ~1.5 min, ctest ~10 s, fuzzing 60 s).
#
# Longer fuzzing run (hours; keeps the grown corpus, stops at the first crash, writes crash-* here):
#   CC=clang CXX=clang++ cmake -S . -B /tmp/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
#     -DVARSTORE_BUILD_PYTHON=OFF -DVARSTORE_BUILD_TESTS=ON -DVARSTORE_BUILD_FUZZERS=ON
#   cmake --build /tmp/fuzz --target fuzz_names
#   mkdir -p /tmp/fuzz-corpus && cp tests/cpp/fuzz_corpus/* /tmp/fuzz-corpus/
#   UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 /tmp/fuzz/tests/cpp/fuzz_names \
#     -max_total_time=14400 -jobs=2 -workers=2 -print_final_stats=1 /tmp/fuzz-corpus
# Reproduce a crash: /tmp/fuzz/tests/cpp/fuzz_names crash-<sha1>
# Strict mode (also inputs hitting the known core bugs listed in fuzz_names.cpp): add
#   -DCMAKE_CXX_FLAGS=-DVARSTORE_FUZZ_STRICT=1 to the configure line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${SANITIZE_WORK_DIR:-$(mktemp -d)}"
mkdir -p "$work"
if [[ -z "${SANITIZE_WORK_DIR:-}" ]]; then trap 'rm -rf "$work"' EXIT; fi
fuzz_seconds="${FUZZ_SECONDS:-60}"
jobs="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
cd "$root"

step() { printf '\n=== %s ===\n' "$*"; }

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="${LSAN_OPTIONS:-}"

step "configure: ASan + UBSan (${CXX:-default compiler})"
# -O1 (with assertions on): the usual level for ASan; GCC 12 needs ~190 s for the AVX-512
# kernel file at -O2 with the sanitizers, ~40 s at -O1.
cmake -S . -B "$work/asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DVARSTORE_SANITIZE=address,undefined -DVARSTORE_BUILD_PYTHON=OFF -DVARSTORE_BUILD_TESTS=ON \
  > "$work/asan-configure.log" || { cat "$work/asan-configure.log"; exit 1; }

step "build"
cmake --build "$work/asan" --parallel "$jobs" > "$work/asan-build.log" 2>&1 \
  || { tail -n 80 "$work/asan-build.log"; exit 1; }

step "ctest under ASan (detect_leaks=1) + UBSan (halt_on_error=1)"
# Every native test must actually carry the sanitizers: check their binaries.
for t in test_naming test_name_trie test_variable_store test_conv2d_relu_isa; do
  bin="$(find "$work/asan" -type f -name "$t" -perm -u+x | head -n 1)"
  if [[ -z "$bin" ]]; then echo "missing test binary $t"; exit 1; fi
  syms="$(nm -D "$bin" 2>/dev/null; nm "$bin" 2>/dev/null)" || true
  if [[ "$syms" != *__asan_init* ]]; then
    echo "$t is not built with AddressSanitizer"; exit 1
  fi
done
failed=()
# A failing test does not stop the script: the fuzzer runs too, and the exit status covers both.
ctest --test-dir "$work/asan" --output-on-failure --timeout 300 -j "$jobs" || failed+=("ctest under ASan/UBSan")

step "libFuzzer: fuzz_names"
clangxx="${FUZZ_CXX:-$(command -v clang++ || true)}"
if [[ -z "$clangxx" ]]; then
  echo "clang++ not found: fuzzing skipped (apt-get install -y clang libclang-rt-14-dev)"
  if [[ "${REQUIRE_FUZZ:-0}" == 1 ]]; then failed+=("fuzzing (no clang++)"); fi
  if (( ${#failed[@]} )); then echo; echo "sanitize FAILED: ${failed[*]}"; exit 1; fi
  echo; echo "sanitize passed (without fuzzing)"
  exit 0
fi
clangc="$(dirname "$clangxx")/$(basename "$clangxx" | sed 's/clang++/clang/')"
CC="$clangc" CXX="$clangxx" cmake -S . -B "$work/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVARSTORE_BUILD_PYTHON=OFF -DVARSTORE_BUILD_TESTS=ON -DVARSTORE_BUILD_FUZZERS=ON \
  > "$work/fuzz-configure.log" || { cat "$work/fuzz-configure.log"; exit 1; }
cmake --build "$work/fuzz" --parallel "$jobs" --target fuzz_names > "$work/fuzz-build.log" 2>&1 \
  || { tail -n 80 "$work/fuzz-build.log"; exit 1; }
fuzzer="$work/fuzz/tests/cpp/fuzz_names"

# The seed corpus first (no mutation): a regression check of every checked-in input.
if ! "$fuzzer" -runs=0 tests/cpp/fuzz_corpus > "$work/fuzz-seeds.log" 2>&1; then
  grep -E 'INVARIANT VIOLATED|ERROR:|runtime error:' "$work/fuzz-seeds.log" | head -n 5
  failed+=("fuzz_names on the seed corpus")
fi

mkdir -p "$work/corpus" "$work/artifacts"
cp tests/cpp/fuzz_corpus/* "$work/corpus/"
set +e
"$fuzzer" -max_total_time="$fuzz_seconds" -runs=50000000 -rss_limit_mb=2048 -timeout=25 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" > "$work/fuzz.log" 2>&1
rc=$?
set -e
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "$work/fuzz.log" || true
if [[ $rc -ne 0 ]] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|INVARIANT VIOLATED' "$work/fuzz.log"; then
  echo "fuzz_names failed (rc=$rc):"
  grep -E 'INVARIANT VIOLATED|ERROR:|runtime error:|SUMMARY' "$work/fuzz.log" | head -n 20
  tail -n 40 "$work/fuzz.log"
  keep="${FUZZ_ARTIFACT_DIR:-/tmp/varstore-fuzz-artifacts}"
  for a in "$work"/artifacts/*; do
    [[ -e "$a" ]] || continue
    mkdir -p "$keep" && cp "$a" "$keep/"
    echo "crash input saved: $keep/$(basename "$a") (reproduce: fuzz_names <file>)"
  done
  failed+=("fuzz_names (${fuzz_seconds}s run)")
fi

if (( ${#failed[@]} )); then
  echo
  echo "sanitize FAILED: ${failed[*]}"
  exit 1
fi
echo
echo "sanitize passed"
