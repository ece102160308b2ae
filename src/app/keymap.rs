//! Keys → commands. Each model declares its keys next to its update (`Model::keys`); this reads
//! them for the state shown, so the footer and the `?` help overlay are drawn from the same sets
//! the keys are mapped by, and can never disagree with what a key does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use super::action::{Action, Command};
use super::keys::{Binding, Chord, GLOBAL, Keys, SEARCH, Typing, ctrl};
use super::screens::set_up_book;
use super::state::AppState;

/// The keys read now, top first. A modal or a focused field shadows the rest.
pub fn active_keys(state: &AppState) -> Vec<&'static Keys> {
    if let Some(modal) = state.top_modal() {
        return modal.model().keys();
    }
    if state.text_focused() {
        return vec![&SEARCH];
    }
    let mut keys = state.current().keys();
    keys.extend(super::link::keys_for(state));
    keys.push(&GLOBAL);
    if state.offers_own_book() {
        keys.push(&set_up_book::OFFER);
    }
    keys
}

/// The keys of the screen shown when nothing is on top of it (what the help overlay lists).
pub fn help_keys(state: &AppState) -> Vec<&'static Keys> {
    let mut keys = state.current().help_keys();
    keys.extend(super::link::keys_for(state));
    keys.push(&GLOBAL);
    if state.offers_own_book() {
        keys.push(&set_up_book::OFFER);
    }
    keys
}

fn matches(chord: &Chord, event: &KeyEvent) -> bool {
    // Shifted letters arrive as the capital with SHIFT on some terminals and without on others;
    // Shift-Tab arrives as BackTab, with SHIFT.
    let mods = if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        event.modifiers - KeyModifiers::SHIFT
    } else {
        event.modifiers
    };
    chord.code == event.code && chord.mods == mods
}

/// The action for a key press in the current state, if any.
pub fn action_for(state: &AppState, event: &KeyEvent) -> Option<Action> {
    // Ctrl-C quits from anywhere, even from a text field.
    if matches(&ctrl('c'), event) {
        return Some(Action::Command(Command::ForceQuit));
    }
    for keys in active_keys(state) {
        if let Some(b) = keys
            .bindings
            .iter()
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
        {
            return Some(Action::Command(b.command));
        }
        match keys.typing {
            Typing::Line => return edit_request(event).map(Action::Edit),
            Typing::Body => {
                return Some(Action::EditBody(ratatui_textarea::Input::from(*event)));
            }
            Typing::No => {}
        }
    }
    None
}

/// Text editing keys of a focused field.
fn edit_request(event: &KeyEvent) -> Option<InputRequest> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    Some(match event.code {
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// How a chord is written in the footer and in help.
pub fn chord_label(chord: &Chord) -> String {
    let base = match chord.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if chord.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// All the keys of a binding, as in "↑/k".
pub fn keys_label(binding: &Binding) -> String {
    chords_label(binding.keys)
}

fn chords_label(chords: &[Chord]) -> String {
    chords.iter().map(chord_label).collect::<Vec<_>>().join("/")
}

/// The bindings of `sets` a key press can reach, top set first, each with the keys still its
/// own: a chord an earlier binding takes is dropped from a later one, and a binding left with
/// none (Invitations' `q` back shadows the global `q` quit) is not listed at all.
pub fn reachable(sets: &[&'static Keys]) -> Vec<(String, &'static Binding)> {
    let mut taken: Vec<Chord> = Vec::new();
    let mut out = Vec::new();
    for keys in sets {
        for b in keys.bindings {
            let own: Vec<Chord> = b
                .keys
                .iter()
                .filter(|k| !taken.contains(k))
                .copied()
                .collect();
            taken.extend(&own);
            if !own.is_empty() {
                out.push((chords_label(&own), b));
            }
        }
    }
    out
}

/// One entry of the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub label: &'static str,
    /// The operator's role can't do it: drawn dimmed.
    pub allowed: bool,
    /// `keys::IMPORTANT` stays in a narrow footer before the others.
    pub rank: u8,
}

/// The footer's entries for the current state, most important first: the top set's own keys in
/// the order they are declared, then the shared ones (lists, then everywhere).
pub fn footer(state: &AppState) -> Vec<Hint> {
    reachable(&active_keys(state))
        .into_iter()
        .filter(|(_, b)| b.footer)
        .map(|(keys, b)| Hint {
            keys,
            label: b.label,
            allowed: super::gate::refusal(state, b.command).is_none(),
            rank: b.rank,
        })
        .collect()
}
