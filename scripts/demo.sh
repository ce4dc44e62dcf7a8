#!/usr/bin/env bash
# Builds the rtnl binary and shows this machine's links, addresses, routes,
# neighbours and rules, the way `ip` would. Read-only: it changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin rtnl
rtnl=target/release/rtnl
for cmd in "link show" "addr show" "route show" "-6 route show" "neigh show" "rule show"; do
  echo "== rtnl $cmd"
  # shellcheck disable=SC2086
  "$rtnl" $cmd
done
