#!/usr/bin/env bash
# DMTF's Redfish Protocol Validator against every profile of the emulated BMC: one line per
# profile with PASS/WARN/FAIL/NOT_TESTED, then each FAIL. Not part of `cargo test` (it needs
# PyPI once, and about 25 s per profile).
#
# The validator also looks for services by SSDP multicast; that must not leave this machine,
# so the emulator and the validator run in a network namespace of their own that has only
# the loopback interface.
#
#   tests/conformance.sh [PROFILE...]     (default: every profile)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${RPV_VENV:-target/rpv-venv}
version=1.3.2

if [ -z "${RFSESSION_IN_NETNS:-}" ]; then
    if [ ! -x "$venv/bin/rf_protocol_validator" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q "redfish-protocol-validator==$version"
    fi
    cargo build -q -p bmc-emulator
    if [ "$(id -u)" = 0 ]; then ns=(unshare --net); else ns=(unshare --net --map-root-user); fi
    exec "${ns[@]}" env RFSESSION_IN_NETNS=1 bash "$0" "$@"
fi

ip link set lo up
emulator=target/debug/bmc-emulator
profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || mapfile -t profiles < <("$emulator" --profiles | awk 'NR > 1 && $1 !~ /:$/ {print $1}')
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

printf '%-12s %5s %5s %5s %11s\n' PROFILE PASS WARN FAIL NOT_TESTED
for p in "${profiles[@]}"; do
    "$emulator" --profile "$p" --ca-out "$work/ca.pem" >"$work/ready" &
    pid=$!
    for _ in $(seq 50); do grep -q READY "$work/ready" 2>/dev/null && break; sleep 0.1; done
    url=$(awk '/^READY/ {print $2; exit}' "$work/ready")
    rm -rf "$work/report"
    REQUESTS_CA_BUNDLE="$work/ca.pem" "$venv/bin/rf_protocol_validator" -r "$url" \
        -u admin -p secret-pw-1 --ca-bundle "$work/ca.pem" --avoid-http-redirect \
        --report-dir "$work/report" --report-type tsv >"$work/log" 2>&1 || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
    summary=$(sed -n 's/^Summary - //p' "$work/log")
    n() { sed -n "s/.*$1: \([0-9]*\).*/\1/p" <<<"$summary"; }
    printf '%-12s %5s %5s %5s %11s\n' "$p" "$(n PASS)" "$(n WARN)" "$(n FAIL)" "$(n NOT_TESTED)"
    awk -F'\t' '$5 == "FAIL" || $5 == "WARN" { printf "    %s %s %s %s: %s\n", $5, $1, $2, $4, substr($6, 1, 160) }' "$work"/report/*.tsv
done
