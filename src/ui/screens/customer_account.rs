//! Account: the customer's company profile, primary contact and relationship, one fact a line,
//! each value cleaned and cut to the dialog's width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::screens::customer_account::{CustomerAccountView, KEYS};
use crate::app::state::AppState;
use crate::domain::text::clean;
use crate::store::customer_account::CustomerAccount;
use crate::ui::chrome::ellipsize;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box, key_buttons};

/// The labels' column: two spaces of indent and the longest label.
const LABEL: usize = 24;

pub fn view(
    modal: &CustomerAccountView,
    state: &AppState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let name = modal.account.as_ref().map_or(&modal.name, |a| &a.company_name);
    let width = area.width.saturating_sub(4).clamp(40, 100);
    let title_room = usize::from(width).saturating_sub(14);
    let title = format!(" Account: {} ", ellipsize(&clean(name), title_room));
    let room = usize::from(width).saturating_sub(2 + LABEL).max(1);
    let mut lines = match (&modal.account, &modal.problem) {
        (_, Some(problem)) => vec![Line::from(Span::styled(
            format!("  {}", ellipsize(&clean(problem), room + LABEL)),
            theme.error,
        ))],
        (Some(account), None) => facts(account, state, theme, room),
        (None, None) => vec![Line::from(Span::styled("  Loading…", theme.dim))],
    };
    lines.push(Line::from(""));
    let mut keys = vec![Span::raw("  ")];
    keys.extend(key_buttons(&KEYS, theme));
    lines.push(Line::from(keys));
    let height = (lines.len() as u16 + 2).min(area.height);
    let inner = frame_box(
        frame,
        centered(area, width, height),
        Line::from(Span::styled(title, theme.title)),
        theme,
    );
    // On a terminal too short for every line, ↓ scrolls; never past the last one.
    let most = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines).scroll((modal.scroll.min(most), 0)),
        inner,
    );
}

fn facts(a: &CustomerAccount, state: &AppState, theme: &Theme, room: usize) -> Vec<Line<'static>> {
    let heading = |text: &'static str| Line::from(Span::styled(format!(" {text}"), theme.accent));
    let fact_styled = |label: &'static str, value: &str, style: Style| {
        Line::from(vec![
            Span::styled(format!("  {label:<w$}", w = LABEL - 2), theme.dim),
            Span::styled(ellipsize(&clean(value), room), style),
        ])
    };
    let fact = |label: &'static str, value: &str| fact_styled(label, value, Style::default());
    let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".into());
    let (reseller, reseller_style) = match &a.reseller {
        Some(r) if r.removed => (
            format!("{} ({}) · partnership removed", r.name, r.partner_id),
            theme.warning,
        ),
        Some(r) => (format!("{} ({})", r.name, r.partner_id), Style::default()),
        None => ("None (direct)".to_owned(), theme.dim),
    };
    let relationship = match a.relationship.as_str() {
        "reseller" => "Reseller",
        "advisor" => "Advisor",
        _ => "None",
    };
    let delegated = if a.delegated_access {
        "delegated admin access allowed"
    } else {
        "no delegated admin access"
    };
    let agreement = match &a.agreement {
        Some(m) => {
            // The date and the signer first: a narrow dialog cuts the email.
            let mut said = "accepted".to_owned();
            if let Some(date) = &m.date_agreed {
                said.push_str(&format!(" on {date}"));
            }
            if let Some(name) = &m.signer_name {
                said.push_str(&format!(" by {name}"));
            }
            if let Some(email) = &m.signer_email {
                said.push_str(&format!(" ({email})"));
            }
            said
        }
        None => "not recorded".to_owned(),
    };
    let mut created = state
        .local(a.created_at)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    if let Some((name, upn)) = &a.created_by {
        created.push_str(&format!(" by {name} ({upn})"));
    }
    vec![
        heading("Company profile"),
        fact("Company name", &a.company_name),
        fact("Primary domain", &a.domain),
        fact("Microsoft ID", &a.tenant_id),
        fact("Registration number", &or_none(&a.registration_number)),
        fact("Address", &a.address.one_line()),
        fact("Language, culture", &format!("{} · {}", a.language, a.culture)),
        heading("Primary contact"),
        fact("Name", &a.contact.name()),
        fact("Email", &a.contact.email),
        fact("Phone", &or_none(&a.contact.phone)),
        heading("Relationship"),
        fact_styled("Indirect reseller", &reseller, reseller_style),
        fact(
            "Reseller relationship",
            &format!("{relationship} · {delegated}"),
        ),
        fact("Customer Agreement", &agreement),
        fact("Admin user name", &a.admin_user_name),
        fact("Created", &created),
    ]
}
