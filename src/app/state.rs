//! AppState: everything the view draws, and nothing it has to ask anyone else for.

use chrono::{DateTime, FixedOffset, Utc};

use super::list_ops::ListOps;
use super::screens::customer_wizard::{Step, field_of_row};
use super::screens::{
    activity_filter::ActivityFilter, activity_log::ActivityLogScreen,
    company_profile::CompanyProfileScreen, compliance::ComplianceForm, confirm::Confirm,
    confirmation::Confirmation, customer_wizard::CustomerWizard, customers::CustomersScreen,
    draft_email::DraftEmail, invitations::InvitationsScreen, record_acceptance::AcceptanceForm,
    remove_partnership::RemoveConfirm, request_partnership::RequestForm,
    reseller_picker::ResellerPicker, resellers::ResellersScreen,
    subscription_details::SubscriptionForm, user_form::UserForm, users::UsersScreen,
};
use crate::domain::permission::Matrix;
use crate::store::customers::Offer;
use crate::store::operators::Operator;
use crate::store::provider::ProviderProfile;

/// The screens: the Partner Center menu, and pages reached from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Resellers,
    Customers,
    CompanyProfile,
    ActivityLog,
    Users,
    /// The ledger of partnership requests, reached from Indirect resellers.
    Invitations,
}

impl Screen {
    pub const MENU: [Screen; 5] = [
        Screen::Resellers,
        Screen::Customers,
        Screen::CompanyProfile,
        Screen::ActivityLog,
        Screen::Users,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Screen::Resellers => "Indirect resellers",
            Screen::Customers => "Customers",
            Screen::CompanyProfile => "Company profile",
            Screen::ActivityLog => "Activity log",
            Screen::Users => "Users",
            Screen::Invitations => "Invitations",
        }
    }

    /// For narrow terminals.
    pub fn short_label(self) -> &'static str {
        match self {
            Screen::Resellers => "Resellers",
            Screen::Customers => "Customers",
            Screen::CompanyProfile => "Profile",
            Screen::ActivityLog => "Activity",
            Screen::Users => "Users",
            Screen::Invitations => "Invitations",
        }
    }

    /// The digit that opens it, for menu items.
    pub fn digit(self) -> char {
        match self {
            Screen::Resellers | Screen::Invitations => '1',
            Screen::Customers => '2',
            Screen::CompanyProfile => '3',
            Screen::ActivityLog => '4',
            Screen::Users => '5',
        }
    }

    /// Where `q` and `Esc` go back to; `None` for the menu's own screens (q quits there).
    pub fn parent(self) -> Option<Screen> {
        match self {
            Screen::Invitations => Some(Screen::Resellers),
            _ => None,
        }
    }

    /// The menu item that is lit while this screen shows.
    pub fn menu_item(self) -> Screen {
        self.parent().unwrap_or(self)
    }
}

/// A layer above the screen. The top one takes every key.
#[derive(Debug, Clone)]
pub enum Modal {
    /// The key and task overlay, scrolled this many lines.
    Help {
        scroll: u16,
    },
    Error {
        title: String,
        message: String,
    },
    RequestPartnership(RequestForm),
    DraftEmail(Box<DraftEmail>),
    RemovePartnership(RemoveConfirm),
    RecordAcceptance(Box<AcceptanceForm>),
    Compliance(ComplianceForm),
    Confirm(Confirm),
    Wizard(Box<CustomerWizard>),
    ResellerPicker(Box<ResellerPicker>),
    /// Setup info of the new customer: holds the temporary password, shown this once.
    Confirmation(Box<Confirmation>),
    SubscriptionDetails(Box<SubscriptionForm>),
    UserForm(Box<UserForm>),
    ActivityFilter(Box<ActivityFilter>),
}

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
    /// Days after which an unanswered partnership request shows as Expired.
    pub expiry_days: u32,
    /// The offer catalog, loaded once at start.
    pub catalog: Vec<Offer>,
    /// Who may do what (the store enforces the same matrix).
    pub matrix: Matrix,
    pub screen: Screen,
    pub resellers: ResellersScreen,
    pub customers: CustomersScreen,
    pub company_profile: CompanyProfileScreen,
    pub activity_log: ActivityLogScreen,
    pub users: UsersScreen,
    pub invitations: InvitationsScreen,
    pub modals: Vec<Modal>,
    pub toasts: Vec<Toast>,
    /// The last request sequence number handed out.
    pub seq: u64,
    pub quitting: bool,
}

impl AppState {
    pub fn new(operator: Operator, now: DateTime<Utc>, width: u16, height: u16) -> Self {
        AppState {
            now,
            utc_offset: FixedOffset::east_opt(0).expect("zero offset"),
            width,
            height,
            operator,
            provider: None,
            expiry_days: 30,
            catalog: Vec::new(),
            matrix: Matrix::default(),
            screen: Screen::Resellers,
            resellers: ResellersScreen::default(),
            customers: CustomersScreen::default(),
            company_profile: CompanyProfileScreen::default(),
            activity_log: ActivityLogScreen::default(),
            users: UsersScreen::default(),
            invitations: InvitationsScreen::default(),
            modals: Vec::new(),
            toasts: Vec::new(),
            seq: 0,
            quitting: false,
        }
    }

    pub fn local(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.utc_offset)
    }

    pub fn top_modal(&self) -> Option<&Modal> {
        self.modals.last()
    }

    /// True while a text field has focus: keys then type instead of running commands.
    pub fn text_focused(&self) -> bool {
        match self.top_modal() {
            Some(
                Modal::RequestPartnership(_)
                | Modal::RecordAcceptance(_)
                | Modal::ResellerPicker(_)
                | Modal::ActivityFilter(_),
            ) => true,
            Some(Modal::UserForm(form)) => form.focus != super::screens::user_form::ROLE,
            Some(Modal::DraftEmail(d)) => d.editing,
            Some(Modal::Wizard(w)) => match w.step {
                Step::AccountInfo => field_of_row(w.account.focus).is_some(),
                Step::Subscriptions => w.order.search.as_ref().is_some_and(|s| s.focused),
                Step::Review => false,
            },
            Some(_) => false,
            None => self.current_list().is_some_and(|l| l.search_focused()),
        }
    }

    /// The current screen's list, if it is a list screen.
    pub fn current_list(&self) -> Option<&dyn ListOps> {
        match self.screen {
            Screen::Resellers => Some(&self.resellers.list),
            Screen::Customers => Some(&self.customers.list),
            Screen::ActivityLog => Some(&self.activity_log.list),
            Screen::Users => Some(&self.users.list),
            Screen::Invitations => Some(&self.invitations.list),
            Screen::CompanyProfile => None,
        }
    }

    /// The list the keys move in: on Customers, the expanded record's subscriptions when they
    /// have focus.
    pub fn current_list_mut(&mut self) -> Option<&mut dyn ListOps> {
        match self.screen {
            Screen::Resellers => Some(&mut self.resellers.list),
            Screen::Customers if self.customers.pane_focused => self
                .customers
                .expanded
                .as_mut()
                .map(|e| &mut e.subscriptions as &mut dyn ListOps),
            Screen::Customers => Some(&mut self.customers.list),
            Screen::ActivityLog => Some(&mut self.activity_log.list),
            Screen::Users => Some(&mut self.users.list),
            Screen::Invitations => Some(&mut self.invitations.list),
            Screen::CompanyProfile => None,
        }
    }
}
