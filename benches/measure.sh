#!/usr/bin/env bash
# Whole-process figures of the release binary on the big database, each beside a floor measured
# the same way in the same run (issue 6):
#   (a) time to first frame: launch in a new 120×40 tmux session → the Indirect resellers list with
#       its count on screen; median of 5; floor: a trivial program started the same way.
#   (b) keystroke to frame on Customers (j, PageDown, End, a search letter, f, →): key sent with
#       `tmux send-keys` → the screen equals the frame that key leads to; 30 samples each, p95;
#       floor: `cat` in a tmux pane echoing a typed key, timed with the identical method.
#   (c) peak RSS of a session that visits every screen (1 i Esc 2 End f Esc n Esc y Home → Tab
#       Enter Esc Esc 3 4 5 /a Esc q), from `/usr/bin/time -v`.
#   (d) with --demo-build: `twotier demo` at full scale into a temporary file (≤ 15 s).
#
# Usage: benches/measure.sh [--demo-build] [--samples N] [--keep] [DB]
#   DB defaults to $TWOTIER_BENCH_DB or /tmp/twotier-bench.db; built with `twotier demo` (5 000
#   resellers, 100 000 customers, 1 000 000 subscriptions) when missing.
#   --keep keeps the work folder (screens captured during the run, tmux socket).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$here/target/release/twotier"
operator="ava.global@northwind-distribution.example"
demo_build=0
samples=30
keep=0
db=""
while [ $# -gt 0 ]; do
    case "$1" in
        --demo-build) demo_build=1 ;;
        --samples) samples="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) db="$1" ;;
    esac
    shift
done
db="${db:-${TWOTIER_BENCH_DB:-/tmp/twotier-bench.db}}"

for tool in /usr/bin/tmux /usr/bin/time python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "measure.sh needs $tool (apt-get install tmux time python3)" >&2
        exit 1
    fi
done
if [ ! -x "$bin" ]; then
    echo "building the release binary…" >&2
    (cd "$here" && cargo build --release --quiet)
fi
if [ ! -e "$db" ]; then
    echo "building $db…" >&2
    "$bin" demo --db "$db" --resellers 5000 --customers 100000 --subscriptions 1000000 \
        --operator "$operator" >&2
fi

# Start from a warm OS page cache, as the query benchmarks do (on some VMs the kernel drops
# file pages of an idle file within minutes, and a cold read would be measured instead).
cat "$db" > /dev/null

work=$(mktemp -d /tmp/twotier-measure.XXXXXX)
mkdir -p "$work/home"
socket="twotier-measure-$$"
cleanup() {
    # The server's socket is in $work (TMUX_TMPDIR below): end it before the folder goes.
    TMUX_TMPDIR="$work" /usr/bin/tmux -L "$socket" kill-server 2>/dev/null || true
    if [ "$keep" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "binary:   $bin ($(stat -c '%y' "$bin" | cut -d. -f1))"
echo "database: $db ($(du -m "$db" | cut -f1) MB)"
echo "machine:  $(nproc) CPUs, $(uname -sr), tmux $(/usr/bin/tmux -V | cut -d' ' -f2)"
echo

BIN="$bin" DB="$db" OPERATOR="$operator" WORK="$work" SOCKET="$socket" SAMPLES="$samples" \
DEMO_BUILD="$demo_build" python3 - <<'PY'
import os, re, shlex, statistics, subprocess, sys, time

BIN, DB, OPERATOR = os.environ["BIN"], os.environ["DB"], os.environ["OPERATOR"]
WORK, SOCKET = os.environ["WORK"], os.environ["SOCKET"]
SAMPLES, DEMO_BUILD = int(os.environ["SAMPLES"]), os.environ["DEMO_BUILD"] == "1"
TMUX = "/usr/bin/tmux"

# The panes get a clean, fixed environment: a fake HOME (no config, the log goes there), no
# display (the clipboard is not touched), UTF-8.
env = {k: v for k, v in os.environ.items()
       if not (k.startswith(("TMUX", "XDG_", "TWOTIER_")) or k in
               ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY", "SSH_CLIENT"))}
env.update(HOME=os.path.join(WORK, "home"), LANG="C.UTF-8", TMUX_TMPDIR=WORK)

def tmux(*args, check=True):
    r = subprocess.run([TMUX, "-L", SOCKET, "-f", "/dev/null", *args], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        sys.exit(f"tmux {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout

def capture(target, styled=False):
    """The pane's text; `styled` keeps colours and attributes (the selection is only a style)."""
    return tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", target, check=False)

def new_session(name, command):
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)

def kill_session(name):
    tmux("kill-session", "-t", name, check=False)

def wait_for(target, pred, timeout=15.0, styled=False):
    """Polls capture-pane as fast as it goes until pred(screen); returns (seconds, screen)."""
    start = time.perf_counter()
    while True:
        screen = capture(target, styled)
        now = time.perf_counter()
        if pred(screen):
            return now - start, screen
        if now - start > timeout:
            dump = os.path.join(WORK, f"timeout-{target}.txt")
            with open(dump, "w") as f:
                f.write(screen)
            sys.exit(f"timed out waiting on {target}; screen saved in {dump}")

def settle(target, quiet=0.4, timeout=15.0):
    """The styled screen once it has stopped changing for `quiet` seconds."""
    start = last_change = time.perf_counter()
    screen = capture(target, styled=True)
    while time.perf_counter() - last_change < quiet:
        time.sleep(0.01)
        now_screen = capture(target, styled=True)
        if now_screen != screen:
            screen, last_change = now_screen, time.perf_counter()
        if time.perf_counter() - start > timeout:
            sys.exit(f"{target} never settled")
    return screen

def save(name, screen):
    with open(os.path.join(WORK, name + ".txt"), "w") as f:
        f.write(screen)

def p95(xs):
    xs = sorted(xs)
    return xs[max(0, -(-95 * len(xs) // 100) - 1)]  # nearest rank

ms = lambda s: s * 1000.0
ours_cmd = " ".join(shlex.quote(a) for a in [BIN, "--db", DB, "--operator", OPERATOR])
# A server that outlives every measured session, so no measurement pays for starting tmux.
new_session("keep", "sleep 100000")

# ---- (a) time to first frame -------------------------------------------------------------
listed = re.compile(r"Indirect resellers \(\d+\)")
def first_frame(i):
    name = f"ff{i}"
    start = time.perf_counter()
    new_session(name, ours_cmd)
    t_any = None
    while True:
        screen = capture(name)
        t = time.perf_counter() - start
        if t_any is None and "Indirect resellers" in screen:
            t_any = t
        if listed.search(screen):
            break
        if t > 15:
            save("first-frame-timeout", screen)
            sys.exit("the first frame never came")
    if i == 0:
        save("first-frame", screen)
    kill_session(name)
    time.sleep(0.3)
    return t_any, t

def floor_frame(i):
    name = f"fl{i}"
    start = time.perf_counter()
    new_session(name, "sh -c 'printf \"ready\\n\"; sleep 5'")
    wait_for(name, lambda s: "ready" in s)
    t = time.perf_counter() - start  # from before new-session, like ours
    kill_session(name)
    time.sleep(0.1)
    return t

first_frame(-1)  # warm the page cache and the binary
runs = [first_frame(i) for i in range(5)]
ff_any = statistics.median(r[0] for r in runs)
ff_list = statistics.median(r[1] for r in runs)
floor_frame(-1)
ff_floor = statistics.median(floor_frame(i) for i in range(5))

# ---- (b) keystroke to frame ----------------------------------------------------------------
def key_samples(target, key, reset, label):
    """From the frame S0 the app shows now, times `key` until the screen equals its frame S1;
    `reset` brings S0 back before the next sample. S1 is learnt first (key, settle), and reset
    must lead back to exactly S0."""
    s0 = settle(target)
    tmux("send-keys", "-t", target, key)
    s1 = settle(target)
    save(f"key-{label}-before", s0)
    save(f"key-{label}-after", s1)
    if s0 == s1:
        sys.exit(f"{label}: the key changed nothing on screen")
    times = []
    for i in range(SAMPLES + 1):
        for k in reset:
            tmux("send-keys", "-t", target, k)
        try:
            wait_for(target, lambda s: s == s0, timeout=10, styled=True)
        except SystemExit:
            sys.exit(f"{label}: {' '.join(reset)} does not lead back to the frame before {key}")
        if i == SAMPLES:
            break
        time.sleep(0.02)
        start = time.perf_counter()
        tmux("send-keys", "-t", target, key)
        while capture(target, styled=True) != s1:
            if time.perf_counter() - start > 10:
                sys.exit(f"{label}: the expected frame never came")
        times.append(time.perf_counter() - start)
    return times

new_session("cat", "cat")
settle("cat")
floor_keys = key_samples("cat", "x", ["BSpace"], "cat")

new_session("app", ours_cmd)
wait_for("app", lambda s: listed.search(s))
tmux("send-keys", "-t", "app", "2")
wait_for("app", lambda s: re.search(r"Customers \(\d+\)", s))
settle("app")
keys = []
keys.append(("j (down)", key_samples("app", "j", ["Home"], "j")))
keys.append(("PageDown", key_samples("app", "PageDown", ["Home"], "PageDown")))
keys.append(("End", key_samples("app", "End", ["Home"], "End")))
tmux("send-keys", "-t", "app", "/")
settle("app")
keys.append(("search: type \"a\"", key_samples("app", "a", ["BSpace"], "search-a")))
tmux("send-keys", "-t", "app", "Escape")
settle("app")
keys.append(("f (reseller picker)", key_samples("app", "f", ["Escape"], "picker")))
keys.append(("→ (expand record)", key_samples("app", "Right", ["Right"], "expand")))
kill_session("app")

# ---- (c) peak RSS of a session that visits every screen --------------------------------------
rss_file = os.path.join(WORK, "time-v.txt")
new_session("rss", f"/usr/bin/time -v -o {shlex.quote(rss_file)} {ours_cmd}")
wait_for("rss", lambda s: listed.search(s))
visit = ["1", "i", "Escape", "2", "End", "f", "Escape", "n", "Escape", "y", "Home", "Right",
         "Tab", "Enter", "Escape", "Escape", "3", "4", "5", "/", "a", "Escape", "q"]
visited = []
for k in visit:
    tmux("send-keys", "-t", "rss", k)
    if k != "q":
        screen = settle("rss", quiet=0.3)
        visited.append((k, screen))
deadline = time.time() + 10
while not (os.path.exists(rss_file) and "Maximum resident" in open(rss_file).read()):
    if time.time() > deadline:
        save("rss-last-screen", capture("rss"))
        sys.exit("the visiting session did not quit; its last screen is in rss-last-screen.txt")
    time.sleep(0.05)
with open(os.path.join(WORK, "rss-visit.txt"), "w") as f:
    for k, screen in visited:
        f.write(f"=== after {k}\n{screen}\n")
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(rss_file).read()).group(1))

# ---- (d) demo build -------------------------------------------------------------------------
demo_s = None
if DEMO_BUILD:
    target = os.path.join(WORK, "demo.db")
    start = time.perf_counter()
    subprocess.run([BIN, "demo", "--db", target, "--resellers", "5000", "--customers", "100000",
                    "--subscriptions", "1000000", "--operator", OPERATOR], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    demo_s = time.perf_counter() - start
    os.remove(target)

# ---- the table ---------------------------------------------------------------------------------
rows = []
def row(figure, ours, ref, diff, budget, ok):
    rows.append((figure, ours, ref, diff, budget, "pass" if ok else "FAIL"))

row("first frame: resellers listed (median of 5)", f"{ms(ff_list):.1f} ms",
    f"{ms(ff_floor):.1f} ms", f"{ms(ff_list - ff_floor):.1f} ms", "≤ 100 ms",
    ms(ff_list - ff_floor) <= 100)
row("first frame: chrome only (median of 5)", f"{ms(ff_any):.1f} ms", f"{ms(ff_floor):.1f} ms",
    f"{ms(ff_any - ff_floor):.1f} ms", "(info)", True)
fp95 = p95(floor_keys)
for label, times in keys:
    d = ms(p95(times) - fp95)
    row(f"key → frame p95, {label} (n={len(times)}, p50 {ms(statistics.median(times)):.1f})",
        f"{ms(p95(times)):.1f} ms", f"{ms(fp95):.1f} ms", f"{d:.1f} ms", "≤ 16 ms", d <= 16)
row("peak RSS, session visiting every screen", f"{rss_kb / 1024:.1f} MB", "—", "—", "≤ 50 MB",
    rss_kb / 1024 <= 50)
if demo_s is not None:
    row("twotier demo 5k/100k/1M (build the database)", f"{demo_s:.1f} s", "—", "—", "≤ 15 s",
        demo_s <= 15)

head = ("figure", "ours", "floor", "ours − floor", "budget", "")
widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(6)]
def line(r):
    return "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                     for i, c in enumerate(r))
print(line(head))
for r in rows:
    print(line(r))
print(f"\nfloors: first frame = `sh -c 'printf ready; sleep 5'` started the same way; "
      f"keys = `cat` echoing a key (p50 {ms(statistics.median(floor_keys)):.1f} ms).")
failed = [r[0] for r in rows if r[5] == "FAIL"]
print("over budget: " + "; ".join(failed) if failed else "every figure within budget")
PY
