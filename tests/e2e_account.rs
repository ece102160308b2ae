//! End to end, a customer's Account: the release binary in tmux, the expanded record sized to
//! its subscriptions with its three actions, `a` opening the Account with the book's values,
//! `Esc` closing it, at 120×40 and at 80×24.

mod common;

use common::process::sqlite3;
use common::tmux::*;

#[test]
fn the_expanded_record_and_the_account_of_a_customer() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    s.type_text("2");
    s.wait_for_text(&["Customers (60)", "Company name"]);
    // The first customer (by name), as the book has it.
    let row = sqlite3(
        &db,
        "SELECT company_name, domain, admin_user_name, (SELECT count(*) FROM subscriptions s WHERE s.customer_id = c.id) \
         FROM customers c ORDER BY company_name, id LIMIT 1;",
    );
    let fields: Vec<&str> = row.trim().split('|').collect();
    let (company, domain, admin, count) = (fields[0], fields[1], fields[2], fields[3]);
    let count: usize = count.parse().unwrap();

    s.key("Right");
    let screen = s.wait_for_text(&["s Add subscription  Enter Subscriptions  a Account"]);
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains(&format!("┌ Subscriptions of {company}")))
        .unwrap_or_else(|| panic!("no record of {company}:\n{screen}"));
    let bar = lines
        .iter()
        .position(|l| l.contains("a Account ─"))
        .unwrap();
    assert_eq!(
        bar - top,
        count + 2,
        "title, header, {count} rows, border:\n{screen}"
    );

    s.type_text("a");
    let screen = s.wait_for("the Account", |sc| {
        sc.contains(&format!("┌ Account: {company}")) && sc.contains(admin)
    });
    assert!(screen.contains(domain), "{screen}");
    assert!(!screen.to_lowercase().contains("password"), "{screen}");

    // At 80×24 the whole Account still fits, cut to the dialog.
    s.tmux_ok(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]);
    let screen = s.wait_for("the Account at 80×24", |sc| {
        sc.lines().count() <= 24 && sc.contains("Admin user name") && sc.contains("Esc/Enter close")
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");

    s.key("Escape");
    s.wait_for("the record again", |sc| {
        !sc.contains("┌ Account:") && sc.contains("Enter Subscriptions  a Account")
    });
    s.quit();
}
