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
use crate::store::subscriptions::REMOVED_MARK;
use crate::ui::theme::Theme;
use crate::ui::chrome::ellipsize;
use unicode_width::UnicodeWidthStr;
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
    let width = usize::from(inner.width);
    let room = width.saturating_sub(30).max(1);
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
        let value = ellipsize(&value, room);
        let (style, value_style, hint) = match refused(permission) {
            Some(why) => (theme.disabled, theme.dim, why),
            // A hint that doesn't fit beside the value is left out rather than wrapped.
            None if 30 + value.width() + 3 + hint.width() > width => {
                (theme.accent, theme.title, String::new())
            }
            None => (
                if focused { theme.accent } else { theme.dim },
                theme.title,
                hint.to_owned(),
            ),
        };
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
    // A reseller whose partnership was removed keeps its place, marked, until someone picks.
    let named = |r: &crate::app::outcome::ResellerChoice, field: usize| {
        let name = format!("{} ({})", clean(&r.name), r.partner_id);
        if form.still_removed(field) {
            format!("{} {REMOVED_MARK}", ellipsize(&name, room.saturating_sub(20).max(1)))
        } else {
            name
        }
    };
    let reseller = match &form.reseller {
        Some(r) => named(r, RESELLER),
        None => "None".into(),
    };
    let support = match &form.support {
        Some(r) => named(r, SUPPORT),
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
    let typed = form.mpn.value();
    lines.push(row(
        RESELLER,
        "Reseller (MPN ID)",
        reseller,
        if typed.is_empty() { "Enter: choose" } else { "" },
    ));
    if form.still_removed(RESELLER) {
        lines.push(removed_line(theme));
    }
    // Partner Center's "Indirect reseller not in the list? Enter MPN ID" with Verify.
    if (form.focus == RESELLER || !typed.is_empty())
        && refused(Permission::ChangeReseller).is_none()
    {
        let cursor = if form.focus == RESELLER { "▏" } else { "" };
        let action = match form.verify_words() {
            Some((true, _)) => "Enter: choose · Esc: clear",
            _ if typed.is_empty() => "digits, then Enter: Verify",
            _ => "Enter: Verify · Esc: clear",
        };
        let prompt = "    Indirect reseller not in the list? Enter MPN ID: ";
        let mut spans = vec![
            Span::styled(prompt, theme.dim),
            Span::styled(format!("{typed}{cursor}"), theme.title),
        ];
        if prompt.width() + typed.width() + 4 + action.width() <= width {
            spans.push(Span::styled(format!("   {action}"), theme.dim));
        }
        lines.push(Line::from(spans));
        if let Some((ok, words)) = form.verify_words() {
            let style = if ok { theme.accent } else { theme.error };
            lines.extend(indented(&words, 4, width, style));
        }
    }
    // A reseller chosen here whose MPA or POR nobody has checked yet.
    if let Some(w) = form
        .reseller
        .as_ref()
        .and_then(|r| r.compliance.unknown_warning(&clean(&r.name)))
    {
        lines.extend(indented(&format!("? {w}."), 4, width, theme.warning));
    }
    lines.push(row(
        SUPPORT,
        "Designated support contact",
        support,
        "Enter: choose",
    ));
    if form.still_removed(SUPPORT) {
        lines.push(removed_line(theme));
    }
    let upgrade_hint = if d.upgrades.is_empty() {
        "no upgrade path from this offer"
    } else {
        "←/→: upgrade"
    };
    lines.push(row(OFFER, "Offer", offer_name, upgrade_hint));
    lines.push(Line::from(""));
    if form.refused_removed
        && let Some((field, _)) = form.removed_problem()
    {
        let label = if field == RESELLER {
            "Reseller (MPN ID)"
        } else {
            "Designated support contact"
        };
        lines.extend(indented(
            &format!("✗ Not submitted: pick a current reseller or none on {label} first."),
            2,
            width,
            theme.error,
        ));
    }
    if form.dirty() {
        lines.push(Line::from(Span::styled(
            "  Unsaved changes: Ctrl-S to submit.",
            theme.warning,
        )));
    }
    lines.push(Line::from(key_buttons(&crate::app::screens::subscription_details::KEYS, theme)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Under a field that still names a removed reseller.
fn removed_line(theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        "    ⚠ Partnership removed: pick a current reseller or none (Enter).",
        theme.warning,
    ))
}

/// `text` wrapped at word boundaries to `width`, every line indented by `indent` columns.
fn indented(text: &str, indent: usize, width: usize, style: ratatui::style::Style) -> Vec<Line<'static>> {
    let room = width.saturating_sub(indent).max(10);
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.width() + 1 + word.width() > room {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{pad}{l}"), style)))
        .collect()
}
