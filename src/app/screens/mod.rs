//! The one list of screens and modals. Each is a model file here and a view file of the same
//! name in `ui::screens`; the model answers its own commands, replies and answers (`Model`).
//! `with_rooms!` hands this list to a macro, so the models' registry (below) and the view's
//! dispatch (`ui::screens`) are both written from it: adding a screen or modal is its two files
//! and one line here (a screen also names itself in `nav::Screen`; a modal something opens
//! gets a variant of `outcome::Open`, built in `open` below).

use super::effect::Effect;
use super::model::{Cx, Model, ScreenInfo, ScreenModel};
use super::nav::Screen;
use super::outcome::Open;
use crate::domain::permission::Permission;

macro_rules! with_rooms {
    ($then:ident) => {
        $then! {
            screens {
                Dashboard: dashboard::DashboardScreen,
                Resellers: resellers::ResellersScreen,
                Customers: customers::CustomersScreen,
                CompanyProfile: company_profile::CompanyProfileScreen,
                ActivityLog: activity_log::ActivityLogScreen,
                Users: users::UsersScreen,
                Renewals: renewals::RenewalsScreen,
                Invitations: invitations::InvitationsScreen,
                FollowUp: follow_up::FollowUpScreen,
            }
            modals {
                Help: help::Help,
                Error: error::ErrorMessage,
                RequestPartnership: request_partnership::RequestForm,
                DraftEmail: draft_email::DraftEmail,
                RemovePartnership: remove_partnership::RemoveConfirm,
                RecordAcceptance: record_acceptance::AcceptanceForm,
                Compliance: compliance::ComplianceForm,
                Confirm: confirm::Confirm,
                Wizard: customer_wizard::CustomerWizard,
                ResellerPicker: reseller_picker::ResellerPicker,
                Confirmation: confirmation::Confirmation,
                SubscriptionDetails: subscription_details::SubscriptionForm,
                UserForm: user_form::UserForm,
                ActivityFilter: activity_filter::ActivityFilter,
                CustomerAccount: customer_account::CustomerAccountView,
                UnknownCompliance: unknown_compliance::UnknownCompliance,
                SetUpBook: set_up_book::SetUpBook,
                SignIn: sign_in::SignIn,
            }
        }
    };
}
pub(crate) use with_rooms;

macro_rules! registry {
    (
        screens { $($screen:ident: $smod:ident::$stype:ident,)* }
        modals { $($modal:ident: $mmod:ident::$mtype:ident,)* }
    ) => {
        $(pub mod $smod;)*
        $(pub mod $mmod;)*

        /// Every screen's model, a field each, named as its file.
        #[derive(Debug, Clone, Default)]
        pub struct Screens {
            $(pub $smod: $smod::$stype,)*
        }

        impl Screens {
            pub fn get(&self, screen: Screen) -> &dyn ScreenModel {
                match screen {
                    $(Screen::$screen => &self.$smod,)*
                }
            }

            pub fn get_mut(&mut self, screen: Screen) -> &mut dyn ScreenModel {
                match screen {
                    $(Screen::$screen => &mut self.$smod,)*
                }
            }
        }

        impl Screen {
            pub const ALL: &[Screen] = &[$(Screen::$screen,)*];

            pub fn label(self) -> &'static str {
                match self {
                    $(Screen::$screen => <$smod::$stype as ScreenInfo>::LABEL,)*
                }
            }

            /// For narrow terminals.
            pub fn short_label(self) -> &'static str {
                match self {
                    $(Screen::$screen => <$smod::$stype as ScreenInfo>::SHORT_LABEL,)*
                }
            }

            /// The digit that opens it, for menu items.
            pub fn digit(self) -> char {
                match self {
                    $(Screen::$screen => <$smod::$stype as ScreenInfo>::DIGIT,)*
                }
            }

            /// Where `q` and `Esc` go back to; `None` for the menu's own screens.
            pub fn parent(self) -> Option<Screen> {
                match self {
                    $(Screen::$screen => <$smod::$stype as ScreenInfo>::PARENT,)*
                }
            }

            /// The permission it takes to see it.
            pub fn needs(self) -> Option<Permission> {
                match self {
                    $(Screen::$screen => <$smod::$stype as ScreenInfo>::NEEDS,)*
                }
            }
        }

        /// A layer above the screen. The top one takes every key.
        #[derive(Debug, Clone)]
        pub enum Modal {
            $($modal(Box<$mmod::$mtype>),)*
        }

        impl Modal {
            pub fn model(&self) -> &dyn Model {
                match self {
                    $(Modal::$modal(m) => m.as_ref(),)*
                }
            }

            pub fn model_mut(&mut self) -> &mut dyn Model {
                match self {
                    $(Modal::$modal(m) => m.as_mut(),)*
                }
            }
        }
    };
}

with_rooms!(registry);

impl Screen {
    /// The screens of the menu, in its order.
    pub fn menu() -> impl Iterator<Item = Screen> {
        Screen::ALL.iter().copied().filter(|s| s.parent().is_none())
    }

    /// The menu item that is lit while this screen shows.
    pub fn menu_item(self) -> Screen {
        self.parent().unwrap_or(self)
    }
}

/// Builds the layer an `Outcome` asked for, with the requests it starts with.
pub fn open(open: Open, cx: &mut Cx) -> (Modal, Vec<Effect>) {
    let modal = match open {
        Open::Help => Modal::Help(Box::default()),
        Open::Error { title, message } => {
            Modal::Error(Box::new(error::ErrorMessage { title, message }))
        }
        Open::Question(question) => Modal::Confirm(Box::new(confirm::Confirm::new(question))),
        Open::Picker(purpose) => {
            let (picker, effect) = reseller_picker::ResellerPicker::open(purpose, cx.seq);
            return (Modal::ResellerPicker(Box::new(picker)), vec![effect]);
        }
        Open::RequestPartnership => Modal::RequestPartnership(Box::default()),
        Open::DraftEmail { draft, resend_of } => {
            Modal::DraftEmail(Box::new(draft_email::DraftEmail::new(*draft, resend_of)))
        }
        Open::RemovePartnership {
            reseller_id,
            name,
            preview,
        } => Modal::RemovePartnership(Box::new(remove_partnership::RemoveConfirm::new(
            reseller_id,
            name,
            *preview,
        ))),
        Open::RecordAcceptance {
            invitation_id,
            recipient,
        } => {
            let provider_id = cx
                .provider
                .map(|p| p.partner_id.clone())
                .unwrap_or_default();
            Modal::RecordAcceptance(Box::new(record_acceptance::AcceptanceForm::new(
                invitation_id,
                recipient,
                provider_id,
            )))
        }
        Open::Compliance {
            reseller_id,
            name,
            compliance,
        } => Modal::Compliance(Box::new(compliance::ComplianceForm::new(
            reseller_id,
            name,
            compliance,
        ))),
        Open::NewCustomer { reseller } => Modal::Wizard(Box::new(
            customer_wizard::CustomerWizard::open_new(reseller, cx),
        )),
        Open::AddSubscription {
            customer_id,
            customer,
            reseller,
        } => Modal::Wizard(Box::new(customer_wizard::CustomerWizard::add_subscription(
            cx.catalog,
            customer_id,
            customer,
            reseller,
            cx.now.date_naive(),
        ))),
        Open::Confirmation(created) => Modal::Confirmation(Box::new(confirmation::Confirmation {
            created: *created,
            copied: false,
        })),
        Open::SubscriptionDetails(detail) => Modal::SubscriptionDetails(Box::new(
            subscription_details::SubscriptionForm::new(*detail),
        )),
        Open::AddUser => Modal::UserForm(Box::new(user_form::UserForm::add())),
        Open::ChangeRole { upn, role } => {
            Modal::UserForm(Box::new(user_form::UserForm::change_role(upn, role)))
        }
        Open::ActivityFilter(prefixes) => {
            Modal::ActivityFilter(Box::new(activity_filter::ActivityFilter::new(&prefixes)))
        }
        Open::CustomerAccount { id, name } => {
            let (modal, effect) = customer_account::CustomerAccountView::open(id, name);
            return (Modal::CustomerAccount(Box::new(modal)), vec![effect]);
        }
        Open::UnknownCompliance { warning } => Modal::UnknownCompliance(Box::new(
            unknown_compliance::UnknownCompliance::new(warning),
        )),
        Open::SetUpBook { path } => Modal::SetUpBook(Box::new(set_up_book::SetUpBook::new(path))),
        // The room asks for a code as it opens.
        Open::SignIn { tenant, then_sync } => {
            let room = sign_in::SignIn::new(tenant, then_sync);
            let ask = Effect::Remote(crate::app::remote::RemoteCmd::SignIn);
            return (Modal::SignIn(Box::new(room)), vec![ask]);
        }
    };
    (modal, Vec::new())
}
