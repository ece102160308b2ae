//! Customers: Company name · Primary domain · Microsoft ID · Reseller · Subscriptions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use crate::app::state::AppState;
use crate::ui::Theme;
use crate::ui::widgets::window_table::{self, Columns};

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The Microsoft ID (a GUID) takes 36 columns: in full only where the names still fit.
    let full_id = area.width >= 140;
    let columns = Columns {
        headers: &["Company name", "Primary domain", "Microsoft ID", "Reseller", "Subscriptions"],
        widths: &[
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Length(if full_id { 36 } else { 13 }),
            Constraint::Fill(2),
            Constraint::Length(13),
        ],
    };
    let empty = if state.customers.list.filter.search.is_empty() {
        "No customers yet."
    } else {
        "No company name, domain or Microsoft ID starts with that."
    };
    window_table::render(frame, area, theme, "Customers", &state.customers.list, columns, empty, |c| {
        let reseller = match &c.reseller {
            Some(name) => Span::raw(name.clone()),
            None => Span::styled("Direct", theme.dim),
        };
        Row::new(vec![
            Cell::from(c.company_name.clone()),
            Cell::from(c.domain.clone()),
            Cell::from(if full_id { c.tenant_id.clone() } else { format!("{}…", c.tenant_id.chars().take(8).collect::<String>()) }),
            Cell::from(Line::from(reseller)),
            Cell::from(Line::from(c.subscriptions.to_string()).right_aligned()),
        ])
    });
}
