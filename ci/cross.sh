#!/usr/bin/env bash
# Cross checks, run by .ci/run after the Linux tests:
# - Windows: build rfsession.exe with the MinGW cross toolchain and run it under Wine against
#   the emulated BMC on loopback, through a session's whole cycle (windows_cycle below).
# - macOS (x86_64 and aarch64): type-check with `cargo check`. Nothing runs: there is no
#   macOS SDK here, so ring's C code compiles with clang against the stand-in headers in
#   ci/darwin-include, just far enough for rustc to check all of rfsession.
# Installs what it needs (Debian packages, rustup targets). CROSS_ONLY=windows|macos runs one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-target}
only=${CROSS_ONLY:-}
started=$SECONDS

# What cannot be installed (a machine without the network these come from) is said loudly
# and the checks are left out: they add to the README's test command, which has run by now.
unavailable() {
    echo "cross: NOT RUN: $1 could not be installed here; the Windows and macOS checks were left out" >&2
    exit 0
}
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v clang >/dev/null || need+=(clang)
if [ ${#need[@]} -gt 0 ]; then
    { apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } ||
        unavailable "${need[*]}"
fi
installed=$(rustup target list --installed)
for t in x86_64-pc-windows-gnu x86_64-apple-darwin aarch64-apple-darwin; do
    grep -qx "$t" <<<"$installed" || rustup target add "$t" || unavailable "the rustup target $t"
done

# --- macOS: type-check both targets ---------------------------------------------------
if [ "$only" != windows ]; then
    for t in x86_64-apple-darwin aarch64-apple-darwin; do
        arch=${t%%-*}
        [ "$arch" = aarch64 ] && arch=arm64
        var=${t//-/_}
        echo "cross: cargo check --target $t"
        env "CC_$var=clang" \
            "CFLAGS_$var=--target=$arch-apple-darwin -nostdlibinc -ffreestanding -I$root/ci/darwin-include" \
            cargo check --locked --quiet --target "$t" --bin rfsession
    done
    echo "cross: macOS type-checks passed ($((SECONDS - started))s so far)"
fi
[ "$only" = macos ] && exit 0

# --- Windows: build, then run under Wine ------------------------------------------------
echo "cross: cargo build --target x86_64-pc-windows-gnu"
cargo build --locked --quiet --target x86_64-pc-windows-gnu --bin rfsession
cargo build --locked --quiet --bin bmc-emulator
work=$(mktemp -d)
emu_pid=
cleanup() {
    [ -n "$emu_pid" ] && kill $emu_pid 2>/dev/null || true
    WINEPREFIX=$work/prefix /usr/lib/wine/wineserver -k 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/bin"
cp "$target/x86_64-pc-windows-gnu/debug/rfsession.exe" "$work/bin/"
# Wine 8.0 lacks bcryptprimitives.dll, which Rust's standard library imports: a stand-in.
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bin/bcryptprimitives.dll" \
    ci/wine/bcryptprimitives.c -ladvapi32

export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine=/usr/lib/wine/wine64
echo "cross: starting a Wine prefix"
"$wine" wineboot --init >/dev/null 2>&1
"$wine" "$work/bin/rfsession.exe" --version

"$target/debug/bmc-emulator" --profile ilo5 --ca-out "$work/ca.pem" >"$work/ready" &
emu_pid=$!
for _ in $(seq 200); do grep -q READY "$work/ready" 2>/dev/null && break; sleep 0.05; done
"$target/debug/bmc-emulator" --profile ilo5 --handshake-delay 2500 --ca-out "$work/ca-slow.pem" \
    >"$work/ready-slow" &
emu_pid="$emu_pid $!"
for _ in $(seq 200); do grep -q READY "$work/ready-slow" 2>/dev/null && break; sleep 0.05; done
host=$(awk '/READY/ {sub("https://", "", $2); print $2; exit}' "$work/ready")
[ -n "$host" ] || { echo "cross: the emulator did not start" >&2; exit 1; }

# Windows paths for Wine's Z: drive (the Unix root).
winpath() { printf 'Z:%s' "${1//\//\\}"; }
cache=$work/cache
export RFSESSION_CACHE_DIR
RFSESSION_CACHE_DIR=$(winpath "$cache")
export RFSESSION_PASSWORD=secret-pw-1
export WINEPATH=
ca=$(winpath "$work/ca.pem")
rfs() { # CA=none: the trust each entry remembers
    if [ "${CA:-}" = none ]; then
        "$wine" "$work/bin/rfsession.exe" "$@"
    else
        "$wine" "$work/bin/rfsession.exe" --cacert "${CA:-$ca}" "$@"
    fi
}
fail() { echo "cross: FAILED: $*" >&2; exit 1; }
expect() { # expect CODE what... -- args
    local want=$1 what=$2 code=0
    shift 2
    rfs "$@" >"$work/out" 2>"$work/err" || code=$?
    # Wine ends lines with CRLF.
    sed -i 's/\r$//' "$work/out" "$work/err"
    if [ "$code" != "$want" ]; then
        cat "$work/out" "$work/err" >&2
        fail "$what: exit $code, wanted $want"
    fi
    echo "cross: ok: $what"
}

windows_cycle() {
    expect 0 login login "$host" -u admin
    [ "$(rfs sessions --cached | tr -d '\r' | grep -c "$host")" -ge 1 ] || fail "sessions --cached lists $host"
    expect 0 "complete-hosts offers the cached host (PowerShell's HOST completion)" complete-hosts
    grep -qx "$host" "$work/out" || fail "complete-hosts printed $(cat "$work/out")"
    expect 0 get get "$host" /redfish/v1/Systems/1 --pointer /PowerState
    grep -q '"On"\|^On$' "$work/out" || fail "get printed $(cat "$work/out")"
    expect 2 "--persist is refused: no keeper on Windows yet" --persist 60s get "$host"
    grep -q "needs the keeper" "$work/err" || fail "--persist refusal says $(cat "$work/err")"
    expect 0 whoami whoami "$host"
    grep -q admin "$work/out" || fail "whoami printed $(cat "$work/out")"
    expect 0 sessions sessions "$host"
    expect 0 "a patch" patch "$host" /redfish/v1/Systems/1 --data '{"AssetTag":"wine"}'
    expect 0 "the patch took" get "$host" /redfish/v1/Systems/1 --pointer /AssetTag
    grep -q wine "$work/out" || fail "AssetTag is $(cat "$work/out")"
    expect 3 "exec runs its command with the session and exits with its code" \
        exec "$host" -- cmd /c "if defined RFSESSION_TOKEN (exit 3) else (exit 4)"
    expect 0 logout -v logout "$host"
    grep "logged out" "$work/err" | sed "s/^/cross:   /"
    [ -z "$(ls "$cache"/*.json 2>/dev/null)" ] || fail "the entry is left after logout"
    expect 0 "login again" login "$host" -u admin

    # A second process waits on the entry lock while a first one holds it (its login is
    # slow: this BMC delays each TLS handshake), then uses the session the first one made.
    local slow
    slow=$(awk '/READY/ {sub("https://", "", $2); print $2; exit}' "$work/ready-slow")
    local CA
    CA=$(winpath "$work/ca-slow.pem")
    rfs -v login "$slow" -u admin >"$work/first" 2>&1 &
    local first=$!
    sleep 1
    expect 0 "a second login waits on the entry lock" -v login "$slow" -u admin
    wait "$first" || fail "the first login failed: $(cat "$work/first")"
    grep -q "waiting for the lock" "$work/err" || fail "no wait on the lock: $(cat "$work/err")"
    grep "waiting for the lock" "$work/err" | sed 's/^/cross:   /'
    tr -d '\r' <"$work/first" | grep -q "> POST" || fail "the first login made no session"
    ! grep -q "> POST" "$work/err" || fail "the second login made a session of its own"
    CA=none
    expect 0 "logout --all (each host with the trust its entry remembers)" logout --all
    CA=
    [ -z "$(ls "$cache"/*.json 2>/dev/null)" ] || fail "entries left after logout --all"

    # A cache directory that others can read is refused (exit 7).
    rm -rf "$cache"
    mkdir -m 777 "$cache"
    expect 7 "a cache directory open to others is refused" login "$host" -u admin
    grep -q "open to group or others" "$work/err" || fail "refusal says $(cat "$work/err")"
    sed 's/^/cross:   /' "$work/err"
}
windows_cycle
echo "cross: Windows under Wine passed; all cross checks took $((SECONDS - started))s"
