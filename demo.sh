#!/usr/bin/env bash
# Build rfsession and run a full session: login, get, sessions, whoami, logout.
# Against a real BMC:   RFSESSION_HOST=bmc1 RFSESSION_USER=admin ./demo.sh   (asks for the password)
# Without one, against the emulated BMC of the test suite (an iLO 5 profile over TLS).
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --locked --bin rfsession --bin bmc-emulator
rfs=target/release/rfsession
work=$(mktemp -d)
emu_pid=
cleanup() {
    [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${RFSESSION_HOST:-}" ]; then
    host=$RFSESSION_HOST
    flags=()
    login=("$rfs" login "$host")
else
    target/release/bmc-emulator --profile ilo5 --ca-out "$work/ca.pem" >"$work/ready" &
    emu_pid=$!
    for _ in $(seq 100); do grep -q READY "$work/ready" 2>/dev/null && break; sleep 0.05; done
    host=$(awk '/READY/ {sub("https://", "", $2); print $2; exit}' "$work/ready")
    export RFSESSION_CACHE_DIR="$work/cache"
    flags=(--cacert "$work/ca.pem")
    login=("$rfs" "${flags[@]}" login "$host" -u admin --password-stdin)
    echo "# emulated BMC at $host (user admin)"
fi

run() { printf '\n$ rfsession %s\n' "$*"; "$rfs" "${flags[@]}" "$@"; }
printf '\n$ rfsession login %s\n' "$host"
if [ -n "$emu_pid" ]; then echo 'secret-pw-1' | "${login[@]}"; else "${login[@]}"; fi
trap 'run logout "$host"; cleanup' EXIT
run login "$host"
run get "$host" /redfish/v1/Systems/1
run get "$host" /redfish/v1/Systems/1 --pointer /PowerState
run sessions "$host"
run whoami "$host"
run sessions --cached
