//! Indirect resellers: the partnerships, by name (or PartnerID, or newest first), with Request a
//! partnership, View customers, Remove partnership, compliance and the invitations ledger.

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::keys::{Keys, LIST, Typing, bind, ch, keys};
use crate::app::list::ListModel;
use crate::app::list_keys::list_keys;
use crate::app::list_ops::ListOps;
use crate::app::model::{Cx, Model, ScreenInfo, ScreenModel, settled};
use crate::app::nav::Screen;
use crate::app::outcome::{Go, Open, Outcome, ResellerChoice};
use crate::domain::permission::Permission;
use crate::store::list::ResellerRow;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

#[derive(Debug, Clone, PartialEq)]
pub struct ResellersScreen {
    pub list: ListModel<ResellerRow>,
}

impl Default for ResellersScreen {
    fn default() -> Self {
        ResellersScreen {
            list: ListModel::new(ListId::Resellers),
        }
    }
}

#[rustfmt::skip]
pub const KEYS: Keys = keys(
    "Indirect resellers",
    &[
        bind(&[ch('r')], Command::RequestPartnership, "Request a partnership", true).important(),
        bind(&[ch('n')], Command::AddCustomer, "Add new customer", true),
        bind(&[ch('v')], Command::ViewCustomers, "View customers", true),
        bind(&[ch('x')], Command::RemovePartnership, "Remove partnership", true),
        bind(&[ch('i')], Command::OpenInvitations, "Invitations", true),
        bind(&[ch('c')], Command::EditCompliance, "compliance", false),
        bind(&[ch('s')], Command::CycleSort, "sort", false),
        bind(&[ch('h')], Command::ToggleRemoved, "show removed", false),
        bind(&[ch('f')], Command::FollowUp, "follow-up (removed)", false),
    ],
    Typing::No,
);

impl ScreenInfo for ResellersScreen {
    const LABEL: &'static str = "Indirect resellers";
    const SHORT_LABEL: &'static str = "Resellers";
    const DIGIT: char = '1';
    const NEEDS: Option<Permission> = Some(Permission::ViewResellers);
}

impl ResellersScreen {
    /// `n`: Add new customer, with the selected reseller chosen (not a removed one).
    fn add_customer(&self) -> Outcome {
        match self.list.selected_row() {
            Some(r) if r.is_active() => Outcome::open(Open::NewCustomer {
                reseller: Some(ResellerChoice::from(r)),
            }),
            Some(r) => Outcome::toast(format!(
                "The partnership with {} was removed: no new customers for it",
                r.name
            )),
            None => Outcome::open(Open::NewCustomer { reseller: None }),
        }
    }

    fn remove_partnership(&self) -> Outcome {
        match self.list.selected_row() {
            Some(r) if r.is_active() => Outcome::effect(Some(Effect::db(DbCmd::RemovalImpact {
                reseller_id: r.id,
                name: r.name.clone(),
            }))),
            Some(r) => Outcome::toast(format!(
                "The partnership with {} was already removed",
                r.name
            )),
            None => Outcome::none(),
        }
    }

    /// `f` on a removed partnership: the subscriptions that still name it.
    fn follow_up(&self) -> Outcome {
        match self.list.selected_row() {
            Some(r) if !r.is_active() => crate::app::screens::follow_up::show(r.id),
            Some(r) => Outcome::toast(format!(
                "{} is active: Follow-up is for removed partnerships (h shows them)",
                r.name
            )),
            None => Outcome::none(),
        }
    }

    fn edit_compliance(&self) -> Outcome {
        match self.list.selected_row() {
            Some(r) if r.is_active() => Outcome::open(Open::Compliance {
                reseller_id: r.id,
                name: r.name.clone(),
                compliance: r.compliance,
            }),
            _ => Outcome::none(),
        }
    }
}

impl Model for ResellersScreen {
    fn keys(&self) -> Vec<&'static Keys> {
        vec![&KEYS, &LIST]
    }

    fn on_command(&mut self, command: Command, cx: &mut Cx) -> Outcome {
        match command {
            Command::RequestPartnership => Outcome::open(Open::RequestPartnership),
            Command::AddCustomer => self.add_customer(),
            Command::ViewCustomers => match self.list.selected_row() {
                Some(r) => Outcome::go(Go::CustomersOf {
                    reseller_id: r.id,
                    name: r.name.clone(),
                }),
                None => Outcome::none(),
            },
            Command::RemovePartnership => self.remove_partnership(),
            Command::FollowUp => self.follow_up(),
            Command::EditCompliance => self.edit_compliance(),
            Command::OpenInvitations => Outcome::go(Go::Screen(Screen::Invitations)),
            Command::CycleSort => {
                let filter = &mut self.list.filter;
                filter.sort = filter.sort.next();
                let label = filter.sort.label();
                Outcome {
                    toast: Some(format!("Sorted by {label}")),
                    ..Outcome::effect(Some(self.list.reload(cx.seq)))
                }
            }
            Command::ToggleRemoved => {
                let filter = &mut self.list.filter;
                filter.include_removed = !filter.include_removed;
                let toast = if filter.include_removed {
                    "Showing removed partnerships too"
                } else {
                    "Hiding removed partnerships"
                };
                Outcome {
                    toast: Some(toast.into()),
                    ..Outcome::effect(Some(self.list.reload(cx.seq)))
                }
            }
            command => list_keys(&mut self.list, command, cx),
        }
    }


    fn on_reply(&mut self, reply: DbReply, cx: &mut Cx) -> Outcome {
        match reply {
            DbReply::Page {
                seq,
                page: AnyPage::Resellers(page),
                ..
            } => Outcome::effect(self.list.receive(seq, page, cx.viewport, cx.seq)),
            DbReply::Impact {
                reseller_id,
                name,
                preview,
            } => Outcome::open(Open::RemovePartnership {
                reseller_id,
                name,
                preview,
            }),
            other => settled(other),
        }
    }

    fn permission(&self, command: Command) -> Option<Permission> {
        match command {
            Command::RequestPartnership => Some(Permission::ManagePartnerships),
            Command::RemovePartnership => Some(Permission::RemovePartnership),
            Command::EditCompliance => Some(Permission::EditCompliance),
            Command::AddCustomer => Some(Permission::AddCustomer),
            Command::OpenInvitations => Some(Permission::ViewResellers),
            _ => None,
        }
    }
}

impl ScreenModel for ResellersScreen {
    fn list(&self) -> Option<&dyn ListOps> {
        Some(&self.list)
    }

    fn list_mut(&mut self) -> Option<&mut dyn ListOps> {
        Some(&mut self.list)
    }
}
