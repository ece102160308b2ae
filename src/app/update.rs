//! `update`: the one place state changes. Pure: no I/O, no clock, no randomness.

use chrono::Duration;

use super::action::{Action, Command};
use super::effect::Effect;
use super::layout;
use super::state::{AppState, Modal, Screen, Toast};
use crate::store::worker::{AnyPage, DbCmd, DbReply, ListId};

/// How long a toast stays.
const TOAST_SECONDS: i64 = 3;

/// What the app asks for when it starts.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    let mut effects = vec![Effect::Db(DbCmd::LoadProvider)];
    effects.extend(enter_screen(state, state.screen));
    effects
}

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => {
            state.now = now;
            state.toasts.retain(|t| t.until > now);
            Vec::new()
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            let viewport = viewport(state);
            if let Some(list) = state.current_list_mut() {
                list.clamp(viewport);
            }
            Vec::new()
        }
        Action::Db(reply) => receive(state, reply),
        Action::Command(command) => command_effects(state, command),
        Action::Edit(request) => {
            let mut seq = state.seq;
            let effect = state
                .current_list_mut()
                .and_then(|l| l.edit_search(request, &mut seq));
            state.seq = seq;
            effect.into_iter().collect()
        }
        Action::Paste(text) => {
            if !state.text_focused() {
                return Vec::new();
            }
            let mut seq = state.seq;
            let effect = state
                .current_list_mut()
                .and_then(|l| l.paste_search(&text, &mut seq));
            state.seq = seq;
            effect.into_iter().collect()
        }
    }
}

fn viewport(state: &AppState) -> usize {
    layout::list_rows(state.height)
}

fn command_effects(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command == Command::ForceQuit {
        state.quitting = true;
        return vec![Effect::Quit];
    }
    // The top modal takes every key.
    if let Some(modal) = state.modals.last_mut() {
        match (modal, command) {
            (_, Command::Back) => {
                state.modals.pop();
            }
            (Modal::Help { scroll }, Command::Up) => *scroll = scroll.saturating_sub(1),
            (Modal::Help { scroll }, Command::Down) => *scroll = scroll.saturating_add(1).min(40),
            _ => {}
        }
        return Vec::new();
    }
    let viewport = viewport(state);
    let mut seq = state.seq;
    let effects = match command {
        Command::Quit => {
            state.quitting = true;
            vec![Effect::Quit]
        }
        Command::Help => {
            state.modals.push(Modal::Help { scroll: 0 });
            Vec::new()
        }
        Command::Goto(screen) => enter_screen(state, screen),
        Command::Refresh => {
            let label = state.screen.label();
            toast(state, format!("{label} refreshed"));
            let mut effects = Vec::new();
            if state.screen == Screen::CompanyProfile {
                effects.push(Effect::Db(DbCmd::LoadProvider));
            } else if let Some(list) = state.current_list_mut() {
                effects.push(list.reload(&mut seq));
            }
            effects
        }
        Command::Search => {
            if let Some(list) = state.current_list_mut() {
                list.open_search();
            }
            Vec::new()
        }
        Command::SearchAccept => {
            if let Some(list) = state.current_list_mut() {
                list.accept_search();
            }
            Vec::new()
        }
        Command::Back => state
            .current_list_mut()
            .and_then(|l| l.clear_search(&mut seq))
            .into_iter()
            .collect(),
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::Home
        | Command::End => {
            if state.screen == Screen::CompanyProfile {
                scroll_profile(state, command);
                Vec::new()
            } else {
                let page = viewport.saturating_sub(1).max(1) as isize;
                state
                    .current_list_mut()
                    .and_then(|list| match command {
                        Command::Up => list.move_by(-1, viewport, &mut seq),
                        Command::Down => list.move_by(1, viewport, &mut seq),
                        Command::PageUp => list.move_by(-page, viewport, &mut seq),
                        Command::PageDown => list.move_by(page, viewport, &mut seq),
                        Command::Home => list.home(viewport, &mut seq),
                        _ => list.end(viewport, &mut seq),
                    })
                    .into_iter()
                    .collect()
            }
        }
        Command::ForceQuit => unreachable!("handled above"),
    };
    state.seq = state.seq.max(seq);
    effects
}

fn scroll_profile(state: &mut AppState, command: Command) {
    let scroll = &mut state.company_profile.scroll;
    *scroll = match command {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll.saturating_add(1).min(200),
        Command::Home => 0,
        Command::End => 200,
        _ => *scroll,
    };
}

/// Switches screens; a list is loaded the first time it is shown.
fn enter_screen(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    state.screen = screen;
    let mut seq = state.seq;
    let effect = state
        .current_list_mut()
        .filter(|l| l.needs_load())
        .map(|l| l.reload(&mut seq));
    state.seq = seq;
    effect.into_iter().collect()
}

fn receive(state: &mut AppState, reply: DbReply) -> Vec<Effect> {
    match reply {
        DbReply::Provider(profile) => {
            state.provider = Some(*profile);
            Vec::new()
        }
        DbReply::Page { list, seq, page } => {
            let viewport = viewport(state);
            let next = &mut state.seq;
            let follow_up = match (list, page) {
                (ListId::Resellers, AnyPage::Resellers(p)) => {
                    state.resellers.list.receive(seq, p, viewport, next)
                }
                (ListId::Customers, AnyPage::Customers(p)) => {
                    state.customers.list.receive(seq, p, viewport, next)
                }
                (ListId::Activity, AnyPage::Activity(p)) => {
                    state.activity_log.list.receive(seq, p, viewport, next)
                }
                (ListId::Users, AnyPage::Users(p)) => {
                    state.users.list.receive(seq, p, viewport, next)
                }
                _ => None,
            };
            follow_up.into_iter().collect()
        }
        DbReply::Failed { what, message } => {
            state.modals.push(Modal::Error {
                title: format!("{what} failed"),
                message: format!(
                    "{message}\n\nNothing was changed. Try again with Ctrl-R; if it keeps failing, \
                     the log file (see twotier --help) has the details."
                ),
            });
            Vec::new()
        }
    }
}

/// Shows a short message at the bottom right.
pub fn toast(state: &mut AppState, text: String) {
    let until = state.now + Duration::seconds(TOAST_SECONDS);
    state.toasts.push(Toast { text, until });
    if state.toasts.len() > 3 {
        state.toasts.remove(0);
    }
}
