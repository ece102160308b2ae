//! Company profile: the provider's listing on Microsoft's official indirect providers list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::state::AppState;
use crate::app::screens::company_profile::CompanyProfileScreen;
use crate::ui::theme::Theme;

pub fn view(screen: &CompanyProfileScreen, state: &AppState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().title(Span::styled(" Company profile ", theme.title));
    let Some(p) = &state.provider else {
        frame.render_widget(
            Paragraph::new(Span::styled(" Loading…", theme.dim)).block(block),
            area,
        );
        return;
    };
    let field = |label: &'static str, value: &str| {
        Line::from(vec![
            Span::styled(format!("{label:<20}"), theme.dim),
            Span::raw(value.to_owned()),
        ])
    };
    let mut lines = vec![
        Line::from(Span::styled(
            "Your entry on Microsoft's official indirect providers list. To change it, contact your Microsoft representative.",
            theme.dim,
        )),
        Line::from(""),
        field("Company", &p.company_name),
        field("PartnerID (MPN ID)", &p.partner_id),
        field("Tenant ID", &p.tenant_id),
        field("Country", &p.country),
        field("CSP region", &p.csp_region),
        field("Regions served", &p.regions_served),
        field("Website", &p.website),
        field("Support email", &p.support_email),
        field("Support phone", &p.support_phone),
        Line::from(""),
        Line::from(Span::styled("Profile", theme.title)),
    ];
    lines.extend(p.listing_profile.lines().map(|l| Line::from(l.to_owned())));
    let inner_height = area.height.saturating_sub(2);
    // Scroll no further than the text needs (an estimate: wrapped lines count once).
    let max_scroll = (lines.len() as u16).saturating_sub(inner_height);
    let scroll = screen.scroll.min(max_scroll);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
