//! The release binary in tmux on books other processes touch: `twotier demo` never replaces a
//! book a console has open, and a row another tool wrote with invalid UTF-8 does not empty a list.

mod common;

use common::process::{describe, stderr};
use common::tmux::*;

fn tmux_here() -> bool {
    common::tools::available("tmux", "apt-get install tmux")
}

#[test]
fn demo_refuses_to_replace_the_book_a_console_has_open() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    let before = std::fs::read(&db).unwrap();
    let out = s.cli(&["--db", db.to_str().unwrap(), "demo", "--customers", "10"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        stderr(&out).contains("is open in another twotier"),
        "{}",
        describe(&out)
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "the book is untouched");
    // The console still has its book: its next write lands in it.
    s.type_text("5");
    s.wait_for_text(&["Users (7)"]);
    s.type_text("a");
    s.wait_for_text(&["UPN"]);
    s.type_text("late.agent@northwind-distribution.example");
    s.key("Enter");
    s.wait_for_text(&["Users (8)"]);
    s.quit();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let added: i64 = conn
        .query_row(
            "SELECT count(*) FROM operators WHERE upn = 'late.agent@northwind-distribution.example'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(added, 1, "the console's write is in the book");
    drop(conn);
    // Closed, it can be replaced.
    let out = s.cli(&["--db", db.to_str().unwrap(), "demo", "--customers", "10"]);
    assert!(out.status.success(), "{}", describe(&out));
}

#[test]
fn a_customer_name_that_is_not_utf8_shows_with_replacement_characters_in_a_full_list() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    let db = s.db();
    let out = s.cli(&[
        "--db",
        db.to_str().unwrap(),
        "demo",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE customers SET company_name = CAST(X'41414141FF2042726F6B656E' AS TEXT)
           WHERE id = (SELECT min(id) FROM customers);",
    )
    .unwrap();
    drop(conn);
    s.start(&["--db", db.to_str().unwrap()]);
    s.wait_for_text(FIRST_SCREEN);
    s.type_text("2");
    let screen = s.wait_for_text(&["Customers (60)", "AAAA\u{fffd} Broken"]);
    assert!(
        screen.contains("Adatum") || screen.lines().count() > 10,
        "{screen}"
    );
}
