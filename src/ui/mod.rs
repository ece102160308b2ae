//! The view: `view(&AppState, &Theme, &mut Frame)` draws the state and changes nothing.

pub mod chrome;
pub mod screens;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::layout::{MIN_HEIGHT, MIN_WIDTH, too_small};
use crate::app::state::{AppState, Modal, Screen};
pub use theme::Theme;

pub fn view(state: &AppState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if too_small(area.width, area.height) {
        let text = vec![
            Line::from("The terminal is too small for twotier."),
            Line::from(format!(
                "It needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}.",
                area.width, area.height
            )),
            Line::from("Enlarge the window, or press q to quit."),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, menu, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(state, theme, frame, header);
    chrome::menu(state, theme, frame, menu);
    match state.screen {
        Screen::Resellers => screens::resellers::view(state, theme, frame, body),
        Screen::Customers => screens::customers::view(state, theme, frame, body),
        Screen::CompanyProfile => screens::company_profile::view(state, theme, frame, body),
        Screen::ActivityLog => screens::activity_log::view(state, theme, frame, body),
        Screen::Users => screens::users::view(state, theme, frame, body),
        Screen::Invitations => screens::invitations::view(state, theme, frame, body),
    }
    chrome::footer(state, theme, frame, footer);
    for modal in &state.modals {
        match modal {
            Modal::Help { scroll } => widgets::help::view(state, *scroll, theme, frame, area),
            Modal::Error { title, message } => {
                widgets::modal::error(title, message, theme, frame, area)
            }
            Modal::RequestPartnership(form) => {
                screens::request_partnership::view(form, theme, frame, area)
            }
            Modal::DraftEmail(draft) => screens::draft_email::view(draft, theme, frame, area),
            Modal::RemovePartnership(c) => screens::remove_partnership::view(c, theme, frame, area),
            Modal::RecordAcceptance(form) => {
                screens::record_acceptance::view(form, theme, frame, area)
            }
            Modal::Compliance(form) => screens::compliance::view(form, theme, frame, area),
            Modal::Confirm(c) => screens::confirm::view(c, theme, frame, area),
            Modal::Wizard(w) => screens::customer_wizard::view(w, theme, frame, area),
            Modal::ResellerPicker(p) => screens::reseller_picker::view(p, theme, frame, area),
            Modal::Confirmation(c) => screens::confirmation::view(c, theme, frame, area),
            Modal::SubscriptionDetails(form) => {
                screens::subscription_details::view(form, state, theme, frame, area)
            }
            Modal::UserForm(form) => screens::user_form::view(form, theme, frame, area),
            Modal::ActivityFilter(form) => screens::activity_filter::view(form, theme, frame, area),
        }
    }
    // Above any dialog: a toast answers what the operator just did there.
    chrome::toasts(state, theme, frame, body);
}
