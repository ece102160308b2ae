//! AppState: everything the view draws, and nothing it has to ask anyone else for.

use chrono::{DateTime, FixedOffset, Utc};

use super::screens::{
    activity_log::ActivityLogScreen, company_profile::CompanyProfileScreen,
    customers::CustomersScreen, resellers::ResellersScreen, users::UsersScreen,
};
use crate::store::operators::Operator;
use crate::store::provider::ProviderProfile;

/// The Partner Center menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Resellers,
    Customers,
    CompanyProfile,
    ActivityLog,
    Users,
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
        }
    }

    /// The digit that opens it.
    pub fn digit(self) -> char {
        match self {
            Screen::Resellers => '1',
            Screen::Customers => '2',
            Screen::CompanyProfile => '3',
            Screen::ActivityLog => '4',
            Screen::Users => '5',
        }
    }
}

/// A layer above the screen. The top one takes every key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    /// The key and task overlay, scrolled this many lines.
    Help {
        scroll: u16,
    },
    Error {
        title: String,
        message: String,
    },
}

/// A short message at the bottom right that goes away by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub text: String,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub now: DateTime<Utc>,
    /// The local time zone's offset: times are stored in UTC and shown in local time.
    pub utc_offset: FixedOffset,
    pub width: u16,
    pub height: u16,
    pub operator: Operator,
    pub provider: Option<ProviderProfile>,
    pub screen: Screen,
    pub resellers: ResellersScreen,
    pub customers: CustomersScreen,
    pub company_profile: CompanyProfileScreen,
    pub activity_log: ActivityLogScreen,
    pub users: UsersScreen,
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
            screen: Screen::Resellers,
            resellers: ResellersScreen::default(),
            customers: CustomersScreen::default(),
            company_profile: CompanyProfileScreen::default(),
            activity_log: ActivityLogScreen::default(),
            users: UsersScreen::default(),
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
        self.top_modal().is_none() && self.current_list().is_some_and(|l| l.search_focused())
    }

    /// The current screen's list, if it is a list screen.
    pub fn current_list(&self) -> Option<&dyn super::list_ops::ListOps> {
        match self.screen {
            Screen::Resellers => Some(&self.resellers.list),
            Screen::Customers => Some(&self.customers.list),
            Screen::ActivityLog => Some(&self.activity_log.list),
            Screen::Users => Some(&self.users.list),
            Screen::CompanyProfile => None,
        }
    }

    pub fn current_list_mut(&mut self) -> Option<&mut dyn super::list_ops::ListOps> {
        match self.screen {
            Screen::Resellers => Some(&mut self.resellers.list),
            Screen::Customers => Some(&mut self.customers.list),
            Screen::ActivityLog => Some(&mut self.activity_log.list),
            Screen::Users => Some(&mut self.users.list),
            Screen::CompanyProfile => None,
        }
    }
}
