#!/usr/bin/env bash
# The Windows backend under Wine: cross-builds the Windows test binaries
# (rtnl-winsnap's, rtnl's tests/windows.rs and rtnl's unit tests) and
# rtnl.exe (x86_64-pc-windows-gnu), then, inside a network namespace this
# script creates, runs the tests under Wine and compares the Windows build's
# `rtnl -j link|addr|route|neigh show` with the Linux build's on the same
# namespace. Installs what it needs (mingw, wine64, the Rust target).
# Stops everything it started: the namespace, the wineserver, the temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# What Wine 8 cannot report, and so is not compared (the reason for each):
NOT_COMPARED=(
  "IPv6 neighbours: Wine's GetIpNetTable2(AF_INET6) is not implemented (ERROR_INVALID_FUNCTION); the backend reports an empty IPv6 table"
  "IPv6 routes and the local/broadcast routes: Wine's GetIpForwardTable2 lists only the IPv4 routes of Linux's main table"
  "address lifetimes and 'dynamic'/'permanent': Wine reports 60000 s for every address"
  "IPv6 address flags (nodad ...): Wine reports every address as preferred"
  "route protocol and metric: Wine reports its own (NETMGMT = 'static' for gateway routes; its own metric values)"
  "operstate of lo: Windows' loopback is up, Linux's lo UNKNOWN"
  "qdisc, txqlen, group, the veth peer (IFLA_LINK): iphlpapi has no such fields"
  "ifalias and altnames: Windows-only data (description, adapter GUID name)"
)

if [ "$(id -u)" != 0 ]; then
  echo "windows-test: not root (needs apt-get and network namespaces): skipped"
  exit 0
fi

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x "$WINE" ] || need+=(wine64)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
rustup target add "$TARGET" >/dev/null

echo "--- cross-building for $TARGET"
cargo build --quiet -p rtnl-cli
cargo build --quiet -p rtnl-cli --target "$TARGET"
exes=$(
  {
    cargo test --no-run -p rtnl-winsnap --target "$TARGET" 2>&1
    cargo test --no-run -p rtnl --test windows --target "$TARGET" 2>&1
    # rtnl's own unit tests: the queue's event, the notification callbacks.
    cargo test --no-run -p rtnl --lib --target "$TARGET" 2>&1
  } | sed -n 's/^ *Executable .*(\(.*\.exe\))$/\1/p'
)
[ -n "$exes" ] || { echo "windows-test: no test executables were built"; exit 1; }

NS="rtnlwin$$"
TMP=$(mktemp -d /tmp/rtnl-wine.XXXXXX)
export WINEPREFIX="$TMP/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  # The wineserver of our own prefix only; it was started in the namespace.
  "$WINESERVER" -k >/dev/null 2>&1 || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

mkdir -p "$TMP/bin"
# Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std imports.
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$TMP/bin/bcryptprimitives.dll" \
  scripts/windows/processprng.c -ladvapi32
cp $exes "$CARGO_TARGET_DIR/$TARGET/debug/rtnl.exe" "$TMP/bin/"

echo "--- namespace $NS: veth0/veth1, addresses, routes, a permanent neighbour"
ip netns add "$NS"
nsx() { ip netns exec "$NS" "$@"; }
nsx ip link set lo up
nsx ip link add veth0 type veth peer name veth1
nsx ip link set veth0 address 02:00:00:00:00:01 mtu 1400
nsx ip link set veth1 address 02:00:00:00:00:02 mtu 1400
nsx ip link set veth0 up
nsx ip link set veth1 up
nsx ip addr add 10.9.0.1/24 brd + dev veth0
nsx ip addr add 10.9.1.1/28 brd + dev veth0
nsx ip addr add 10.9.0.2/24 brd + dev veth1
nsx ip addr add 2001:db8:9::1/64 dev veth0 nodad
nsx ip route add 10.99.0.0/16 via 10.9.0.2
nsx ip route add default via 10.9.0.2 metric 50
nsx ip neigh add 10.9.0.3 lladdr 02:00:00:00:00:03 dev veth0 nud permanent
nsx ip -6 neigh add 2001:db8:9::3 lladdr 02:00:00:00:00:03 dev veth0 nud permanent

wine() { nsx timeout 120 "$WINE" "$@"; }
wine "$TMP/bin/rtnl.exe" link show >/dev/null 2>&1 || true # creates the prefix

fail=0
echo "--- Windows test binaries under Wine"
for e in $exes; do
  b=$(basename "$e")
  if wine "$TMP/bin/$b" --test-threads=1 >"$TMP/out.txt" 2>&1; then
    grep "test result" "$TMP/out.txt" | sed "s/^/$b: /"
  else
    echo "$b: FAILED"; cat "$TMP/out.txt"; fail=1
  fi
done

echo "--- rtnl -j ... show: Windows build (Wine) against Linux build"
for obj in link addr route neigh; do
  nsx "$CARGO_TARGET_DIR/debug/rtnl" -j "$obj" show >"$TMP/linux-$obj.json"
  wine "$TMP/bin/rtnl.exe" -j "$obj" show >"$TMP/windows-$obj.json" 2>"$TMP/err.txt" \
    || { echo "$obj: rtnl.exe failed"; cat "$TMP/err.txt"; fail=1; continue; }
  python3 scripts/windows/compare.py "$obj" "$TMP/linux-$obj.json" "$TMP/windows-$obj.json" || fail=1
done

echo "--- not compared (Wine cannot report it):"
printf '  - %s\n' "${NOT_COMPARED[@]}"
[ "$fail" = 0 ] && echo "windows-test: passed" || echo "windows-test: FAILED"
exit "$fail"
