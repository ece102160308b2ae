//! The Dashboard: snapshots at 80×24, 120×40 and 200×50 of the demo book (fixed as-of date) and
//! of an empty own book, the menu line at 60/80/120 columns, and `update` sequences (it is the
//! first screen, `0` returns to it, Ctrl-R and coming back reload it).

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::action::Action;
use twotier::app::nav::Screen;
use twotier::app::state::AppState;
use twotier::store::Store;
use twotier::store::init::{NewBook, create_book};
use twotier::store::worker::DbCmd;
use twotier::ui::{Theme, view};

fn render(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

fn dashboard_loads(h: &Harness) -> usize {
    h.db_commands()
        .iter()
        .filter(|c| matches!(c, DbCmd::LoadDashboard(_)))
        .count()
}

#[test]
fn the_demo_dashboard_at_80x24_120x40_and_200x50() {
    for (width, height) in [(80, 24), (120, 40), (200, 50)] {
        let h = Harness::opened(TestDb::default_demo(), width, height);
        let screen = render(&h.state);
        assert!(screen.contains("DEMO DATA"), "{screen}");
        for panel in [
            "Seats by offer",
            "New customers per week",
            "Top resellers by seats",
            "Needs attention",
            "Renewing in 30 days",
            "Blocked by MPA/POR",
        ] {
            assert!(
                screen.contains(panel),
                "{width}×{height}: {panel}\n{screen}"
            );
        }
        insta::assert_snapshot!(format!("dashboard_demo_{width}x{height}"), screen);
    }
}

#[test]
fn an_empty_own_book_says_what_to_do_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twotier.db");
    let admin = "ava@contoso.example";
    let new = NewBook {
        company: "Contoso Distribution".into(),
        partner_id: "1234567".into(),
        tenant_id: "5f0c7a7e-3f2b-4d8e-9a41-0c6b2d7e9f10".into(),
        country: "US".into(),
        admin_upn: admin.into(),
        admin_name: "Ava Jones".into(),
    };
    create_book(&path, &new).unwrap();
    let (store, _) = Store::open(&path).unwrap();
    let h = Harness::opened_as(TestDb { dir, path, store }, admin, 80, 24);
    let screen = render(&h.state);
    assert!(!screen.contains("DEMO DATA"), "{screen}");
    assert!(screen.contains("Your book is empty"), "{screen}");
    insta::assert_snapshot!("dashboard_empty_book_80x24", screen);
}

#[test]
fn hostile_names_on_the_dashboard_are_sanitised() {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE resellers SET name = ?1 WHERE name = 'Proseware Cloud'",
            ["Evil\u{1b}]0;pwned\u{7}\u{202e}Corp\u{9b}2J\u{200b}"],
        )
        .unwrap();
    let h = Harness::opened(db, 120, 40);
    let screen = render(&h.state);
    assert!(screen.contains("Evil"), "{screen}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}', '\u{200b}'] {
        assert!(!screen.contains(bad), "{bad:?} reached the screen");
    }
}

#[test]
fn the_menu_line_fits_60_80_and_120_columns() {
    let mut lines = Vec::new();
    for width in [60, 80, 120] {
        let mut h = Harness::opened(TestDb::default_demo(), width, 24);
        for key in ['0', '2'] {
            h.type_str(&key.to_string());
            let screen = render(&h.state);
            let menu = screen.lines().nth(1).unwrap().to_owned();
            assert!(!menu.contains('…'), "{menu}");
            lines.push(format!("{width:>3} on {key}: {menu}"));
        }
    }
    insta::assert_snapshot!("dashboard_menu_60_80_120", lines.join("\n"));
}

#[test]
fn the_console_opens_on_the_dashboard_and_0_returns_to_it() {
    let mut h = Harness::opened(TestDb::default_demo(), 80, 24);
    assert_eq!(h.state.screen, Screen::Dashboard);
    assert_eq!(dashboard_loads(&h), 1);
    assert!(h.state.screens.dashboard.figures.is_some());
    h.type_str("1");
    assert_eq!(h.state.screen, Screen::Resellers);
    h.type_str("0");
    assert_eq!(h.state.screen, Screen::Dashboard);
    assert_eq!(dashboard_loads(&h), 2, "coming back reloads");
    h.key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(dashboard_loads(&h), 3, "Ctrl-R reloads");
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text == "Dashboard refreshed"),
        "{:?}",
        h.state.toasts
    );
    assert!(!h.state.screens.dashboard.loading);
}

#[test]
fn a_change_made_from_the_dashboard_reloads_it() {
    let mut h = Harness::opened(TestDb::default_demo(), 80, 24);
    let before = h.state.screens.dashboard.figures.clone().unwrap();
    // A sync or another session added a customer: the next visit shows it.
    h.db.store
        .conn()
        .execute(
            "UPDATE customers SET removed_at = '2026-10-31T00:00:00Z' WHERE id = 1",
            [],
        )
        .unwrap();
    h.type_str("2");
    h.type_str("0");
    let after = h.state.screens.dashboard.figures.clone().unwrap();
    assert_eq!(after.customers, before.customers - 1);
    // r on the Dashboard: Request a partnership opens over it.
    h.type_str("r");
    assert_eq!(h.state.modals.len(), 1);
    h.send(Action::Command(twotier::app::action::Command::Back));
}
