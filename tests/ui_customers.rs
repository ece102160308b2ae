//! View snapshots of the Customers screen's expanded record, sized to its subscriptions, with
//! Partner Center's three actions, and of the customer's Account.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::state::AppState;
use twotier::ui::{Theme, view};

fn screen_text(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

/// Customers, on the first customer with three subscriptions.
fn on_three_subscriptions(h: &mut Harness) {
    h.type_str("2");
    for _ in 0..60 {
        if h.state
            .screens
            .customers
            .list
            .selected_row()
            .unwrap()
            .subscriptions
            == 3
        {
            return;
        }
        h.press(KeyCode::Down);
    }
    panic!("no customer with three subscriptions");
}

#[test]
fn expanded_record_with_three_subscriptions_takes_three_rows_120x40() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    on_three_subscriptions(&mut h);
    h.press(KeyCode::Right);
    let screen = screen_text(&h.state);
    let lines: Vec<&str> = screen.lines().collect();
    // The record's box: its title, the column header, three rows and the bottom border with
    // the three actions.
    let top = lines
        .iter()
        .position(|l| l.contains("┌ Subscriptions of "))
        .unwrap();
    let bottom = lines
        .iter()
        .position(|l| l.contains("s Add subscription  Enter Subscriptions  a Account"))
        .unwrap();
    assert_eq!(bottom - top, 5, "{screen}");
    assert_eq!(
        bottom,
        lines.len() - 2,
        "the record sits right above the footer"
    );
    insta::assert_snapshot!("customers_expanded_three_120x40", screen);
}

#[test]
fn account_modal_80x24() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    on_three_subscriptions(&mut h);
    h.press(KeyCode::Right);
    h.type_str("a");
    let screen = screen_text(&h.state);
    for label in [
        "Account: ",
        "Company name",
        "Primary domain",
        "Microsoft ID",
        "Address",
        "Primary contact",
        "Indirect reseller",
        "Relationship",
        "Admin user name",
        "Created",
    ] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    assert!(!screen.to_lowercase().contains("password"), "{screen}");
    insta::assert_snapshot!("customer_account_80x24", screen);
    h.press(KeyCode::Esc);
    assert!(!screen_text(&h.state).contains("Account: "));
}

#[test]
fn an_account_that_cannot_be_read_says_why_inside_the_dialog() {
    use twotier::app::action::Action;
    use twotier::app::nav::To;
    use twotier::store::worker::DbReply;
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2a");
    assert!(screen_text(&h.state).contains("Admin user name"));
    h.send(Action::Db(
        To::Modal(0),
        DbReply::Refused {
            what: "Loading the customer's account".into(),
            message: "That customer no longer exists.".into(),
        },
    ));
    let screen = screen_text(&h.state);
    assert!(
        screen.contains("That customer no longer exists."),
        "{screen}"
    );
    assert!(!screen.contains("Admin user name"), "{screen}");
    assert_eq!(h.state.modals.len(), 1, "no error dialog over it");
}
