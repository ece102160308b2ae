//! View snapshots (TestBackend + insta) of a new, empty book's lists, each saying what to do
//! next, and of the demo's Set up your own book: the banner's key and the form.

mod common;

use chrono::NaiveDate;
use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::action::Action;
use twotier::app::screens::set_up_book::OwnBook;
use twotier::app::state::AppState;
use twotier::store::Store;
use twotier::store::customers::{NewCustomer, NewOrder};
use twotier::store::init::{NewBook, create_book};
use twotier::ui::{Theme, view};

const ADMIN: &str = "ava@contoso.example";

fn render(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

/// The console on a book `twotier init` just made: Contoso Distribution, Ava its Global admin.
fn init_book(width: u16, height: u16) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twotier.db");
    let new = NewBook {
        company: "Contoso Distribution".into(),
        partner_id: "1234567".into(),
        tenant_id: "5f0c7a7e-3f2b-4d8e-9a41-0c6b2d7e9f10".into(),
        country: "US".into(),
        admin_upn: ADMIN.into(),
        admin_name: "Ava Jones".into(),
    };
    create_book(&path, &new).unwrap();
    let (store, _) = Store::open(&path).unwrap();
    Harness::acting_as(TestDb { dir, path, store }, ADMIN, width, height)
}

#[test]
fn a_new_books_empty_lists_say_what_to_do_next() {
    let mut h = init_book(80, 24);
    let resellers = render(&h.state);
    assert!(!resellers.contains("DEMO DATA"), "{resellers}");
    insta::assert_snapshot!("init_resellers_80x24", resellers);
    h.type_str("i");
    insta::assert_snapshot!("init_invitations_80x24", render(&h.state));
    h.type_str("2");
    insta::assert_snapshot!("init_customers_80x24", render(&h.state));
    // A search or a filter that matches nothing says how to undo it.
    h.type_str("5/zz");
    insta::assert_snapshot!("init_users_search_no_match_80x24", render(&h.state));
    h.press(KeyCode::Esc);
    h.type_str("4");
    let activity = render(&h.state);
    assert!(activity.contains("Book created"), "{activity}");
}

#[test]
fn a_customer_with_no_subscriptions_says_how_to_add_one() {
    let mut h = init_book(80, 24);
    let customer = NewCustomer {
        company_name: "Fabrikam Robotics".into(),
        domain_prefix: "fabrikamrobotics".into(),
        registration_number: None,
        first_name: "Ana".into(),
        last_name: "Silva".into(),
        email: "ana@fabrikam.example".into(),
        phone: None,
        address_line1: "1 Main St".into(),
        address_line2: None,
        city: "Seattle".into(),
        state: Some("WA".into()),
        postal_code: Some("98101".into()),
        country: "US".into(),
        culture: "en-US".into(),
        language: "en".into(),
        reseller_id: None,
        mca_signer_name: "Ana Silva".into(),
        mca_signer_email: "ana@fabrikam.example".into(),
        mca_date_agreed: NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
        order: NewOrder {
            lines: Vec::new(),
            partner_of_record: None,
            attestation_accepted: false,
        },
    };
    h.db.store
        .create_customer(&customer, common::now())
        .unwrap();
    // Its Microsoft ID is random: fixed here, so the snapshot is the same every run.
    h.db.store
        .conn()
        .execute(
            "UPDATE customers SET tenant_id = '29a1b4e5-0000-4000-8000-000000000001'",
            [],
        )
        .unwrap();
    h.type_str("2");
    h.press(KeyCode::Right);
    insta::assert_snapshot!("init_customer_no_subscriptions_80x24", render(&h.state));
}

/// The demo console with nothing at the default path: the banner names `S`.
fn demo(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(TestDb::default_demo(), width, height);
    h.state.own_book = OwnBook::Missing("/home/ava/.local/share/twotier/twotier.db".into());
    h
}

#[test]
fn the_demo_banner_names_the_set_up_key() {
    let h = demo(80, 24);
    let screen = render(&h.state);
    assert!(screen.contains("DEMO DATA · S: your own book"), "{screen}");
    let mut h = demo(120, 40);
    let wide = render(&h.state);
    assert!(
        wide.contains("DEMO DATA · S: set up your own book"),
        "{wide}"
    );
    h.state.own_book = OwnBook::Exists("/data/twotier.db".into());
    let exists = render(&h.state);
    assert!(
        exists.contains("DEMO DATA · S: how to open your own book"),
        "{exists}"
    );
    // Below 80 columns only DEMO DATA; help still lists the key.
    let mut h = demo(60, 16);
    assert!(!render(&h.state).contains("S: your"));
    h.type_str("?");
    h.send(Action::Resize {
        width: 100,
        height: 40,
    });
    let help = render(&h.state);
    assert!(help.contains("set it up, or how to open it"), "{help}");
}

#[test]
fn the_set_up_form_at_80x24_120x40_and_60x16() {
    let mut h = demo(80, 24);
    h.type_str("S");
    insta::assert_snapshot!("set_up_form_80x24", render(&h.state));
    h.type_str("Contoso Distribution");
    h.press(KeyCode::Tab);
    h.type_str("12a");
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("set_up_form_errors_80x24", render(&h.state));
    h.send(Action::Resize {
        width: 120,
        height: 40,
    });
    insta::assert_snapshot!("set_up_form_errors_120x40", render(&h.state));
    h.send(Action::Resize {
        width: 60,
        height: 16,
    });
    insta::assert_snapshot!("set_up_form_errors_60x16", render(&h.state));
}
