//! `update` sequences over the Add new customer wizard, Confirmation, Add subscription and
//! Subscription details, answered by a real store.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::action::Action;
use twotier::app::effect::Effect;
use twotier::app::form::Verdict;
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;
use twotier::app::screens::customer_wizard::{self as wiz, CustomerWizard, Step};

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn wizard(h: &Harness) -> &CustomerWizard {
    match h.state.modals.iter().rev().find_map(|m| {
        if let Modal::Wizard(w) = m {
            Some(w)
        } else {
            None
        }
    }) {
        Some(w) => w,
        None => panic!("no wizard: {:?}", h.state.modals),
    }
}

fn customers(h: &Harness) -> i64 {
    h.db.store
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

/// Types into the focused field, then moves to the next.
fn field(h: &mut Harness, text: &str) {
    h.type_str(text);
    h.press(KeyCode::Tab);
}

/// Fills Account info for a US customer (the reseller row is left as it is).
fn fill_account(h: &mut Harness) {
    for text in [
        "Fabrikam Robotics",
        "fabrikamrobotics",
        "Ana",
        "Silva",
        "ana@fabrikam.example",
        "",
        "1 Main St",
        "",
        "Seattle",
        "WA",
        "98101",
        "US",
    ] {
        field(h, text);
    }
    // Culture and language came from the country.
    assert_eq!(wizard(h).account.value(wiz::CULTURE), "en-US");
    assert_eq!(wizard(h).account.value(wiz::LANGUAGE), "en");
    h.press(KeyCode::Tab); // culture
    h.press(KeyCode::Tab); // language
    h.press(KeyCode::Tab); // registration number
    h.press(KeyCode::Tab); // reseller row
    field(h, "Ana Silva");
    field(h, "ana@fabrikam.example");
}

#[test]
fn new_customer_from_a_reseller_row_to_confirmation_and_done() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = customers(&h);
    h.type_str("n"); // on Adatum IT Services
    assert_eq!(
        wizard(&h).account.reseller.as_ref().unwrap().name,
        "Adatum IT Services"
    );
    assert!(wizard(&h).account.reseller_locked);
    fill_account(&mut h);
    ctrl(&mut h, 'n');
    assert_eq!(
        wizard(&h).step,
        Step::Subscriptions,
        "{:?}",
        wizard(&h).problem
    );
    assert_eq!(
        wizard(&h).order.partner_of_record.as_ref().unwrap().name,
        "Adatum IT Services"
    );
    // Next without an offer is refused.
    ctrl(&mut h, 'n');
    assert_eq!(wizard(&h).step, Step::Subscriptions);
    assert!(
        wizard(&h)
            .problem
            .as_deref()
            .unwrap()
            .contains("at least one")
    );
    // Business Premium, typed licenses.
    let premium = wizard(&h)
        .order
        .visible()
        .iter()
        .position(|i| wizard(&h).order.lines[*i].offer.name == "Microsoft 365 Business Premium")
        .unwrap();
    for _ in 0..premium {
        h.press(KeyCode::Down);
    }
    h.type_str("25");
    ctrl(&mut h, 'n');
    assert_eq!(wizard(&h).step, Step::Review);
    // Back keeps everything.
    ctrl(&mut h, 'b');
    ctrl(&mut h, 'b');
    assert_eq!(wizard(&h).step, Step::AccountInfo);
    assert_eq!(wizard(&h).account.value(wiz::COMPANY), "Fabrikam Robotics");
    ctrl(&mut h, 'n');
    ctrl(&mut h, 'n');
    assert_eq!(wizard(&h).step, Step::Review);
    // Submit needs the attestation.
    ctrl(&mut h, 's');
    assert!(
        wizard(&h)
            .problem
            .as_deref()
            .unwrap()
            .contains("attestation")
    );
    assert_eq!(customers(&h), before);
    h.type_str(" ");
    ctrl(&mut h, 's');
    let Some(Modal::Confirmation(c)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    assert_eq!(
        c.created.admin_user_name,
        "admin@fabrikamrobotics.onmicrosoft.com"
    );
    let password = c.created.password.expose().to_owned();
    assert_eq!(customers(&h), before + 1);
    // Nothing that prints state shows it.
    assert!(!format!("{:?}", h.state).contains(&password));
    // c copies user name and password, as a secret.
    h.type_str("c");
    assert!(
        matches!(h.effects.last(), Some(Effect::CopySecret { text }) if text.expose().contains(&password))
    );
    // Done asks; No keeps the page; Yes drops the password.
    h.press(KeyCode::Enter);
    h.type_str("n");
    assert!(matches!(h.state.top_modal(), Some(Modal::Confirmation(_))));
    h.press(KeyCode::Enter);
    h.type_str("y");
    assert!(h.state.modals.is_empty());
    h.type_str("2");
    let row = h
        .state
        .screens
        .customers
        .list
        .rows
        .iter()
        .find(|r| r.company_name == "Fabrikam Robotics")
        .unwrap();
    assert_eq!(
        (row.reseller.as_deref(), row.subscriptions),
        (Some("Adatum IT Services"), 1)
    );
}

#[test]
fn cancel_asks_and_writes_nothing() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let before = customers(&h);
    h.type_str("2n");
    h.type_str("Half Typed Co");
    h.press(KeyCode::Esc);
    assert!(matches!(h.state.top_modal(), Some(Modal::Confirm(_))));
    h.type_str("n");
    assert_eq!(
        wizard(&h).account.value(wiz::COMPANY),
        "Half Typed Co",
        "No keeps the input"
    );
    h.press(KeyCode::Esc);
    h.type_str("y");
    assert!(h.state.modals.is_empty());
    assert_eq!(customers(&h), before);
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.contains("nothing was saved"))
    );
    assert!(
        !h.db_commands()
            .iter()
            .any(|c| matches!(c, twotier::store::worker::DbCmd::CreateCustomer { .. }))
    );
}

#[test]
fn next_is_refused_with_focus_on_the_first_invalid_field() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2n");
    field(&mut h, "Fabrikam");
    field(&mut h, "fab-rikam");
    ctrl(&mut h, 'n');
    let w = wizard(&h);
    assert_eq!(w.step, Step::AccountInfo);
    assert_eq!(w.account.focus, wiz::DOMAIN);
    assert!(
        matches!(&w.account.fields[wiz::DOMAIN].verdict, Verdict::Error(e) if e.contains("Letters and digits"))
    );
    assert!(
        matches!(
            &w.account.fields[wiz::FIRST_NAME].verdict,
            Verdict::Error(_)
        ),
        "touched: empty required fields say so"
    );
}

#[test]
fn the_domain_is_checked_against_the_database_as_it_is_typed() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let taken: String =
        h.db.store
            .conn()
            .query_row("SELECT domain FROM customers LIMIT 1", [], |r| r.get(0))
            .unwrap();
    let prefix = taken.trim_end_matches(".onmicrosoft.com").to_owned();
    h.type_str("2n");
    h.press(KeyCode::Tab);
    h.type_str(&prefix);
    assert!(
        matches!(&wizard(&h).account.fields[wiz::DOMAIN].verdict, Verdict::Error(e) if e.contains("already taken"))
    );
    h.type_str("x");
    assert_eq!(wizard(&h).account.fields[wiz::DOMAIN].verdict, Verdict::Ok);
}

/// Every rule of Account info: a passing and a failing value for each field (US customer unless
/// the case says otherwise).
#[test]
fn every_account_info_rule_passes_and_fails() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2n");
    let cases: &[(usize, &str, &str, &str)] = &[
        (wiz::COMPANY, "Fabrikam Robotics", "LLC", "full legal name"),
        (
            wiz::COMPANY,
            "Fabrikam Robotics",
            "X",
            "more than one character",
        ),
        (wiz::DOMAIN, "fabrikam2", "fab_rikam", "Letters and digits"),
        (
            wiz::DOMAIN,
            "fabrikam2",
            "abcdefghijklmnopqrstuvwxyz12",
            "At most 27",
        ),
        (wiz::FIRST_NAME, "Ana", &"A".repeat(51), "at most 50"),
        (wiz::LAST_NAME, "Silva", "", "last name"),
        (
            wiz::EMAIL,
            "ana@fabrikam.example",
            "ana@northwind-distribution.example",
            "own domain",
        ),
        (
            wiz::EMAIL,
            "ana@fabrikam.example",
            "ana@microsoft.com",
            "microsoft",
        ),
        (wiz::EMAIL, "ana@fabrikam.example", "ana@", "domain"),
        (wiz::PHONE, "+1 425 555 0100", "call me", "Digits"),
        (wiz::LINE1, "1 Main St", &"x".repeat(201), "at most 200"),
        (wiz::CITY, "Seattle", "", "city"),
        (wiz::COUNTRY, "US", "XX", "not an ISO"),
        (wiz::CULTURE, "en-US", "english", "en-US"),
        (wiz::LANGUAGE, "en", "eng", "two lowercase"),
        (wiz::REGISTRATION, "", "12345", "Leave it empty"),
        (wiz::MCA_NAME, "Ana Silva", "", "signer"),
        (wiz::MCA_EMAIL, "ana@fabrikam.example", "nope", "@"),
        (wiz::MCA_DATE, "2026-10-01", "2099-01-01", "future"),
        (wiz::MCA_DATE, "2026-10-01", "01/10/2026", "YYYY-MM-DD"),
    ];
    // The country first, so phone and registration rules know it; Next once, so empty required
    // fields say so (before that they wait quietly).
    set(&mut h, wiz::COUNTRY, "US");
    ctrl(&mut h, 'n');
    for (field, good, bad, says) in cases {
        set(&mut h, *field, bad);
        let verdict = &wizard(&h).account.fields[*field].verdict;
        assert!(
            matches!(verdict, Verdict::Error(e) if e.contains(says)),
            "field {field} {bad:?}: {verdict:?}"
        );
        set(&mut h, *field, good);
        let verdict = &wizard(&h).account.fields[*field].verdict;
        assert!(
            matches!(verdict, Verdict::Ok | Verdict::Empty),
            "field {field} {good:?}: {verdict:?}"
        );
    }
    // Country-specific: Brazil needs a phone and a registration number.
    set(&mut h, wiz::PHONE, "");
    set(&mut h, wiz::COUNTRY, "BR");
    assert_eq!(wizard(&h).account.value(wiz::CULTURE), "pt-BR");
    ctrl(&mut h, 'n');
    assert!(
        matches!(&wizard(&h).account.fields[wiz::PHONE].verdict, Verdict::Error(e) if e.contains("BR"))
    );
    assert!(
        matches!(&wizard(&h).account.fields[wiz::REGISTRATION].verdict, Verdict::Error(e) if e.contains("required"))
    );
    // A company name that looks wrong is a warning, not a refusal.
    set(&mut h, wiz::COMPANY, "fabrikam.com");
    assert!(matches!(
        &wizard(&h).account.fields[wiz::COMPANY].verdict,
        Verdict::Warning(_)
    ));
}

/// Replaces a field's text through keys: focus it, clear it, type.
fn set(h: &mut Harness, field: usize, text: &str) {
    let row = if field < wiz::RESELLER_ROW {
        field
    } else {
        field + 1
    };
    while let Some(Modal::Wizard(w)) = h.state.top_modal()
        && w.account.focus != row
    {
        h.press(KeyCode::Tab);
    }
    h.key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    h.type_str(text);
}

#[test]
fn add_subscription_credits_only_a_compliant_reseller() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    let customer = h.state.screens.customers.list.rows[0].clone();
    h.type_str("s");
    assert_eq!(wizard(&h).step, Step::Subscriptions);
    h.type_str(" "); // the first offer
    h.type_str("p");
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::ResellerPicker(_))
    ));
    h.type_str("Fourth");
    h.press(KeyCode::Enter);
    let Some(Modal::ResellerPicker(p)) = h.state.top_modal() else {
        panic!()
    };
    assert!(
        p.problem.as_deref().unwrap().contains("MPA not signed"),
        "refused in the picker: {:?}",
        p.problem
    );
    for _ in 0..6 {
        h.press(KeyCode::Backspace);
    }
    h.type_str("4847383"); // Blue Yonder, by PartnerID
    h.press(KeyCode::Enter);
    assert_eq!(
        wizard(&h).order.partner_of_record.as_ref().unwrap().name,
        "Blue Yonder Solutions"
    );
    ctrl(&mut h, 'n');
    h.type_str(" ");
    ctrl(&mut h, 's');
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert!(h.state.toasts.iter().any(|t| t.text.contains("added to")));
    let row = h
        .state
        .screens
        .customers
        .list
        .rows
        .iter()
        .find(|r| r.id == customer.id)
        .unwrap();
    assert_eq!(row.subscriptions, customer.subscriptions + 1);
}

#[test]
fn expand_then_subscription_details_then_submit() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    h.press(KeyCode::Right);
    let expanded = h.state.screens.customers.expanded.as_ref().unwrap();
    assert_eq!(
        expanded.subscriptions.rows.len() as i64,
        h.state.screens.customers.list.rows[0].subscriptions
    );
    h.press(KeyCode::Tab);
    assert!(h.state.screens.customers.pane_focused);
    h.press(KeyCode::Enter);
    let Some(Modal::SubscriptionDetails(form)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    let id = form.detail.id;
    // Support contact: the picker's first real reseller.
    for _ in 0..4 {
        h.press(KeyCode::Tab);
    }
    h.press(KeyCode::Enter);
    h.press(KeyCode::Down);
    h.press(KeyCode::Enter);
    let Some(Modal::SubscriptionDetails(form)) = h.state.top_modal() else {
        panic!()
    };
    assert_eq!(form.support.as_ref().unwrap().name, "Adatum IT Services");
    assert!(form.dirty());
    // Esc with unsaved changes asks.
    h.press(KeyCode::Esc);
    assert!(matches!(h.state.top_modal(), Some(Modal::Confirm(_))));
    h.type_str("n");
    ctrl(&mut h, 's');
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let support: Option<String> = h
        .db
        .store
        .conn()
        .query_row("SELECT r.name FROM subscriptions s JOIN resellers r ON r.id = s.support_reseller_id WHERE s.id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(support.as_deref(), Some("Adatum IT Services"));
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.starts_with("Saved: support contact"))
    );
}

#[test]
fn filter_by_reseller_and_all_clears() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2f");
    h.type_str("Lit");
    h.press(KeyCode::Enter);
    assert_eq!(
        h.state.screens.customers.reseller_filter.as_deref(),
        Some("Litware Consulting")
    );
    assert!(
        h.state
            .screens
            .customers
            .list
            .rows
            .iter()
            .all(|r| r.reseller.as_deref() == Some("Litware Consulting"))
    );
    h.type_str("f");
    h.press(KeyCode::Enter); // "All"
    assert_eq!(h.state.screens.customers.reseller_filter, None);
    assert_eq!(h.state.screens.customers.list.total, Some(60));
    assert_eq!(h.state.screen, Screen::Customers);
}

#[test]
fn a_refused_submit_keeps_the_wizard_and_its_input() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("n");
    fill_account(&mut h);
    ctrl(&mut h, 'n');
    h.type_str(" ");
    ctrl(&mut h, 'n');
    h.type_str(" ");
    // Someone takes the domain meanwhile.
    h.db.store
        .conn()
        .execute(
            "UPDATE customers SET domain = 'fabrikamrobotics.onmicrosoft.com' WHERE id = 1",
            [],
        )
        .unwrap();
    ctrl(&mut h, 's');
    assert!(
        matches!(h.state.top_modal(), Some(Modal::Error(e)) if e.message.contains("already taken"))
    );
    h.press(KeyCode::Esc);
    let w = wizard(&h);
    assert_eq!((w.step, w.submitting), (Step::Review, false));
    assert!(w.problem.as_deref().unwrap().contains("already taken"));
    assert_eq!(w.account.value(wiz::COMPANY), "Fabrikam Robotics");
    h.send(Action::Tick(common::now()));
}

#[test]
fn a_user_admin_adds_a_customer_without_an_order_and_is_told_why() {
    let mut h = Harness::acting_as(
        TestDb::default_demo(),
        "ben.users@northwind-distribution.example",
        120,
        40,
    );
    let count = |h: &Harness, sql: &str| -> i64 {
        h.db.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    let (before, orders, subscriptions) = (
        customers(&h),
        count(&h, "SELECT count(*) FROM orders"),
        count(&h, "SELECT count(*) FROM subscriptions"),
    );
    h.type_str("n"); // Add new customer from the resellers' row
    fill_account(&mut h);
    ctrl(&mut h, 'n');
    assert_eq!(
        wizard(&h).step,
        Step::Subscriptions,
        "{:?}",
        wizard(&h).problem
    );
    // Selecting an offer or typing licenses is refused, with the reason and what happens instead.
    h.type_str(" ");
    let problem = wizard(&h).problem.clone().unwrap();
    assert!(problem.contains("(you are User admin)"), "{problem}");
    assert!(problem.contains("without subscriptions"), "{problem}");
    h.type_str("25");
    assert_eq!(wizard(&h).order.selected().count(), 0);
    ctrl(&mut h, 'n');
    assert_eq!(wizard(&h).step, Step::Review);
    ctrl(&mut h, 's');
    assert_eq!(customers(&h), before + 1, "{:?}", h.state.modals);
    assert_eq!(count(&h, "SELECT count(*) FROM orders"), orders);
    assert_eq!(
        count(&h, "SELECT count(*) FROM subscriptions"),
        subscriptions
    );
    // The store refuses an order from this role whatever the screen sends.
    let mut store = twotier::store::Store::open(&h.db.path).unwrap().0;
    let ben = store
        .resolve_operator("ben.users@northwind-distribution.example")
        .unwrap();
    store.act_as(ben);
    let order = twotier::store::customers::NewOrder {
        lines: vec![twotier::store::customers::OrderLine {
            offer_id: "CFQ7TTC0LCHC".into(),
            quantity: 5,
            term: "P1Y".into(),
            billing_cycle: "monthly".into(),
        }],
        partner_of_record: None,
        attestation_accepted: false,
    };
    let mut new = common::orders::new_customer(store.conn());
    new.company_name = "Ordered By Ben".into();
    new.domain_prefix = "orderedbyben".into();
    new.order = order;
    let refused = store.create_customer(&new, common::now());
    assert!(
        matches!(&refused, Err(twotier::store::CommandError::Refused(why)) if why.contains("User admin")),
        "{refused:?}"
    );
}

/// Down the Customers list to the first customer with `n` subscriptions.
fn select_with_subscriptions(h: &mut Harness, n: i64) -> twotier::store::list::CustomerRow {
    for _ in 0..60 {
        let row = h
            .state
            .screens
            .customers
            .list
            .selected_row()
            .unwrap()
            .clone();
        if row.subscriptions == n {
            return row;
        }
        h.press(KeyCode::Down);
    }
    panic!("no customer with {n} subscriptions");
}

fn account(h: &Harness) -> &twotier::app::screens::customer_account::CustomerAccountView {
    match h.state.top_modal() {
        Some(Modal::CustomerAccount(m)) => m,
        other => panic!("no Account: {other:?}"),
    }
}

#[test]
fn the_expanded_record_offers_add_subscription_subscriptions_and_account() {
    use twotier::app::layout::split_rows;
    use twotier::app::model::ScreenModel;
    use twotier::app::screens::customers::{KEYS, PANE_KEYS};
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    let row = select_with_subscriptions(&mut h, 3);
    h.press(KeyCode::Right);
    // The record takes the three rows it needs; the list keeps the rest.
    let screen = &h.state.screens.customers;
    let e = screen.expanded.as_ref().unwrap();
    assert_eq!(
        (e.customer_id, e.subscriptions.rows.len(), e.rows_wanted()),
        (row.id, 3, 3)
    );
    let (list_rows, pane_rows) = split_rows(40, 3);
    assert_eq!(pane_rows, 3);
    assert_eq!(list_rows, 40 - 3 - 3 - 3 - 3, "{list_rows}");
    assert_eq!(screen.viewport(40), list_rows);
    // The three actions, with Partner Center's labels, in the footer of the list and the record.
    for keys in [&KEYS, &PANE_KEYS] {
        let footer: Vec<&str> = keys
            .bindings
            .iter()
            .filter(|b| b.footer)
            .map(|b| b.label)
            .collect();
        for label in ["Add subscription", "Account"] {
            assert!(footer.contains(&label), "{footer:?}");
        }
    }
    assert!(
        KEYS.bindings
            .iter()
            .any(|b| b.footer && b.label == "Subscriptions")
    );

    // a: the expanded customer's Account, read from the book.
    h.type_str("a");
    let m = account(&h);
    let a = m.account.as_ref().expect("the account arrived");
    let (name, domain, tenant, email, admin): (String, String, String, String, String) = h
        .db
        .store
        .conn()
        .query_row(
            "SELECT company_name, domain, tenant_id, email, admin_user_name FROM customers WHERE id = ?1",
            [row.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        (
            &a.company_name,
            &a.domain,
            &a.tenant_id,
            &a.contact.email,
            &a.admin_user_name
        ),
        (&name, &domain, &tenant, &email, &admin)
    );
    assert_eq!(a.reseller.as_ref().map(|r| r.name.clone()), row.reseller);
    // Esc: back to the record as it was.
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(
        h.state
            .screens
            .customers
            .expanded
            .as_ref()
            .unwrap()
            .customer_id,
        row.id
    );

    // From the record's subscriptions, a is still that customer's Account…
    h.press(KeyCode::Tab);
    assert!(h.state.screens.customers.pane_focused);
    h.type_str("a");
    assert_eq!(account(&h).account.as_ref().unwrap().id, row.id);
    h.press(KeyCode::Esc);
    // …and from the list, the selected customer's, expanded or not.
    h.press(KeyCode::Tab);
    h.press(KeyCode::Down);
    let other = h
        .state
        .screens
        .customers
        .list
        .selected_row()
        .unwrap()
        .clone();
    assert_ne!(other.id, row.id);
    h.type_str("a");
    let a = account(&h).account.as_ref().unwrap();
    assert_eq!(
        (a.id, a.company_name.as_str()),
        (other.id, other.company_name.as_str())
    );
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty());
}

#[test]
fn many_subscriptions_cap_the_record_at_half_the_height_and_page_through_all() {
    use std::collections::BTreeSet;
    use twotier::app::layout::split_rows;
    let mut h = Harness::new(TestDb::demo(2, 1, 450), 120, 40);
    h.type_str("2");
    h.press(KeyCode::Enter);
    let (_, pane_rows) = split_rows(40, 450);
    assert!(
        (15..=18).contains(&pane_rows),
        "about half of 37 lines: {pane_rows}"
    );
    let total: i64 =
        h.db.store
            .conn()
            .query_row("SELECT count(*) FROM subscriptions", [], |r| r.get(0))
            .unwrap();
    let mut seen = BTreeSet::new();
    for _ in 0..total + 5 {
        let e = h.state.screens.customers.expanded.as_ref().unwrap();
        let s = &e.subscriptions;
        assert!(s.selected >= s.offset && s.selected < s.offset + pane_rows);
        seen.insert(s.selected_row().unwrap().id);
        h.press(KeyCode::Down);
    }
    assert_eq!(
        seen.len() as i64,
        total,
        "every subscription reached by keyset paging"
    );
}
