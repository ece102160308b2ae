//! The store's replies: each goes to the list or modal that asked.

use super::*;

pub(super) fn receive(state: &mut AppState, reply: DbReply) -> Vec<Effect> {
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
pub(super) fn unblock_top_modal(state: &mut AppState, message: &str) {
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
pub(super) fn reload_lists(state: &mut AppState, lists: &[ListId]) -> Vec<Effect> {
    let mut seq = state.seq;
    let mut effects = Vec::new();
    for list in lists {
        let (model, shown): (&mut dyn crate::app::list_ops::ListOps, bool) = match list {
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
