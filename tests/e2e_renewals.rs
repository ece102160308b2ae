//! End to end, Renewals: the release binary in tmux on a fresh demo book (laid out from today),
//! 6 → Renewals → Enter → Subscription details of the selected row → Esc → Renewals again; f
//! narrows it to a reseller, and the CLI lists the same first subscription.

mod common;

use common::process::sqlite3;
use common::tmux::*;

#[test]
fn six_renewals_enter_subscription_details_esc_back() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();

    s.type_text("6");
    let screen = s.wait_for_text(&[
        "Renewals · overdue and the next 90 days",
        "Group",
        "Auto-renew",
        "Seats",
        "0–30 d",
        "Enter Subscription details",
    ]);
    // The first row is the subscription whose commitment ends first (none is overdue in a
    // fresh demo): its customer is on the screen, and the CLI lists it first too.
    let first = sqlite3(
        &s.db(),
        "SELECT c.company_name || '|' || s.commitment_end_date || '|' || s.subscription_id
         FROM subscriptions s JOIN customers c ON c.id = s.customer_id
         WHERE s.removed_at IS NULL AND s.status IN ('active', 'pending', 'suspended')
         ORDER BY s.commitment_end_date, s.id LIMIT 1;",
    );
    let parts: Vec<&str> = first.trim().split('|').collect();
    let (customer, end, subscription_id) = (parts[0], parts[1], parts[2]);
    let rows = table_rows(&screen, "Group");
    assert!(
        rows[0].contains(end) && rows[0].contains(&customer[..customer.len().min(15)]),
        "first row is not {customer} ending {end}:\n{screen}"
    );
    let db = s.db();
    let cli = s.cli(&[
        "--db",
        db.to_str().unwrap(),
        "subscriptions",
        "renewals",
        "--json",
    ]);
    assert!(cli.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(listed[0]["subscription_id"], subscription_id);

    // Enter: Subscription details of that subscription.
    s.key("Enter");
    let details = s.wait_for_text(&["Subscription details: ", "Commitment ends", end]);
    assert!(details.contains(customer), "{details}");

    // Esc: back on Renewals, the same row selected.
    s.key("Escape");
    let back = s.wait_for("Subscription details closed", |sc| {
        !sc.contains("Subscription details: ") && sc.contains("Renewals · overdue")
    });
    assert!(table_rows(&back, "Group")[0].contains(end), "{back}");

    // f: the reseller picker; the first reseller narrows the list, named in the title.
    s.type_text("f");
    s.wait_for_text(&["Filter by indirect reseller", "All (no filter)"]);
    s.key("Down");
    s.key("Enter");
    s.wait_for("the list narrowed to a reseller", |sc| {
        sc.contains("Renewals · ") && !sc.contains("Renewals · overdue")
    });
    s.key("Escape");
    s.wait_for_text(&["Renewals · overdue and the next 90 days"]);
    s.quit();
}
