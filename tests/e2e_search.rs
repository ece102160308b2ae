//! End to end, search: the release binary in tmux on a demo book, typing `/toso` on Customers
//! finds Contoso (anywhere in the name), `zurich` finds Zürich, a piece of the Microsoft ID finds
//! its customer, and a search inside a name (`aker`) finds every Bakery.

mod common;

use common::process::sqlite3;
use common::tmux::*;

#[test]
fn typing_toso_on_customers_finds_contoso() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    sqlite3(
        &db,
        "UPDATE customers SET company_name = 'Contoso Zürich AG' WHERE id = 1;",
    );
    s.type_text("2");
    s.wait_for_text(&["Customers (60)", "Company name"]);

    s.type_text("/toso");
    let screen = s.wait_for_text(&[
        "Customers (1 matching)",
        "Contoso Zürich AG",
        "Search: toso",
    ]);
    assert_eq!(table_rows(&screen, "Company name").len(), 1, "{screen}");

    s.key("Escape");
    s.wait_for_text(&["Customers (60)"]);
    s.type_text("/zurich");
    s.wait_for_text(&["Customers (1 matching)", "Contoso Zürich AG"]);

    // A piece from the middle of the Microsoft ID, in capitals.
    s.key("Escape");
    s.wait_for_text(&["Customers (60)"]);
    let tenant = sqlite3(&db, "SELECT tenant_id FROM customers WHERE id = 1;");
    s.type_text(&format!("/{}", tenant[9..18].to_uppercase()));
    s.wait_for_text(&["Customers (1 matching)", "Contoso Zürich AG"]);

    // Inside a word: every Bakery, and no other row.
    s.key("Escape");
    s.wait_for_text(&["Customers (60)"]);
    let bakeries: i64 = sqlite3(
        &db,
        "SELECT count(*) FROM customers WHERE company_name LIKE '%aker%' OR domain LIKE '%aker%';",
    )
    .parse()
    .unwrap();
    assert!(bakeries > 1, "the demo has bakeries");
    s.type_text("/aker");
    let screen = s.wait_for_text(&[&format!("Customers ({bakeries} matching)")]);
    for row in table_rows(&screen, "Company name") {
        assert!(row.to_lowercase().contains("aker"), "{row}\n{screen}");
    }
    s.key("Escape");
    s.wait_for_text(&["Customers (60)"]);
    s.quit();
}
