//! Invitations: Recipient · Sent by · Sent at · Age · Status · Delivery, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::app::state::AppState;
use crate::domain::invitation::InvitationStatus;
use crate::app::screens::invitations::InvitationsScreen;
use crate::ui::highlight;
use crate::ui::theme::Theme;
use crate::ui::widgets::window_table::{self, column};

pub fn view(screen: &InvitationsScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let columns = [
        column("Recipient", Constraint::Fill(3), 0),
        column("Sent by", Constraint::Fill(2), 90),
        column("Sent at", Constraint::Length(16), 70),
        column("Age", Constraint::Length(5), 0),
        column("Status", Constraint::Length(9), 0),
        column("Delivery", Constraint::Length(19), 110),
        column("Reseller", Constraint::Fill(2), 100),
    ];
    let title = highlight::titled("Invitations · partnership requests".to_owned(), &screen.list);
    let query = screen.list.filter.search.as_str();
    let empty = if screen.list.filter.search.is_empty() {
        "No partnership requests yet: r requests a partnership (its Draft email carries the link)."
    } else {
        "No recipient's email, PartnerID or tenant ID contains that."
    };
    window_table::render(
        frame,
        area,
        theme,
        &title,
        &screen.list,
        &columns,
        empty,
        |i| {
            let status = i.status(state.now, state.expiry_days);
            let style = match status {
                InvitationStatus::Sent => theme.accent,
                InvitationStatus::Accepted => ratatui::style::Style::new(),
                InvitationStatus::Expired => theme.warning,
                InvitationStatus::Revoked | InvitationStatus::Discarded => theme.dim,
            };
            let age = (state.now - i.sent_at).num_days().max(0);
            vec![
                highlight::lit(&i.recipient, query, theme),
                Line::from(i.sent_by.clone()),
                Line::from(state.local(i.sent_at).format("%Y-%m-%d %H:%M").to_string()),
                Line::from(format!("{age}d")),
                Line::from(Span::styled(status.label(), style)),
                Line::from(i.delivery.label()),
                Line::from(i.reseller.clone().unwrap_or_default()),
            ]
        },
    );
}
