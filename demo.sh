#!/usr/bin/env bash
# Build rfsession and run a full session: login, get, sessions, whoami, logout, printing each
# command exactly as it runs; then say how to go on by hand.
# Against a real BMC:   RFSESSION_HOST=bmc1 RFSESSION_USER=admin ./demo.sh   (asks for the password)
# Without one, against the emulated BMC of the test suite (an iLO 5 profile over TLS on
# 127.0.0.1). `./demo.sh --keep` leaves that emulator running for you to go on with, its CA
# in a directory of its own (printed), so no later run or test touches it.
set -euo pipefail
cd "$(dirname "$0")"
keep=false
case "${1:-}" in
--keep) keep=true ;;
"") ;;
*) echo "usage: ./demo.sh [--keep]" >&2; exit 2 ;;
esac
cargo build --locked --bin rfsession --bin bmc-emulator
bin=$PWD/target/debug
export PATH="$bin:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/rfsession-demo.XXXXXX")
emu_pid=
host=
kept=
finished=false

# Nothing is left behind however the demo ends (done, failed, Ctrl-C, kill, or `| head`):
# the session is ended, the emulator stopped (unless --keep), the cache with the token removed.
cleanup() {
    trap - EXIT INT TERM PIPE HUP
    if [ -n "$host" ]; then
        rfsession logout "$host" >/dev/null 2>&1 || true
    fi
    if [ -n "$emu_pid" ] && ! { $keep && $finished; }; then
        kill "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
        [ -z "$kept" ] || rm -rf "$kept"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 141' PIPE

# Print a command exactly as it runs, then run it.
run() {
    printf '\n$ %s\n' "$(printf '%q ' "$@" | sed 's/ $//')"
    "$@"
}

if [ -n "${RFSESSION_HOST:-}" ]; then
    echo "# PATH=$bin:\$PATH"
    run rfsession login "$RFSESSION_HOST"
    host=$RFSESSION_HOST
else
    if $keep; then
        # Kept after the demo, in a directory of this run's own: the CA where it can still
        # be found, and the emulator's log.
        kept=$(mktemp -d "${TMPDIR:-/tmp}/rfsession-demo-kept.XXXXXX")
        ca=$kept/ca.pem
    else
        ca=$work/ca.pem
    fi
    emulator=(bmc-emulator --profile ilo5 --ca-out "$ca")
    echo "# the emulated BMC: $(printf '%q ' "${emulator[@]}")&"
    if $keep; then
        setsid "${emulator[@]}" >"$work/ready" 2>"$kept/emulator.log" </dev/null &
    else
        "${emulator[@]}" >"$work/ready" </dev/null &
    fi
    emu_pid=$!
    for _ in $(seq 200); do grep -q READY "$work/ready" 2>/dev/null && break; sleep 0.05; done
    ready=$(grep -m1 READY "$work/ready")
    echo "# $ready"
    bmc=$(awk '{sub("https://", "", $2); print $2}' <<<"$ready")
    password=$(awk '{print $6}' <<<"$ready")
    export RFSESSION_CACHE_DIR=$work/cache
    echo "# PATH=$bin:\$PATH RFSESSION_CACHE_DIR=$RFSESSION_CACHE_DIR"
    printf '\n$ echo %q | rfsession --cacert %q login %q -u admin --password-stdin\n' \
        "$password" "$ca" "$bmc"
    echo "$password" | rfsession --cacert "$ca" login "$bmc" -u admin --password-stdin
    host=$bmc
fi
# The entry remembers the CA it was verified with: no --cacert from here on.
run rfsession login "$host"
run rfsession get "$host" /redfish/v1/Systems/1
run rfsession get "$host" /redfish/v1/Systems/1 --pointer /PowerState
run rfsession sessions "$host"
run rfsession whoami "$host"
run rfsession sessions --cached
run rfsession logout "$host"
host=

echo
echo "# Go on by hand: paste these lines into a shell."
echo "export PATH=$(printf '%q' "$bin"):\$PATH   # rfsession and bmc-emulator as built"
if [ -z "$emu_pid" ]; then
    printf 'rfsession login %q\n' "$RFSESSION_HOST"
    exit 0
fi
if $keep; then
    finished=true
    echo "# The emulated BMC keeps running (pid $emu_pid), its CA and log in $kept;"
    echo "# stop it with: kill $emu_pid && rm -r $(printf '%q' "$kept")"
else
    # The demo's emulator is gone: start one on a known port (bmc-emulator --help tells more;
    # --profile idrac --task-seconds 5 shows --wait's progress line).
    bmc=127.0.0.1:8443
    ca=ca.pem
    echo "bmc-emulator --profile ilo5 --port 8443 --ca-out ca.pem & sleep 1   # READY: listening"
fi
echo "export BMC=$bmc RFSESSION_USER=admin RFSESSION_PASSWORD=$password   # as READY says"
echo "rfsession --cacert $(printf '%q' "$ca") login \"\$BMC\"   # the entry remembers the CA: later calls need no --cacert"
echo "rfsession get \"\$BMC\" Systems/1 --pointer /PowerState"
echo "rfsession post \"\$BMC\" Systems/1/Actions/ComputerSystem.Reset ResetType=On"
echo "rfsession logout \"\$BMC\""
