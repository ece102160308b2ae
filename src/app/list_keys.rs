//! The keys every list screen shares (moving, searching, Esc), for the screens' own updates.

use super::action::Command;
use super::list_ops::ListOps;
use super::model::{Cx, Typed};
use super::outcome::{Go, Outcome};

/// The keys every list screen shares: moving and searching. `None` when `command` is not one of
/// them, or is Esc with no search to clear (the screen then decides what Esc does).
pub fn list_command(list: &mut dyn ListOps, command: Command, cx: &mut Cx) -> Option<Outcome> {
    let viewport = cx.viewport;
    let page = viewport.saturating_sub(1).max(1) as isize;
    let seq = &mut *cx.seq;
    let effect = match command {
        Command::Up => list.move_by(-1, viewport, seq),
        Command::Down => list.move_by(1, viewport, seq),
        Command::PageUp => list.move_by(-page, viewport, seq),
        Command::PageDown => list.move_by(page, viewport, seq),
        Command::Home => list.home(viewport, seq),
        Command::End => list.end(viewport, seq),
        Command::Search => {
            list.open_search();
            None
        }
        Command::SearchAccept => {
            list.accept_search();
            None
        }
        Command::Back => Some(list.clear_search(seq)?),
        _ => return None,
    };
    Some(Outcome::effect(effect))
}

/// Typing into a list's search field.
pub fn list_text(list: &mut dyn ListOps, typed: Typed, cx: &mut Cx) -> Outcome {
    let seq = &mut *cx.seq;
    Outcome::effect(match typed {
        Typed::Edit(request) => list.edit_search(request, seq),
        Typed::Paste(text) if list.search_focused() => list.paste_search(&text, seq),
        _ => None,
    })
}

/// The list keys, and Esc with no search to clear going back to the parent screen.
pub fn list_keys(list: &mut dyn ListOps, command: Command, cx: &mut Cx) -> Outcome {
    list_command(list, command, cx).unwrap_or_else(|| match command {
        Command::Back => Outcome::go(Go::Back),
        _ => Outcome::none(),
    })
}
