//! Customers: Company name · Primary domain · Microsoft ID · Reseller · Subscriptions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::style::Style;
use ratatui::widgets::Paragraph;

use crate::app::action::Command;
use crate::app::keymap;
use crate::app::layout;
use crate::app::state::AppState;
use crate::store::customers::status_label;
use crate::app::screens::customers::{CustomersScreen, KEYS};
use crate::ui::chrome::ellipsize;
use crate::ui::highlight;
use crate::store::subscriptions::SubscriptionRow;
use crate::ui::theme::Theme;
use crate::store::record::RecordId;
use crate::ui::widgets::window_table::{self, Column, column};
use crate::ui::widgets::{detail_pane, detail_records};

/// Where the Microsoft ID (a GUID, 36 columns) is shown in full rather than its first 8 digits.
const FULL_ID: u16 = 140;

const COLUMNS: [Column; 5] = [
    column("Company name", Constraint::Fill(3), 0),
    column("Primary domain", Constraint::Fill(2), 70),
    column("Microsoft ID", Constraint::Length(12), 80),
    column("Reseller", Constraint::Fill(2), 0),
    column("Subscriptions", Constraint::Length(13), 80),
];

pub fn view(screen: &CustomersScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let area = match screen.selected_record() {
        Some(RecordId::Subscription(id)) => {
            detail_records::subscription_beside(frame, area, state, theme, &screen.detail, Some(id))
        }
        _ => customer_beside(screen, state, theme, frame, area),
    };
    let Some(expanded) = &screen.expanded else {
        return customer_list(screen, theme, frame, area);
    };
    // The expanded record: its subscriptions below the list, as many rows as they need up to
    // about half the height; the list keeps the rest.
    let (list_rows, _) =
        layout::split_rows(area.height + layout::CHROME_LINES, expanded.rows_wanted());
    let list_height = list_rows as u16 + layout::TABLE_FRAME_LINES;
    let [list, pane] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(3)]).areas(area);
    customer_list(screen, theme, frame, list);
    let columns = [
        column("Subscription", Constraint::Fill(3), 0),
        column("Licenses", Constraint::Length(8), 0),
        column("Status", Constraint::Length(9), 0),
        column("Reseller (MPN ID)", Constraint::Fill(2), 70),
        column("Support contact", Constraint::Fill(2), SUPPORT_SHOWN),
        column("Term", Constraint::Length(4), 100),
    ];
    // The company name gives way before the count: "Subscriptions of Contoso… (3)".
    let room = usize::from(pane.width).saturating_sub(30).max(8);
    let title = format!("Subscriptions of {}", ellipsize(&expanded.customer, room));
    let provider = state
        .provider
        .as_ref()
        .map_or("You", |p| p.company_name.as_str());
    let support_shown = pane.width >= SUPPORT_SHOWN;
    window_table::render(
        frame,
        pane,
        theme,
        &title,
        &expanded.subscriptions,
        &columns,
        "No subscriptions yet: s adds one, or twotier import subscriptions FILE.",
        |s| {
            vec![
                Line::from(s.offer.clone()),
                Line::from(s.quantity.to_string()).right_aligned(),
                Line::from(status_label(&s.status).to_owned()),
                reseller_cell(s, support_shown, theme),
                removed_cell(
                    s.support_contact
                        .clone()
                        .unwrap_or_else(|| provider.to_owned()),
                    s.support_removed,
                    theme,
                ),
                Line::from(s.term.clone()),
            ]
        },
    );
    actions(screen, theme, frame, pane);
}

/// Partner Center's three actions on an expanded customer (Add subscription, Subscriptions,
/// Account), on the record's bottom border, with their keys as the keymap has them; the one
/// that has the keys now (Subscriptions, while focused) is lit.
fn actions(screen: &CustomersScreen, theme: &Theme, frame: &mut Frame, pane: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for command in [Command::AddSubscription, Command::Enter, Command::ShowAccount] {
        let Some(binding) = KEYS.bindings.iter().find(|b| b.command == command) else {
            continue;
        };
        if spans.len() > 1 {
            spans.push(Span::raw("  "));
        }
        let here = command == Command::Enter && screen.pane_focused;
        spans.push(Span::styled(keymap::keys_label(binding), theme.key));
        spans.push(Span::raw(" "));
        let label = if here { theme.selected } else { Style::default() };
        spans.push(Span::styled(binding.label, label));
    }
    spans.push(Span::raw(" "));
    let bar = Rect {
        x: pane.x + 1,
        y: pane.bottom().saturating_sub(1),
        width: pane.width.saturating_sub(2),
        height: 1.min(pane.height),
    };
    frame.render_widget(Paragraph::new(Line::from(spans)), bar);
}

/// The selected customer's record beside the list, on a wide terminal; the list's area.
fn customer_beside(screen: &CustomersScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) -> Rect {
    let (list, pane) = detail_pane::split(area, state.width);
    if let Some(pane) = pane {
        let entries = match screen.list.selected_row() {
            Some(row) => {
                let record = screen.detail.of(RecordId::Customer(row.id));
                detail_records::customer(row, record, state, theme)
            }
            None => vec![detail_pane::none_selected(theme)],
        };
        detail_pane::render(frame, pane, theme, "Customer", &entries);
    }
    list
}

fn customer_list(screen: &CustomersScreen, theme: &Theme, frame: &mut Frame, area: Rect) {
    let full_id = area.width >= FULL_ID;
    let mut columns = COLUMNS;
    if full_id {
        columns[2].width = Constraint::Length(36);
    }
    let empty = if screen.reseller_filter.is_some()
        && screen.list.filter.search.is_empty()
    {
        "This reseller has no customers yet: n adds a customer, Esc shows all customers."
    } else if screen.list.filter.search.is_empty() {
        "No customers yet: n adds one, or twotier import customers FILE."
    } else {
        "No company name, domain or Microsoft ID contains that."
    };
    let title = match &screen.reseller_filter {
        Some(name) => format!("Customers · Indirect reseller: {name}"),
        None => "Customers".to_owned(),
    };
    let title = highlight::titled(title, &screen.list);
    let query = screen.list.filter.search.as_str();
    window_table::render(
        frame,
        area,
        theme,
        &title,
        &screen.list,
        &columns,
        empty,
        |c| {
            let reseller = match &c.reseller {
                Some(name) => Span::raw(name.clone()),
                None => Span::styled("Direct", theme.dim),
            };
            let id = if full_id {
                c.tenant_id.clone()
            } else {
                format!("{}…", c.tenant_id.chars().take(8).collect::<String>())
            };
            vec![
                highlight::lit(&c.company_name, query, theme),
                highlight::lit(&c.domain, query, theme),
                highlight::lit(&id, query, theme),
                Line::from(reseller),
                Line::from(c.subscriptions.to_string()).right_aligned(),
            ]
        },
    );
}

/// The width from which the pane shows the Support contact column.
const SUPPORT_SHOWN: u16 = 90;

/// The partner of record; where the Support contact column doesn't fit, a removed support
/// contact is said here, so no narrow terminal hides it.
fn reseller_cell(s: &SubscriptionRow, support_shown: bool, theme: &Theme) -> Line<'static> {
    let name = s.reseller.clone().unwrap_or_else(|| "None".into());
    if s.support_removed && !support_shown && !s.reseller_removed {
        return Line::from(vec![
            Span::styled("⚠ support removed", theme.warning),
            Span::raw(format!(" {name}")),
        ]);
    }
    removed_cell(name, s.reseller_removed, theme)
}

/// A reseller whose partnership was removed is marked where a subscription still names it.
fn removed_cell(name: String, removed: bool, theme: &Theme) -> Line<'static> {
    if !removed {
        return Line::from(name);
    }
    Line::from(vec![
        Span::styled(crate::store::subscriptions::REMOVED_MARK, theme.warning),
        Span::raw(format!(" {name}")),
    ])
}
