//! End to end, Subscription details' "Indirect reseller not in the list? Enter MPN ID" with
//! Verify: the release binary in tmux, driven by keys, read from the screen and checked in the
//! database. Your own PartnerID and a reseller that hasn't signed the MPA are refused in words;
//! a compliant reseller's PartnerID is verified, chosen with a second Enter and saved.

mod common;

use common::process::{sqlite3, sqlite3_count};
use common::tmux::*;

const LUCERNE_ID: &str = "517285";

#[test]
fn a_typed_partner_id_is_verified_then_chosen_then_saved() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    let own = sqlite3(&db, "SELECT partner_id FROM provider;")
        .trim()
        .to_owned();
    let lucerne = sqlite3_count(
        &db,
        &format!(
            "SELECT id FROM resellers WHERE partner_id = '{LUCERNE_ID}' AND state = 'active';"
        ),
    );
    s.type_text("2");
    s.wait_for_text(&["Customers (60)"]);
    s.key("Enter");
    s.wait_for_text(&["Enter Subscription details"]);
    s.key("Enter");
    let screen = s.wait_for_text(&["Subscription details:", "› Quantity"]);
    let subscription_id = line_with(&screen, &["Subscription ID"])
        .and_then(|l| l.split_once("Subscription ID"))
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .expect("a subscription ID on the screen")
        .to_owned();
    let where_sub = format!("subscription_id = {}", sql_text(&subscription_id));
    let before = sqlite3(
        &db,
        &format!("SELECT ifnull(reseller_id, '') FROM subscriptions WHERE {where_sub};"),
    );
    assert_ne!(
        before.trim(),
        lucerne.to_string(),
        "already Lucerne: nothing would change"
    );
    s.keys("Tab", 3);
    s.wait_for_text(&[
        "› Reseller (MPN ID)",
        "Indirect reseller not in the list? Enter MPN ID",
    ]);

    // Your own PartnerID: refused in words.
    s.type_text(&own);
    s.key("Enter");
    s.wait_for_text(&[&format!("✗ {own} is your own PartnerID")]);
    s.keys("BSpace", own.len());
    // A reseller without the MPA: said, and Enter doesn't choose it.
    s.type_text("873452");
    s.wait_for("the refusal gone with the digits", |sc| {
        !sc.contains("your own PartnerID")
    });
    s.key("Enter");
    s.wait_for_text(&[
        "Fourth Coffee Technologies (873452) can't be",
        "MPA not signed",
    ]);
    s.key("Enter");
    s.wait_for_text(&["Fourth Coffee Technologies (873452) can't be"]);
    // Esc clears the input; the form stays.
    s.key("Escape");
    s.wait_for("the input cleared", |sc| {
        sc.contains("Subscription details:") && !sc.contains("873452")
    });

    // Lucerne: verified, then chosen, then saved.
    s.type_text(LUCERNE_ID);
    s.key("Enter");
    s.wait_for_text(&["✓ Lucerne Digital (517285): active partnership, MPA signed, POR valid"]);
    s.key("Enter");
    s.wait_for("Lucerne on Reseller (MPN ID)", |sc| {
        line_with(sc, &["› Reseller (MPN ID)", "Lucerne Digital (517285)"]).is_some()
            && sc.contains("Unsaved changes")
    });
    s.key("C-s");
    s.wait_for("the form closed and the toast", |sc| {
        !sc.contains("Subscription details:") && sc.contains("Saved: reseller")
    });
    assert_eq!(
        sqlite3(
            &db,
            &format!("SELECT reseller_id FROM subscriptions WHERE {where_sub};")
        )
        .trim(),
        lucerne.to_string()
    );
    s.quit();
}
