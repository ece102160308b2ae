//! View snapshots of compliance that may be unknown, at 80×24: Compliance with both checks
//! Unknown, the wizard's warning when the partner of record is unchecked, and its question.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::ui::{Theme, view};

fn text(h: &Harness) -> String {
    let mut terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
    terminal
        .draw(|f| view(&h.state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

#[test]
fn compliance_with_both_checks_unknown_80x24() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    while h.state.screens.resellers.list.selected_row().unwrap().name != "Wide World Integrators" {
        h.press(KeyCode::Down);
    }
    h.type_str("c");
    let screen = text(&h);
    assert!(
        screen.contains("(•) Unknown   ( ) Signed   ( ) Not signed"),
        "{screen}"
    );
    assert!(
        screen.contains("(•) Unknown   ( ) Valid   ( ) Invalid"),
        "{screen}"
    );
    insta::assert_snapshot!("compliance_unknown_80x24", screen);
}

#[test]
fn the_wizard_says_an_unchecked_partner_of_record_is_unknown_and_asks_80x24() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2s p");
    h.type_str("Wide");
    h.press(KeyCode::Enter);
    let screen = text(&h);
    assert!(
        screen.contains("MPA and POR status of Wide World Integrators"),
        "{screen}"
    );
    insta::assert_snapshot!("wizard_unknown_compliance_80x24", screen);
    ctrl(&mut h, 'n');
    h.type_str(" ");
    ctrl(&mut h, 's');
    let screen = text(&h);
    assert!(
        screen.contains("[ Check now (c) ]   [ Order anyway (o) ]"),
        "{screen}"
    );
    insta::assert_snapshot!("wizard_unknown_compliance_question_80x24", screen);
}

#[test]
fn subscription_details_warns_when_the_reseller_chosen_is_unchecked() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    h.press(KeyCode::Right);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    assert!(
        !text(&h).contains("is unknown"),
        "the current reseller: no warning"
    );
    for _ in 0..3 {
        h.press(KeyCode::Tab);
    }
    h.press(KeyCode::Enter);
    h.type_str("Wide");
    h.press(KeyCode::Enter);
    let screen = text(&h);
    assert!(
        screen.contains("? MPA and POR status of Wide World Integrators are unknown"),
        "{screen}"
    );
}
