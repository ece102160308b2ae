#!/usr/bin/env bash
# Keeps the console responsive while a sync runs (issue 14): the release binary on a copy of the
# big database, signed in to the fake Partner Center (the `fake-partner-center` example, on
# 127.0.0.1), on Customers; keystroke → frame p95 of j/k, first with nothing running, then while
# `Y` pulls --customers N customers (200 pages of 500 by default) in the background.
#   How a key is timed: sent with `tmux send-keys`, until the selected row (the REVERSED line in
#   the table) is on the line that key leads to. The screen as a whole is not compared (as
#   measure.sh does): while a sync runs, the footer's progress and the list change by themselves.
#   Floor: `cat` in a tmux pane echoing a typed key, as in measure.sh.
#
# Usage: benches/measure_sync.sh [--samples N] [--customers N] [--keep] [DB]
#   DB defaults to $TWOTIER_BENCH_DB or /tmp/twotier-bench.db (see measure.sh to build it); it is
#   copied, never changed. CARGO_TARGET_DIR is honoured.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target="${CARGO_TARGET_DIR:-$here/target}"
bin="$target/release/twotier"
fake="$target/release/examples/fake-partner-center"
samples=30
customers=100000
keep=0
db=""
while [ $# -gt 0 ]; do
    case "$1" in
        --samples) samples="$2"; shift ;;
        --customers) customers="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) db="$1" ;;
    esac
    shift
done
db="${db:-${TWOTIER_BENCH_DB:-/tmp/twotier-bench.db}}"

for tool in /usr/bin/tmux python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "measure_sync.sh needs $tool (apt-get install tmux python3)" >&2
        exit 1
    fi
done
if [ ! -x "$bin" ] || [ ! -x "$fake" ]; then
    echo "building the release binary and the fake Partner Center…" >&2
    (cd "$here" && cargo build --release --quiet --bin twotier --example fake-partner-center)
fi
if [ ! -e "$db" ]; then
    echo "no $db: build it with benches/measure.sh (or twotier demo, see there)" >&2
    exit 1
fi

work=$(mktemp -d /tmp/twotier-measure-sync.XXXXXX)
mkdir -p "$work/home"
socket="twotier-measure-sync-$$"
cleanup() {
    TMUX_TMPDIR="$work" /usr/bin/tmux -L "$socket" kill-server 2>/dev/null || true
    if [ -n "${fake_pid:-}" ]; then kill "$fake_pid" 2>/dev/null || true; fi
    if [ "$keep" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

cp "$db" "$work/book.db"
# The account the fake signs in must be an operator of the book.
"$bin" --db "$work/book.db" --operator ava.global@northwind-distribution.example \
    users add ava@northwind.onmicrosoft.com --role global-admin >/dev/null

"$fake" "$customers" > "$work/fake.out" &
fake_pid=$!
for _ in $(seq 100); do
    grep -q '^then:' "$work/fake.out" 2>/dev/null && break
    sleep 0.1
done
sed -n '/^\[partner_center\]/,/^$/p' "$work/fake.out" > "$work/config.toml"

echo "binary:   $bin ($(stat -c '%y' "$bin" | cut -d. -f1))"
echo "database: a copy of $db ($(du -m "$db" | cut -f1) MB); the fake lists $customers customers"
echo "machine:  $(nproc) CPUs, $(uname -sr), tmux $(/usr/bin/tmux -V | cut -d' ' -f2)"
echo

BIN="$bin" DB="$work/book.db" CONFIG="$work/config.toml" WORK="$work" SOCKET="$socket" \
SAMPLES="$samples" python3 - <<'PY'
import os, re, shlex, statistics, subprocess, sys, time

BIN, DB, CONFIG = os.environ["BIN"], os.environ["DB"], os.environ["CONFIG"]
WORK, SOCKET, SAMPLES = os.environ["WORK"], os.environ["SOCKET"], int(os.environ["SAMPLES"])
TMUX = "/usr/bin/tmux"
ACCOUNT = "ava@northwind.onmicrosoft.com"

env = {k: v for k, v in os.environ.items()
       if not (k.startswith(("TMUX", "XDG_", "TWOTIER_")) or k in
               ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"))}
# No keyring: the sign-in lasts while the console runs, and nothing is left behind.
env.update(HOME=os.path.join(WORK, "home"), LANG="C.UTF-8", TMUX_TMPDIR=WORK,
           TWOTIER_KEYRING="off")

def tmux(*args, check=True):
    r = subprocess.run([TMUX, "-L", SOCKET, "-f", "/dev/null", *args], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        sys.exit(f"tmux {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout

def capture(target, styled=False):
    return tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", target, check=False)

def save(name, screen):
    with open(os.path.join(WORK, name + ".txt"), "w") as f:
        f.write(screen)

def wait_for(target, pred, timeout=30.0, what="the screen"):
    start = time.perf_counter()
    while True:
        screen = capture(target)
        if pred(screen):
            return screen
        if time.perf_counter() - start > timeout:
            save("timeout", screen)
            sys.exit(f"timed out waiting for {what}; screen saved in {WORK}/timeout.txt")
        time.sleep(0.02)

def p95(xs):
    xs = sorted(xs)
    return xs[max(0, -(-95 * len(xs) // 100) - 1)]

ms = lambda s: s * 1000.0
REVERSED = re.compile(r"\x1b\[(?:[0-9;]*;)?7(?:;[0-9;]*)?m")

def selected_line(target):
    """The table's selected row: the first REVERSED line below the header, menu and column
    titles (the menu's current item is reversed too)."""
    for i, line in enumerate(capture(target, styled=True).split("\n")):
        if i >= 4 and REVERSED.search(line):
            return i
    return None

def syncing(target):
    return "Syncing ·" in capture(target).rstrip("\n").split("\n")[-1]

def key_samples(target, label, during_sync):
    """j then k, SAMPLES each: the time from send-keys until the selection is on its new line.
    `during_sync`: only samples taken while the footer says the sync runs are kept."""
    times = {"j": [], "k": []}
    base = selected_line(target)
    if base is None:
        sys.exit(f"{label}: no selected row on Customers")
    taken = 0
    while min(len(v) for v in times.values()) < SAMPLES:
        if during_sync and not syncing(target):
            break
        for key, want in (("j", base + 1), ("k", base)):
            time.sleep(0.02)
            running = syncing(target) if during_sync else True
            start = time.perf_counter()
            tmux("send-keys", "-t", target, key)
            while selected_line(target) != want:
                if time.perf_counter() - start > 10:
                    save(f"stuck-{label}", capture(target, styled=True))
                    sys.exit(f"{label}: {key} never moved the selection to line {want}")
            if running:
                times[key].append(time.perf_counter() - start)
        taken += 1
    return times["j"] + times["k"]

tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40", "sleep 100000")

# The floor: cat echoing a typed key.
tmux("new-session", "-d", "-s", "cat", "-x", "120", "-y", "40", "cat")
time.sleep(0.3)
floor = []
for i in range(SAMPLES):
    before = capture("cat")
    start = time.perf_counter()
    tmux("send-keys", "-t", "cat", "x")
    while capture("cat") == before:
        pass
    floor.append(time.perf_counter() - start)
    tmux("send-keys", "-t", "cat", "BSpace")
    wait_for("cat", lambda s: s == before)
    time.sleep(0.02)

cmd = " ".join(shlex.quote(a) for a in
               [BIN, "--config", CONFIG, "--db", DB, "--operator", ACCOUNT])
tmux("new-session", "-d", "-s", "app", "-x", "120", "-y", "40", cmd)
wait_for("app", lambda s: re.search(r"Indirect resellers \(\d", s), what="the first screen")
tmux("send-keys", "-t", "app", "2")
wait_for("app", lambda s: re.search(r"Customers \([\d ,]+\)", s), what="Customers")
tmux("send-keys", "-t", "app", "j")  # the selection off the first row, so k can come back
time.sleep(0.5)

idle = key_samples("app", "idle", during_sync=False)

tmux("send-keys", "-t", "app", "P")
wait_for("app", lambda s: f"Signed in as {ACCOUNT}." in s, timeout=60, what="the sign-in")
tmux("send-keys", "-t", "app", "Enter")
time.sleep(0.3)
sync_start = time.perf_counter()
tmux("send-keys", "-t", "app", "Y")
wait_for("app", lambda s: "Syncing · page" in s.rstrip("\n").split("\n")[-1], timeout=60,
         what="the sync's first page")
during = key_samples("app", "sync", during_sync=True)
last_progress = capture("app").rstrip("\n").split("\n")[-1].strip()
wait_for("app", lambda s: "Synced with Partner Center" in s or "Sync with Partner Center stopped" in s,
         timeout=1800, what="the end of the sync")
sync_s = time.perf_counter() - sync_start
end = capture("app")
save("end", end)
summary = next((l for l in end.split("\n") if "Synced with" in l or "stopped" in l), "").strip(" │")

fp95 = p95(floor)
rows = []
for label, xs in (("idle (no sync)", idle), ("while the sync runs", during)):
    if not xs:
        rows.append((f"key → frame p95, j/k, {label} (n=0)", "—", "—", "—", "≤ 16 ms", "n/a"))
        continue
    d = ms(p95(xs) - fp95)
    rows.append((f"key → frame p95, j/k, {label} (n={len(xs)}, p50 {ms(statistics.median(xs)):.1f})",
                 f"{ms(p95(xs)):.1f} ms", f"{ms(fp95):.1f} ms", f"{d:.1f} ms", "≤ 16 ms",
                 "pass" if d <= 16 else "FAIL"))
head = ("figure", "ours", "floor", "ours − floor", "budget", "")
widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(6)]
def line(r):
    return "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                     for i, c in enumerate(r))
print(line(head))
for r in rows:
    print(line(r))
print(f"\nthe sync: {sync_s:.1f} s from Y to its end; footer when the samples ended: {last_progress!r}")
print(f"its end: {summary}")
print(f"floor: `cat` echoing a key (p50 {ms(statistics.median(floor)):.1f} ms).")
if len(during) < 2 * SAMPLES:
    print(f"note: the sync ended before all samples were taken ({len(during)} of {2 * SAMPLES}).")
PY
