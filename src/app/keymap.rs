//! Keys → commands. The footer and the `?` help overlay are drawn from these same tables, so
//! they can never disagree with what a key does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use super::action::{Action, Command};
use super::screens::customer_wizard::Step;
use super::state::{AppState, Modal, Screen};

/// One key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Chord {
    Chord {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Chord {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Chord {
    Chord {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// A key binding, with the words shown for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static [Chord],
    pub command: Command,
    /// Short label for the footer and the help overlay.
    pub label: &'static str,
    /// Shown in the footer (all bindings are shown in help).
    pub footer: bool,
}

const fn bind(
    keys: &'static [Chord],
    command: Command,
    label: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        command,
        label,
        footer,
    }
}

/// Where the keys are read: the top of the stack first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Help,
    Error,
    Search,
    /// A one-line form (Request a partnership, Record acceptance).
    Form,
    Draft,
    DraftEditing,
    Confirm,
    Compliance,
    Resellers,
    Invitations,
    Customers,
    /// The subscriptions of the expanded customer record.
    CustomerPane,
    WizardAccount,
    WizardOffers,
    WizardReview,
    Picker,
    Confirmation,
    SubscriptionForm,
    Users,
    ActivityLog,
    UserForm,
    List,
    CompanyProfile,
    Global,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Help => "Help",
            Context::Error => "Error",
            Context::Search => "Search",
            Context::Form => "Form",
            Context::Draft => "Draft email",
            Context::DraftEditing => "Editing the body",
            Context::Confirm => "Confirmation",
            Context::Compliance => "Compliance",
            Context::Resellers => "Indirect resellers",
            Context::Invitations => "Invitations",
            Context::Customers => "Customers",
            Context::CustomerPane => "Subscriptions",
            Context::WizardAccount => "Account info",
            Context::WizardOffers => "New subscription",
            Context::WizardReview => "Review",
            Context::Picker => "Choose a reseller",
            Context::Confirmation => "Confirmation",
            Context::SubscriptionForm => "Subscription details",
            Context::Users => "Users",
            Context::ActivityLog => "Activity log",
            Context::UserForm => "User",
            Context::List => "Lists",
            Context::CompanyProfile => "Company profile",
            Context::Global => "Everywhere",
        }
    }
}

// The tables read best one binding per line, so rustfmt leaves them alone.
#[rustfmt::skip]
const HELP: &[Binding] = &[
    bind(&[key(KeyCode::Esc), ch('?'), ch('q')], Command::Back, "close help", true),
    bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll up", false),
    bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll down", true),
];

#[rustfmt::skip]
const ERROR: &[Binding] = &[
    bind(&[key(KeyCode::Enter), key(KeyCode::Esc)], Command::Back, "close", true),
];

#[rustfmt::skip]
const SEARCH: &[Binding] = &[
    bind(&[key(KeyCode::Enter)], Command::SearchAccept, "keep filter", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "clear search", true),
    bind(&[key(KeyCode::Up)], Command::Up, "up", false),
    bind(&[key(KeyCode::Down)], Command::Down, "down", false),
    bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
    bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
];

#[rustfmt::skip]
const FORM: &[Binding] = &[
    bind(&[key(KeyCode::Enter)], Command::Enter, "continue", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
    bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
    bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
];

#[rustfmt::skip]
const DRAFT: &[Binding] = &[
    bind(&[ch('o')], Command::OpenInEmail, "Open in email", true),
    bind(&[ch('c')], Command::CopyToClipboard, "Copy to clipboard", true),
    bind(&[ch('e')], Command::EditBody, "edit", true),
    bind(&[key(KeyCode::Enter)], Command::Enter, "Done", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "discard", true),
];

#[rustfmt::skip]
const DRAFT_EDITING: &[Binding] = &[
    bind(&[key(KeyCode::Esc)], Command::Back, "stop editing", true),
];

#[rustfmt::skip]
const CONFIRM: &[Binding] = &[
    bind(&[ch('y')], Command::Yes, "Yes", true),
    bind(&[ch('n'), key(KeyCode::Esc)], Command::No, "No", true),
    bind(&[key(KeyCode::Left), key(KeyCode::Right), key(KeyCode::Tab), key(KeyCode::BackTab)], Command::SwitchButton, "switch", false),
    bind(&[key(KeyCode::Enter)], Command::Enter, "press the focused button", true),
];

#[rustfmt::skip]
const COMPLIANCE: &[Binding] = &[
    bind(&[ch(' ')], Command::Toggle, "toggle", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::Down), key(KeyCode::BackTab), key(KeyCode::Up)], Command::NextField, "next", true),
    bind(&[key(KeyCode::Enter)], Command::Enter, "save", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
];

#[rustfmt::skip]
const RESELLERS: &[Binding] = &[
    bind(&[ch('r')], Command::RequestPartnership, "Request a partnership", true),
    bind(&[ch('n')], Command::AddCustomer, "Add new customer", true),
    bind(&[ch('v')], Command::ViewCustomers, "View customers", true),
    bind(&[ch('x')], Command::RemovePartnership, "Remove partnership", true),
    bind(&[ch('i')], Command::OpenInvitations, "Invitations", true),
    bind(&[ch('c')], Command::EditCompliance, "compliance", false),
    bind(&[ch('s')], Command::CycleSort, "sort", false),
    bind(&[ch('h')], Command::ToggleRemoved, "show removed", false),
];

#[rustfmt::skip]
const INVITATIONS: &[Binding] = &[
    bind(&[ch('a')], Command::RecordAcceptance, "Record acceptance", true),
    bind(&[ch('s')], Command::ResendInvitation, "send again", true),
    bind(&[ch('x')], Command::RevokeInvitation, "revoke", true),
    bind(&[ch('r')], Command::RequestPartnership, "Request a partnership", false),
    bind(&[key(KeyCode::Esc)], Command::Back, "back", false),
    // Not a top-level screen: q goes back to Indirect resellers rather than quitting.
    bind(&[ch('q')], Command::Quit, "back", true),
];

#[rustfmt::skip]
const CUSTOMERS: &[Binding] = &[
    bind(&[ch('n')], Command::AddCustomer, "Add new customer", true),
    bind(&[ch('s')], Command::AddSubscription, "Add subscription", true),
    bind(&[key(KeyCode::Right), ch(' ')], Command::Expand, "expand", true),
    bind(&[ch('f')], Command::FilterByReseller, "filter by reseller", true),
    bind(&[key(KeyCode::Enter)], Command::Enter, "subscriptions", false),
    bind(&[key(KeyCode::Tab)], Command::NextPane, "next pane", false),
    bind(&[key(KeyCode::Esc)], Command::Back, "clear search / reseller filter", false),
];

#[rustfmt::skip]
const CUSTOMER_PANE: &[Binding] = &[
    bind(&[key(KeyCode::Enter)], Command::Enter, "Subscription details", true),
    bind(&[ch('s')], Command::AddSubscription, "Add subscription", true),
    bind(&[key(KeyCode::Left), ch(' ')], Command::Expand, "collapse", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::BackTab), key(KeyCode::Esc)], Command::NextPane, "customers", true),
    MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
];

#[rustfmt::skip]
const WIZARD_ACCOUNT: &[Binding] = &[
    bind(&[ctrl('n')], Command::NextStep, "Next: Subscriptions", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
    bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
    bind(&[key(KeyCode::Enter)], Command::Enter, "next field / choose reseller", false),
    bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
];

#[rustfmt::skip]
const WIZARD_OFFERS: &[Binding] = &[
    bind(&[ctrl('n')], Command::NextStep, "Next: Review", true),
    bind(&[ctrl('b')], Command::PreviousStep, "Back", true),
    bind(&[ch(' ')], Command::Toggle, "select", true),
    bind(&[ch('+')], Command::Increase, "license", true),
    bind(&[ch('-')], Command::Decrease, "license", true),
    bind(&[ch('t')], Command::CycleTerm, "term", true),
    bind(&[ch('b')], Command::CycleBilling, "billing", true),
    bind(&[ch('p')], Command::PickReseller, "partner of record", true),
    bind(&[ch('/')], Command::Search, "search", false),
    bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
    bind(&[key(KeyCode::Up), ch('k')], Command::Up, "up", false),
    bind(&[key(KeyCode::Down), ch('j')], Command::Down, "down", false),
];

#[rustfmt::skip]
const WIZARD_REVIEW: &[Binding] = &[
    bind(&[ctrl('s')], Command::Submit, "Submit", true),
    bind(&[ch(' ')], Command::Toggle, "attestation", true),
    bind(&[ctrl('b')], Command::PreviousStep, "Back", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "Cancel", true),
    bind(&[key(KeyCode::Up), ch('k')], Command::Up, "scroll up", false),
    bind(&[key(KeyCode::Down), ch('j')], Command::Down, "scroll down", false),
];

#[rustfmt::skip]
const PICKER: &[Binding] = &[
    bind(&[key(KeyCode::Enter)], Command::Enter, "choose", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
    bind(&[key(KeyCode::Up)], Command::Up, "up", false),
    bind(&[key(KeyCode::Down)], Command::Down, "down", false),
    bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
    bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
];

#[rustfmt::skip]
const CONFIRMATION: &[Binding] = &[
    bind(&[ch('c')], Command::CopyToClipboard, "copy user name and password", true),
    bind(&[key(KeyCode::Enter)], Command::Enter, "Done", true),
];

#[rustfmt::skip]
const SUBSCRIPTION_FORM: &[Binding] = &[
    bind(&[ctrl('s')], Command::Submit, "Submit", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next", true),
    bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous", false),
    bind(&[key(KeyCode::Left)], Command::ChoiceLeft, "change", false),
    bind(&[key(KeyCode::Right)], Command::ChoiceRight, "change", true),
    bind(&[ch(' ')], Command::Toggle, "toggle", false),
    bind(&[key(KeyCode::Enter)], Command::Enter, "choose reseller", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "close", true),
];

#[rustfmt::skip]
const USERS: &[Binding] = &[
    bind(&[ch('a')], Command::AddUser, "add user", true),
    bind(&[ch('d')], Command::ToggleUserDisabled, "disable/enable", true),
    bind(&[ch('r')], Command::ChangeRole, "change role", true),
];

#[rustfmt::skip]
const ACTIVITY_LOG: &[Binding] = &[
    bind(&[ch('f')], Command::FilterActivity, "filter", true),
];

#[rustfmt::skip]
const USER_FORM: &[Binding] = &[
    bind(&[key(KeyCode::Enter)], Command::Enter, "save", true),
    bind(&[key(KeyCode::Tab), key(KeyCode::Down)], Command::NextField, "next field", true),
    bind(&[key(KeyCode::BackTab), key(KeyCode::Up)], Command::PreviousField, "previous field", false),
    bind(&[key(KeyCode::Left)], Command::ChoiceLeft, "role", false),
    bind(&[key(KeyCode::Right)], Command::ChoiceRight, "role", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "cancel", true),
];

#[rustfmt::skip]
const MOVE: [Binding; 6] = [
    bind(&[key(KeyCode::Up), ch('k')], Command::Up, "up", false),
    bind(&[key(KeyCode::Down), ch('j')], Command::Down, "down", false),
    bind(&[key(KeyCode::PageUp)], Command::PageUp, "page up", false),
    bind(&[key(KeyCode::PageDown)], Command::PageDown, "page down", false),
    bind(&[key(KeyCode::Home), ch('g')], Command::Home, "first", false),
    bind(&[key(KeyCode::End), ch('G')], Command::End, "last", false),
];

#[rustfmt::skip]
const LIST: &[Binding] = &[
    MOVE[0], MOVE[1], MOVE[2], MOVE[3], MOVE[4], MOVE[5],
    bind(&[ch('/')], Command::Search, "search", true),
    bind(&[key(KeyCode::Esc)], Command::Back, "clear search", false),
];

const COMPANY_PROFILE: &[Binding] = &[MOVE[0], MOVE[1], MOVE[4], MOVE[5]];

#[rustfmt::skip]
const GLOBAL: &[Binding] = &[
    bind(&[ch('1')], Command::Goto(Screen::Resellers), "Indirect resellers", false),
    bind(&[ch('2')], Command::Goto(Screen::Customers), "Customers", false),
    bind(&[ch('3')], Command::Goto(Screen::CompanyProfile), "Company profile", false),
    bind(&[ch('4')], Command::Goto(Screen::ActivityLog), "Activity log", false),
    bind(&[ch('5')], Command::Goto(Screen::Users), "Users", false),
    bind(&[ctrl('r'), key(KeyCode::F(5))], Command::Refresh, "refresh", false),
    bind(&[ch('?')], Command::Help, "help", true),
    bind(&[ch('q')], Command::Quit, "quit", true),
    bind(&[ctrl('c')], Command::ForceQuit, "quit now", false),
];

pub fn bindings(context: Context) -> &'static [Binding] {
    match context {
        Context::Help => HELP,
        Context::Error => ERROR,
        Context::Search => SEARCH,
        Context::Form => FORM,
        Context::Draft => DRAFT,
        Context::DraftEditing => DRAFT_EDITING,
        Context::Confirm => CONFIRM,
        Context::Compliance => COMPLIANCE,
        Context::Resellers => RESELLERS,
        Context::Invitations => INVITATIONS,
        Context::Customers => CUSTOMERS,
        Context::CustomerPane => CUSTOMER_PANE,
        Context::WizardAccount => WIZARD_ACCOUNT,
        Context::WizardOffers => WIZARD_OFFERS,
        Context::WizardReview => WIZARD_REVIEW,
        Context::Picker => PICKER,
        Context::Confirmation => CONFIRMATION,
        Context::SubscriptionForm => SUBSCRIPTION_FORM,
        Context::Users => USERS,
        Context::ActivityLog => ACTIVITY_LOG,
        Context::UserForm => USER_FORM,
        Context::List => LIST,
        Context::CompanyProfile => COMPANY_PROFILE,
        Context::Global => GLOBAL,
    }
}

/// The contexts that read keys now, top first. A modal or a focused field shadows the rest.
pub fn active_contexts(state: &AppState) -> Vec<Context> {
    if let Some(modal) = state.top_modal() {
        return vec![match modal {
            Modal::Help { .. } => Context::Help,
            Modal::Error { .. } => Context::Error,
            Modal::RequestPartnership(_)
            | Modal::RecordAcceptance(_)
            | Modal::ActivityFilter(_) => Context::Form,
            Modal::UserForm(_) => Context::UserForm,
            Modal::DraftEmail(d) if d.editing => Context::DraftEditing,
            Modal::DraftEmail(_) => Context::Draft,
            Modal::RemovePartnership(_) | Modal::Confirm(_) => Context::Confirm,
            Modal::Compliance(_) => Context::Compliance,
            Modal::Wizard(w)
                if w.step == Step::Subscriptions
                    && w.order.search.as_ref().is_some_and(|s| s.focused) =>
            {
                Context::Search
            }
            Modal::Wizard(w) => match w.step {
                Step::AccountInfo => Context::WizardAccount,
                Step::Subscriptions => Context::WizardOffers,
                Step::Review => Context::WizardReview,
            },
            Modal::ResellerPicker(_) => Context::Picker,
            Modal::Confirmation(_) => Context::Confirmation,
            Modal::SubscriptionDetails(_) => Context::SubscriptionForm,
        }];
    }
    if state.text_focused() {
        return vec![Context::Search];
    }
    if state.screen == Screen::Customers && state.customers.pane_focused {
        return vec![Context::CustomerPane, Context::Global];
    }
    screen_contexts(state.screen)
}

/// The contexts of a screen when nothing is on top of it (what the help overlay lists).
pub fn screen_contexts(screen: Screen) -> Vec<Context> {
    match screen {
        Screen::CompanyProfile => vec![Context::CompanyProfile, Context::Global],
        Screen::Resellers => vec![Context::Resellers, Context::List, Context::Global],
        Screen::Invitations => vec![Context::Invitations, Context::List, Context::Global],
        Screen::Customers => vec![Context::Customers, Context::List, Context::Global],
        Screen::Users => vec![Context::Users, Context::List, Context::Global],
        Screen::ActivityLog => vec![Context::ActivityLog, Context::List, Context::Global],
    }
}

fn matches(chord: &Chord, event: &KeyEvent) -> bool {
    // Shifted letters arrive as the capital with SHIFT on some terminals and without on others;
    // Shift-Tab arrives as BackTab, with SHIFT.
    let mods = if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        event.modifiers - KeyModifiers::SHIFT
    } else {
        event.modifiers
    };
    chord.code == event.code && chord.mods == mods
}

/// The action for a key press in the current state, if any.
pub fn action_for(state: &AppState, event: &KeyEvent) -> Option<Action> {
    // Ctrl-C quits from anywhere, even from a text field.
    if matches(&ctrl('c'), event) {
        return Some(Action::Command(Command::ForceQuit));
    }
    for context in active_contexts(state) {
        if let Some(b) = bindings(context)
            .iter()
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
        {
            return Some(Action::Command(b.command));
        }
        match context {
            Context::Search
            | Context::Form
            | Context::WizardAccount
            | Context::Picker
            | Context::UserForm => {
                return edit_request(event).map(Action::Edit);
            }
            // Digits set licenses or the quantity.
            Context::WizardOffers | Context::SubscriptionForm => {
                return edit_request(event).map(Action::Edit);
            }
            Context::DraftEditing => {
                return Some(Action::EditBody(ratatui_textarea::Input::from(*event)));
            }
            _ => {}
        }
    }
    None
}

/// Text editing keys of a focused field.
fn edit_request(event: &KeyEvent) -> Option<InputRequest> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    Some(match event.code {
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Char(c) => InputRequest::InsertChar(c),
        KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// How a chord is written in the footer and in help.
pub fn chord_label(chord: &Chord) -> String {
    let base = match chord.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if chord.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// All the keys of a binding, as in "↑/k".
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(chord_label)
        .collect::<Vec<_>>()
        .join("/")
}

/// The footer's entries for the current state: (keys, label).
/// One entry of the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub label: &'static str,
    /// The operator's role can't do it: drawn dimmed.
    pub allowed: bool,
}

pub fn footer(state: &AppState) -> Vec<Hint> {
    let mut out: Vec<Hint> = Vec::new();
    for context in active_contexts(state) {
        for b in bindings(context).iter().filter(|b| b.footer) {
            let keys = keys_label(b);
            if !out.iter().any(|h| h.keys == keys) {
                let allowed = super::gate::refusal(state, b.command).is_none();
                out.push(Hint {
                    keys,
                    label: b.label,
                    allowed,
                });
            }
        }
    }
    out
}
