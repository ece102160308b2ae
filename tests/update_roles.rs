//! Roles in the console: what a role can't do is dimmed and says why; the Users screen's rules.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use twotier::app::keymap;
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;

/// The demo database, acting as the demo operator of this UPN's role.
fn as_operator(upn: &str, width: u16, height: u16) -> Harness {
    Harness::acting_as(TestDb::default_demo(), upn, width, height)
}

const SALES: &str = "dev.sales@northwind-distribution.example";
const BILLING: &str = "eva.billing@northwind-distribution.example";
const USER_ADMIN: &str = "ben.users@northwind-distribution.example";

#[test]
fn a_sales_agent_is_told_why_not_to_set_a_support_contact() {
    let mut h = as_operator(SALES, 120, 40);
    h.type_str("2");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::SubscriptionDetails(_))
    ));
    for _ in 0..4 {
        h.press(KeyCode::Tab);
    }
    let footer = keymap::footer(&h.state);
    let enter = footer.iter().find(|f| f.keys == "Enter").unwrap();
    assert!(!enter.allowed, "the footer dims it");
    h.press(KeyCode::Enter);
    assert!(
        !matches!(h.state.top_modal(), Some(Modal::ResellerPicker(_))),
        "no picker"
    );
    assert!(h.state.toasts.iter().any(|t| t.text
        == "Designated support contact needs Global admin, Admin agent or Helpdesk agent (you are Sales agent)."));
    // What a Sales agent may do still works: the reseller of record.
    h.press(KeyCode::BackTab);
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::ResellerPicker(_))
    ));
}

#[test]
fn a_billing_admin_starts_on_customers_and_cannot_open_resellers() {
    let mut h = as_operator(BILLING, 120, 40);
    assert_eq!(h.state.screen, Screen::Customers);
    assert!(h.state.screens.customers.list.loaded);
    h.type_str("1");
    assert_eq!(h.state.screen, Screen::Customers);
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.starts_with("Indirect resellers needs Global admin"))
    );
    // Add new customer is not a Billing admin's; Add subscription is.
    h.type_str("n");
    assert!(h.state.modals.is_empty());
    h.type_str("s");
    assert!(matches!(h.state.top_modal(), Some(Modal::Wizard(_))));
}

#[test]
fn users_screen_adds_disables_and_changes_roles_with_the_rules() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("5a");
    assert!(h.state.text_focused());
    h.type_str("new.agent@northwind-distribution.example");
    h.press(KeyCode::Tab);
    h.type_str("New Agent");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Right); // Sales agent → Billing admin
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let added =
        h.db.store
            .operator_by_upn("new.agent@northwind-distribution.example")
            .unwrap()
            .unwrap();
    assert_eq!(added.role, twotier::domain::role::Role::BillingAdmin);
    // Disable and enable it.
    let at = h
        .state
        .screens
        .users
        .list
        .rows
        .iter()
        .position(|o| o.upn == added.upn)
        .unwrap();
    for _ in 0..at {
        h.press(KeyCode::Down);
    }
    h.type_str("d");
    assert!(
        h.db.store
            .operator_by_upn(&added.upn)
            .unwrap()
            .unwrap()
            .disabled
    );
    h.type_str("d");
    assert!(
        !h.db
            .store
            .operator_by_upn(&added.upn)
            .unwrap()
            .unwrap()
            .disabled
    );
    // A User admin can't touch a Global admin.
    let mut ua = as_operator(USER_ADMIN, 120, 40);
    ua.type_str("5");
    assert!(ua.state.screens.users.list.rows[0].role == twotier::domain::role::Role::GlobalAdmin);
    ua.type_str("d");
    assert!(
        matches!(ua.state.top_modal(), Some(Modal::Error(e)) if e.message.contains("Only a Global admin"))
    );
    // A Sales agent sees the keys struck out.
    let mut sales = as_operator(SALES, 120, 40);
    sales.type_str("5");
    assert!(
        keymap::footer(&sales.state)
            .iter()
            .filter(|f| ["a", "d", "r"].contains(&f.keys.as_str()))
            .all(|f| !f.allowed)
    );
    sales.type_str("a");
    assert!(sales.state.modals.is_empty());
}

#[test]
fn the_last_global_admin_stays() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let store = &mut h.db.store;
    store
        .set_operator_disabled(
            "ava.global@northwind-distribution.example",
            true,
            common::now(),
        )
        .unwrap();
    // The test's own operator is now the last active Global admin; no one changes their own role.
    let err = store
        .set_operator_role(
            common::OPERATOR,
            twotier::domain::role::Role::SalesAgent,
            common::now(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("your own role"), "{err}");
}

#[test]
fn the_activity_log_filters_by_operator_action_and_target() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("4f");
    h.press(KeyCode::Tab);
    h.type_str("Operator");
    h.press(KeyCode::Enter);
    let rows = &h.state.screens.activity_log.list.rows;
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r.action.starts_with("Operator")));
    h.type_str("f");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_str("dev");
    h.press(KeyCode::Enter);
    assert_eq!(h.state.screens.activity_log.list.rows.len(), 1);
    let filtered = h
        .state
        .screens
        .activity_log
        .list
        .filter
        .column_prefixes
        .clone();
    h.press(KeyCode::Esc);
    assert!(
        h.state
            .screens
            .activity_log
            .list
            .filter
            .column_prefixes
            .is_empty(),
        "Esc clears the filter"
    );
    assert_eq!(
        h.state.screens.activity_log.list.rows.len(),
        h.state.screens.activity_log.list.total.unwrap() as usize
    );
    assert_eq!(
        filtered,
        [(1, "Operator".to_owned()), (2, "dev".to_owned())]
    );
}
