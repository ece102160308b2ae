//! View snapshots of what follows Remove partnership: the preview scrolled through its names,
//! and the Follow-up worklist, at 80×24.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
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

#[test]
fn removal_preview_scrolled_and_follow_up_80x24() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    // Adatum IT Services, the first row: 4 customers, 11 subscriptions naming it.
    h.type_str("x");
    for _ in 0..5 {
        h.press(KeyCode::Down);
    }
    let text = render(&h.state);
    assert!(
        text.contains("Subscriptions naming this reseller"),
        "{text}"
    );
    insta::assert_snapshot!("remove_partnership_scrolled_80x24", text);
    h.type_str("y");
    let text = render(&h.state);
    assert!(text.contains("Follow-up · Adatum IT Services"), "{text}");
    insta::assert_snapshot!("follow_up_80x24", text);
}

#[test]
fn follow_up_empty_says_nothing_names_it() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("xy");
    // Every subscription reassigned elsewhere (by another process): the worklist is empty.
    h.db.store
        .conn()
        .execute(
            "UPDATE subscriptions SET reseller_id = NULL, support_reseller_id = NULL
             WHERE reseller_id IN (SELECT id FROM resellers WHERE state = 'removed')
                OR support_reseller_id IN (SELECT id FROM resellers WHERE state = 'removed')",
            [],
        )
        .unwrap();
    h.key(crossterm::event::KeyEvent::new(
        KeyCode::Char('r'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let text = render(&h.state);
    assert!(
        text.contains("Nothing to follow up: no subscription still names Adatum IT Services."),
        "{text}"
    );
}
