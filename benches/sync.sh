#!/usr/bin/env bash
# The pull's speed and memory against the fake Partner Center on 127.0.0.1 (issue 14), in one run:
#   1. the fake (`cargo run --release --example fake-partner-center -- CUSTOMERS PER_CUSTOMER`)
#      serves 100 000 customers with 10 subscriptions each (1 000 000), generated per request;
#   2. `twotier init` makes a fresh book of the fake's provider;
#   3. `twotier sync` pulls everything (a full pass; it signs in itself, ~4 s of device-code
#      polling that the rows/s leave out), timed, with its peak RSS;
#   4. `twotier sync --full` again: every row compared, none rewritten, timed;
#   5. `twotier sync`: an incremental pass (the audit records; nothing changed), timed.
# Prints rows/s of the full pass (customers + subscriptions over the sync's own time) and the
# peak RSS of both (bar: ≤ 64 MB: pages and batches are streamed, the book is never held in
# memory); exits 1 when the bar is missed.
#
# Usage: benches/sync.sh [--keep]
#   --keep keeps the work folder (the book, the config, the outputs).
#   TWOTIER_BENCH_CUSTOMERS / TWOTIER_BENCH_PER_CUSTOMER change the sizes (for a quick try).
# The client's pace is raised for the fake with TWOTIER_PC_REQUESTS_PER_MINUTE (Partner Center
# itself allows about 500 requests a minute: a real full pull of 100 000 customers takes hours,
# which is why later syncs are incremental). Times and peak RSS come from /usr/bin/time -v. The
# release binary and the example are built first when missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target="${CARGO_TARGET_DIR:-$here/target}"
bin="$target/release/twotier"
fake_bin="$target/release/examples/fake-partner-center"
keep=0
case "${1:-}" in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    "") ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
esac
customers=${TWOTIER_BENCH_CUSTOMERS:-100000}
per_customer=${TWOTIER_BENCH_PER_CUSTOMER:-10}
subscriptions=$((customers * per_customer))

if [ ! -x "$bin" ] || [ ! -x "$fake_bin" ]; then
    echo "building the release binary and the fake…" >&2
    (cd "$here" && cargo build --release --quiet --bin twotier --example fake-partner-center)
fi
if [ ! -x /usr/bin/time ]; then
    echo "this bench needs /usr/bin/time (GNU time) for the peak RSS" >&2
    exit 2
fi
work=$(mktemp -d /tmp/twotier-sync-bench.XXXXXX)
fake_pid=""
cleanup() {
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
    if [ "$keep" = 0 ]; then rm -rf "$work"; else echo "work folder: $work" >&2; fi
}
trap cleanup EXIT
mkdir -p "$work/home"
export HOME="$work/home"
unset TWOTIER_DB TWOTIER_CONFIG XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME
export TWOTIER_KEYRING=off TWOTIER_PC_REQUESTS_PER_MINUTE=100000000
cd "$work"

calc() { awk "BEGIN { print $* }"; }

# measure NAME CMD…: runs CMD (its output to NAME.out), then sets $seconds and $peak_kb.
measure() {
    local name=$1
    shift
    /usr/bin/time -v -o "$name.time" "$@" > "$name.out" 2>&1
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$name.time")
    peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$name.time")
}

"$fake_bin" "$customers" "$per_customer" > fake.out 2>&1 &
fake_pid=$!
for _ in $(seq 1 600); do
    grep -q '^authority_url' fake.out 2>/dev/null && break
    sleep 0.1
done
sed -n '/^\[partner_center\]/,/^authority_url/p' fake.out > config.toml
[ -s config.toml ] || { echo "the fake did not start:" >&2; cat fake.out >&2; exit 1; }

admin=ava@northwind.example
"$bin" init --db book.db --company "Northwind Cloud Distribution" --partner-id 4120357 \
    --tenant-id 9a3c1f52-7d4e-4b8a-9c21-5e6f7a8b9c0d --country US --admin "$admin" > init.out

measure full "$bin" --config config.toml --db book.db --operator "$admin" sync
full_seconds=$seconds
full_peak=$peak_kb
# The sync's own time (after the sign-in): "… sync, in 123.4 s: …".
sync_seconds=$(sed -n 's/.* sync, in \([0-9.]*\) s:.*/\1/p' full.out | tail -1)
[ -n "$sync_seconds" ] || { echo "the full sync failed:" >&2; tail -20 full.out >&2; exit 1; }
rows=$((customers + subscriptions))
printf 'full sync        %9.2f s (%s s after sign-in)  %7d KB peak  %s customers, %s subscriptions\n' \
    "$full_seconds" "$sync_seconds" "$full_peak" "$customers" "$subscriptions"
grep '^Synced' full.out | sed 's/^/  /'
printf '  %.0f rows/s\n' "$(calc "$rows / $sync_seconds")"

measure again "$bin" --config config.toml --db book.db --operator "$admin" sync --full
again_seconds=$(sed -n 's/.* sync, in \([0-9.]*\) s:.*/\1/p' again.out | tail -1)
[ -n "$again_seconds" ] || { echo "the second full sync failed:" >&2; tail -20 again.out >&2; exit 1; }
printf 'unchanged full   %9.2f s (%s s after sign-in)  %7d KB peak\n' "$seconds" "$again_seconds" "$peak_kb"
grep '^Synced' again.out | sed 's/^/  /'
printf '  %.0f rows/s compared, none rewritten\n' "$(calc "$rows / $again_seconds")"
[ "$peak_kb" -gt "$full_peak" ] && full_peak=$peak_kb

measure incremental "$bin" --config config.toml --db book.db --operator "$admin" sync
printf 'incremental sync %9.2f s  %7d KB peak\n' "$seconds" "$peak_kb"
grep '^Synced' incremental.out | sed 's/^/  /' || { tail -20 incremental.out >&2; exit 1; }
peak=$(( full_peak > peak_kb ? full_peak : peak_kb ))
printf '\nsync peak RSS %.1f MB (bar: ≤ 64 MB)\n' "$(calc "$peak / 1024")"
printf 'book: %s bytes\n' "$(stat -c %s book.db)"
if [ "$peak" -gt 65536 ]; then echo "FAIL: a sync used more than 64 MB" >&2; exit 1; fi
