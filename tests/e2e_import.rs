//! `twotier import` in a real terminal (tmux): with stderr a terminal, a long import draws its
//! progress (rows, rows a second, time left) and clears it when done; the summary stays.

mod common;

use common::process::assert_success;
use common::tmux::*;

const ADMIN: &str = "ava@northwind.example";

#[test]
fn a_long_import_shows_its_progress_on_a_terminal() {
    require!(TMUX);
    let s = Session::new();
    let demo = s.work("demo.db");
    let own = s.work("own.db");
    let (demo, own) = (demo.to_str().unwrap(), own.to_str().unwrap());
    assert_success(&s.cli(&[
        "--db",
        demo,
        "--operator",
        "tester",
        "demo",
        "--customers",
        "20000",
        "--subscriptions",
        "300000",
        "--as-of",
        "2026-11-01",
    ]));
    for what in ["resellers", "customers", "subscriptions"] {
        let file = s.work(&format!("{what}.csv"));
        assert_success(&s.cli(&[
            "--db",
            demo,
            "--operator",
            "tester",
            "export",
            what,
            "--format",
            "csv",
            "--out",
            file.to_str().unwrap(),
        ]));
    }
    assert_success(&s.cli(&[
        "--db",
        own,
        "init",
        "--company",
        "Northwind Cloud Distribution",
        "--partner-id",
        "4120357",
        "--tenant-id",
        "9a3c1f52-7d4e-4b8a-9c21-5e6f7a8b9c0d",
        "--country",
        "US",
        "--admin",
        ADMIN,
    ]));
    for what in ["resellers", "customers"] {
        let file = s.work(&format!("{what}.csv"));
        assert_success(&s.cli(&[
            "--db",
            own,
            "--operator",
            ADMIN,
            "import",
            what,
            file.to_str().unwrap(),
        ]));
    }
    let file = s.work("subscriptions.csv");
    s.start(&[
        "--db",
        own,
        "--operator",
        ADMIN,
        "import",
        "subscriptions",
        file.to_str().unwrap(),
    ]);
    s.wait_for("the progress bar", |screen| {
        screen.contains("Importing subscriptions [")
            && screen.contains("rows/s")
            && screen.contains("ETA")
    });
    assert_eq!(s.wait_for_exit(), "EXIT=0");
    let screen = s.screen();
    assert!(
        screen.contains("300000 added, 0 updated, 0 unchanged subscriptions."),
        "{screen}"
    );
    assert!(
        !screen.contains("Importing subscriptions ["),
        "the bar is cleared when done:\n{screen}"
    );
}
