//! Everything that can happen to the app, as data.

use chrono::{DateTime, Utc};
use tui_input::InputRequest;

use super::nav::{Screen, To};
use super::remote::RemoteEvent;
use crate::domain::invitation::Delivery;
use crate::store::worker::DbReply;

/// A command bound to a key in the keymap. The footer and the help overlay list these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `q`: back; on a top-level screen, quit.
    Quit,
    /// `Ctrl-C`: quit now.
    ForceQuit,
    /// `Esc`: close the modal, clear the search, or go back.
    Back,
    Help,
    Goto(Screen),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// `/`: open the search field of the list.
    Search,
    /// `Enter` in the search field: keep the filter, leave the field.
    SearchAccept,
    Refresh,
    /// `Enter`: confirm, submit the form, or press the focused button.
    Enter,
    NextField,
    PreviousField,
    /// `Space`: toggle the focused check box.
    Toggle,
    Yes,
    No,
    /// `←`/`→` between the buttons of a confirmation.
    SwitchButton,
    // Indirect resellers
    RequestPartnership,
    AddCustomer,
    ViewCustomers,
    RemovePartnership,
    OpenInvitations,
    EditCompliance,
    CycleSort,
    ToggleRemoved,
    // Invitations
    RecordAcceptance,
    ResendInvitation,
    RevokeInvitation,
    // Draft email
    OpenInEmail,
    CopyToClipboard,
    EditBody,
    /// Draft email: edit the To line.
    EditTo,
    /// Draft email: edit the Subject line.
    EditSubject,
    // Customers
    FilterByReseller,
    /// `→`/`Space`: expand or collapse the record.
    Expand,
    /// `Tab`: between the customers and the expanded record's subscriptions.
    NextPane,
    AddSubscription,
    // Wizard and Subscription details
    NextStep,
    PreviousStep,
    Submit,
    Increase,
    Decrease,
    CycleTerm,
    CycleBilling,
    PickReseller,
    ChoiceLeft,
    ChoiceRight,
    // Users
    AddUser,
    ToggleUserDisabled,
    ChangeRole,
    // Activity log
    FilterActivity,
    // Customers (expanded record)
    /// `a`: the customer's Account.
    ShowAccount,
    /// Indirect resellers, on a removed partnership: its Follow-up worklist.
    FollowUp,
    /// On a demo book with no book of your own yet: the Set up your own book form.
    SetUpBook,
    /// Partner Center: sign in (device code) from the console.
    SignIn,
    /// Partner Center: pull the book in the background.
    Sync,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// Editing the focused one-line text field.
    Edit(InputRequest),
    /// A key for the multi-line body editor of the draft email.
    EditBody(ratatui_textarea::Input),
    /// Bracketed paste into the focused text field.
    Paste(String),
    /// The store's reply, for whoever asked.
    Db(To, DbReply),
    /// The clipboard took the text (`Ok(how)`), or could not.
    Copied(Result<String, String>),
    /// The email left twotier this way (`Ok((delivery, what happened))`), or could not.
    MailOpened(Result<(Delivery, String), String>),
    /// What the runtime's Partner Center connection reports.
    Remote(RemoteEvent),
    /// The clock, passed in so `update` never reads it.
    Tick(DateTime<Utc>),
    Resize {
        width: u16,
        height: u16,
    },
}
