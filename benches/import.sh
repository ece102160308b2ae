#!/usr/bin/env bash
# Import speed and memory, measured in one run on this machine (issue 13):
#   1. `twotier demo` at full size (5 000 resellers, 100 000 customers, 1 000 000 subscriptions),
#      timed: the floor the import is compared with.
#   2. `twotier export` of its resellers, customers and subscriptions to CSV (timed, shown only).
#   3. `twotier init` of a fresh book of the same provider, then `twotier import` of the three
#      files in order, each timed, with its peak RSS.
# Prints the import's total time over the demo's (must be ≤ 1.2) and the imports' peak RSS (must be
# < 64 MB); exits 1 when either bar is missed.
#
# Usage: benches/import.sh [--keep]
#   --keep keeps the work folder (the books and the CSV files).
#   TWOTIER_BENCH_RESELLERS / _CUSTOMERS / _SUBSCRIPTIONS change the sizes (for a quick try).
# Times and peak RSS come from /usr/bin/time -v when it is there, else from the shell's clock and
# the process's VmHWM in /proc. The release binary is built first when it is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="${CARGO_TARGET_DIR:-$here/target}/release/twotier"
keep=0
case "${1:-}" in
    --keep) keep=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    "") ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
esac
resellers=${TWOTIER_BENCH_RESELLERS:-5000}
customers=${TWOTIER_BENCH_CUSTOMERS:-100000}
subscriptions=${TWOTIER_BENCH_SUBSCRIPTIONS:-1000000}

if [ ! -x "$bin" ]; then
    echo "building the release binary…" >&2
    (cd "$here" && cargo build --release --quiet)
fi
work=$(mktemp -d /tmp/twotier-import-bench.XXXXXX)
if [ "$keep" = 0 ]; then
    trap 'rm -rf "$work"' EXIT
else
    echo "work folder: $work" >&2
fi
mkdir -p "$work/home"
export HOME="$work/home"
unset TWOTIER_DB TWOTIER_CONFIG XDG_DATA_HOME XDG_CONFIG_HOME XDG_STATE_HOME
cd "$work"

# calc EXPR: arithmetic with awk (bc is not everywhere).
calc() { awk "BEGIN { print $* }"; }

# measure NAME CMD…: runs CMD (its output to NAME.out), then sets $seconds and $peak_kb.
measure() {
    local name=$1
    shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$name.time" "$@" > "$name.out" 2>&1
        seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {
            n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$name.time")
        peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$name.time")
    else
        local start end pid hwm
        start=$(date +%s.%N)
        "$@" > "$name.out" 2>&1 &
        pid=$!
        peak_kb=0
        while kill -0 "$pid" 2>/dev/null; do
            hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
            [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ] && peak_kb=$hwm
            sleep 0.05
        done
        wait "$pid"
        end=$(date +%s.%N)
        seconds=$(calc "$end - $start")
    fi
}

operator=tester
admin=ava@northwind.example
measure demo "$bin" --db demo.db --operator "$operator" demo --resellers "$resellers" \
    --customers "$customers" --subscriptions "$subscriptions" --as-of 2026-11-01
demo_seconds=$seconds
printf 'demo     %9.2f s  %7d KB peak  (%s resellers, %s customers, %s subscriptions)\n' \
    "$demo_seconds" "$peak_kb" "$resellers" "$customers" "$subscriptions"
for what in resellers customers subscriptions; do
    measure "export-$what" "$bin" --db demo.db --operator "$operator" export "$what" --format csv --out "$what.csv"
    printf 'export   %9.2f s  %7d KB peak  %s (%s bytes)\n' "$seconds" "$peak_kb" "$what" "$(stat -c %s "$what.csv")"
done
"$bin" init --db own.db --company "Northwind Cloud Distribution" --partner-id 4120357 \
    --tenant-id 9a3c1f52-7d4e-4b8a-9c21-5e6f7a8b9c0d --country US --admin "$admin" > init.out
import_seconds=0
import_peak=0
for what in resellers customers subscriptions; do
    measure "import-$what" "$bin" --db own.db --operator "$admin" import "$what" "$what.csv" --quiet
    printf 'import   %9.2f s  %7d KB peak  %s: %s\n' "$seconds" "$peak_kb" "$what" "$(cat "import-$what.out")"
    import_seconds=$(calc "$import_seconds + $seconds")
    [ "$peak_kb" -gt "$import_peak" ] && import_peak=$peak_kb
done
ratio=$(calc "$import_seconds / $demo_seconds")
peak_mb=$(calc "$import_peak / 1024")
printf '\nimport total %.2f s / demo %.2f s = %.2f (bar: ≤ 1.20)\n' "$import_seconds" "$demo_seconds" "$ratio"
printf 'import peak RSS %.1f MB (bar: < 64 MB)\n' "$peak_mb"
fail=0
if [ "$(calc "($ratio > 1.2) ? 1 : 0")" = 1 ]; then echo "FAIL: the import is slower than 1.2× the demo" >&2; fail=1; fi
if [ "$import_peak" -ge 65536 ]; then echo "FAIL: the import used 64 MB or more" >&2; fail=1; fi
exit "$fail"
