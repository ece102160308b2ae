//! Indirect resellers: Name · PartnerID (MPN ID) · Location · Status · Customers · Since.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::app::state::AppState;
use crate::store::list::Sort;
use crate::app::screens::resellers::ResellersScreen;
use crate::ui::highlight;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, Column, column};
use crate::ui::widgets::{detail_pane, detail_records};

/// Where the table is wide enough for the status's full reason.
const WIDE: u16 = 100;

const COLUMNS: [Column; 6] = [
    column("Name", Constraint::Fill(1), 0),
    column("PartnerID (MPN ID)", Constraint::Length(18), 0),
    column("Location", Constraint::Length(8), 80),
    column("Status", Constraint::Length(12), 0),
    column("Customers", Constraint::Length(9), 70),
    column("Since", Constraint::Length(10), WIDE),
];

pub fn view(screen: &ResellersScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let wide = area.width >= WIDE;
    let mut columns = COLUMNS;
    if wide {
        columns[3].width = Constraint::Length(24);
    }
    let filter = &screen.list.filter;
    let empty = if filter.search.is_empty() {
        "No indirect resellers yet: r requests a partnership, or twotier import resellers FILE."
    } else {
        "No indirect reseller's name, PartnerID, Microsoft ID or email contains that."
    };
    let mut title = "Indirect resellers".to_owned();
    if filter.sort != Sort::Name {
        title.push_str(&format!(" · by {}", filter.sort.label()));
    }
    if filter.include_removed {
        title.push_str(" · with removed");
    }
    let list = &screen.list;
    let title = highlight::titled(title, list);
    let query = filter.search.as_str();
    let (area, pane) = detail_pane::split(area, state.width);
    if let Some(pane) = pane {
        let entries = match list.selected_row() {
            Some(row) => detail_records::reseller(row, state, theme),
            None => vec![detail_pane::none_selected(theme)],
        };
        detail_pane::render(frame, pane, theme, "Indirect reseller", &entries);
    }
    window_table::render(frame, area, theme, &title, list, &columns, empty, |r| {
        // A known failure first, then what nobody has checked yet (Unknown is a state of its own).
        let status = match (r.removed_at, r.compliance.status()) {
            (Some(at), _) => {
                let text = if wide {
                    format!("Removed {}", state.local(at).format("%Y-%m-%d"))
                } else {
                    "Removed".into()
                };
                Line::from(Span::styled(text, theme.dim))
            }
            (None, None) => Line::from("Active"),
            // Narrow: the first word of the reason ("MPA", "POR").
            (None, Some(why)) => {
                let failed = r.compliance.failure().is_some();
                let mark = if failed { "⚠" } else { "?" };
                match (wide, failed) {
                    (true, _) => Line::from(vec![
                        Span::raw("Active "),
                        Span::styled(format!("{mark} {why}"), theme.warning),
                    ]),
                    (false, true) => Line::from(vec![
                        Span::raw("Active "),
                        Span::styled(
                            format!("{mark} {}", why.split(' ').next().unwrap_or(why)),
                            theme.warning,
                        ),
                    ]),
                    // Narrow: "? Unknown" fits where "Active ? MPA/POR unknown" does not.
                    (false, false) => Line::from(Span::styled("? Unknown", theme.warning)),
                }
            }
        };
        vec![
            highlight::lit(&r.name, query, theme),
            highlight::lit(&r.partner_id, query, theme),
            Line::from(r.location.clone()),
            status,
            Line::from(r.customers.to_string()).right_aligned(),
            Line::from(state.local(r.since).format("%Y-%m-%d").to_string()),
        ]
    });
}
