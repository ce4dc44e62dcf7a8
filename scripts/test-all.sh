#!/usr/bin/env bash
# Installs what the tests need, then runs every check and test: format, lint,
# unit and integration tests (network namespaces, needs root), docs, and the
# cross-target builds for the BSDs, macOS and Windows.
# Starts nothing that outlives it; the tests delete the namespaces they make.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "toolchain components and targets"
rustup component add clippy rustfmt >/dev/null 2>&1 || true
CROSS_TARGETS=(x86_64-unknown-freebsd x86_64-unknown-netbsd aarch64-apple-darwin x86_64-apple-darwin x86_64-pc-windows-gnu)
rustup target add "${CROSS_TARGETS[@]}" >/dev/null
# OpenBSD is tier 3: no prebuilt std, so nightly builds it from rust-src.
rustup component add rust-src --toolchain nightly >/dev/null
# ip for the namespaces; zsh and fish to run the completion scripts
# (crates/rtnl-cli/tests/completion_man.rs); groff to render the man page.
need=()
for p in ip:iproute2 zsh:zsh fish:fish groff:groff-base; do
  command -v "${p%%:*}" >/dev/null || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host, all features)"
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings

for t in "${CROSS_TARGETS[@]}"; do
  step "cargo clippy --target $t"
  # The tokio front waits on the emulated socket's fd on the Unix targets.
  features=(); [[ $t == *windows* ]] || features=(--features rtnl/tokio)
  cargo clippy --workspace --quiet --target "$t" "${features[@]}" -- -D warnings
done

step "cargo +nightly check --target x86_64-unknown-openbsd (build-std)"
cargo +nightly check --workspace --quiet -Zbuild-std=std,panic_abort --target x86_64-unknown-openbsd

step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps --quiet

if [ "$(id -u)" != 0 ]; then
  echo "note: not root: the namespace tests will skip themselves"
fi

step "cargo test (all features: the tokio front too)"
cargo test --workspace --all-features 2>&1 | tee target/test-output.txt
grep -q "test result: FAILED" target/test-output.txt && exit 1

# --- Windows under Wine (issue 6): cross-built tests and rtnl.exe in a
# network namespace, compared with the Linux build. Self-contained: installs
# mingw and wine64, stops its wineserver and deletes its namespace.
step "Windows backend under Wine (scripts/windows-test.sh)"
./scripts/windows-test.sh

# --- Fuzzing (issue 8): every cargo-fuzz target for 20 s from its seed
# corpus; fails on a crash. Self-contained: installs nightly and cargo-fuzz.
step "short fuzz pass (scripts/fuzz-smoke.sh)"
./scripts/fuzz-smoke.sh

left=$(ip netns list 2>/dev/null | grep -E '^rtnl' || true)
if [ -n "$left" ]; then
  echo "error: tests left network namespaces behind:"; echo "$left"
  exit 1
fi
echo "all checks passed"
