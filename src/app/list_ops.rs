//! The list operations `update` applies to whichever list screen is current, whatever its rows.

use tui_input::InputRequest;

use super::action::Command;
use super::effect::Effect;
use super::list::ListModel;
use super::model::{Cx, Typed};
use super::outcome::Outcome;
use crate::store::list::Listed;
use crate::store::worker::ListId;

pub trait ListOps {
    fn id(&self) -> ListId;
    fn move_by(&mut self, delta: isize, viewport: usize, seq: &mut u64) -> Option<Effect>;
    fn home(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect>;
    fn end(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect>;
    fn reload(&mut self, seq: &mut u64) -> Effect;
    fn refresh(&mut self, seq: &mut u64) -> Effect;
    fn clamp(&mut self, viewport: usize);
    fn open_search(&mut self);
    fn edit_search(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect>;
    fn paste_search(&mut self, text: &str, seq: &mut u64) -> Option<Effect>;
    fn accept_search(&mut self);
    fn clear_search(&mut self, seq: &mut u64) -> Option<Effect>;
    fn search_focused(&self) -> bool;
    fn has_search(&self) -> bool;
    fn needs_load(&self) -> bool;
    /// Marks the list stale: it reloads the next time it is shown.
    fn invalidate(&mut self);
}

impl<R: Listed + Clone> ListOps for ListModel<R> {
    fn id(&self) -> ListId {
        self.id
    }
    fn move_by(&mut self, delta: isize, viewport: usize, seq: &mut u64) -> Option<Effect> {
        ListModel::move_by(self, delta, viewport, seq)
    }
    fn home(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        ListModel::home(self, viewport, seq)
    }
    fn end(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        ListModel::end(self, viewport, seq)
    }
    fn reload(&mut self, seq: &mut u64) -> Effect {
        ListModel::reload(self, seq)
    }
    fn refresh(&mut self, seq: &mut u64) -> Effect {
        ListModel::refresh(self, seq)
    }
    fn clamp(&mut self, viewport: usize) {
        ListModel::clamp(self, viewport)
    }
    fn open_search(&mut self) {
        ListModel::open_search(self)
    }
    fn edit_search(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        ListModel::edit_search(self, request, seq)
    }
    fn paste_search(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        ListModel::paste_search(self, text, seq)
    }
    fn accept_search(&mut self) {
        ListModel::accept_search(self)
    }
    fn clear_search(&mut self, seq: &mut u64) -> Option<Effect> {
        ListModel::clear_search(self, seq)
    }
    fn search_focused(&self) -> bool {
        ListModel::search_focused(self)
    }
    fn has_search(&self) -> bool {
        self.search.is_some()
    }
    fn needs_load(&self) -> bool {
        !self.loaded && !self.is_loading()
    }
    fn invalidate(&mut self) {
        self.loaded = false;
    }
}

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
        Command::Back => Outcome::go(super::outcome::Go::Back),
        _ => Outcome::none(),
    })
}
