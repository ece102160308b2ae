//! The top modal's commands: confirmations, pickers and every dialog's keys.

use super::*;

/// The Yes label of the question Ctrl-C asks over a new customer's credentials.
pub(super) const QUIT_ANYWAY: &str = "Quit";

pub(super) fn is_quit_question(c: &Confirm) -> bool {
    c.action == ConfirmAction::FinishConfirmation && c.yes_label == QUIT_ANYWAY
}

/// `Ctrl-C` quits now, except over a new customer's credentials (the one time the temporary
/// password is shown): the first asks, as Done does; a second Ctrl-C, or Yes, quits.
pub(super) fn force_quit(state: &mut AppState) -> Vec<Effect> {
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
pub(super) fn modal_command(state: &mut AppState, command: Command) -> Vec<Effect> {
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

pub(super) fn remove(c: &mut RemoveConfirm, now: chrono::DateTime<chrono::Utc>) -> Option<Effect> {
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
pub(super) fn confirmed(state: &mut AppState, action: ConfirmAction) -> Vec<Effect> {
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
pub(super) fn apply_pick(
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
