//! `update` sequences over compliance that may be unknown, answered by a real store: an
//! acceptance shows Unknown in Compliance; an order crediting an unknown reseller says so and
//! asks (Check now opens Compliance, Order anyway places it, Esc goes back); a known failure is
//! still refused.

mod common;

use common::{Harness, TestDb, now};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::screens::Modal;
use twotier::app::screens::customer_wizard::{CustomerWizard, Step};
use twotier::domain::compliance::{Check, Compliance};
use twotier::domain::ids::Email;
use twotier::domain::invitation::Delivery;

const WIDE_WORLD: &str = "Wide World Integrators";

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn wizard(h: &Harness) -> &CustomerWizard {
    h.state
        .modals
        .iter()
        .rev()
        .find_map(|m| match m {
            Modal::Wizard(w) => Some(&**w),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no wizard: {:?}", h.state.modals))
}

fn count(h: &Harness, sql: &str) -> i64 {
    h.db.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn wide_world(h: &Harness) -> (i64, Option<bool>, Option<bool>) {
    h.db.store
        .conn()
        .query_row(
            "SELECT id, mpa_signed, por_valid FROM resellers WHERE name = ?1",
            [WIDE_WORLD],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Customers → Add subscription on the first customer, one offer, Wide World as partner of
/// record, Next, the attestation: on Review, ready to submit.
fn to_review_crediting_wide_world(h: &mut Harness) {
    h.type_str("2");
    h.type_str("s");
    assert_eq!(wizard(h).step, Step::Subscriptions);
    h.type_str(" ");
    h.type_str("p");
    h.type_str("Wide");
    h.press(KeyCode::Enter);
    // Unknown is no refusal: the picker hands it over, and the step says so.
    let w = wizard(h);
    assert_eq!(w.order.partner_of_record.as_ref().unwrap().name, WIDE_WORLD);
    assert_eq!(
        w.order.unknown_warning().as_deref(),
        Some(
            "MPA and POR status of Wide World Integrators are unknown: check them in Compliance \
             (Indirect resellers, c) before crediting it"
        )
    );
    ctrl(h, 'n');
    assert_eq!(wizard(h).step, Step::Review);
    h.type_str(" ");
    assert!(wizard(h).attested);
}

const SUBSCRIPTIONS: &str = "SELECT count(*) FROM subscriptions";

#[test]
fn an_acceptance_shows_unknown_in_compliance() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let draft =
        h.db.store
            .prepare_invitation(&Email::parse("partners@contoso.example").unwrap())
            .unwrap();
    h.db.store
        .record_invitation(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    h.type_str("i");
    h.type_str("a");
    h.type_str("Contoso Partners");
    h.press(KeyCode::Tab);
    h.type_str("7654321");
    h.press(KeyCode::Tab);
    h.type_str("us");
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.contains("MPA and POR unknown")),
        "{:?}",
        h.state.toasts
    );
    h.type_str("1");
    while h.state.screens.resellers.list.selected_row().unwrap().name != "Contoso Partners" {
        h.press(KeyCode::Down);
    }
    let row = h.state.screens.resellers.list.selected_row().unwrap();
    assert_eq!(row.compliance.status(), Some("MPA/POR unknown"));
    assert_eq!(row.compliance_warning(), None, "unknown is no failure");
    h.type_str("c");
    let Some(Modal::Compliance(form)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    assert_eq!(form.compliance, Compliance::default());
    assert_eq!(form.compliance.mpa, Check::Unknown);
    // Space: Unknown → Signed; saved and audited.
    h.type_str(" ");
    h.press(KeyCode::Enter);
    let row = h.state.screens.resellers.list.selected_row().unwrap();
    assert_eq!(row.compliance.mpa, Check::Yes);
    assert_eq!(row.compliance.por, Check::Unknown);
    assert_eq!(
        count(
            &h,
            "SELECT count(*) FROM audit_log WHERE action = 'Compliance changed' \
             AND before = 'MPA unknown, POR unknown' AND after = 'MPA signed, POR unknown'"
        ),
        1
    );
}

#[test]
fn submit_asks_and_check_now_opens_compliance_then_the_order_goes() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    to_review_crediting_wide_world(&mut h);
    let before = count(&h, SUBSCRIPTIONS);
    ctrl(&mut h, 's');
    let Some(Modal::UnknownCompliance(q)) = h.state.top_modal() else {
        panic!("asks first: {:?}", h.state.modals)
    };
    assert!(
        q.warning.contains("Wide World Integrators are unknown"),
        "{}",
        q.warning
    );
    assert_eq!(
        count(&h, SUBSCRIPTIONS),
        before,
        "nothing placed while asking"
    );
    // Check now (Enter on the focused first button).
    h.press(KeyCode::Enter);
    let Some(Modal::Compliance(form)) = h.state.top_modal() else {
        panic!("Check now opens Compliance: {:?}", h.state.modals)
    };
    assert_eq!(form.name, WIDE_WORLD);
    h.type_str(" "); // MPA: Signed
    h.press(KeyCode::Tab);
    h.type_str(" "); // POR: Valid
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.state.top_modal(), Some(Modal::Wizard(_))),
        "back on Review"
    );
    assert_eq!(wide_world(&h).1, Some(true));
    assert_eq!(wide_world(&h).2, Some(true));
    assert_eq!(
        wizard(&h)
            .order
            .partner_of_record
            .as_ref()
            .unwrap()
            .compliance,
        Compliance::COMPLIANT
    );
    assert_eq!(wizard(&h).order.unknown_warning(), None);
    // Now compliant: Submit places it without asking.
    ctrl(&mut h, 's');
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(count(&h, SUBSCRIPTIONS), before + 1);
}

#[test]
fn order_anyway_credits_the_unknown_reseller_and_esc_goes_back() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    to_review_crediting_wide_world(&mut h);
    let before = count(&h, SUBSCRIPTIONS);
    ctrl(&mut h, 's');
    h.press(KeyCode::Esc);
    assert!(matches!(h.state.top_modal(), Some(Modal::Wizard(_))));
    assert_eq!(wizard(&h).step, Step::Review);
    assert_eq!(count(&h, SUBSCRIPTIONS), before, "Esc writes nothing");
    ctrl(&mut h, 's');
    h.type_str("o");
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(count(&h, SUBSCRIPTIONS), before + 1);
    let (id, mpa, por) = wide_world(&h);
    assert_eq!((mpa, por), (None, None), "ordering anyway checks nothing");
    assert_eq!(
        count(
            &h,
            &format!("SELECT count(*) FROM subscriptions WHERE reseller_id = {id}")
        ),
        count(
            &h,
            &format!(
                "SELECT count(*) FROM order_line_items WHERE partner_id_on_record = \
                 (SELECT partner_id FROM resellers WHERE id = {id})"
            )
        )
    );
    assert!(
        count(
            &h,
            &format!("SELECT count(*) FROM subscriptions WHERE reseller_id = {id}")
        ) >= 1
    );
}

#[test]
fn a_check_that_fails_is_refused_as_before() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    to_review_crediting_wide_world(&mut h);
    let before = count(&h, SUBSCRIPTIONS);
    ctrl(&mut h, 's');
    h.type_str("c");
    h.type_str("  "); // MPA: Unknown → Signed → Not signed
    h.press(KeyCode::Enter);
    assert_eq!(wide_world(&h).1, Some(false));
    let problem = wizard(&h).problem.clone().unwrap();
    assert!(
        problem.contains("can't be the partner of record: MPA not signed"),
        "{problem}"
    );
    ctrl(&mut h, 's');
    assert!(
        matches!(h.state.top_modal(), Some(Modal::Wizard(_))),
        "refused, not asked: {:?}",
        h.state.modals
    );
    assert!(
        wizard(&h)
            .problem
            .as_deref()
            .unwrap()
            .contains("MPA not signed")
    );
    assert_eq!(count(&h, SUBSCRIPTIONS), before);
}

#[test]
fn an_operator_who_cannot_record_compliance_is_told_whom_to_ask() {
    let mut h = Harness::acting_as(
        TestDb::default_demo(),
        "dev.sales@northwind-distribution.example",
        120,
        40,
    );
    to_review_crediting_wide_world(&mut h);
    ctrl(&mut h, 's');
    h.type_str("c");
    assert!(
        matches!(h.state.top_modal(), Some(Modal::Wizard(_))),
        "{:?}",
        h.state.modals
    );
    let problem = wizard(&h).problem.clone().unwrap();
    assert!(
        problem.contains("Ask a Global admin or Admin agent"),
        "{problem}"
    );
    assert_eq!(wide_world(&h).1, None);
}

#[test]
fn the_customers_own_unchecked_reseller_as_default_partner_of_record_is_said_too() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    for _ in 0..80 {
        let row = h.state.screens.customers.list.selected_row().unwrap();
        if row.reseller.as_deref() == Some(WIDE_WORLD) {
            break;
        }
        h.press(KeyCode::Down);
    }
    let row = h.state.screens.customers.list.selected_row().unwrap();
    assert_eq!(
        row.reseller.as_deref(),
        Some(WIDE_WORLD),
        "a customer of Wide World"
    );
    h.type_str("s");
    let w = wizard(&h);
    assert_eq!(w.order.partner_of_record.as_ref().unwrap().name, WIDE_WORLD);
    assert!(
        w.order.unknown_warning().unwrap().contains("are unknown"),
        "{:?}",
        w.order.unknown_warning()
    );
}

/// On a connected book nothing is asked: Partner Center is asked before the order (by the
/// runtime's write-through), and its answer decides; Submit goes straight out.
#[test]
fn a_connected_book_submits_without_asking_about_unknown_compliance() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.state.remote = twotier::app::state::RemoteLink::PartnerCenter {
        tenant: "northwind.onmicrosoft.com".into(),
    };
    to_review_crediting_wide_world(&mut h);
    let before = count(&h, SUBSCRIPTIONS);
    ctrl(&mut h, 's');
    assert!(
        !h.state
            .modals
            .iter()
            .any(|m| matches!(m, Modal::UnknownCompliance(_))),
        "{:?}",
        h.state.modals
    );
    // (The harness's store stands in for Partner Center's answer here.)
    assert_eq!(count(&h, SUBSCRIPTIONS), before + 1);
}
