//! Renewals drawn (TestBackend + insta) at 80×24 and 120×40, with overdue rows, the reseller
//! filter and an empty window; plus checks of what must never be cut at 80 columns.

mod common;

use common::{Harness, TestDb, as_of};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::state::AppState;
use twotier::ui::{Theme, view};

fn render(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

/// The demo book with two subscriptions overdue (by 1 and by 12 days) and one cancelled.
fn book() -> TestDb {
    let db = TestDb::default_demo();
    let day = |n: i64| {
        (as_of() + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    let conn = db.store.conn();
    for (id, end) in [(1, day(-1)), (2, day(-12))] {
        conn.execute(
            "UPDATE subscriptions SET commitment_end_date = ?2, status = 'active' WHERE id = ?1",
            rusqlite::params![id, end],
        )
        .unwrap();
    }
    db
}

#[test]
fn renewals_80x24_groups_and_nothing_important_cut() {
    let mut h = Harness::new(book(), 80, 24);
    h.type_str("6");
    let screen = render(&h.state);
    insta::assert_snapshot!("renewals_80x24", screen);
    // The groups head their rows; the end date, auto-renew and seats are whole.
    for text in [
        "Overdue", "0–30 d", "Ends", "Auto", "Seats", "Offer", "Customer", "Reseller",
    ] {
        assert!(screen.contains(text), "{text} missing:\n{screen}");
    }
    assert!(screen.contains("2026-10-20"), "{screen}");
    assert!(screen.contains("Enter Subscription details"), "{screen}");
    assert!(screen.contains("f filter by reseller"), "{screen}");
}

#[test]
fn renewals_120x40_shows_days_left_and_every_group_heading() {
    let mut h = Harness::new(book(), 120, 40);
    h.type_str("6");
    let screen = render(&h.state);
    insta::assert_snapshot!("renewals_120x40", screen);
    for text in ["Days", "Auto-renew", "12 d overdue", "1 d overdue", "today"] {
        assert!(screen.contains(text), "{text} missing:\n{screen}");
    }
    // Each group is named once, on its first row.
    assert_eq!(screen.matches("Overdue").count(), 1, "{screen}");
    // PageDown walks into the later groups; each is named on the first row it shows.
    for _ in 0..3 {
        h.press(crossterm::event::KeyCode::PageDown);
    }
    let later = render(&h.state);
    assert!(
        later.contains("31–60 d") || later.contains("61–90 d"),
        "{later}"
    );
}

#[test]
fn renewals_filtered_by_a_reseller_and_empty() {
    let mut h = Harness::new(book(), 80, 24);
    h.type_str("6f");
    // The picker: All, then the resellers by name; the first reseller.
    h.press(crossterm::event::KeyCode::Down);
    h.press(crossterm::event::KeyCode::Enter);
    let screen = render(&h.state);
    insta::assert_snapshot!("renewals_filtered_80x24", screen);
    assert!(screen.contains("Renewals · "), "{screen}");

    // An empty window says so.
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute("UPDATE subscriptions SET status = 'expired'", [])
        .unwrap();
    let mut h = Harness::new(db, 80, 24);
    h.type_str("6");
    let empty = render(&h.state);
    insta::assert_snapshot!("renewals_empty_80x24", empty);
    assert!(
        empty.contains("No subscription renews or expires"),
        "{empty}"
    );
}
