//! The reseller picker: active indirect resellers, searched by name or PartnerID as the operator
//! types, keyset-paged like every list; an optional first row ("All", "None", "You") stands for
//! no reseller.

use crossterm::event::KeyCode;
use tui_input::{Input, InputRequest};

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, key, keys};
use crate::app::list::ListModel;
use crate::app::model::{Cx, Model, Typed, settled};
use crate::app::outcome::{Answer, Outcome, PickerPurpose, ResellerChoice};
use crate::store::list::ResellerRow;
use crate::store::worker::{AnyPage, DbReply, ListId};

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Choose a reseller",
    &[
        bind(&[key(KeyCode::Enter)], Command::Enter, "choose", true),
        bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
        bind(&[key(KeyCode::Up)], Command::Up, "up", false),
        bind(&[key(KeyCode::Down)], Command::Down, "down", false),
        bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
        bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
        // The search line is always focused: `g`/`G` are letters in it, Home/End move the list.
        bind(&[key(KeyCode::Home)], Command::Home, "first (the no-reseller row)", false),
        bind(&[key(KeyCode::End)], Command::End, "last", false),
    ],
    Typing::Line,
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotChosen;

#[derive(Debug, Clone)]
pub struct ResellerPicker {
    pub purpose: PickerPurpose,
    pub list: ListModel<ResellerRow>,
    pub search: Input,
    /// The "no reseller" row is selected (it sits above the list).
    pub on_none: bool,
    /// Why the last Enter was refused.
    pub problem: Option<String>,
}

impl ResellerPicker {
    /// Opens on the first page of active resellers.
    pub fn open(purpose: PickerPurpose, seq: &mut u64) -> (ResellerPicker, Effect) {
        let mut list = ListModel::new(ListId::ResellerPicker);
        list.highlight = false;
        let effect = list.reload(seq);
        (
            ResellerPicker {
                purpose,
                list,
                search: Input::default(),
                on_none: true,
                problem: None,
            },
            effect,
        )
    }

    pub fn edit(&mut self, request: InputRequest, seq: &mut u64) -> Option<Effect> {
        self.search.handle(request);
        self.problem = None;
        let text = self.search.value().to_owned();
        if text == self.list.filter.search {
            return None;
        }
        self.list.filter.search = text;
        // Searching means looking for a reseller: the first match is selected, not "none".
        self.on_none = self.list.filter.search.is_empty();
        self.list.highlight = !self.on_none;
        Some(self.list.reload(seq))
    }

    pub fn paste(&mut self, text: &str, seq: &mut u64) -> Option<Effect> {
        let mut effect = None;
        for c in crate::domain::text::clean(text).chars() {
            effect = self.edit(InputRequest::InsertChar(c), seq).or(effect);
        }
        effect
    }

    pub fn move_by(&mut self, delta: isize, viewport: usize, seq: &mut u64) -> Option<Effect> {
        self.problem = None;
        if delta < 0 && self.list.selected == 0 && !self.list.more_before {
            self.on_none = true;
            self.list.highlight = false;
            return None;
        }
        if self.on_none {
            if delta > 0 && !self.list.rows.is_empty() {
                self.on_none = false;
                self.list.highlight = true;
            }
            return None;
        }
        self.list.move_by(delta, viewport, seq)
    }

    /// `Home`: the "no reseller" row, above the first reseller (which is loaded, for `↓`).
    pub fn home(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        self.problem = None;
        self.on_none = true;
        self.list.highlight = false;
        self.list.home(viewport, seq)
    }

    /// `End`: the last active reseller matching the search.
    pub fn end(&mut self, viewport: usize, seq: &mut u64) -> Option<Effect> {
        self.problem = None;
        if self.list.rows.is_empty() && !self.list.more_after {
            return None;
        }
        self.on_none = false;
        self.list.highlight = true;
        self.list.end(viewport, seq)
    }

    /// Enter: `Ok(None)` for the "no reseller" row, `Ok(Some(choice))`, or `NotChosen` (the
    /// reason is in `problem`).
    pub fn choose(&mut self) -> Result<Option<ResellerChoice>, NotChosen> {
        if self.on_none {
            return Ok(None);
        }
        let Some(row) = self.list.selected_row() else {
            return Err(NotChosen);
        };
        let choice = ResellerChoice::from(row);
        if self.purpose.credits()
            && let Some(why) = choice.compliance.failure()
        {
            self.problem = Some(format!(
                "{} can't be credited: {why}. Orders and subscriptions can't name it as partner of record until its \
                 compliance is fixed (Indirect resellers, c).",
                choice.name
            ));
            return Err(NotChosen);
        }
        Ok(Some(choice))
    }
}

impl Model for ResellerPicker {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        let viewport = cx.viewport;
        let page = viewport.saturating_sub(1).max(1) as isize;
        match command {
            Command::Up => Outcome::effect(self.move_by(-1, viewport, cx.seq)),
            Command::Down => Outcome::effect(self.move_by(1, viewport, cx.seq)),
            Command::PageUp => Outcome::effect(self.move_by(-page, viewport, cx.seq)),
            Command::PageDown => Outcome::effect(self.move_by(page, viewport, cx.seq)),
            Command::Home => Outcome::effect(self.home(viewport, cx.seq)),
            Command::End => Outcome::effect(self.end(viewport, cx.seq)),
            // The choice goes to whoever opened the picker.
            Command::Enter => match self.choose() {
                Ok(choice) => Outcome::answer(Answer::Picked(self.purpose, choice)),
                Err(NotChosen) => Outcome::none(),
            },
            Command::Back => Outcome::close(),
            _ => Outcome::none(),
        }
    }

    fn on_text(&mut self, typed: Typed, cx: &mut Cx) -> Outcome {
        Outcome::effect(match typed {
            Typed::Edit(request) => self.edit(request, cx.seq),
            Typed::Paste(text) => self.paste(&text, cx.seq),
            Typed::Body(_) => None,
        })
    }

    fn text_focused(&self) -> bool {
        true
    }

    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Resellers(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            other => settled(other),
        }
    }
}
