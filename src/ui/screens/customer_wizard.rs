//! The Add new customer / Add subscription wizard: the steps, and each step's page.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Wrap};

use crate::app::screens::customer_wizard::{
    self as model, CustomerWizard, RESELLER_ROW, ROWS, Step, WITHOUT_ORDER, WizardMode,
    field_of_row,
};
use crate::domain::text::clean;
use crate::store::customers::POR_ATTESTATION;
use crate::app::state::AppState;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{FIELD_HEIGHT, text_field};
use crate::ui::widgets::modal::{frame_box, key_button_line};

pub fn view(w: &CustomerWizard, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = match &w.mode {
        WizardMode::NewCustomer => " Add new customer ".to_owned(),
        WizardMode::AddSubscription { customer, .. } => {
            format!(" Add subscription: {} ", clean(customer))
        }
    };
    let inner = frame_box(
        frame,
        area,
        Line::from(Span::styled(title, theme.title)),
        theme,
    );
    let problem_height = if w.problem.is_some() { 2 } else { 0 };
    let [steps, problem, page, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(problem_height),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(step_line(w, theme)), steps);
    if let Some(p) = &w.problem {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("✗ {p}"), theme.error)).wrap(Wrap { trim: true }),
            problem,
        );
    }
    match w.step {
        Step::AccountInfo => account(w, theme, frame, page),
        Step::Subscriptions => offers(w, theme, frame, page),
        Step::Review => review(w, theme, frame, page),
    }
    frame.render_widget(
        Paragraph::new(key_button_line(w.step_keys(), theme, keys.width)),
        keys,
    );
}

fn step_line(w: &CustomerWizard, theme: &Theme) -> Line<'static> {
    let steps: &[Step] = match w.mode {
        WizardMode::NewCustomer => &[Step::AccountInfo, Step::Subscriptions, Step::Review],
        WizardMode::AddSubscription { .. } => &[Step::Subscriptions, Step::Review],
    };
    let mut spans = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("  ›  ", theme.dim));
        }
        let style = if *step == w.step {
            theme.selected
        } else {
            theme.dim
        };
        spans.push(Span::styled(
            format!(" {}. {} ", i + 1, step.label()),
            style,
        ));
    }
    if w.submitting {
        spans.push(Span::styled("   Submitting…", theme.accent));
    }
    Line::from(spans)
}

fn account(w: &CustomerWizard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let a = &w.account;
    let fits = (area.height / FIELD_HEIGHT).max(1) as usize;
    // Keep the focused row in view.
    let first = (a.focus + 1)
        .saturating_sub(fits)
        .min(ROWS.saturating_sub(fits));
    for (slot, row) in (first..ROWS).take(fits).enumerate() {
        let rect = Rect {
            y: area.y + slot as u16 * FIELD_HEIGHT,
            height: FIELD_HEIGHT,
            ..area
        };
        match field_of_row(row) {
            Some(field) => {
                text_field(frame, rect, &a.fields[field], a.focus == row, 20, theme);
                if field == model::DOMAIN && !a.fields[field].value().is_empty() {
                    let shown = a.fields[field].value().chars().count() as u16;
                    let x = rect.x + 21 + shown;
                    if x + 16 < rect.right() {
                        let suffix = Rect {
                            x,
                            y: rect.y,
                            width: 16,
                            height: 1,
                        };
                        frame.render_widget(
                            Paragraph::new(Span::styled(a.domain_suffix.clone(), theme.dim)),
                            suffix,
                        );
                    }
                }
            }
            None => reseller_row(w, row, theme, frame, rect),
        }
    }
}

fn reseller_row(w: &CustomerWizard, row: usize, theme: &Theme, frame: &mut Frame, rect: Rect) {
    let a = &w.account;
    let focused = a.focus == row && row == RESELLER_ROW;
    let marker = if focused { "›" } else { " " };
    let value = match &a.reseller {
        Some(r) => format!("{} ({})", r.name, r.partner_id),
        None => "None (a direct customer)".into(),
    };
    let label_style = if focused { theme.accent } else { theme.dim };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{marker}{:<19}", "Indirect reseller"), label_style),
        Span::raw(" "),
        Span::raw(value),
    ])];
    let hint = if a.reseller_locked {
        Span::styled(
            "Chosen on Indirect resellers (Add new customer): the reseller gets admin access.",
            theme.dim,
        )
    } else if focused {
        Span::styled(
            "Enter: choose. The reseller gets delegated admin access to the customer.",
            theme.dim,
        )
    } else {
        Span::raw("")
    };
    lines.push(Line::from(vec![Span::raw(" ".repeat(21)), hint]));
    frame.render_widget(Paragraph::new(lines), rect);
}

fn offers(w: &CustomerWizard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let o = &w.order;
    let search_height = if o.search.is_some() { 1 } else { 0 };
    let notice_height = if w.orders_refused.is_some() { 3 } else { 0 };
    let [search, table, por] = Layout::vertical([
        Constraint::Length(search_height),
        Constraint::Min(3),
        Constraint::Length(3 + notice_height),
    ])
    .areas(area);
    if let Some(field) = &o.search {
        let style = if field.focused {
            theme.accent
        } else {
            theme.dim
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("Search: ", style),
                Span::raw(clean(field.input.value()).into_owned()),
            ])),
            search,
        );
        if field.focused {
            frame
                .set_cursor_position((search.x + 8 + field.input.visual_cursor() as u16, search.y));
        }
    }
    let visible = o.visible();
    let height = table.height.saturating_sub(3) as usize;
    let first = (o.cursor + 1).saturating_sub(height.max(1));
    let rows: Vec<Row> = visible
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(at, index)| {
            let line = &o.lines[*index];
            let offer = &line.offer;
            let licenses = match (line.selected, line.quantity_problem()) {
                (true, Some(_)) => {
                    Span::styled(format!("{} ✗", line.quantity.value()), theme.error)
                }
                (true, None) => Span::styled(line.quantity.value().to_owned(), theme.title),
                (false, _) => Span::styled(line.quantity.value().to_owned(), theme.dim),
            };
            let price = if offer.billing_type == "usage" {
                "usage".to_owned()
            } else {
                format!(
                    "${}.{:02}",
                    offer.unit_price_cents / 100,
                    offer.unit_price_cents % 100
                )
            };
            let row = Row::new(vec![
                Cell::from(if line.selected { "[x]" } else { "[ ]" }),
                Cell::from(offer.name.clone()),
                Cell::from(licenses),
                Cell::from(format!("{}–{}", offer.min_quantity, offer.max_quantity)),
                Cell::from(line.term().to_owned()),
                Cell::from(line.billing_cycle().to_owned()),
                Cell::from(price),
            ]);
            if at == o.cursor {
                row.style(theme.selected)
            } else {
                row
            }
        })
        .collect();
    let widths = [
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Length(4),
        Constraint::Length(9),
        Constraint::Length(7),
    ];
    let header = Row::new([
        "", "Offer", "Licenses", "Allowed", "Term", "Billing", "Per mo.",
    ])
    .style(theme.header_row);
    let block = Block::bordered().title(Span::styled(
        " New subscription: the offer catalog ",
        theme.title,
    ));
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .block(block),
        table,
    );
    let mut lines = Vec::new();
    if let Some(why) = &w.orders_refused {
        lines.push(Line::from(Span::styled(
            format!("{why} {WITHOUT_ORDER}"),
            theme.warning,
        )));
    }
    lines.push(match &o.partner_of_record {
        Some(r) => Line::from(vec![
            Span::styled("Partner of record (incentives): ", theme.dim),
            Span::raw(format!("{} ({})", r.name, r.partner_id)),
        ]),
        None => Line::from(vec![
            Span::styled("Partner of record (incentives): ", theme.dim),
            Span::raw("none: a direct sale (p to choose a reseller)"),
        ]),
    });
    if let Some(why) = o.partner_of_record.as_ref().and_then(|r| r.compliance.failure()) {
        lines.push(Line::from(Span::styled(
            format!("⚠ Not compliant ({why}): orders can't credit it."),
            theme.warning,
        )));
    }
    if let Some(warning) = o.unknown_warning() {
        lines.push(Line::from(Span::styled(format!("? {warning}."), theme.warning)));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), por);
}

fn review(w: &CustomerWizard, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = Vec::new();
    let heading = |text: &'static str| Line::from(Span::styled(text, theme.title));
    let fact = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("  {label:<20}"), theme.dim),
            Span::raw(clean(&value).into_owned()),
        ])
    };
    if w.mode == WizardMode::NewCustomer {
        let a = &w.account;
        let v = |f: usize| a.value(f).to_owned();
        lines.push(heading("Account info"));
        lines.push(fact("Company name", v(model::COMPANY)));
        lines.push(fact("Primary domain", a.full_domain()));
        lines.push(fact(
            "Admin user name",
            format!("admin@{}", a.full_domain()),
        ));
        lines.push(fact(
            "Contact",
            format!(
                "{} {} <{}> {}",
                v(model::FIRST_NAME),
                v(model::LAST_NAME),
                v(model::EMAIL),
                v(model::PHONE)
            ),
        ));
        let address: Vec<String> = [
            model::LINE1,
            model::LINE2,
            model::CITY,
            model::STATE,
            model::POSTAL,
            model::COUNTRY,
        ]
        .iter()
        .map(|f| v(*f))
        .filter(|s| !s.is_empty())
        .collect();
        lines.push(fact("Address", address.join(", ")));
        lines.push(fact(
            "Culture, language",
            format!("{}, {}", v(model::CULTURE), v(model::LANGUAGE)),
        ));
        if !v(model::REGISTRATION).is_empty() {
            lines.push(fact("Registration no.", v(model::REGISTRATION)));
        }
        let reseller = a
            .reseller
            .as_ref()
            .map_or("None (a direct customer)".to_owned(), |r| {
                format!("{} ({})", r.name, r.partner_id)
            });
        lines.push(fact("Indirect reseller", reseller));
        lines.push(fact(
            "Customer Agreement",
            format!(
                "{} <{}>, {}",
                v(model::MCA_NAME),
                v(model::MCA_EMAIL),
                v(model::MCA_DATE)
            ),
        ));
        lines.push(Line::from(""));
    }
    lines.push(heading("Subscriptions"));
    for line in w.order.selected() {
        lines.push(Line::from(format!(
            "  • {}: {} licenses · term {} · billed {}",
            line.offer.name,
            line.quantity.value(),
            line.term(),
            line.billing_cycle()
        )));
    }
    let por = w
        .order
        .partner_of_record
        .as_ref()
        .map_or("none (a direct sale)".to_owned(), |r| {
            format!("{} ({})", r.name, r.partner_id)
        });
    lines.push(fact("Partner of record", por));
    if let Some(warning) = w.order.unknown_warning() {
        lines.push(Line::from(Span::styled(format!("  ? {warning}."), theme.warning)));
    }
    lines.push(Line::from(""));
    if w.order.partner_of_record.is_some() {
        let check = if w.attested { "[x]" } else { "[ ]" };
        lines.push(Line::from(vec![
            Span::styled(format!("{check} "), theme.accent),
            Span::styled(
                POR_ATTESTATION,
                if w.attested {
                    Style::new()
                } else {
                    theme.warning
                },
            ),
        ]));
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled(
        "If the order is correct, Submit (Ctrl-S). If not, Cancel (Esc) cancels the entire operation.",
        theme.dim,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((w.review_scroll, 0)),
        area,
    );
}
