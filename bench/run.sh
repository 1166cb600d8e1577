#!/usr/bin/env bash
# Benchmarks rfsession against what operators would otherwise run: curl, DMTF's redfishtool
# and HPE's ilorest, all against the emulated BMC over TLS on this machine.
# Prints median wall time and peak RSS side by side, with ratios (reference last = 1.00x).
#   bench/run.sh            everything (about 3 minutes on 2 cores)
#   RUNS=50 bench/run.sh    fewer runs per figure
#   bench/run.sh persist    only the persistence figures
#   bench/run.sh keeper     only the fleet through one keeper (1000 BMCs, 150 ms handshakes)
#   bench/run.sh warm       only the warm GET against curl (figure 1)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-200}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# The reference and the measuring tools must be there already: a benchmark installs nothing.
missing=()
for tool in curl cc python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench/run.sh: missing ${missing[*]}; install them (Debian: apt-get install curl gcc python3) and run again" >&2
    exit 2
fi
cargo build --release --locked --bin rfsession --bin bmc-emulator 2>&1 | tail -n 1
rfs=$PWD/target/release/rfsession
emu=$PWD/target/release/bmc-emulator
harness=$PWD/bench/harness.py
work=$(mktemp -d)
cc -O2 -o "$work/spawnrss" bench/spawnrss.c
printf 'int main(void) { return 0; }\n' | cc -O2 -x c -o "$work/noop" -
export SPAWNRSS=$work/spawnrss
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# start_emulator NAME ARGS...: start one (or --count N) emulated BMCs; hosts in $work/NAME.hosts
start_emulator() {
    local name=$1 want=1; shift
    [[ " $* " == *" --count "* ]] && want=$(sed -E 's/.*--count ([0-9]+).*/\1/' <<<"$*")
    "$emu" --ca-out "$work/$name.ca" "$@" >"$work/$name.ready" &
    pids+=($!)
    for _ in $(seq 600); do
        [ "$(grep -c READY "$work/$name.ready" 2>/dev/null)" -ge "$want" ] && break
        sleep 0.05
    done
    awk '/READY/ {sub("https://", "", $2); print $2}' "$work/$name.ready" >"$work/$name.hosts"
}

# persistence HANDSHAKE_MS: 20 sequential warm gets, with a keeper, without, and curl.
persistence() {
    local name=bmc$1 ms=$1
    start_emulator "$name" --profile generic --handshake-delay "$ms"
    local h url ca=$work/$name.ca hdr=$work/$name.hdr
    h=$(head -n 1 "$work/$name.hosts")
    url=https://$h/redfish/v1/Systems/1
    export RFSESSION_CACHE_DIR=$work/$name-cache
    RFSESSION_PASSWORD=secret-pw-1 "$rfs" --cacert "$ca" login "$h" -u admin >/dev/null 2>&1
    "$rfs" token --header "$h" >"$hdr"
    RFSESSION_PERSIST=120s "$rfs" --cacert "$ca" get "$h" /redfish/v1/Systems/1 >/dev/null
    sleep 0.5
    local get="$rfs --cacert $ca get $h /redfish/v1/Systems/1 >/dev/null"
    local direct="$rfs --no-persist --cacert $ca get $h /redfish/v1/Systems/1 >/dev/null"
    python3 "$harness" $((RUNS / 20 + 3)) \
        "rfsession x20, --persist" "sh -c 'export RFSESSION_PERSIST=120s; for i in \$(seq 20); do $get; done'" \
        "rfsession x20, --no-persist" "sh -c 'for i in \$(seq 20); do $direct; done'" \
        "curl x20 (reference)" "sh -c 'for i in \$(seq 20); do curl -s --cacert $ca -H @$hdr $url >/dev/null; done'"
    "$rfs" --cacert "$ca" logout "$h" >/dev/null 2>&1
}
# goal TEXT OK: print one goal line, met or not.
goal() {
    if [ "$2" = 1 ]; then echo "  goal met:     $1"; else echo "  goal MISSED:  $1"; fi
}

# keeper_fleet: get --hosts of 1000 BMCs whose TLS handshake takes 150 ms, --jobs 16: cold
# (no keeper), then through the one keeper: its first run (it opens every connection), warm
# twice. Goals: warm <= 0.1x cold, the keeper's peak RSS with 1000 hosts <= 64 MB, 1 keeper.
keeper_fleet() {
    start_emulator kfleet --profile generic --count 1000 --handshake-delay 150
    local ca=$work/kfleet.ca hosts=$work/kfleet.hosts
    export RFSESSION_CACHE_DIR=$work/kfleet-cache
    RFSESSION_PASSWORD=secret-pw-1 "$rfs" --cacert "$ca" --no-persist login --hosts "$hosts" \
        -u admin --jobs 32 >/dev/null 2>&1
    local get=("$rfs" --cacert "$ca" get --hosts "$hosts" --jobs 16 /redfish/v1/Systems/1)
    timed() {
        local t0=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || echo "  ($* failed)" >&2
        awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}'
    }
    local cold first warm1 warm2
    cold=$(timed "${get[@]}" --no-persist)
    first=$(RFSESSION_PERSIST=300s timed "${get[@]}")
    warm1=$(RFSESSION_PERSIST=300s timed "${get[@]}")
    warm2=$(RFSESSION_PERSIST=300s timed "${get[@]}")
    local pids keepers pid hwm held
    pids=$("$rfs" --json sessions --cached | grep -o '"keeper_pid": *[0-9]*' | grep -o '[0-9]*$' | sort -u)
    keepers=$(pgrep -c -x -f "$rfs keeper" || true)
    pid=$(head -n 1 <<<"$pids")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    held=$("$rfs" --json sessions --cached | grep -c "\"keeper_pid\": *$pid" || true)
    awk -v c="$cold" -v f="$first" -v w1="$warm1" -v w2="$warm2" -v h="$hwm" -v n="$held" 'BEGIN {
        printf "  get --hosts, 1000 BMCs, no keeper (cold)   %7.2f s\n", c
        printf "  the same, keeper starting (its handshakes) %7.2f s\n", f
        printf "  the same, warm through the keeper          %7.2f s   %7.2f s   ratio %.3fx cold\n", w1, w2, (w1 > w2 ? w1 : w2) / c
        printf "  the keeper: peak RSS %.1f MB holding %d hosts\n", h / 1024, n
    }'
    goal "warm <= 0.1x cold" "$(awk -v c="$cold" -v a="$warm1" -v b="$warm2" 'BEGIN {print (a <= 0.1 * c && b <= 0.1 * c) ? 1 : 0}')"
    goal "keeper peak RSS with 1000 hosts <= 64 MB" "$(awk -v h="$hwm" -v n="$held" 'BEGIN {print (h > 0 && h <= 65536 && n == 1000) ? 1 : 0}')"
    goal "1 keeper process ($keepers)" "$([ "$keepers" = 1 ] && echo 1 || echo 0)"
    "$rfs" --cacert "$ca" logout --all --jobs 32 >/dev/null 2>&1 || true
    unset RFSESSION_CACHE_DIR
}
if [ "${1:-}" = keeper ]; then
    echo "8. a fleet through one keeper: get --hosts of 1000 BMCs with a 150 ms TLS handshake, --jobs 16"
    keeper_fleet
    exit 0
fi

if [ "${1:-}" = persist ]; then
    echo "7. persistence: 20 sequential warm gets, BMC with a 150 ms TLS handshake"
    persistence 150
    echo "   the same on loopback without a handshake delay"
    persistence 0
    exit 0
fi

echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)"
echo "# $($rfs --version), $(curl --version | head -n 1 | cut -d' ' -f1-2), runs per figure: $RUNS"

start_emulator one --profile generic
host=$(head -n 1 "$work/one.hosts")
ca=$work/one.ca
export RFSESSION_CACHE_DIR=$work/cache
echo 'secret-pw-1' | "$rfs" --cacert "$ca" login "$host" -u admin --password-stdin 2>/dev/null
token=$(sed -n 's/.*"token": "\(.*\)".*/\1/p' "$RFSESSION_CACHE_DIR"/*.json)
url=https://$host/redfish/v1/Systems/1

echo
echo "1. warm GET $url (alternating A/B)"
python3 "$harness" "$RUNS" \
    "rfsession get" "$rfs --cacert $ca get $host /redfish/v1/Systems/1" \
    "a C program that does nothing" "$work/noop" \
    "curl -s --cacert (reference)" "curl -s --cacert $ca -H X-Auth-Token:$token $url" | tee "$work/warm.txt"
read -r ratio rss < <(awk '/rfsession get/ {print $(NF), $(NF-3)}' "$work/warm.txt" | tr -d x)
goal "warm get <= 0.3x curl (${ratio}x)" "$(awk -v r="$ratio" 'BEGIN {print (r <= 0.3) ? 1 : 0}')"
goal "warm get peak RSS under 5 MB (${rss} MB)" "$(awk -v m="$rss" 'BEGIN {print (m < 5.0) ? 1 : 0}')"
[ "${1:-}" = warm ] && exit 0

echo
echo "2. cold: login + get + logout"
cat >"$work/cold-rfs.sh" <<SH
export RFSESSION_CACHE_DIR=$work/cold-cache
echo secret-pw-1 | $rfs --cacert $ca login $host -u admin --password-stdin 2>/dev/null
$rfs --cacert $ca get $host /redfish/v1/Systems/1 >/dev/null
$rfs --cacert $ca logout $host 2>/dev/null
SH
cat >"$work/cold-curl.sh" <<SH
hdr=\$(curl -s --cacert $ca -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"UserName":"admin","Password":"secret-pw-1"}' https://$host/redfish/v1/SessionService/Sessions)
tok=\$(printf '%s' "\$hdr" | tr -d '\r' | sed -n 's/^[Xx]-[Aa]uth-[Tt]oken: //p')
loc=\$(printf '%s' "\$hdr" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
curl -s --cacert $ca -H "X-Auth-Token: \$tok" $url >/dev/null
curl -s --cacert $ca -X DELETE -H "X-Auth-Token: \$tok" https://$host\$loc >/dev/null
SH
python3 "$harness" $((RUNS / 4)) \
    "rfsession login+get+logout" "bash $work/cold-rfs.sh" \
    "curl POST+GET+DELETE (reference)" "bash $work/cold-curl.sh"

echo
echo "3. 64 gets in parallel (one process each)"
python3 "$harness" $((RUNS / 10)) \
    "rfsession x64" "bash -c 'seq 64 | xargs -P 64 -I{} $rfs --cacert $ca get $host /redfish/v1/Systems/1 >/dev/null'" \
    "curl x64 (reference)" "bash -c 'seq 64 | xargs -P 64 -I{} curl -s --cacert $ca -H X-Auth-Token:$token $url >/dev/null'"

echo
echo "4. 100 paths: one call on one connection vs 100 calls; curl with 100 URLs in one invocation"
paths=$(for i in $(seq 100); do printf '/redfish/v1/Systems/1?n=%d ' "$i"; done)
urls=$(for i in $(seq 100); do printf 'https://%s/redfish/v1/Systems/1?n=%d ' "$host" "$i"; done)
python3 "$harness" $((RUNS / 10)) \
    "rfsession get HOST P1..P100" "$rfs --cacert $ca get $host $paths --ndjson" \
    "100 x rfsession get" "bash -c 'for p in $paths; do $rfs --cacert $ca get $host \$p; done >/dev/null'" \
    "curl URL1..URL100 (reference)" "curl -s --cacert $ca -H X-Auth-Token:$token $urls"

echo
echo "5. the Python tools, same request, same BMC (an iLO 5 profile, which ilorest needs)"
venv=$PWD/bench/.venv
# Installed beforehand, as the other tools: a benchmark installs nothing.
if [ ! -x "$venv/bin/redfishtool" ] || [ ! -x "$venv/bin/ilorest" ]; then
    echo "  (for these figures: python3 -m venv bench/.venv && bench/.venv/bin/pip install redfishtool ilorest)"
fi
start_emulator ilo --profile ilo5
ilohost=$(head -n 1 "$work/ilo.hosts")
ilocache=$work/ilo-cache
echo 'secret-pw-1' | RFSESSION_CACHE_DIR=$ilocache "$rfs" --cacert "$work/ilo.ca" login "$ilohost" -u admin --password-stdin 2>/dev/null
rfs_ilo="$rfs --cacert $work/ilo.ca --cache-dir $ilocache get $ilohost /redfish/v1/Systems/1"
tools=()
if [ -x "$venv/bin/redfishtool" ]; then
    tools+=("redfishtool -A Session raw GET" "$venv/bin/redfishtool -r $ilohost -u admin -p secret-pw-1 -A Session -S Always raw GET /redfish/v1/Systems/1")
else
    echo "  redfishtool: not installed in bench/.venv"
fi
if [ -x "$venv/bin/ilorest" ]; then
    # ilorest writes ilorest_logs/ into the current directory and its cache under HOME.
    if out=$(cd "$work" && HOME=$work "$venv/bin/ilorest" --nologo login "https://$ilohost" -u admin -p secret-pw-1 2>&1); then
        tools+=("ilorest rawget (logged in)" "env HOME=$work $venv/bin/ilorest --nologo rawget /redfish/v1/Systems/1")
    else
        echo "  ilorest: does not talk to the emulator: $(tail -n 1 <<<"$out")"
    fi
else
    echo "  ilorest: not installed in bench/.venv"
fi
for ((i = 0; i < ${#tools[@]}; i += 2)); do
    (cd "$work" && python3 "$harness" $((RUNS / 10)) "rfsession get (warm)" "$rfs_ilo" "${tools[i]}" "${tools[i + 1]}")
done
[ -x "$venv/bin/ilorest" ] && (cd "$work" && HOME=$work "$venv/bin/ilorest" --nologo logout >/dev/null 2>&1) || true

echo
echo "6. fleet: 1000 BMCs on 127.1.x.y"
start_emulator fleet --profile idrac --count 1000
export RFSESSION_CACHE_DIR=$work/fleet-cache
t0=$(date +%s.%N)
RFSESSION_PASSWORD=secret-pw-1 xargs -P 32 -n 1 "$rfs" --cacert "$work/fleet.ca" login -u admin \
    <"$work/fleet.hosts" 2>/dev/null
t1=$(date +%s.%N)
cached=$("$rfs" --json sessions --cached | grep -c '"host"')
first=$(head -n 1 "$work/fleet.hosts")
mkdir -p "$work/one-cache"
chmod 700 "$work/one-cache"
stem=$(cd "$RFSESSION_CACHE_DIR" && ls | grep -F "_${first%:*}_" | grep json)
cp -p "$RFSESSION_CACHE_DIR/$stem" "$work/one-cache/"
python3 "$harness" "$RUNS" \
    "get, 1000 hosts cached" "$rfs --cacert $work/fleet.ca --cache-dir $RFSESSION_CACHE_DIR get $first /redfish/v1/Systems/1" \
    "get, 1 host cached (reference)" "$rfs --cacert $work/fleet.ca --cache-dir $work/one-cache get $first /redfish/v1/Systems/1"
# The whole fleet warm, one process against one per host (as scripts do it today).
python3 "$harness" $((RUNS / 20 + 3)) \
    "get --hosts (1000, --jobs 16)" "$rfs --cacert $work/fleet.ca get --hosts $work/fleet.hosts --jobs 16 /redfish/v1/Systems/1" \
    "xargs -P 16 rfsession get (ref)" "sh -c 'xargs -P 16 -I{} $rfs --cacert $work/fleet.ca get {} /redfish/v1/Systems/1 <$work/fleet.hosts'"
t2=$(date +%s.%N)
"$rfs" --cacert "$work/fleet.ca" logout --all --jobs 32 2>/dev/null
t3=$(date +%s.%N)
left=$("$rfs" --json sessions --cached | grep -c '"host"' || true)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v n="$cached" -v l="$left" 'BEGIN {
    printf "  login to 1000 hosts, xargs -P 32      %6.2f s   (%d cached; target under 15 s)\n", b - a, n
    printf "  logout --all --jobs 32                %6.2f s   (%d left; target under 10 s)\n", d - c, l
}'

echo
echo "7. persistence: 20 sequential warm gets, BMC with a 150 ms TLS handshake"
persistence 150
echo "   the same on loopback without a handshake delay"
persistence 0

echo
echo "8. a fleet through one keeper: get --hosts of 1000 BMCs with a 150 ms TLS handshake, --jobs 16"
keeper_fleet
