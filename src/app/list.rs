//! A list window: a few pages of rows around the selection, fetched by keyset as the selection
//! moves. Only this window is ever in memory, whatever the size of the table.

use tui_input::{Input, InputRequest};

use super::effect::Effect;
use crate::store::list::{Anchor, Filter, Listed, Page, PageRequest};
use crate::store::worker::{DbCmd, ListId};

/// Rows fetched per request.
pub const PAGE_SIZE: usize = 100;
/// Rows kept at most; beyond this the far end of the window is dropped.
pub const MAX_ROWS: usize = 3 * PAGE_SIZE;
/// Fetch the next page when the selection comes this close to the window's edge.
const PREFETCH_MARGIN: usize = PAGE_SIZE / 2;

/// The search field of a list, open or closed.
#[derive(Debug, Clone, Default)]
pub struct SearchField {
    pub input: Input,
    /// Keys go to the field while it has focus.
    pub focused: bool,
}

impl PartialEq for SearchField {
    fn eq(&self, other: &Self) -> bool {
        self.input.value() == other.input.value()
            && self.input.cursor() == other.input.cursor()
            && self.focused == other.focused
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListModel<R> {
    pub id: ListId,
    pub rows: Vec<R>,
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    pub more_before: bool,
    pub more_after: bool,
    /// Rows matching the filter, as last counted.
    pub total: Option<u64>,
    pub filter: Filter,
    pub search: Option<SearchField>,
    /// The request in flight: replies for any other sequence number are stale and dropped.
    pending: Option<(u64, Anchor)>,
    /// A refresh is in flight from the first row shown: its answer selects again the row
    /// selected when it lands (the keys may have moved the selection meanwhile).
    reselect: bool,
    /// False until the first page arrived.
    pub loaded: bool,
    /// The selected row is drawn highlighted (a picker turns it off while its "none" row is chosen).
    pub highlight: bool,
}

impl<R: Listed + Clone> ListModel<R> {
    pub fn new(id: ListId) -> Self {
        ListModel {
            id,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            more_before: false,
            more_after: false,
            total: None,
            filter: Filter::default(),
            search: None,
            pending: None,
            reselect: false,
            loaded: false,
            highlight: true,
        }
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.rows.get(self.selected)
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    /// The words a list's title adds for a one- or two-letter search: it can't use the trigram
    /// index, so it matches the start of the searched columns only.
    pub fn search_note(&self) -> Option<&'static str> {
        let query = crate::domain::fold::fold_query(&self.filter.search);
        let short = (1..crate::store::search::TRIGRAM).contains(&query.chars().count());
        short.then_some("starts with · 3+ letters search anywhere")
    }

    pub fn search_focused(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.focused)
    }

    /// Asks for a page; `seq` is the app-wide counter, bumped here.
    pub fn request(&mut self, anchor: Anchor, seq: &mut u64) -> Effect {
        *seq += 1;
        self.reselect = false;
        self.pending = Some((*seq, anchor.clone()));
        Effect::db(DbCmd::Page {
            list: self.id,
            seq: *seq,
            req: PageRequest {
                filter: self.filter.clone(),
                anchor,
                limit: PAGE_SIZE,
            },
        })
    }

    /// Takes a page from the store. A reply to anything but the latest request is dropped.
    /// Returns a follow-up request when the selection already sits near the new window's edge.
    pub fn receive(
        &mut self,
        seq: u64,
        page: Page<R>,
        viewport: usize,
        next_seq: &mut u64,
    ) -> Option<Effect> {
        let (pending_seq, anchor) = self.pending.take_if(|(s, _)| *s == seq)?;
        self.loaded = true;
        if let Some(total) = page.total {
            self.total = Some(total);
        }
        let n = page.rows.len();
        match anchor {
            Anchor::First => {
                self.rows = page.rows;
                self.selected = 0;
                self.offset = 0;
            }
            Anchor::Last => {
                self.rows = page.rows;
                self.selected = n.saturating_sub(1);
                self.offset = n.saturating_sub(viewport);
            }
            Anchor::From(_) => {
                // The window starts again at the first row shown (earlier rows come by
                // prefetch), the selection on the row it was on when it is still there.
                let selected = self.rows.get(self.selected).map(|r| r.key());
                self.rows = page.rows;
                self.selected = selected
                    .filter(|_| std::mem::take(&mut self.reselect))
                    .and_then(|key| self.rows.iter().position(|r| r.key() == key))
                    .unwrap_or(0);
                self.offset = 0;
                self.more_before = true;
            }
            Anchor::After(_) => {
                self.rows.extend(page.rows);
                if self.rows.len() > MAX_ROWS {
                    let drop = self.rows.len() - MAX_ROWS;
                    self.rows.drain(..drop);
                    self.selected = self.selected.saturating_sub(drop);
                    self.offset = self.offset.saturating_sub(drop);
                    self.more_before = true;
                }
            }
            Anchor::Before(_) => {
                let mut rows = page.rows;
                rows.append(&mut self.rows);
                self.rows = rows;
                self.selected += n;
                self.offset += n;
                if self.rows.len() > MAX_ROWS {
                    self.rows.truncate(MAX_ROWS);
                    self.more_after = true;
                }
            }
        }
        if let Some(more) = page.more_before {
            self.more_before = more;
        }
        if let Some(more) = page.more_after {
            self.more_after = more;
        }
        debug_assert!(pending_seq == seq);
        self.clamp(viewport);
        self.prefetch(next_seq)
    }

    /// Keeps the selection on a row and in view.
    pub fn clamp(&mut self, viewport: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + viewport {
            self.offset = self.selected + 1 - viewport;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(viewport));
    }

    /// Fetches the next or previous page when the selection nears an edge of the window.
    fn prefetch(&mut self, seq: &mut u64) -> Option<Effect> {
        if self.pending.is_some() || self.rows.is_empty() {
            return None;
        }
        if self.more_after && self.rows.len() - self.selected <= PREFETCH_MARGIN {
            let key = self.rows.last()?.key();
            return Some(self.request(Anchor::After(key), seq));
        }
        if self.more_before && self.selected < PREFETCH_MARGIN {
            let key = self.rows.first()?.key();
            return Some(self.request(Anchor::Before(key), seq));
        }
        None
    }

    /// Moves the selection by `delta` rows (clamped to the window) and fetches more if needed.
    pub fn move_by(&mut self, delta: isize, viewport: usize, seq: &mut u64) -> Option<Effect> {
        if self.rows.is_empty() {
            return None;
        }
        let last = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
        self.clamp(viewport);
        self.prefetch(seq)
    }

    /// `Home`: the first row of the whole list, not just of the window.
    pub fn home(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        if self.more_before {
            return Some(self.request(Anchor::First, seq));
        }
        self.selected = 0;
        self.clamp(viewport);
        None
    }

    /// `End`: the last row of the whole list.
    pub fn end(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        if self.more_after {
            return Some(self.request(Anchor::Last, seq));
        }
        self.selected = self.rows.len().saturating_sub(1);
        self.clamp(viewport);
        None
    }

    /// Reloads from the top with the current filter.
    pub fn reload(&mut self, seq: &mut u64) -> Effect {
        self.request(Anchor::First, seq)
    }

    /// Reloads after a change (or as a sync's pages land), keeping the selected row selected
    /// when it still exists, and the rows shown where they were: from the first row shown, so a
    /// row added above the window moves nothing on screen.
    pub fn refresh(&mut self, seq: &mut u64) -> Effect {
        match self.rows.get(self.offset.min(self.selected)) {
            Some(top) => {
                let effect = self.request(Anchor::From(top.key()), seq);
                self.reselect = true;
                effect
            }
            None => self.reload(seq),
        }
    }

    /// `/`: opens the search field (keeping any text), focused.
    pub fn open_search(&mut self) {
        let field = self.search.get_or_insert_with(SearchField::default);
        field.focused = true;
    }

    /// An edit in the search field: the list is searched again as the user types.
    pub fn edit_search(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        let field = self.search.as_mut()?;
        field.input.handle(request);
        self.apply_search(seq)
    }

    pub fn paste_search(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        let field = self.search.as_mut()?;
        for c in crate::domain::text::clean(text).chars() {
            field.input.handle(InputRequest::InsertChar(c));
        }
        self.apply_search(seq)
    }

    fn apply_search(&mut self, seq: &mut u64) -> Option<Effect> {
        let text = self
            .search
            .as_ref()
            .map(|s| s.input.value().to_owned())
            .unwrap_or_default();
        if text == self.filter.search {
            return None;
        }
        self.filter.search = text;
        Some(self.reload(seq))
    }

    /// `Enter` in the field: keep the filter and give the keys back to the list.
    pub fn accept_search(&mut self) {
        match &mut self.search {
            Some(field) if field.input.value().is_empty() => self.search = None,
            Some(field) => field.focused = false,
            None => {}
        }
    }

    /// `Esc`: clears and closes the search. Returns the reload, or `None` if there was no search.
    pub fn clear_search(&mut self, seq: &mut u64) -> Option<Effect> {
        self.search.take()?;
        if self.filter.search.is_empty() {
            return None;
        }
        self.filter.search.clear();
        Some(self.reload(seq))
    }
}
