//! `update` sequences over Subscription details' "Indirect reseller not in the list? Enter MPN
//! ID" with Verify, and a subscription that still names a removed reseller, on a real store.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::screens::Modal;
use twotier::app::screens::subscription_details::{QUANTITY, RESELLER, SubscriptionForm, Verify};

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn form(h: &Harness) -> &SubscriptionForm {
    match h.state.top_modal() {
        Some(Modal::SubscriptionDetails(f)) => f,
        other => panic!("no Subscription details: {other:?}"),
    }
}

/// Customers, the first customer's subscriptions, the first one's details.
fn open_details(h: &mut Harness) -> i64 {
    h.type_str("2");
    h.press(KeyCode::Right);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    form(h).detail.id
}

fn reseller_of(h: &Harness, id: i64) -> Option<i64> {
    h.db.store
        .conn()
        .query_row(
            "SELECT reseller_id FROM subscriptions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
}

fn words(h: &Harness) -> String {
    form(h).verify_words().map(|(_, w)| w).unwrap_or_default()
}

/// On Reseller (MPN ID), types a PartnerID and presses Enter (Verify).
fn verify(h: &mut Harness, partner_id: &str) {
    while !form(h).mpn.value().is_empty() {
        h.press(KeyCode::Backspace);
    }
    h.type_str(partner_id);
    h.press(KeyCode::Enter);
}

#[test]
fn a_typed_partner_id_is_verified_then_chosen_then_saved() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let id = open_details(&mut h);
    let before = reseller_of(&h, id);
    // A compliant active reseller that isn't this subscription's already.
    let (rid, partner_id): (i64, String) = h
        .db
        .store
        .conn()
        .query_row(
            "SELECT id, partner_id FROM resellers WHERE state = 'active' AND mpa_signed AND por_valid
             AND id IS NOT ?1 ORDER BY id LIMIT 1",
            [before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for _ in 0..RESELLER {
        h.press(KeyCode::Tab);
    }
    assert_eq!(form(&h).focus, RESELLER);
    h.type_str(&partner_id);
    assert_eq!(form(&h).mpn.value(), partner_id);
    assert_eq!(form(&h).verify, None, "nothing is verified before Enter");
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.db_commands().last(), Some(twotier::store::worker::DbCmd::VerifyPartnerId { partner_id: p }) if *p == partner_id)
    );
    let w = words(&h);
    assert!(
        w.starts_with('✓')
            && w.contains(&format!(
                "({partner_id}): active partnership, MPA signed, POR valid"
            )),
        "{w}"
    );
    assert_eq!(reseller_of(&h, id), before, "Verify writes nothing");
    // Editing the digits drops the verification; the same digits again are verified again.
    h.press(KeyCode::Backspace);
    assert_eq!(form(&h).verify, None);
    h.type_str(&partner_id[partner_id.len() - 1..]);
    assert_eq!(form(&h).verify, None);
    h.press(KeyCode::Enter);
    assert!(matches!(form(&h).verify, Some(Verify::Found(_))));
    // The second Enter chooses it.
    h.press(KeyCode::Enter);
    let f = form(&h);
    assert_eq!(f.reseller.as_ref().map(|r| r.id), Some(rid));
    assert_eq!((f.mpn.value(), &f.verify), ("", &None));
    ctrl(&mut h, 's');
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(reseller_of(&h, id), Some(rid));
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.starts_with("Saved: reseller"))
    );
}

#[test]
fn own_unknown_removed_and_non_compliant_partner_ids_are_refused_in_words() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let id = open_details(&mut h);
    let before = form(&h).reseller.clone();
    for _ in 0..RESELLER {
        h.press(KeyCode::Tab);
    }
    let conn = h.db.store.conn();
    let own: String = conn
        .query_row("SELECT partner_id FROM provider", [], |r| r.get(0))
        .unwrap();
    let removed: String = conn
        .query_row(
            "SELECT partner_id FROM resellers WHERE state = 'removed' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for (partner_id, want) in [
        (own.as_str(), format!("✗ {own} is your own PartnerID")),
        ("9999999", "✗ No active indirect reseller has PartnerID 9999999; ask them to accept a partnership request first".into()),
        (removed.as_str(), format!("({removed}): the partnership was removed on ")),
        ("873452", "✗ Fourth Coffee Technologies (873452) can't be credited: MPA not signed".into()),
        ("2284619", "✗ Margie's Travel IT (2284619) can't be credited: POR not valid".into()),
        ("12345678901", "✗ A PartnerID has at most 10 digits".into()),
    ] {
        verify(&mut h, partner_id);
        let w = words(&h);
        assert!(w.contains(&want), "{partner_id}: {w}");
        assert_eq!(form(&h).verify_words().map(|(ok, _)| ok), Some(false));
        // Enter again: verified again, still not chosen.
        h.press(KeyCode::Enter);
        assert_eq!(form(&h).reseller, before, "{partner_id} was chosen");
        assert!(words(&h).contains(&want));
    }
    // Esc clears the input first; the form stays.
    h.press(KeyCode::Esc);
    let f = form(&h);
    assert_eq!((f.mpn.value(), &f.verify), ("", &None));
    assert_eq!(f.detail.id, id);
    // Empty: Enter opens the picker, as before.
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.state.top_modal(), Some(Modal::ResellerPicker(_))),
        "{:?}",
        h.state.top_modal()
    );
}

#[test]
fn a_change_to_a_subscription_naming_a_removed_reseller_waits_for_a_current_one() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let id = open_details(&mut h);
    h.press(KeyCode::Esc);
    let removed: i64 =
        h.db.store
            .conn()
            .query_row(
                "SELECT id FROM resellers WHERE state = 'removed' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    h.db.store
        .conn()
        .execute(
            "UPDATE subscriptions SET reseller_id = ?1, status = 'active' WHERE id = ?2",
            [removed, id],
        )
        .unwrap();
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).detail.id, id);
    assert!(form(&h).still_removed(RESELLER));
    let quantity = form(&h).detail.quantity;
    assert_eq!(form(&h).focus, QUANTITY);
    h.press(KeyCode::Right);
    ctrl(&mut h, 's');
    let f = form(&h);
    assert!(f.refused_removed);
    assert_eq!(f.focus, RESELLER, "focus moves to the field to change");
    let (_, why) = f.removed_problem().unwrap();
    assert!(
        why.contains("on Reseller (MPN ID) is a removed reseller: pick a current reseller or none"),
        "{why}"
    );
    let (q, r): (i64, i64) =
        h.db.store
            .conn()
            .query_row(
                "SELECT quantity, reseller_id FROM subscriptions WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!((q, r), (quantity, removed), "nothing saved");
    // None, from the picker: now it saves.
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).reseller, None);
    assert!(form(&h).removed_problem().is_none());
    ctrl(&mut h, 's');
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(reseller_of(&h, id), None);
}
