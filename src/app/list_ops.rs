//! The list operations `update` applies to whichever list screen is current, whatever its rows.

use tui_input::InputRequest;

use super::effect::Effect;
use super::list::ListModel;
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
