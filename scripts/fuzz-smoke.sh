#!/usr/bin/env bash
# A short fuzz pass (issue 8): builds every cargo-fuzz target in fuzz/ and
# runs each for FUZZ_SECONDS (default 20) from its committed seed corpus.
# Fails when a target crashes; the input is left in fuzz/artifacts/<target>/.
# Installs what it needs (nightly, cargo-fuzz) on a fresh machine. New
# corpus entries go to a temporary directory, removed on exit, so the
# committed corpus is not changed. See fuzz/RUNS.md for longer runs.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"

# libFuzzer needs nightly (-Zsanitizer).
rustup toolchain list | grep -q '^nightly' ||
  rustup toolchain install nightly --profile minimal >/dev/null
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

cargo +nightly fuzz build
# The built targets, run directly (`cargo fuzz run` would re-check the build
# for each one).
# (fuzz/target, unless CARGO_TARGET_DIR moves it.)
bin="${CARGO_TARGET_DIR:-fuzz/target}/$(rustc +nightly -vV | sed -n 's/^host: //p')/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for t in $(cargo +nightly fuzz list); do
  echo "--- fuzz $t (${SECONDS_PER_TARGET}s)"
  mkdir -p "$work/$t" "fuzz/artifacts/$t"
  # New units go to $work/$t; fuzz/corpus/$t is only read.
  if [ ! -x "$bin/$t" ]; then
    echo "error: $bin/$t was not built"; exit 1
  fi
  if ! "$bin/$t" "$work/$t" "fuzz/corpus/$t" -artifact_prefix="fuzz/artifacts/$t/" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$work/$t.log" 2>&1; then
    tail -n 40 "$work/$t.log"
    failed+=("$t")
  else
    grep -E '^#[0-9]+.*DONE' "$work/$t.log" | tail -n 1 || true
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets crashed: ${failed[*]} (inputs under fuzz/artifacts/)"
  exit 1
fi
echo "fuzz smoke: every target ran ${SECONDS_PER_TARGET}s without a crash"
