//! `update` sequences over Ctrl-C while a new customer's credentials are on the Confirmation,
//! answered by a real store: the first Ctrl-C asks (the temporary password can't be seen again),
//! a second one, or Yes, quits; No keeps the page. Everywhere else Ctrl-C still quits at once.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::action::Action;
use twotier::app::effect::Effect;
use twotier::app::screens::Modal;
use twotier::app::screens::confirm::Confirm;

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// Types into the focused field, then moves to the next.
fn field(h: &mut Harness, text: &str) {
    h.type_str(text);
    h.press(KeyCode::Tab);
}

/// On Adatum IT Services, `n`: a US customer with one Business Premium license, submitted.
/// Returns the temporary password the Confirmation shows.
fn to_confirmation(h: &mut Harness) -> String {
    h.type_str("n");
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
        "", // culture, from the country
        "", // language, from the country
        "", // registration number
        "", // the reseller row, preselected
        "Ana Silva",
        "ana@fabrikam.example",
    ] {
        field(h, text);
    }
    ctrl(h, 'n');
    let Some(Modal::Wizard(w)) = h.state.top_modal() else {
        panic!("no wizard: {:?}", h.state.modals)
    };
    let premium = w
        .order
        .visible()
        .iter()
        .position(|i| w.order.lines[*i].offer.name == "Microsoft 365 Business Premium")
        .unwrap_or_else(|| panic!("no Business Premium; problem: {:?}", w.problem));
    for _ in 0..premium {
        h.press(KeyCode::Down);
    }
    h.type_str("1");
    ctrl(h, 'n');
    h.type_str(" "); // the attestation
    ctrl(h, 's');
    match h.state.top_modal() {
        Some(Modal::Confirmation(c)) => c.created.password.expose().to_owned(),
        other => panic!("not on the Confirmation: {other:?}"),
    }
}

fn quits(h: &Harness) -> bool {
    h.state.quitting || h.effects.iter().any(|e| matches!(e, Effect::Quit))
}

/// The question on top, if there is one.
fn question(h: &Harness) -> Option<&Confirm> {
    match h.state.top_modal() {
        Some(Modal::Confirm(c)) => Some(c),
        _ => None,
    }
}

/// The Confirmation is still there, under whatever is on top, with this password.
#[track_caller]
fn assert_credentials_kept(h: &Harness, password: &str) {
    let kept =
        h.state.modals.iter().any(
            |m| matches!(m, Modal::Confirmation(c) if c.created.password.expose() == password),
        );
    assert!(kept, "the credentials are gone: {:?}", h.state.modals);
}

#[track_caller]
fn assert_asks_before_quitting(h: &Harness, password: &str) {
    assert!(!quits(h), "Ctrl-C quit with the password still unseen");
    let c = question(h).unwrap_or_else(|| panic!("Ctrl-C asked nothing: {:?}", h.state.modals));
    assert_eq!((c.title.as_str(), c.yes_label), ("Quit", "Quit"));
    assert!(
        c.message.contains("can't see this password again"),
        "the question does not say the password is lost: {:?}",
        c.message
    );
    assert!(!c.yes_focused, "Enter must answer No first");
    assert!(
        !c.message.contains(password),
        "the question shows the password"
    );
    assert_credentials_kept(h, password);
}

#[test]
fn ctrl_c_on_the_confirmation_asks_and_a_second_ctrl_c_quits() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let password = to_confirmation(&mut h);
    ctrl(&mut h, 'c');
    assert_asks_before_quitting(&h, &password);
    assert_eq!(h.state.modals.len(), 2, "{:?}", h.state.modals);
    ctrl(&mut h, 'c');
    assert!(h.state.quitting, "a second Ctrl-C did not quit");
    assert!(matches!(h.effects.last(), Some(Effect::Quit)));
}

#[test]
fn no_keeps_the_credentials_and_yes_quits() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let password = to_confirmation(&mut h);
    // n, Esc and Enter (No is focused first) all answer No: back on the Confirmation.
    for no in [KeyCode::Char('n'), KeyCode::Esc, KeyCode::Enter] {
        ctrl(&mut h, 'c');
        assert_asks_before_quitting(&h, &password);
        h.press(no);
        assert!(!quits(&h), "{no:?} quit");
        assert!(
            matches!(h.state.top_modal(), Some(Modal::Confirmation(_))),
            "{no:?} did not go back to the Confirmation: {:?}",
            h.state.modals
        );
        assert_credentials_kept(&h, &password);
    }
    // Copying does not count as noting them: the clipboard is cleared when twotier quits.
    h.type_str("c");
    ctrl(&mut h, 'c');
    assert_asks_before_quitting(&h, &password);
    h.type_str("y");
    assert!(h.state.quitting, "Yes did not quit");
    assert!(matches!(h.effects.last(), Some(Effect::Quit)));
}

#[test]
fn ctrl_c_on_dones_question_asks_about_quitting_instead() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let password = to_confirmation(&mut h);
    h.press(KeyCode::Enter);
    assert_eq!(question(&h).map(|c| c.yes_label), Some("Done"));
    ctrl(&mut h, 'c');
    assert_asks_before_quitting(&h, &password);
    assert_eq!(
        h.state.modals.len(),
        2,
        "the quit question is not in place of Done's: {:?}",
        h.state.modals
    );
    h.type_str("n");
    assert!(matches!(h.state.top_modal(), Some(Modal::Confirmation(_))));
    assert!(!quits(&h));
}

#[test]
fn after_done_ctrl_c_quits_at_once() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    to_confirmation(&mut h);
    h.press(KeyCode::Enter);
    h.type_str("y");
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert!(!quits(&h));
    ctrl(&mut h, 'c');
    assert!(
        h.state.quitting,
        "Ctrl-C did not quit once the password was dismissed"
    );
}

#[test]
fn ctrl_c_in_the_wizard_before_submit_quits_at_once() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("n");
    h.type_str("Half Typed Co");
    assert!(matches!(h.state.top_modal(), Some(Modal::Wizard(_))));
    ctrl(&mut h, 'c');
    assert!(h.state.quitting, "Ctrl-C in the wizard did not quit");
}

#[test]
fn on_a_terminal_too_small_ctrl_c_still_asks_first() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    let password = to_confirmation(&mut h);
    h.send(Action::Resize {
        width: 40,
        height: 10,
    });
    ctrl(&mut h, 'c');
    assert_asks_before_quitting(&h, &password);
    ctrl(&mut h, 'c');
    assert!(h.state.quitting);
}
