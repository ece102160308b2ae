//! End to end, Dashboard: the release binary in tmux opens on the Dashboard of the demo book,
//! fits 80×24 and 200×50, and `1` / `0` go to Indirect resellers and back.

mod common;

use common::tmux::*;

#[test]
fn the_console_opens_on_the_dashboard_of_the_demo_book() {
    require!(TMUX);
    let s = Session::new();
    s.start(&["--db", s.db().to_str().unwrap()]);
    let screen = s.wait_for_text(DASHBOARD);
    for panel in [
        "60 customers",
        "Seats by offer",
        "New customers per week",
        "Top resellers by seats",
        "Needs attention",
    ] {
        assert!(screen.contains(panel), "{panel}:\n{screen}");
    }
    for (width, height, menu) in [("80", "24", "0 Home"), ("200", "50", "0 Dashboard")] {
        s.tmux_ok(&["resize-window", "-t", "e2e", "-x", width, "-y", height]);
        s.wait_for(&format!("the Dashboard at {width}×{height}"), |sc| {
            sc.contains(menu) && sc.contains("Needs attention") && sc.contains("DEMO DATA")
        });
    }
    s.type_text("1");
    s.wait_for_text(&["┌ Indirect resellers (11)"]);
    s.type_text("0");
    s.wait_for_text(&["┌ Seats by offer"]);
    // Back to the size the terminal started at, so the shell's screen is checked as elsewhere.
    s.tmux_ok(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    s.wait_for_text(&["0 Dashboard  1 Indirect resellers"]);
    s.quit();
}
