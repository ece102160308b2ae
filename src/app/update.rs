//! `update`: the one place state changes. Pure: no I/O, no clock, no randomness.
//! The top modal takes every command; otherwise the current screen does.

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

/// The Yes label of the question Ctrl-C asks over a new customer's credentials.
const QUIT_ANYWAY: &str = "Quit";

fn is_quit_question(c: &Confirm) -> bool {
    c.action == ConfirmAction::FinishConfirmation && c.yes_label == QUIT_ANYWAY
}

/// `Ctrl-C` quits now, except over a new customer's credentials (the one time the temporary
/// password is shown): the first asks, as Done does; a second Ctrl-C, or Yes, quits.
fn force_quit(state: &mut AppState) -> Vec<Effect> {
    let credentials = state
        .modals
        .iter()
        .any(|m| matches!(m, Modal::Confirmation(_)));
    // On Done's question (`Some(false)`) or on this one (`Some(true)`).
    let asking = match state.top_modal() {
        Some(Modal::Confirm(c)) if c.action == ConfirmAction::FinishConfirmation => {
            Some(is_quit_question(c))
        }
        _ => None,
    };
    if !credentials || asking == Some(true) {
        state.quitting = true;
        return vec![Effect::Quit];
    }
    if asking == Some(false) {
        state.modals.pop();
    }
    state.modals.push(Modal::Confirm(Confirm {
        title: "Quit".into(),
        message: "You can't see this password again after twotier quits (a copy still on the \
                  clipboard is cleared too). Quit without the user name and temporary password? \
                  Ctrl-C again quits."
            .into(),
        yes_label: QUIT_ANYWAY,
        action: ConfirmAction::FinishConfirmation,
        yes_focused: false,
    }));
    Vec::new()
}

/// A command for the top modal.
fn modal_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let now = state.now;
    let mut seq = state.seq;
    let viewport = viewport(state);
    let Some(modal) = state.modals.last_mut() else {
        return Vec::new();
    };
    let quit_question = matches!(modal, Modal::Confirm(c) if is_quit_question(c));
    let mut out = Outcome::none();
    let mut confirmed_action = None;
    let mut picked = None;
    let mut filter_applied = None;
    match (modal, command) {
        (Modal::Help { scroll }, Command::Up) => *scroll = scroll.saturating_sub(1),
        (Modal::Help { scroll }, Command::Down) => *scroll = scroll.saturating_add(1).min(60),
        (Modal::Help { .. } | Modal::Error { .. }, Command::Back) => out.close = true,

        (Modal::RequestPartnership(form), Command::Enter) => out.effects.extend(form.submit()),
        (Modal::RequestPartnership(_), Command::Back) => out.close = true,

        (Modal::DraftEmail(draft), Command::Back) if draft.editing => draft.stop_editing(),
        (Modal::DraftEmail(_), Command::Back) => out.close = true,
        (Modal::DraftEmail(draft), Command::EditBody) => {
            draft.editing = true;
            draft.problem = None;
        }
        (Modal::DraftEmail(draft), Command::OpenInEmail) => out.effects.push(Effect::OpenMail {
            to: draft.draft.to.clone(),
            subject: draft.draft.subject.clone(),
            body: draft.body_text(),
        }),
        (Modal::DraftEmail(draft), Command::CopyToClipboard) => {
            out.effects.push(Effect::Copy { text: draft.full_message() })
        }
        (Modal::DraftEmail(draft), Command::Enter) => out.effects.extend(draft.done(now)),

        (Modal::RecordAcceptance(form), Command::NextField) => form.next_field(),
        (Modal::RecordAcceptance(form), Command::PreviousField) => form.previous_field(),
        (Modal::RecordAcceptance(form), Command::Enter) => out.effects.extend(form.submit(now)),
        (Modal::RecordAcceptance(_), Command::Back) => out.close = true,

        (Modal::Compliance(form), Command::Toggle) => form.toggle(),
        (Modal::Compliance(form), Command::NextField) => form.focus = 1 - form.focus,
        (Modal::Compliance(form), Command::Enter) => {
            out.effects.push(Effect::Db(DbCmd::SetCompliance {
                reseller_id: form.reseller_id,
                mpa_signed: form.mpa_signed,
                por_valid: form.por_valid,
                at: now,
            }));
            out.close = true;
        }
        (Modal::Compliance(_), Command::Back) => out.close = true,

        (Modal::RemovePartnership(c), Command::SwitchButton) => c.yes_focused = !c.yes_focused,
        (Modal::RemovePartnership(c), Command::Yes) => out.effects.extend(remove(c, now)),
        (Modal::RemovePartnership(c), Command::Enter) if c.yes_focused => {
            out.effects.extend(remove(c, now))
        }
        (Modal::RemovePartnership(_), Command::No | Command::Enter) => out.close = true,

        (Modal::Confirm(c), Command::SwitchButton) => c.yes_focused = !c.yes_focused,
        (Modal::Confirm(c), Command::Yes) => {
            confirmed_action = Some(c.action.clone());
            out.close = true;
        }
        (Modal::Confirm(c), Command::Enter) if c.yes_focused => {
            confirmed_action = Some(c.action.clone());
            out.close = true;
        }
        (Modal::Confirm(_), Command::No | Command::Enter) => out.close = true,

        (Modal::Wizard(w), command) => out = customer_wizard::on_command(w, command, now, &mut seq),
        (Modal::SubscriptionDetails(form), command) => {
            out = subscription_details::on_command(form, command, now, &mut seq)
        }

        (Modal::ResellerPicker(p), Command::Up) => out.effects.extend(p.move_by(-1, viewport, &mut seq)),
        (Modal::ResellerPicker(p), Command::Down) => out.effects.extend(p.move_by(1, viewport, &mut seq)),
        (Modal::ResellerPicker(p), Command::PageUp) => {
            out.effects.extend(p.move_by(-(viewport as isize), viewport, &mut seq))
        }
        (Modal::ResellerPicker(p), Command::PageDown) => {
            out.effects.extend(p.move_by(viewport as isize, viewport, &mut seq))
        }
        (Modal::ResellerPicker(p), Command::Enter) => {
            if let Ok(choice) = p.choose() {
                picked = Some((p.purpose, choice));
                out.close = true;
            }
        }
        (Modal::ResellerPicker(_), Command::Back) => out.close = true,

        (Modal::Confirmation(c), Command::CopyToClipboard) => {
            let text = format!("User name: {}\nTemporary password: {}", c.created.admin_user_name, c.created.password.expose());
            out.effects.push(Effect::CopySecret { text: Secret::new(text) });
            c.copied = true;
        }
        (Modal::Confirmation(_), Command::Enter) => {
            out.push = Some(Modal::Confirm(Confirm {
                title: "Done".into(),
                message: "You can't see this password again after you close this page. Did you note the user name and \
                          temporary password (or copy them with c)?"
                    .into(),
                yes_label: "Done",
                action: ConfirmAction::FinishConfirmation,
                yes_focused: false,
            }))
        }
        (Modal::UserForm(form), Command::NextField) => form.next_field(true),
        (Modal::UserForm(form), Command::PreviousField) => form.next_field(false),
        (Modal::UserForm(form), Command::ChoiceLeft) => form.cycle_role(false),
        (Modal::UserForm(form), Command::ChoiceRight) => form.cycle_role(true),
        (Modal::UserForm(form), Command::Enter) => out.effects.extend(form.submit(now)),
        (Modal::UserForm(_), Command::Back) => out.close = true,

        (Modal::ActivityFilter(form), Command::NextField) => form.focus = (form.focus + 1) % 3,
        (Modal::ActivityFilter(form), Command::PreviousField) => form.focus = (form.focus + 2) % 3,
        (Modal::ActivityFilter(form), Command::Enter) => {
            filter_applied = Some(form.prefixes());
            out.close = true;
        }
        (Modal::ActivityFilter(_), Command::Back) => out.close = true,
        _ => {}
    }
    state.seq = state.seq.max(seq);
    if quit_question && confirmed_action.is_some() {
        state.quitting = true;
        return vec![Effect::Quit];
    }
    if out.close {
        state.modals.pop();
    }
    if let Some(modal) = out.push {
        state.modals.push(modal);
    }
    if let Some(text) = out.toast {
        toast(state, text);
    }
    let mut effects = out.effects;
    if let Some(action) = confirmed_action {
        effects.extend(confirmed(state, action));
    }
    if let Some((purpose, choice)) = picked {
        effects.extend(apply_pick(state, purpose, choice));
    }
    if let Some(prefixes) = filter_applied {
        let mut seq = state.seq;
        let list = &mut state.activity_log.list;
        list.filter.column_prefixes = prefixes;
        effects.push(list.reload(&mut seq));
        state.seq = seq;
    }
    effects
}

fn remove(c: &mut RemoveConfirm, now: chrono::DateTime<chrono::Utc>) -> Option<Effect> {
    if c.submitting {
        return None;
    }
    c.submitting = true;
    Some(Effect::Db(DbCmd::RemovePartnership {
        reseller_id: c.reseller_id,
        name: c.name.clone(),
        at: now,
    }))
}

/// Yes on a question: the stored action runs on what lies under it.
fn confirmed(state: &mut AppState, action: ConfirmAction) -> Vec<Effect> {
    match action {
        ConfirmAction::RevokeInvitation { id } => {
            vec![Effect::Db(DbCmd::RevokeInvitation { id, at: state.now })]
        }
        ConfirmAction::CancelWizard => {
            if matches!(state.top_modal(), Some(Modal::Wizard(_))) {
                state.modals.pop();
            }
            toast(state, "Cancelled: nothing was saved".into());
            Vec::new()
        }
        ConfirmAction::FinishConfirmation => {
            // Dropping the modal drops the password; its memory is wiped.
            let created = match state.modals.pop() {
                Some(Modal::Confirmation(c)) => c.created.company_name.clone(),
                Some(other) => {
                    state.modals.push(other);
                    return Vec::new();
                }
                None => return Vec::new(),
            };
            toast(state, format!("{created} is in your customer list"));
            reload_lists(
                state,
                &[ListId::Customers, ListId::Resellers, ListId::Activity],
            )
        }
        ConfirmAction::DiscardSubscriptionChanges => {
            if matches!(state.top_modal(), Some(Modal::SubscriptionDetails(_))) {
                state.modals.pop();
            }
            Vec::new()
        }
    }
}

/// The reseller picker's choice, handed to whoever opened it.
fn apply_pick(
    state: &mut AppState,
    purpose: PickerPurpose,
    choice: Option<ResellerChoice>,
) -> Vec<Effect> {
    let mut seq = state.seq;
    let effects = match (purpose, state.modals.last_mut()) {
        (PickerPurpose::CustomersFilter, _) => {
            let customers = &mut state.customers;
            customers.list.filter.reseller_id = choice.as_ref().map(|c| c.id);
            customers.reseller_filter = choice.map(|c| c.name);
            customers.expanded = None;
            customers.pane_focused = false;
            vec![customers.list.reload(&mut seq)]
        }
        (PickerPurpose::CustomerReseller, Some(Modal::Wizard(w))) => {
            w.account.reseller = choice;
            Vec::new()
        }
        (PickerPurpose::PartnerOfRecord, Some(Modal::Wizard(w))) => {
            w.order.partner_of_record = choice;
            w.problem = None;
            Vec::new()
        }
        (PickerPurpose::SubscriptionReseller, Some(Modal::SubscriptionDetails(form))) => {
            form.reseller = choice;
            Vec::new()
        }
        (PickerPurpose::SupportContact, Some(Modal::SubscriptionDetails(form))) => {
            form.support = choice;
            Vec::new()
        }
        _ => Vec::new(),
    };
    state.seq = seq;
    effects
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

fn receive(state: &mut AppState, reply: DbReply) -> Vec<Effect> {
    match reply {
        DbReply::Provider(profile) => {
            state.provider = Some(*profile);
            Vec::new()
        }
        DbReply::Page { list, seq, page } => {
            let viewport = viewport(state);
            let next = &mut state.seq;
            let follow_up = match (list, page) {
                (ListId::Resellers, AnyPage::Resellers(p)) => {
                    state.resellers.list.receive(seq, p, viewport, next)
                }
                (ListId::Customers, AnyPage::Customers(p)) => {
                    state.customers.list.receive(seq, p, viewport, next)
                }
                (ListId::Activity, AnyPage::Activity(p)) => {
                    state.activity_log.list.receive(seq, p, viewport, next)
                }
                (ListId::Users, AnyPage::Users(p)) => {
                    state.users.list.receive(seq, p, viewport, next)
                }
                (ListId::Invitations, AnyPage::Invitations(p)) => {
                    state.invitations.list.receive(seq, p, viewport, next)
                }
                (ListId::Subscriptions, AnyPage::Subscriptions(p)) => {
                    let pane = layout::split_rows(state.height).1;
                    state
                        .customers
                        .expanded
                        .as_mut()
                        .and_then(|e| e.subscriptions.receive(seq, p, pane, next))
                }
                (ListId::ResellerPicker, AnyPage::Resellers(p)) => match state.modals.last_mut() {
                    Some(Modal::ResellerPicker(picker)) => {
                        picker.list.receive(seq, p, viewport, next)
                    }
                    _ => None,
                },
                _ => None,
            };
            follow_up.into_iter().collect()
        }
        DbReply::Draft { draft, resend_of } => {
            // The draft replaces the address form it answers (a resend opens it directly).
            if matches!(state.top_modal(), Some(Modal::RequestPartnership(_))) {
                state.modals.pop();
            }
            state
                .modals
                .push(Modal::DraftEmail(Box::new(DraftEmail::new(
                    *draft, resend_of,
                ))));
            Vec::new()
        }
        DbReply::PartnerIdOwner {
            seq,
            partner_id,
            owner,
        } => {
            if let Some(Modal::RecordAcceptance(form)) = state.modals.last_mut() {
                form.owner_checked(seq, partner_id, owner);
            }
            Vec::new()
        }
        DbReply::Impact {
            reseller_id,
            name,
            impact,
        } => {
            let confirm = RemoveConfirm {
                reseller_id,
                name,
                impact,
                yes_focused: false,
                submitting: false,
            };
            state.modals.push(Modal::RemovePartnership(confirm));
            Vec::new()
        }
        DbReply::Offers(offers) => {
            state.catalog = offers;
            Vec::new()
        }
        DbReply::DomainChecked { seq, prefix, taken } => {
            if let Some(Modal::Wizard(w)) = state.modals.last_mut() {
                w.account.domain_checked(seq, prefix, taken);
            }
            Vec::new()
        }
        DbReply::CustomerCreated(created) => {
            // The wizard is done; the credentials show once, on Confirmation.
            if matches!(state.top_modal(), Some(Modal::Wizard(_))) {
                state.modals.pop();
            }
            state
                .modals
                .push(Modal::Confirmation(Box::new(Confirmation {
                    created: *created,
                    copied: false,
                })));
            Vec::new()
        }
        DbReply::Subscription(detail) => {
            state
                .modals
                .push(Modal::SubscriptionDetails(Box::new(SubscriptionForm::new(
                    *detail,
                ))));
            Vec::new()
        }
        DbReply::Done { message, reload } => {
            // The modal that asked is finished.
            if matches!(
                state.top_modal(),
                Some(
                    Modal::DraftEmail(_)
                        | Modal::RecordAcceptance(_)
                        | Modal::RemovePartnership(_)
                        | Modal::Wizard(_)
                        | Modal::SubscriptionDetails(_)
                        | Modal::UserForm(_)
                )
            ) {
                state.modals.pop();
            }
            toast(state, message);
            reload_lists(state, &reload)
        }
        DbReply::Refused { what, message } => {
            unblock_top_modal(state, &message);
            error(state, &format!("{what}: not done"), message);
            Vec::new()
        }
        DbReply::Failed { what, message } => {
            unblock_top_modal(state, &message);
            error(
                state,
                &format!("{what} failed"),
                format!(
                    "{message}\n\nNothing was changed. Try again; if it keeps failing, the log file (see twotier --help) has the details."
                ),
            );
            Vec::new()
        }
    }
}

/// A refused or failed command leaves its form open, with its input, ready to try again.
fn unblock_top_modal(state: &mut AppState, message: &str) {
    match state.modals.last_mut() {
        Some(Modal::RequestPartnership(form)) => form.waiting = false,
        Some(Modal::DraftEmail(draft)) => draft.submitting = false,
        Some(Modal::RecordAcceptance(form)) => form.submitting = false,
        Some(Modal::SubscriptionDetails(form)) => form.submitting = false,
        // The wizard keeps all its input, and the reason, to try again.
        Some(Modal::Wizard(w)) => {
            w.submitting = false;
            w.problem = Some(message.to_owned());
        }
        Some(Modal::RemovePartnership(_)) => {
            state.modals.pop();
        }
        _ => {}
    }
}

/// Lists that changed are reloaded now if shown, or on their next visit.
fn reload_lists(state: &mut AppState, lists: &[ListId]) -> Vec<Effect> {
    let mut seq = state.seq;
    let mut effects = Vec::new();
    for list in lists {
        let (model, shown): (&mut dyn super::list_ops::ListOps, bool) = match list {
            ListId::Resellers => (&mut state.resellers.list, state.screen == Screen::Resellers),
            ListId::Customers => (&mut state.customers.list, state.screen == Screen::Customers),
            ListId::Activity => (
                &mut state.activity_log.list,
                state.screen == Screen::ActivityLog,
            ),
            ListId::Users => (&mut state.users.list, state.screen == Screen::Users),
            ListId::Invitations => (
                &mut state.invitations.list,
                state.screen == Screen::Invitations,
            ),
            ListId::Subscriptions => match &mut state.customers.expanded {
                Some(e) => (&mut e.subscriptions, true),
                None => continue,
            },
            ListId::ResellerPicker => continue,
        };
        if shown {
            effects.push(model.refresh(&mut seq));
        } else {
            model.invalidate();
        }
    }
    state.seq = seq;
    effects
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

/// `n`: Add new customer; from an Indirect resellers row, with that reseller preselected.
fn open_new_customer(state: &mut AppState) {
    let reseller = match state.screen {
        Screen::Resellers => match state.resellers.list.selected_row() {
            Some(r) if r.is_active() => Some(ResellerChoice::from(r)),
            Some(r) => {
                let name = r.name.clone();
                toast(
                    state,
                    format!("The partnership with {name} was removed: no new customers for it"),
                );
                return;
            }
            None => None,
        },
        _ => None,
    };
    let provider_domain = state
        .provider
        .as_ref()
        .and_then(|p| {
            p.support_email
                .rsplit_once('@')
                .map(|(_, d)| d.to_ascii_lowercase())
        })
        .unwrap_or_default();
    let mut wizard = CustomerWizard::new_customer(
        &state.catalog,
        reseller,
        provider_domain,
        state.now.date_naive(),
    );
    wizard.orders_refused = state.matrix.refusal(
        state.operator.role,
        crate::domain::permission::Permission::PlaceOrders,
    );
    state.modals.push(Modal::Wizard(Box::new(wizard)));
}

/// `s`: Add subscription to the selected (or expanded) customer.
fn open_add_subscription(state: &mut AppState) {
    let id = match (&state.customers.expanded, state.customers.pane_focused) {
        (Some(e), true) => Some(e.customer_id),
        _ => state.customers.list.selected_row().map(|c| c.id),
    };
    let Some(row) = id.and_then(|id| state.customers.list.rows.iter().find(|c| c.id == id)) else {
        return;
    };
    // The customer's own reseller is the default partner of record.
    let reseller = row
        .active_reseller
        .clone()
        .map(|(id, partner_id, compliance)| ResellerChoice {
            id,
            name: row.reseller.clone().unwrap_or_default(),
            partner_id,
            compliance,
        });
    let (id, name) = (row.id, row.company_name.clone());
    let wizard = CustomerWizard::add_subscription(
        &state.catalog,
        id,
        name,
        reseller,
        state.now.date_naive(),
    );
    state.modals.push(Modal::Wizard(Box::new(wizard)));
}

/// `→`/`Space`: expands the selected customer (its subscriptions below), or collapses it.
fn toggle_expanded(state: &mut AppState, seq: &mut u64) -> Vec<Effect> {
    let customers = &mut state.customers;
    let selected = customers
        .list
        .selected_row()
        .map(|c| (c.id, c.company_name.clone()));
    let same = customers.expanded.as_ref().map(|e| e.customer_id) == selected.as_ref().map(|s| s.0);
    if same || selected.is_none() {
        customers.expanded = None;
        customers.pane_focused = false;
        return Vec::new();
    }
    let (customer_id, customer) = selected.expect("checked above");
    let mut subscriptions = ListModel::new(ListId::Subscriptions);
    subscriptions.filter.customer_id = Some(customer_id);
    let effect = subscriptions.reload(seq);
    customers.expanded = Some(Expanded {
        customer_id,
        customer,
        subscriptions,
    });
    let viewport = layout::split_rows(state.height).0;
    customers.list.clamp(viewport);
    vec![effect]
}
