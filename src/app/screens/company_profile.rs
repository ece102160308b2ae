//! Company profile: the provider's entry on Microsoft's official indirect providers list.
//! Read-only: changes go through the Microsoft representative.

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, MOVE, Typing, keys};
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel};
use crate::app::nav::To;
use crate::app::outcome::Outcome;
use crate::store::worker::DbCmd;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyProfileScreen {
    /// Lines scrolled past, for small terminals.
    pub scroll: u16,
}

pub const KEYS: Keys = keys(
    "Company profile",
    &[MOVE[0], MOVE[1], MOVE[4], MOVE[5]],
    Typing::No,
);

impl ScreenInfo for CompanyProfileScreen {
    const LABEL: &'static str = "Company profile";
    const SHORT_LABEL: &'static str = "Profile";
    const DIGIT: char = '3';
}

impl Model for CompanyProfileScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS]
    }

    fn on_command(&mut self, command: Command, _cx: &mut Cx) -> Outcome {
        let scroll = &mut self.scroll;
        *scroll = match command {
            Command::Up => scroll.saturating_sub(1),
            Command::Down => scroll.saturating_add(1).min(200),
            Command::Home => 0,
            Command::End => 200,
            _ => *scroll,
        };
        Outcome::none()
    }
}

impl ScreenModel for CompanyProfileScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        None
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        None
    }

    /// The profile belongs to the whole app (the header shows it too).
    fn refresh(&mut self, _cx: &mut Cx) -> Vec<Effect> {
        vec![Effect::Db(To::App, DbCmd::LoadProvider)]
    }
}
