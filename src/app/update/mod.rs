//! `update`: the one place state changes. Pure: no I/O, no clock, no randomness.
//! The top modal takes every command; otherwise the current screen does.

mod modal;
mod open;
mod receive;

use modal::*;
use open::*;
use receive::*;

use chrono::Duration;

use super::action::{Action, Command};
use super::effect::Effect;
use super::layout;
use super::list::ListModel;
use super::outcome::Outcome;
use super::screens::activity_filter::ActivityFilter;
use super::screens::confirmation::Confirmation;
use super::screens::customer_wizard::CustomerWizard;
use super::screens::customers::Expanded;
use super::screens::reseller_picker::{PickerPurpose, ResellerChoice, ResellerPicker};
use super::screens::subscription_details::SubscriptionForm;
use super::screens::user_form::UserForm;
use super::screens::{
    compliance::ComplianceForm,
    confirm::{Confirm, ConfirmAction},
    draft_email::DraftEmail,
    record_acceptance::AcceptanceForm,
    remove_partnership::RemoveConfirm,
    request_partnership::RequestForm,
};
use super::screens::{customer_wizard, subscription_details};
use super::state::{AppState, Modal, Screen, Toast};
use crate::domain::credentials::Secret;
use crate::domain::invitation::Delivery;
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

/// How long a toast stays.
const TOAST_SECONDS: i64 = 4;

/// What the app asks for when it starts.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    // A role that can't see the resellers starts on Customers.
    if state
        .matrix
        .refusal(
            state.operator.role,
            crate::domain::permission::Permission::ViewResellers,
        )
        .is_some()
    {
        state.screen = Screen::Customers;
    }
    let mut effects = vec![
        Effect::Db(DbCmd::LoadProvider),
        Effect::Db(DbCmd::LoadOffers),
    ];
    effects.extend(enter_screen(state, state.screen));
    effects
}

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => {
            state.now = now;
            state.toasts.retain(|t| t.until > now);
            Vec::new()
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            let viewport = viewport(state);
            if let Some(list) = state.current_list_mut() {
                list.clamp(viewport);
            }
            Vec::new()
        }
        Action::Db(reply) => receive(state, reply),
        Action::Command(command) => command_effects(state, command),
        Action::Edit(request) => {
            let mut seq = state.seq;
            let effect = match state.modals.last_mut() {
                Some(Modal::RequestPartnership(form)) => {
                    form.email.edit(request);
                    form.revalidate();
                    None
                }
                Some(Modal::RecordAcceptance(form)) => form.edit(request, &mut seq),
                Some(Modal::Wizard(w)) => customer_wizard::on_edit(w, request, &mut seq),
                Some(Modal::ResellerPicker(picker)) => picker.edit(request, &mut seq),
                Some(Modal::SubscriptionDetails(form)) => {
                    form.edit(request);
                    None
                }
                Some(Modal::UserForm(form)) => {
                    form.edit(request);
                    None
                }
                Some(Modal::ActivityFilter(form)) => {
                    form.edit(request);
                    None
                }
                Some(_) => None,
                None => state
                    .current_list_mut()
                    .and_then(|l| l.edit_search(request, &mut seq)),
            };
            state.seq = seq;
            effect.into_iter().collect()
        }
        Action::EditBody(input) => {
            if let Some(Modal::DraftEmail(draft)) = state.modals.last_mut()
                && draft.editing
            {
                draft.body.input(input);
            }
            Vec::new()
        }
        Action::Paste(text) => {
            let mut seq = state.seq;
            let search_focused = state.text_focused();
            let effect = match state.modals.last_mut() {
                Some(Modal::RequestPartnership(form)) => {
                    form.email.paste(&text);
                    form.revalidate();
                    None
                }
                Some(Modal::RecordAcceptance(form)) => form.paste(&text, &mut seq),
                Some(Modal::DraftEmail(draft)) if draft.editing => {
                    draft
                        .body
                        .insert_str(crate::domain::text::clean_multiline(&text));
                    None
                }
                Some(Modal::ResellerPicker(picker)) => picker.paste(&text, &mut seq),
                Some(Modal::Wizard(w)) if w.step == customer_wizard::Step::AccountInfo => {
                    w.account.paste(&text, &mut seq)
                }
                Some(_) => None,
                None if search_focused => state
                    .current_list_mut()
                    .and_then(|l| l.paste_search(&text, &mut seq)),
                None => None,
            };
            state.seq = seq;
            effect.into_iter().collect()
        }
        Action::Copied(result) => {
            match result {
                Ok(how) => {
                    let text = match state.modals.last_mut() {
                        Some(Modal::DraftEmail(draft)) => {
                            draft.delivery = Some(Delivery::CopiedToClipboard);
                            format!("Copied to clipboard: {how}")
                        }
                        Some(Modal::Confirmation(_)) => {
                            format!(
                                "User name and password copied: {how}; cleared in 30 s if still there"
                            )
                        }
                        _ => format!("Copied to clipboard: {how}"),
                    };
                    toast(state, text);
                }
                Err(why) => error(
                    state,
                    "Copy to clipboard failed",
                    format!(
                        "{why}\n\nSelect the text on screen and copy it by hand, or use Open in email."
                    ),
                ),
            }
            Vec::new()
        }
        Action::MailOpened(result) => {
            match result {
                Ok((delivery, what)) => {
                    if let Some(Modal::DraftEmail(draft)) = state.modals.last_mut() {
                        draft.delivery = Some(delivery);
                    }
                    toast(state, what);
                }
                Err(why) => error(
                    state,
                    "Open in email failed",
                    format!("{why}\n\nUse Copy to clipboard instead."),
                ),
            }
            Vec::new()
        }
    }
}

/// Rows of the list the keys move in.
fn viewport(state: &AppState) -> usize {
    match (&state.screen, &state.customers.expanded) {
        (Screen::Customers, Some(_)) if state.customers.pane_focused => {
            layout::split_rows(state.height).1
        }
        (Screen::Customers, Some(_)) => layout::split_rows(state.height).0,
        _ => layout::list_rows(state.height),
    }
}

fn command_effects(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command == Command::ForceQuit {
        return force_quit(state);
    }
    // Nothing is drawn on a terminal too small: keys there would act blind. Only quitting works.
    if layout::too_small(state.width, state.height) {
        if command == Command::Quit {
            state.quitting = true;
            return vec![Effect::Quit];
        }
        return Vec::new();
    }
    // The operator's role can't: say why, do nothing.
    if let Some(why) = super::gate::refusal(state, command) {
        toast(state, why);
        return Vec::new();
    }
    if !state.modals.is_empty() {
        return modal_command(state, command);
    }
    screen_command(state, command)
}

/// A command for the current screen.
fn screen_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let viewport = viewport(state);
    let mut seq = state.seq;
    let effects = match command {
        Command::Quit => match state.screen.parent() {
            Some(parent) => enter_screen(state, parent),
            None => {
                state.quitting = true;
                vec![Effect::Quit]
            }
        },
        Command::Help => {
            state.modals.push(Modal::Help { scroll: 0 });
            Vec::new()
        }
        Command::Goto(screen) => enter_screen(state, screen),
        Command::Refresh => {
            let label = state.screen.label();
            toast(state, format!("{label} refreshed"));
            let mut effects = Vec::new();
            if state.screen == Screen::CompanyProfile {
                effects.push(Effect::Db(DbCmd::LoadProvider));
            } else if let Some(list) = state.current_list_mut() {
                // Ctrl-R keeps the cursor on its row.
                effects.push(list.refresh(&mut seq));
            }
            effects
        }
        Command::Search => {
            if let Some(list) = state.current_list_mut() {
                list.open_search();
            }
            Vec::new()
        }
        Command::SearchAccept => {
            if let Some(list) = state.current_list_mut() {
                list.accept_search();
            }
            Vec::new()
        }
        Command::Back => back(state, &mut seq),
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Home
        | Command::End => {
            if state.screen == Screen::CompanyProfile {
                scroll_profile(state, command);
                Vec::new()
            } else {
                let page = viewport.saturating_sub(1).max(1) as isize;
                state
                    .current_list_mut()
                    .and_then(|list| match command {
                        Command::Up => list.move_by(-1, viewport, &mut seq),
                        Command::Down => list.move_by(1, viewport, &mut seq),
                        Command::PageUp => list.move_by(-page, viewport, &mut seq),
                        Command::PageDown => list.move_by(page, viewport, &mut seq),
                        Command::Home => list.home(viewport, &mut seq),
                        _ => list.end(viewport, &mut seq),
                    })
                    .into_iter()
                    .collect()
            }
        }
        Command::RequestPartnership => {
            state
                .modals
                .push(Modal::RequestPartnership(RequestForm::default()));
            Vec::new()
        }
        Command::AddCustomer => {
            open_new_customer(state);
            Vec::new()
        }
        Command::AddSubscription => {
            open_add_subscription(state);
            Vec::new()
        }
        Command::AddUser => {
            state
                .modals
                .push(Modal::UserForm(Box::new(UserForm::add())));
            Vec::new()
        }
        Command::ToggleUserDisabled => match state.users.list.selected_row() {
            Some(o) => vec![Effect::Db(DbCmd::SetOperatorDisabled {
                upn: o.upn.clone(),
                disabled: !o.disabled,
                at: state.now,
            })],
            None => Vec::new(),
        },
        Command::ChangeRole => {
            if let Some(o) = state.users.list.selected_row() {
                let form = UserForm::change_role(o.upn.clone(), o.role);
                state.modals.push(Modal::UserForm(Box::new(form)));
            }
            Vec::new()
        }
        Command::FilterActivity => {
            let form = ActivityFilter::new(&state.activity_log.list.filter.column_prefixes);
            state.modals.push(Modal::ActivityFilter(Box::new(form)));
            Vec::new()
        }
        Command::FilterByReseller => {
            let (picker, effect) = ResellerPicker::open(PickerPurpose::CustomersFilter, &mut seq);
            state.modals.push(Modal::ResellerPicker(Box::new(picker)));
            vec![effect]
        }
        Command::Expand => toggle_expanded(state, &mut seq),
        Command::NextPane => {
            let customers = &mut state.customers;
            customers.pane_focused = customers.expanded.is_some() && !customers.pane_focused;
            Vec::new()
        }
        Command::Enter if state.screen == Screen::Customers && state.customers.pane_focused => {
            let selected = state
                .customers
                .expanded
                .as_ref()
                .and_then(|e| e.subscriptions.selected_row());
            selected
                .map(|s| Effect::Db(DbCmd::LoadSubscription { id: s.id }))
                .into_iter()
                .collect()
        }
        Command::Enter if state.screen == Screen::Customers => {
            // Enter on a customer: its subscriptions, focused.
            let mut effects = Vec::new();
            let shown = state.customers.expanded.as_ref().map(|e| e.customer_id);
            if shown.is_none() || shown != state.customers.list.selected_row().map(|c| c.id) {
                effects = toggle_expanded(state, &mut seq);
            }
            state.customers.pane_focused = state.customers.expanded.is_some();
            effects
        }
        Command::ViewCustomers => view_customers(state, &mut seq),
        Command::RemovePartnership => match state.resellers.list.selected_row() {
            Some(r) if r.is_active() => {
                vec![Effect::Db(DbCmd::RemovalImpact {
                    reseller_id: r.id,
                    name: r.name.clone(),
                })]
            }
            Some(r) => {
                let name = r.name.clone();
                toast(
                    state,
                    format!("The partnership with {name} was already removed"),
                );
                Vec::new()
            }
            None => Vec::new(),
        },
        Command::EditCompliance => match state.resellers.list.selected_row() {
            Some(r) if r.is_active() => {
                let form = ComplianceForm {
                    reseller_id: r.id,
                    name: r.name.clone(),
                    mpa_signed: r.mpa_signed,
                    por_valid: r.por_valid,
                    focus: 0,
                };
                state.modals.push(Modal::Compliance(form));
                Vec::new()
            }
            _ => Vec::new(),
        },
        Command::CycleSort => {
            let list = &mut state.resellers.list;
            list.filter.sort = list.filter.sort.next();
            let effect = list.reload(&mut seq);
            let label = state.resellers.list.filter.sort.label();
            toast(state, format!("Sorted by {label}"));
            vec![effect]
        }
        Command::ToggleRemoved => {
            let list = &mut state.resellers.list;
            list.filter.include_removed = !list.filter.include_removed;
            let showing = list.filter.include_removed;
            let effect = list.reload(&mut seq);
            toast(
                state,
                if showing {
                    "Showing removed partnerships too".into()
                } else {
                    "Hiding removed partnerships".into()
                },
            );
            vec![effect]
        }
        Command::OpenInvitations => enter_screen(state, Screen::Invitations),
        Command::RecordAcceptance => record_acceptance(state),
        Command::ResendInvitation => match state.invitations.list.selected_row() {
            Some(row) if row.status(state.now, state.expiry_days).can_resend() => {
                vec![Effect::Db(DbCmd::LoadInvitationDraft { id: row.id })]
            }
            Some(row) => {
                let status = row.status(state.now, state.expiry_days).label();
                toast(
                    state,
                    format!("This request is {status}: it can't be sent again"),
                );
                Vec::new()
            }
            None => Vec::new(),
        },
        Command::RevokeInvitation => match state.invitations.list.selected_row() {
            Some(row) if row.status(state.now, state.expiry_days).can_revoke() => {
                let confirm = Confirm {
                    title: "Revoke partnership request".into(),
                    message: format!(
                        "Revoke the partnership request sent to {}? The reseller can no longer be recorded as accepting it; \
                         you can request a new partnership at any time.",
                        row.recipient
                    ),
                    yes_label: "Revoke",
                    action: ConfirmAction::RevokeInvitation { id: row.id },
                    yes_focused: false,
                };
                state.modals.push(Modal::Confirm(confirm));
                Vec::new()
            }
            Some(row) => {
                let status = row.status(state.now, state.expiry_days).label();
                toast(
                    state,
                    format!("This request is {status}: there is nothing to revoke"),
                );
                Vec::new()
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    state.seq = state.seq.max(seq);
    effects
}

/// `Esc` on a screen: clear the search; then a reseller filter; then go back to the parent.
fn back(state: &mut AppState, seq: &mut u64) -> Vec<Effect> {
    if let Some(effect) = state.current_list_mut().and_then(|l| l.clear_search(seq)) {
        return vec![effect];
    }
    if state.screen == Screen::Customers && state.customers.reseller_filter.take().is_some() {
        state.customers.list.filter.reseller_id = None;
        return vec![state.customers.list.reload(seq)];
    }
    let activity = &mut state.activity_log.list;
    if state.screen == Screen::ActivityLog && !activity.filter.column_prefixes.is_empty() {
        activity.filter.column_prefixes.clear();
        return vec![activity.reload(seq)];
    }
    match state.screen.parent() {
        Some(parent) => enter_screen(state, parent),
        None => Vec::new(),
    }
}

/// `v`: Customers, narrowed to the selected reseller's.
fn view_customers(state: &mut AppState, seq: &mut u64) -> Vec<Effect> {
    let Some(r) = state.resellers.list.selected_row() else {
        return Vec::new();
    };
    let (id, name) = (r.id, r.name.clone());
    let customers = &mut state.customers;
    customers.reseller_filter = Some(name);
    customers.list.filter.reseller_id = Some(id);
    customers.list.filter.search.clear();
    customers.list.search = None;
    state.screen = Screen::Customers;
    vec![state.customers.list.reload(seq)]
}

/// `a` on a Sent request: the acceptance form.
fn record_acceptance(state: &mut AppState) -> Vec<Effect> {
    let Some(row) = state.invitations.list.selected_row() else {
        return Vec::new();
    };
    let status = row.status(state.now, state.expiry_days);
    if !status.can_accept() {
        let why = match status.label() {
            "Expired" => "it expired; send it again first (s)",
            "Revoked" => "it was revoked; request a new partnership (r)",
            _ => "it was already accepted",
        };
        toast(state, format!("Can't record acceptance: {why}"));
        return Vec::new();
    }
    let provider_id = state
        .provider
        .as_ref()
        .map(|p| p.partner_id.clone())
        .unwrap_or_default();
    let form = AcceptanceForm::new(row.id, row.recipient.clone(), provider_id);
    state.modals.push(Modal::RecordAcceptance(Box::new(form)));
    Vec::new()
}

fn scroll_profile(state: &mut AppState, command: Command) {
    let scroll = &mut state.company_profile.scroll;
    *scroll = match command {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll.saturating_add(1).min(200),
        Command::Home => 0,
        Command::End => 200,
        _ => *scroll,
    };
}

/// Switches screens; a list is loaded the first time it is shown.
fn enter_screen(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    state.screen = screen;
    let mut seq = state.seq;
    // First visit: load. Later visits: refresh where the operator was (another session or the
    // CLI may have changed it).
    let effect = state.current_list_mut().map(|l| {
        if l.needs_load() {
            l.reload(&mut seq)
        } else {
            l.refresh(&mut seq)
        }
    });
    state.seq = seq;
    effect.into_iter().collect()
}

fn error(state: &mut AppState, title: &str, message: String) {
    state.modals.push(Modal::Error {
        title: title.to_owned(),
        message,
    });
}

/// Shows a short message at the bottom right.
pub fn toast(state: &mut AppState, text: String) {
    let until = state.now + Duration::seconds(TOAST_SECONDS);
    state.toasts.push(Toast { text, until });
    if state.toasts.len() > 3 {
        state.toasts.remove(0);
    }
}
