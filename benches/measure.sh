#!/usr/bin/env bash
# Whole-process figures of the release binary on a big book, each beside a floor measured the
# same way in the same run (issues 6 and 15):
#   (a) first frame of every screen (SCREENS below): the screen shown at launch, timed from a new
#       120×40 tmux session to its settled frame (floor: a trivial program started the same way);
#       every other screen, its first visit: the menu key in a fresh console → the screen's
#       settled frame (floor: `cat` echoing a key). Median of --first N fresh consoles.
#   (b) keystroke to frame (KEYS below: moving, paging, End, a search letter, the third letter
#       of a search, opening a record and a detail): key sent with `tmux send-keys` → the screen
#       equals the frame that key leads to; --samples each, p95; floor: `cat` in a tmux pane
#       echoing a typed key, timed with the identical method.
#   (c) peak RSS of a session that visits every screen and the keys' screens, `/usr/bin/time -v`.
#   (d) with --demo-build: `twotier demo` at 5k/100k/1M into a temporary file (≤ 15 s).
#
# Usage: benches/measure.sh [--db PATH] [--samples N] [--first N] [--search3 ABC] [--demo-build] [--keep]
#   --db defaults to $TWOTIER_BENCH_DB or /tmp/twotier-bench.db; built with `twotier demo` (5 000
#   resellers, 100 000 customers, 1 000 000 subscriptions) when missing. The 10M book of issue 15:
#   twotier demo --db /tmp/big10m.db --resellers 50000 --customers 1000000 --subscriptions 10000000
#   --search3 is the 3-letter query whose third letter is timed (default "ake": Bakery, Lake).
#   --keep keeps the work folder (screens captured during the run, tmux socket).
#   The binary is $CARGO_TARGET_DIR/release/twotier (default target/), or $TWOTIER_BIN.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="${TWOTIER_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/twotier}"
operator="ava.global@northwind-distribution.example"
demo_build=0
samples=30
first=5
search3=ake
keep=0
db=""
while [ $# -gt 0 ]; do
    case "$1" in
        --demo-build) demo_build=1 ;;
        --samples) samples="$2"; shift ;;
        --first) first="$2"; shift ;;
        --search3) search3="$2"; shift ;;
        --db) db="$2"; shift ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) db="$1" ;;
    esac
    shift
done
db="${db:-${TWOTIER_BENCH_DB:-/tmp/twotier-bench.db}}"
if [ "${#search3}" != 3 ]; then
    echo "--search3 takes three letters" >&2
    exit 2
fi

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
FIRST="$first" SEARCH3="$search3" DEMO_BUILD="$demo_build" python3 - <<'PY'
import os, re, shlex, statistics, subprocess, sys, time

BIN, DB, OPERATOR = os.environ["BIN"], os.environ["DB"], os.environ["OPERATOR"]
WORK, SOCKET = os.environ["WORK"], os.environ["SOCKET"]
SAMPLES, FIRST = int(os.environ["SAMPLES"]), int(os.environ["FIRST"])
SEARCH3, DEMO_BUILD = os.environ["SEARCH3"], os.environ["DEMO_BUILD"] == "1"
TMUX = "/usr/bin/tmux"

# ---- what is measured: one line per screen, one line per key ---------------------------------
# Screens of the menu: (menu key, name, what its drawn frame shows). A screen the console opens
# at launch is timed from the launch; the others from their menu key.
SCREENS = [
    ("1", "Indirect resellers", r"┌ Indirect resellers \([\d,]+\)"),
    ("2", "Customers", r"┌ Customers \([\d,]+\)"),
    ("3", "Company profile", r"┌ Company profile ─"),
    ("4", "Activity log", r"┌ Activity log \([\d,]+\)"),
    ("5", "Users", r"┌ Users \([\d,]+\)"),
]
# Keys: (label, keys that lead to the frame before, the key timed, keys back to the frame before).
# Each starts from a fresh console on its launch screen.
KEYS = [
    ("j (down)", ["2"], "j", ["Home"]),
    ("PageDown", ["2"], "PageDown", ["Home"]),
    ("End", ["2"], "End", ["Home"]),
    ("search: type \"a\"", ["2", "/"], "a", ["BSpace"]),
    (f"search: 3rd letter of \"{SEARCH3}\"", ["2", "/", SEARCH3[0], SEARCH3[1]], SEARCH3[2],
     ["BSpace"]),
    ("f (reseller picker)", ["2"], "f", ["Escape"]),
    ("→ (expand record)", ["2"], "Right", ["Right"]),
    ("Enter (subscription details)", ["2", "Right", "Tab"], "Enter", ["Escape"]),
    ("End on Indirect resellers", ["1"], "End", ["Home"]),
]
# Budgets (issue 15, at 50k resellers / 1M customers / 10M subscriptions).
FIRST_FRAME_BUDGET, KEY_BUDGET, SEARCH3_BUDGET, RSS_BUDGET_MB = 20, 5, 20, 30

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
    return settled_at(target, time.perf_counter(), quiet, timeout)[1]

def settled_at(target, start, quiet=0.4, timeout=15.0):
    """(seconds from `start` to the last change, that frame) once the styled screen has stopped
    changing for `quiet` seconds: the time of a screen's last frame, whatever it draws first."""
    screen = capture(target, styled=True)
    changed = time.perf_counter()
    while time.perf_counter() - changed < quiet:
        now_screen = capture(target, styled=True)
        if now_screen != screen:
            screen, changed = now_screen, time.perf_counter()
        if changed - start > timeout:
            sys.exit(f"{target} never settled")
    return changed - start, screen

def save(name, screen):
    with open(os.path.join(WORK, name + ".txt"), "w") as f:
        f.write(screen)

def p95(xs):
    xs = sorted(xs)
    return xs[max(0, -(-95 * len(xs) // 100) - 1)]  # nearest rank

ms = lambda s: s * 1000.0
slug = lambda s: re.sub(r"[^\w]+", "-", s).strip("-")
plain = lambda screen: re.sub(r"\x1b\[[0-9;]*m", "", screen)
ours_cmd = " ".join(shlex.quote(a) for a in [BIN, "--db", DB, "--operator", OPERATOR])
# A server that outlives every measured session, so no measurement pays for starting tmux.
new_session("keep", "sleep 100000")

def launch_screen(screen):
    """The SCREENS entry whose frame this is."""
    for entry in SCREENS:
        if re.search(entry[2], plain(screen)):
            return entry
    return None

# ---- (a) first frame of every screen -----------------------------------------------------------
def launch(name):
    """A new console; (seconds to its launch screen's last frame, that screen's entry)."""
    start = time.perf_counter()
    new_session(name, ours_cmd)
    wait_for(name, lambda s: launch_screen(s) is not None)
    t, screen = settled_at(name, start, quiet=0.3)
    entry = launch_screen(screen)
    if entry is None:
        save(f"launch-{name}", screen)
        sys.exit("the launch screen is none of SCREENS")
    return t, entry

def floor_launch(i):
    name = f"fl{i}"
    start = time.perf_counter()
    new_session(name, "sh -c 'printf \"ready\\n\"; sleep 5'")
    wait_for(name, lambda s: "ready" in s)
    t = time.perf_counter() - start  # from before new-session, like ours
    kill_session(name)
    time.sleep(0.1)
    return t

kill_session("warm")
launch("warm")  # warm the page cache and the binary
kill_session("warm")
floor_launch(-1)
launch_floor = statistics.median(floor_launch(i) for i in range(FIRST))

first_frames = {}  # menu key → [seconds]
launched = None
for key, name, drawn in SCREENS:
    times = []
    for i in range(FIRST):
        session = f"ff{slug(key)}{i}"
        t, entry = launch(session)
        launched = entry
        if entry[0] == key:
            times.append(t)
        else:
            start = time.perf_counter()
            tmux("send-keys", "-t", session, key)
            wait_for(session, lambda s: re.search(drawn, plain(s)))
            t, screen = settled_at(session, start, quiet=0.3)
            times.append(t)
            if i == 0:
                save(f"first-frame-{slug(name)}", screen)
        kill_session(session)
        time.sleep(0.2)
    first_frames[key] = times

# ---- (b) keystroke to frame ----------------------------------------------------------------
def key_samples(target, key, reset, label):
    """From the frame S0 the app shows now, times `key` until the screen equals its frame S1;
    `reset` brings S0 back before the next sample. S1 is learnt first (key, settle), and reset
    must lead back to exactly S0."""
    s0 = settle(target)
    tmux("send-keys", "-t", target, key)
    s1 = settle(target)
    save(f"key-{slug(label)}-before", s0)
    save(f"key-{slug(label)}-after", s1)
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

keys = []
for label, before, key, reset in KEYS:
    launch("app")
    for k in before:
        tmux("send-keys", "-t", "app", k)
        settle("app", quiet=0.3)
    keys.append((label, key_samples("app", key, reset, label)))
    kill_session("app")
    time.sleep(0.2)

# ---- (c) peak RSS of a session that visits every screen --------------------------------------
rss_file = os.path.join(WORK, "time-v.txt")
new_session("rss", f"/usr/bin/time -v -o {shlex.quote(rss_file)} {ours_cmd}")
wait_for("rss", lambda s: launch_screen(s) is not None)
visit = [k for k, _, _ in SCREENS] + [
    "1", "i", "Escape", "2", "End", "f", "Escape", "n", "Escape", "y", "Home", "Right",
    "Tab", "Enter", "Escape", "Escape", "/", *SEARCH3, "Escape", "1", "End", "q"]
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

fp95 = p95(floor_keys)
for key, name, _ in SCREENS:
    times = first_frames[key]
    at_launch = launched is not None and launched[0] == key
    floor = launch_floor if at_launch else fp95
    how = "launch" if at_launch else f"key {key}"
    t = statistics.median(times)
    d = ms(t - floor)
    row(f"first frame: {key} {name} ({how}, median of {len(times)}, max {ms(max(times)):.1f})",
        f"{ms(t):.1f} ms", f"{ms(floor):.1f} ms", f"{d:.1f} ms", f"≤ {FIRST_FRAME_BUDGET} ms",
        d <= FIRST_FRAME_BUDGET)
for label, times in keys:
    d = ms(p95(times) - fp95)
    budget = SEARCH3_BUDGET if label.startswith("search: 3rd") else KEY_BUDGET
    row(f"key → frame p95, {label} (n={len(times)}, p50 {ms(statistics.median(times)):.1f})",
        f"{ms(p95(times)):.1f} ms", f"{ms(fp95):.1f} ms", f"{d:.1f} ms", f"≤ {budget} ms",
        d <= budget)
row("peak RSS, session visiting every screen", f"{rss_kb / 1024:.1f} MB", "—", "—",
    f"≤ {RSS_BUDGET_MB} MB", rss_kb / 1024 <= RSS_BUDGET_MB)
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
print(f"\nfloors: launch = `sh -c 'printf ready; sleep 5'` started the same way; "
      f"keys and screen switches = `cat` echoing a key (p50 {ms(statistics.median(floor_keys)):.1f} ms, "
      f"p95 {ms(fp95):.1f} ms).")
failed = [r[0] for r in rows if r[5] == "FAIL"]
print("over budget: " + "; ".join(failed) if failed else "every figure within budget")
PY
