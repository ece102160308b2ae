//! The release binary in tmux on books other processes touch: with a fresh HOME the console opens
//! the demo book (with its banner on every screen) unless your own book is at the default path,
//! `twotier demo` never replaces a book a console has open, and a row another tool wrote with
//! invalid UTF-8 does not empty a list.

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
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
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
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    conn.execute_batch(
        "UPDATE customers SET company_name = CAST(X'41414141FF2042726F6B656E' AS TEXT)
           WHERE id = (SELECT min(id) FROM customers);",
    )
    .unwrap();
    drop(conn);
    s.start(&["--db", db.to_str().unwrap()]);
    s.open_resellers();
    s.type_text("2");
    let screen = s.wait_for_text(&["Customers (60)", "AAAA\u{fffd} Broken"]);
    assert!(
        screen.contains("Adatum") || screen.lines().count() > 10,
        "{screen}"
    );
}

/// The header of the screen: its first line.
fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

#[test]
fn a_fresh_home_opens_the_demo_book_in_the_data_folder_with_its_banner_on_every_screen() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    // As `cargo run --release`: no arguments, nothing in HOME yet.
    s.start(&[]);
    let screen = s.open_resellers();
    let data = s.path("home/.local/share/twotier");
    assert!(data.join("demo.db").is_file(), "{screen}");
    assert!(
        !data.join("twotier.db").exists(),
        "the demo went to twotier.db"
    );
    for (key, title) in [
        ("2", "┌ Customers ("),
        ("3", "┌ Company profile"),
        ("4", "┌ Activity log ("),
        ("5", "┌ Users ("),
        ("1", "┌ Indirect resellers ("),
    ] {
        s.type_text(key);
        let screen = s.wait_for_text(&[title]);
        // The banner, with how to set up your own (its words may name `twotier init` or a key).
        let top = header(&screen);
        assert!(
            top.contains("DEMO DATA") && top.contains("your own book"),
            "{title}:\n{screen}"
        );
    }
    s.quit();
    let conn = rusqlite::Connection::open(data.join("demo.db")).unwrap();
    // The search index's triggers call twotier's fold function.
    twotier::store::search::register(&conn).unwrap();
    let demo: bool = conn
        .query_row("SELECT is_demo FROM provider", [], |r| r.get(0))
        .unwrap();
    assert!(demo, "the book is marked as demo data");
}

#[test]
fn your_own_book_at_the_default_path_opens_instead_of_the_demo_without_the_banner() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    let admin = "ava@contoso.example";
    for args in [
        &["demo", "--as-of", "2026-11-01"][..],
        &[
            "init",
            "--company",
            "Contoso Distribution",
            "--partner-id",
            "1234567",
            "--tenant-id",
            "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1",
            "--country",
            "US",
            "--admin",
            admin,
        ],
    ] {
        let out = s.cli(args);
        assert!(out.status.success(), "{args:?}\n{}", describe(&out));
    }
    let demo = s.path("home/.local/share/twotier/demo.db");
    let demo_before = std::fs::read(&demo).unwrap();
    s.start(&["--operator", admin]);
    s.wait_for_text(&["Contoso Distribution", "Your book is empty"]);
    s.type_text("1");
    let screen = s.wait_for_text(&[
        "Contoso Distribution",
        "PartnerID 1234567",
        "No indirect resellers yet",
    ]);
    assert!(!screen.contains("DEMO DATA"), "{screen}");
    assert!(!screen.contains("Northwind"), "{screen}");
    s.type_text("2");
    let screen = s.wait_for_text(&["No customers yet"]);
    assert!(!header(&screen).contains("DEMO"), "{screen}");
    s.quit();
    assert_eq!(
        std::fs::read(&demo).unwrap(),
        demo_before,
        "the demo book was not touched"
    );
}
