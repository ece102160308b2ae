//! The footer shows the keys that matter most and says `? more` when some do not fit; each key
//! shows whole or not at all. Help lists a key once, under what it does there.

mod common;

use common::{Harness, TestDb};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::keymap;
use twotier::ui::{Theme, view};

fn screen(h: &Harness) -> String {
    let mut terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
    terminal
        .draw(|f| view(&h.state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

fn footer_line(h: &Harness) -> String {
    let text = screen(h);
    let line = text.lines().last().unwrap();
    line.trim_matches('"').trim_end().to_owned()
}

/// Every footer entry shows as "keys label" whole, or not at all.
fn whole_or_absent(h: &Harness, footer: &str) -> usize {
    let mut shown = 0;
    for hint in keymap::footer(&h.state) {
        let label = if hint.keys == "?" && footer.ends_with("? more") {
            "more"
        } else {
            hint.label
        };
        let whole = format!("{} {label}", hint.keys);
        if footer.contains(&whole) {
            shown += 1;
        } else {
            assert!(
                !footer.contains(&format!("{} ", hint.keys)) || hint.keys.len() == 1,
                "{whole:?} is cut in {footer:?}"
            );
        }
    }
    shown
}

#[test]
fn at_80x24_the_footer_ends_with_more_and_wider_shows_more_keys() {
    for (keys, screen_name) in [
        ("", "resellers"),
        ("2", "customers"),
        ("2 ", "customers expanded"),
    ] {
        let mut narrow = Harness::new(TestDb::default_demo(), 80, 24);
        narrow.type_str(keys);
        let footer = footer_line(&narrow);
        assert!(
            footer.ends_with("? more"),
            "{screen_name} at 80: {footer:?}"
        );
        assert!(footer.chars().count() <= 80);
        assert!(
            footer.contains("q quit") || footer.contains("q back"),
            "{screen_name}: {footer:?}"
        );
        let few = whole_or_absent(&narrow, &footer);
        // The first key the screen declares is the one kept first.
        let first = &keymap::footer(&narrow.state)[0];
        assert!(
            footer.starts_with(&format!(" {} {}", first.keys, first.label)),
            "{screen_name}: {footer:?}"
        );

        let mut wide = Harness::new(TestDb::default_demo(), 200, 40);
        wide.type_str(keys);
        let footer = footer_line(&wide);
        assert!(
            footer.contains("? help") && !footer.contains("more"),
            "{screen_name} at 200: {footer:?}"
        );
        let all = whole_or_absent(&wide, &footer);
        assert_eq!(all, keymap::footer(&wide.state).len(), "{footer:?}");
        assert!(all > few, "{screen_name}: {all} keys at 200, {few} at 80");
    }
}

#[test]
fn help_on_invitations_says_q_goes_back_not_quit() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("i?");
    let text = screen(&h);
    assert!(text.contains("Help: Invitations"), "{text}");
    assert!(!text.contains("q quit"), "{text}");
    assert!(text.contains("Esc/q back"), "{text}");
    // Elsewhere q quits.
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("?");
    assert!(screen(&h).contains("q quit"));
}
