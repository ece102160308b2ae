//! View snapshots of Subscription details at 80×24: a PartnerID typed on Reseller (MPN ID) and
//! verified, and a subscription that still names a removed reseller.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::screens::subscription_details::RESELLER;
use twotier::app::state::AppState;
use twotier::ui::{Theme, view};

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

fn open_details(h: &mut Harness) {
    h.type_str("2");
    h.press(KeyCode::Right);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
}

#[test]
fn a_verified_partner_id_says_who_it_is_before_it_is_chosen() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    open_details(&mut h);
    for _ in 0..RESELLER {
        h.press(KeyCode::Tab);
    }
    let empty = screen(&h.state);
    assert!(
        empty.contains("Indirect reseller not in the list? Enter MPN ID"),
        "{empty}"
    );
    h.type_str("517285");
    h.press(KeyCode::Enter);
    let text = screen(&h.state);
    assert!(
        text.contains("✓ Lucerne Digital (517285): active partnership"),
        "{text}"
    );
    insta::assert_snapshot!("subscription_details_verified_partner_id", text);
    // Not creditable: said, and no "Enter to choose".
    for _ in 0..6 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("873452");
    h.press(KeyCode::Enter);
    let text = screen(&h.state);
    assert!(
        text.contains("✗ Fourth Coffee Technologies (873452) can't be"),
        "{text}"
    );
    assert!(!text.contains("Enter to choose"), "{text}");
}

#[test]
fn a_removed_reseller_is_marked_and_a_submit_is_refused_in_words() {
    let db = TestDb::default_demo();
    // The first customer's first subscription names the removed reseller as partner of record.
    db.store
        .conn()
        .execute(
            "UPDATE subscriptions SET reseller_id = (SELECT id FROM resellers WHERE state = 'removed' LIMIT 1)
             WHERE id = (SELECT min(s.id) FROM subscriptions s WHERE s.customer_id =
                           (SELECT id FROM customers ORDER BY company_name, id LIMIT 1))",
            [],
        )
        .unwrap();
    let mut h = Harness::new(db, 80, 24);
    h.type_str("2");
    h.press(KeyCode::Right);
    let pane = screen(&h.state);
    assert!(pane.contains("⚠ reseller"), "{pane}");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Right);
    h.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let text = screen(&h.state);
    assert!(text.contains("⚠ reseller removed"), "{text}");
    assert!(text.contains("✗ Not submitted"), "{text}");
    insta::assert_snapshot!("subscription_details_removed_reseller", text);
}

/// The demo, with the first customer's first subscription supported by a removed reseller.
fn removed_support() -> TestDb {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE subscriptions SET support_reseller_id = (SELECT id FROM resellers WHERE state = 'removed' LIMIT 1)
             WHERE id = (SELECT min(s.id) FROM subscriptions s WHERE s.customer_id =
                           (SELECT id FROM customers ORDER BY company_name, id LIMIT 1))",
            [],
        )
        .unwrap();
    db
}

#[test]
fn a_removed_support_contact_is_said_at_80_columns_where_its_column_does_not_fit() {
    for (width, words) in [(80, "⚠ support removed"), (120, "⚠ reseller removed")] {
        let mut h = Harness::new(removed_support(), width, 24);
        h.type_str("2");
        h.press(KeyCode::Right);
        let pane = screen(&h.state);
        assert!(pane.contains(words), "{width} columns:\n{pane}");
    }
}
