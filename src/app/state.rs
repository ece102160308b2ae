//! AppState: everything the view draws, and nothing it has to ask anyone else for.

use chrono::{DateTime, FixedOffset, Utc};

use super::effect::Effect;
use super::model::{Cx, ScreenModel};
use super::nav::Screen;
use super::outcome::Open;
use super::remote::Connection;
use super::screens::set_up_book::{self, OwnBook};
use super::screens::{Modal, Screens};
use crate::domain::permission::Matrix;
use crate::store::customers::Offer;
use crate::store::operators::Operator;
use crate::store::provider::ProviderProfile;

/// A short message at the bottom right that goes away by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub now: DateTime<Utc>,
    /// The local time zone's offset: times are stored in UTC and shown in local time.
    pub utc_offset: FixedOffset,
    pub width: u16,
    pub height: u16,
    pub operator: Operator,
    pub provider: Option<ProviderProfile>,
    /// Your own book beside the demo: offered to set up, or where it is.
    pub own_book: OwnBook,
    /// Whether this console is connected to Partner Center, as the header says.
    pub remote: RemoteLink,
    /// Signed in to Partner Center or not, and a sync running.
    pub connection: Connection,
    /// Days after which an unanswered partnership request shows as Expired.
    pub expiry_days: u32,
    /// The offer catalog, loaded once at start.
    pub catalog: Vec<Offer>,
    /// Who may do what (the store enforces the same matrix).
    pub matrix: Matrix,
    pub screen: Screen,
    pub screens: Screens,
    pub modals: Vec<Modal>,
    pub toasts: Vec<Toast>,
    /// The last request sequence number handed out.
    pub seq: u64,
    pub quitting: bool,
}

/// The Partner Center connection, as the header shows it. Found out at start from the config
/// file (the runtime sets it); tests that don't say leave it unstated and nothing is drawn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum RemoteLink {
    #[default]
    Unstated,
    /// No `[partner_center]` in the config: the book is local only.
    Offline,
    /// `[partner_center]` names this partner tenant.
    PartnerCenter { tenant: String },
}

/// How long a toast stays.
const TOAST_SECONDS: i64 = 4;

impl AppState {
    /// Shows a short message at the bottom right (the newest three).
    pub fn toast(&mut self, text: String) {
        let until = self.now + chrono::Duration::seconds(TOAST_SECONDS);
        self.toasts.push(Toast { text, until });
        if self.toasts.len() > 3 {
            self.toasts.remove(0);
        }
    }

    pub fn new(operator: Operator, now: DateTime<Utc>, width: u16, height: u16) -> Self {
        AppState {
            now,
            utc_offset: FixedOffset::east_opt(0).expect("zero offset"),
            width,
            height,
            operator,
            provider: None,
            own_book: OwnBook::Unknown,
            remote: RemoteLink::Unstated,
            connection: Connection::default(),
            expiry_days: 30,
            catalog: Vec::new(),
            matrix: Matrix::default(),
            screen: Screen::Dashboard,
            screens: Screens::default(),
            modals: Vec::new(),
            toasts: Vec::new(),
            seq: 0,
            quitting: false,
        }
    }

    pub fn local(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.utc_offset)
    }

    /// True while a demo book is open and the console knows about your own book: `S` then
    /// sets one up, or says how to open the one there is.
    pub fn offers_own_book(&self) -> bool {
        self.provider.as_ref().is_some_and(|p| p.is_demo) && self.own_book != OwnBook::Unknown
    }

    /// What `S` opens on a demo book: the set-up form, or how to open the book you have.
    pub fn own_book_offer(&self) -> Option<Open> {
        if !self.offers_own_book() {
            return None;
        }
        match &self.own_book {
            OwnBook::Missing(path) => Some(Open::SetUpBook { path: path.clone() }),
            OwnBook::Exists(path) => Some(set_up_book::how_to_open(path)),
            OwnBook::Unknown => None,
        }
    }

    pub fn top_modal(&self) -> Option<&Modal> {
        self.modals.last()
    }

    /// The model of the screen shown.
    pub fn current(&self) -> &dyn ScreenModel {
        self.screens.get(self.screen)
    }

    /// True while a text field has focus: keys then type instead of running commands.
    pub fn text_focused(&self) -> bool {
        match self.top_modal() {
            Some(modal) => modal.model().text_focused(),
            None => self.current().list().is_some_and(|l| l.search_focused()),
        }
    }

    /// The terminal changed size: the lists keep their selection in view, and a detail pane
    /// that appears asks for its record.
    pub fn resized(&mut self, width: u16, height: u16) -> Vec<Effect> {
        self.width = width;
        self.height = height;
        let screen = self.screen;
        self.screens.get_mut(screen).resize(height);
        let (mut cx, screens, _) = self.parts();
        let effects = screens.get_mut(screen).follow_selection(&mut cx);
        effects
            .into_iter()
            .map(|e| e.from(crate::app::nav::To::Screen(screen)))
            .collect()
    }

    /// What models may read, beside the screens and modals they change.
    pub fn parts(&mut self) -> (Cx<'_>, &mut Screens, &mut Vec<Modal>) {
        let viewport = self.current().viewport(self.height);
        let AppState {
            now,
            width,
            height,
            operator,
            provider,
            expiry_days,
            catalog,
            matrix,
            screens,
            modals,
            seq,
            remote,
            ..
        } = self;
        let cx = Cx {
            now: *now,
            seq,
            width: *width,
            height: *height,
            viewport,
            operator,
            provider: provider.as_ref(),
            catalog,
            matrix,
            expiry_days: *expiry_days,
            connected: matches!(remote, RemoteLink::PartnerCenter { .. }),
        };
        (cx, screens, modals)
    }
}
