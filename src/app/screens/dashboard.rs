//! Dashboard: the book at a glance, the screen the console opens on. Its figures come in one
//! store reply (counters and indexed counts, see `store::dashboard`), asked for on each visit,
//! on Ctrl-R and when a change elsewhere touched what it counts.

use crossterm::event::KeyCode;

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, Typing, bind, ch, ctrl, key, keys};
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, settled};
use crate::app::outcome::{Open, Outcome};
use crate::domain::permission::Permission;
use crate::store::dashboard::Dashboard;
use crate::store::worker::{DbCmd, DbReply, ListId};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashboardScreen {
    /// The last figures received; kept on screen while newer ones load.
    pub figures: Option<Dashboard>,
    /// A request is out: the title says "updating…".
    pub loading: bool,
    /// Why the last load failed, shown in place of the figures.
    pub failed: Option<String>,
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Dashboard",
    &[
        bind(&[ch('r')], Command::RequestPartnership, "Request a partnership", true),
        bind(&[ch('n')], Command::AddCustomer, "Add new customer", true),
        bind(&[ctrl('r'), key(KeyCode::F(5))], Command::Refresh, "refresh", true),
    ],
    Typing::No,
);

impl ScreenInfo for DashboardScreen {
    const LABEL: &'static str = "Dashboard";
    const SHORT_LABEL: &'static str = "Home";
    const DIGIT: char = '0';
}

/// The lists whose changes move a figure: the dashboard reloads after them.
const COUNTED: [ListId; 4] = [
    ListId::Resellers,
    ListId::Customers,
    ListId::Subscriptions,
    ListId::Invitations,
];

impl DashboardScreen {
    fn load(&mut self, cx: &Cx) -> Vec<Effect> {
        self.loading = true;
        vec![Effect::db(DbCmd::LoadDashboard(cx.now))]
    }
}

impl Model for DashboardScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        match command {
            Command::RequestPartnership => Outcome::open(Open::RequestPartnership),
            Command::AddCustomer => Outcome::open(Open::NewCustomer { reseller: None }),
            _ => Outcome::none(),
        }
    }

    fn on_reply(&mut self, reply: DbReply, _cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Dashboard(figures) => {
                self.loading = false;
                self.failed = None;
                self.figures = Some(*figures);
                Outcome::none()
            }
            DbReply::Failed { message, .. } if self.loading => {
                self.loading = false;
                self.failed = Some(message);
                Outcome::none()
            }
            other => settled(other),
        }
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        match command {
            Command::RequestPartnership => Some(Permission::ManagePartnerships),
            Command::AddCustomer => Some(Permission::AddCustomer),
            _ => None,
        }
    }
}

impl ScreenModel for DashboardScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        None
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        None
    }

    /// Every visit shows the book as it is now (another session or the CLI may have changed it).
    fn on_enter(&mut self, cx: &mut Cx) -> Vec<Effect> {
        self.load(cx)
    }

    fn refresh(&mut self, cx: &mut Cx) -> Vec<Effect> {
        self.load(cx)
    }

    /// Shown: reloaded now; elsewhere the next visit reloads anyway.
    fn reload(&mut self, lists: &[ListId], shown: bool, cx: &mut Cx) -> Vec<Effect> {
        if shown && lists.iter().any(|l| COUNTED.contains(l)) {
            return self.load(cx);
        }
        Vec::new()
    }
}
