//! The reseller picker: a search field and the matching active resellers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::screens::reseller_picker::ResellerPicker;
use crate::domain::text::clean;
use crate::app::state::AppState;
use crate::ui::chrome::ellipsize;
use crate::ui::highlight;
use crate::ui::theme::Theme;
use crate::ui::widgets::modal::{centered, frame_box};
use crate::ui::widgets::window_table::{self, column};

pub fn view(picker: &ResellerPicker, _state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let inner = frame_box(
        frame,
        centered(area, 80, area.height.saturating_sub(4).max(12)),
        Line::from(Span::styled(
            format!(" {} ", picker.purpose.title()),
            theme.title,
        )),
        theme,
    );
    let problem_height = if picker.problem.is_some() { 3 } else { 0 };
    let [search, none, problem, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(problem_height),
        Constraint::Min(3),
    ])
    .areas(inner);
    let value = clean(picker.search.value()).into_owned();
    let room = search.width.saturating_sub(19) as usize;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Name or PartnerID: ", theme.accent),
            Span::raw(ellipsize(&value, room)),
        ])),
        search,
    );
    // The cursor stays inside the box, even after a search longer than the line.
    let cursor = (picker.search.visual_cursor() as u16).min(room.saturating_sub(1) as u16);
    frame.set_cursor_position((search.x + 19 + cursor, search.y));
    let marker = if picker.on_none {
        theme.selected
    } else {
        theme.dim
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {} ", picker.purpose.none_label()),
            marker,
        )),
        none,
    );
    if let Some(p) = &picker.problem {
        frame.render_widget(
            Paragraph::new(Span::styled(p.clone(), theme.error)).wrap(Wrap { trim: true }),
            problem,
        );
    }
    let columns = [
        column("Name", Constraint::Fill(1), 0),
        column("PartnerID (MPN ID)", Constraint::Length(18), 0),
        column("Status", Constraint::Length(18), 60),
    ];
    let query = picker.list.filter.search.as_str();
    let title = highlight::titled("Active indirect resellers".to_owned(), &picker.list);
    window_table::render(
        frame,
        list,
        theme,
        &title,
        &picker.list,
        &columns,
        if picker.search.value().is_empty() {
            "No active indirect resellers yet: on Indirect resellers, r requests a partnership."
        } else {
            "No active reseller's name, PartnerID, Microsoft ID or email contains that."
        },
        |r| {
            let status = match (r.compliance.failure(), r.compliance.unknown()) {
                (Some(why), _) => Span::styled(format!("⚠ {why}"), theme.warning),
                (None, Some(what)) => Span::styled(format!("? {what}"), theme.warning),
                (None, None) => Span::raw("Active"),
            };
            vec![
                highlight::lit(&r.name, query, theme),
                highlight::lit(&r.partner_id, query, theme),
                status.into(),
            ]
        },
    );
}
