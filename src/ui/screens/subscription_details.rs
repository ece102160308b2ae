//! Subscription details: the facts, then the fields that can change, and Submit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::subscription_details::{
    AUTO_RENEW, OFFER, QUANTITY, RESELLER, STATUS, SUPPORT, SubscriptionForm,
};
use crate::app::state::AppState;
use crate::domain::permission::Permission;
use crate::domain::text::clean;
use crate::store::customers::status_label;
use crate::ui::theme::Theme;
use crate::ui::chrome::ellipsize;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

pub fn view(
    form: &SubscriptionForm,
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let d = &form.detail;
    let inner = frame_box(
        frame,
        centered(area, 96, 26),
        Line::from(Span::styled(
            format!(" Subscription details: {} ", d.offer.name),
            theme.title,
        )),
        theme,
    );
    let now = state.now;
    // Values are cut to the dialog's width, so a very long name never pushes the fields out.
    let room = usize::from(inner.width).saturating_sub(30).max(1);
    let fact = |label: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("  {label:<28}"), theme.dim),
            Span::raw(ellipsize(&value, room)),
        ])
    };
    let window = if d.in_change_window(now) {
        format!(
            "open until {}",
            state.local(d.window_closes()).format("%Y-%m-%d %H:%M")
        )
    } else {
        format!(
            "closed {}",
            state.local(d.window_closes()).format("%Y-%m-%d")
        )
    };
    let mut lines = vec![
        fact("Customer", d.customer.clone()),
        fact("Subscription ID", d.subscription_id.clone()),
        fact("Term, billing", format!("{} · {}", d.term, d.billing_cycle)),
        fact("Commitment ends", d.commitment_end_date.clone()),
        fact(
            "Remove licenses / cancel",
            format!("within 7 days of purchase or renewal: {window}"),
        ),
        Line::from(""),
    ];
    let refused = |p: Permission| state.matrix.refusal(state.operator.role, p);
    let row = |i: usize, label: &'static str, value: String, hint: &str| {
        let permission = match i {
            RESELLER => Permission::ChangeReseller,
            SUPPORT => Permission::SetSupportContact,
            _ => Permission::PlaceOrders,
        };
        let focused = form.focus == i;
        let marker = if focused { "›" } else { " " };
        // A field the role can't change is dimmed, and says why when focused.
        let (style, value_style, hint) = match refused(permission) {
            Some(why) => (theme.disabled, theme.dim, why),
            None => (
                if focused { theme.accent } else { theme.dim },
                theme.title,
                hint.to_owned(),
            ),
        };
        let value = ellipsize(&value, room);
        let mut spans = vec![
            Span::styled(format!("{marker} {label:<28}"), style),
            Span::styled(value, value_style),
        ];
        if focused && !hint.is_empty() {
            spans.push(Span::styled(format!("   {hint}"), theme.dim));
        }
        Line::from(spans)
    };
    let offer_name = form
        .offers()
        .iter()
        .find(|(id, _)| *id == form.offer_id)
        .map(|(_, n)| n.to_string())
        .unwrap_or_default();
    let reseller = match &form.reseller {
        Some(r) => format!("{} ({})", clean(&r.name), r.partner_id),
        None => "None".into(),
    };
    let support = match &form.support {
        Some(r) => format!("{} ({})", clean(&r.name), r.partner_id),
        None => "You (the indirect provider)".into(),
    };
    let statuses = form.statuses(now);
    lines.push(row(
        QUANTITY,
        "Quantity",
        form.quantity.value().to_owned(),
        "digits, or ←/→",
    ));
    if let Some(problem) = form.quantity_problem(now) {
        lines.push(Line::from(Span::styled(
            format!("    ✗ {problem}"),
            theme.error,
        )));
    }
    let status_hint = if statuses.is_empty() {
        "can't be changed"
    } else if statuses.contains(&"deleted") {
        "←/→: Active, Suspended, Cancelled"
    } else {
        "←/→: Active, Suspended (cancel window closed)"
    };
    lines.push(row(
        STATUS,
        "Status",
        status_label(&form.status).to_owned(),
        status_hint,
    ));
    if form.status == "suspended" {
        lines.push(Line::from(Span::styled(
            "    Suspending turns auto-renew off; a suspended subscription is still billed.",
            theme.warning,
        )));
    }
    let auto = if form.auto_renew && form.status == "active" {
        "[x] on"
    } else {
        "[ ] off"
    };
    lines.push(row(AUTO_RENEW, "Auto-renew", auto.into(), "Space"));
    lines.push(row(
        RESELLER,
        "Reseller (MPN ID)",
        reseller,
        "Enter: choose, or type a PartnerID to verify",
    ));
    // A reseller chosen here whose MPA or POR nobody has checked yet.
    if let Some(w) = form.reseller.as_ref().and_then(|r| r.compliance.unknown_warning(&clean(&r.name))) {
        lines.push(Line::from(Span::styled(format!("    ? {w}."), theme.warning)));
    }
    lines.push(row(
        SUPPORT,
        "Designated support contact",
        support,
        "Enter: choose",
    ));
    let upgrade_hint = if d.upgrades.is_empty() {
        "no higher offer in this family"
    } else {
        "←/→: upgrade"
    };
    lines.push(row(OFFER, "Offer", offer_name, upgrade_hint));
    lines.push(Line::from(""));
    if form.dirty() {
        lines.push(Line::from(Span::styled(
            "  Unsaved changes: Ctrl-S to submit.",
            theme.warning,
        )));
    }
    lines.push(Line::from(key_buttons(&crate::app::screens::subscription_details::KEYS, theme)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
