//! What a model's answer asks of the app around it, in words every model may use: effects to
//! run, whether it is finished, a layer to open above it (`Open`), an answer for the layer below
//! it (`Answer`), a toast, lists to reload, a screen to go to. A leaf: it names no model, so
//! models never import one another through it.

use super::effect::Effect;
use super::nav::Screen;
use crate::domain::invitation::Delivery;
use crate::domain::role::Role;
use crate::store::customers::CreatedCustomer;
use crate::store::invitations::InvitationDraft;
use crate::store::list::ResellerRow;
use crate::store::resellers::RemovalPreview;
use crate::store::subscriptions::SubscriptionDetail;
use crate::store::worker::ListId;

#[derive(Debug, Default)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// The modal is finished: close it (and whatever lies above it).
    pub close: bool,
    /// For the layer under this one, once it is closed.
    pub answer: Option<Answer>,
    /// Open this above (after closing, in its place).
    pub open: Option<Open>,
    pub toast: Option<String>,
    /// These lists changed: reload them if shown, or on their next visit.
    pub reload: Vec<ListId>,
    pub go: Option<Go>,
    pub quit: bool,
}

impl Outcome {
    pub fn none() -> Outcome {
        Outcome::default()
    }

    pub fn close() -> Outcome {
        Outcome {
            close: true,
            ..Outcome::default()
        }
    }

    /// Closes, handing `answer` to the layer below.
    pub fn answer(answer: Answer) -> Outcome {
        Outcome {
            close: true,
            answer: Some(answer),
            ..Outcome::default()
        }
    }

    pub fn effect(effect: Option<Effect>) -> Outcome {
        Outcome {
            effects: effect.into_iter().collect(),
            ..Outcome::default()
        }
    }

    pub fn effects(effects: Vec<Effect>) -> Outcome {
        Outcome {
            effects,
            ..Outcome::default()
        }
    }

    pub fn open(open: Open) -> Outcome {
        Outcome {
            open: Some(open),
            ..Outcome::default()
        }
    }

    pub fn toast(text: impl Into<String>) -> Outcome {
        Outcome {
            toast: Some(text.into()),
            ..Outcome::default()
        }
    }

    pub fn error(title: impl Into<String>, message: impl Into<String>) -> Outcome {
        Outcome::open(Open::Error {
            title: title.into(),
            message: message.into(),
        })
    }

    pub fn go(go: Go) -> Outcome {
        Outcome {
            go: Some(go),
            ..Outcome::default()
        }
    }
}

/// Navigation between screens, carried out by `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Go {
    Screen(Screen),
    /// To the screen's parent, if it has one.
    Back,
    /// Customers, narrowed to this reseller's ("View customers").
    CustomersOf {
        reseller_id: i64,
        name: String,
    },
}

/// A layer to open, described in plain data; `app::screens::open` builds its model.
#[derive(Debug)]
pub enum Open {
    Help,
    Error {
        title: String,
        message: String,
    },
    Question(Question),
    Picker(PickerPurpose),
    RequestPartnership,
    DraftEmail {
        draft: Box<InvitationDraft>,
        resend_of: Option<i64>,
    },
    RemovePartnership {
        reseller_id: i64,
        name: String,
        preview: Box<RemovalPreview>,
    },
    RecordAcceptance {
        invitation_id: i64,
        recipient: String,
    },
    Compliance {
        reseller_id: i64,
        name: String,
        compliance: crate::domain::compliance::Compliance,
    },
    /// Add new customer; from an Indirect resellers row, with that reseller chosen.
    NewCustomer {
        reseller: Option<ResellerChoice>,
    },
    AddSubscription {
        customer_id: i64,
        customer: String,
        reseller: Option<ResellerChoice>,
    },
    /// Setup info of a new customer, with the temporary password shown this once.
    Confirmation(Box<CreatedCustomer>),
    SubscriptionDetails(Box<SubscriptionDetail>),
    AddUser,
    ChangeRole {
        upn: String,
        role: Role,
    },
    ActivityFilter(Vec<(usize, String)>),
    /// A customer's Account, loaded as it opens.
    CustomerAccount {
        id: i64,
        name: String,
    },
    /// An order credits a reseller whose compliance is unknown: the warning, and the question.
    UnknownCompliance {
        warning: String,
    },
    /// Set up your own book, at `path` (the default path, where nothing is yet).
    SetUpBook {
        path: std::path::PathBuf,
    },
    /// Sign in to Partner Center (this partner tenant); `then_sync`: the sync waits for it.
    SignIn {
        tenant: String,
        then_sync: bool,
    },
}

/// A yes/no question; Yes hands `action` back to the layer that asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub title: String,
    pub message: String,
    pub yes_label: &'static str,
    pub action: ConfirmAction,
}

/// What Yes on a question means, for the layer that asked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    RevokeInvitation {
        id: i64,
    },
    /// Cancel the Add new customer / Add subscription wizard: nothing is written.
    CancelWizard,
    /// Done on Confirmation: the password is gone for good.
    FinishConfirmation,
    /// Ctrl-C over Confirmation: quit, and the password with it.
    QuitAnyway,
    /// Leave Subscription details without saving.
    DiscardSubscriptionChanges,
    /// Discard a draft email whose link already left twotier: recorded as Discarded.
    DiscardDraftEmail,
    /// The partner of record's MPA or POR is unknown: open Compliance for it first.
    CheckCompliance,
    /// The partner of record's MPA or POR is unknown: place the order all the same.
    OrderAnyway,
}

/// A layer's result, or the edge's, for the layer below (or the screen).
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Yes(ConfirmAction),
    /// The reseller picker's choice; `None` is its "none" row.
    Picked(PickerPurpose, Option<ResellerChoice>),
    /// The activity filter's column prefixes.
    ActivityFilter(Vec<(usize, String)>),
    /// The clipboard took the text (`Ok(how)`), or could not.
    Copied(Result<String, String>),
    /// The email left twotier this way (`Ok((delivery, what happened))`), or could not.
    Mailed(Result<(Delivery, String), String>),
    /// Compliance was saved as this (the store may still refuse it: its reply says so).
    ComplianceChecked {
        reseller_id: i64,
        compliance: crate::domain::compliance::Compliance,
    },
}

/// What the choice is for: where it goes when the operator presses Enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerPurpose {
    /// Customers, `f`: narrow the list to one reseller's customers.
    CustomersFilter,
    /// Renewals, `f`: narrow the list to the subscriptions crediting one reseller.
    RenewalsFilter,
    /// Add new customer: the reseller the customer is associated with.
    CustomerReseller,
    /// New subscription: the reseller credited as partner of record.
    PartnerOfRecord,
    /// Subscription details: Reseller (MPN ID).
    SubscriptionReseller,
    /// Subscription details: Designated support contact.
    SupportContact,
}

impl PickerPurpose {
    pub fn title(self) -> &'static str {
        match self {
            PickerPurpose::CustomersFilter | PickerPurpose::RenewalsFilter => {
                "Filter by indirect reseller"
            }
            PickerPurpose::CustomerReseller => "Indirect reseller",
            PickerPurpose::PartnerOfRecord => "Partner of record (for incentives)",
            PickerPurpose::SubscriptionReseller => "Reseller (MPN ID)",
            PickerPurpose::SupportContact => "Designated support contact",
        }
    }

    /// The first row: choosing no reseller.
    pub fn none_label(self) -> &'static str {
        match self {
            PickerPurpose::CustomersFilter | PickerPurpose::RenewalsFilter => "All (no filter)",
            PickerPurpose::CustomerReseller => "None (a direct customer)",
            PickerPurpose::PartnerOfRecord | PickerPurpose::SubscriptionReseller => {
                "None (no partner of record)"
            }
            PickerPurpose::SupportContact => "You (the indirect provider)",
        }
    }

    /// The choice is credited for incentives: a reseller out of compliance can't be.
    pub fn credits(self) -> bool {
        matches!(
            self,
            PickerPurpose::PartnerOfRecord | PickerPurpose::SubscriptionReseller
        )
    }
}

/// A reseller chosen in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerChoice {
    pub id: i64,
    pub name: String,
    pub partner_id: String,
    /// Its MPA and POR checks: a known failure can't be credited, an unknown one is asked about.
    pub compliance: crate::domain::compliance::Compliance,
}

impl From<&ResellerRow> for ResellerChoice {
    fn from(r: &ResellerRow) -> Self {
        ResellerChoice {
            id: r.id,
            name: r.name.clone(),
            partner_id: r.partner_id.clone(),
            compliance: r.compliance,
        }
    }
}
