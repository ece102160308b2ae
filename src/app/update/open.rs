//! Opening the wizards and the expanded record from the screens.

use super::*;

/// `n`: Add new customer; from an Indirect resellers row, with that reseller preselected.
pub(super) fn open_new_customer(state: &mut AppState) {
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
pub(super) fn open_add_subscription(state: &mut AppState) {
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
pub(super) fn toggle_expanded(state: &mut AppState, seq: &mut u64) -> Vec<Effect> {
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
