//! `update`: the one place state changes. Pure: no I/O, no clock, no randomness.
//! It only routes: global keys, the modal stack and navigation. Everything else goes to the
//! top modal, else to the screen shown (`Model`), and a store reply to whoever asked (`To`);
//! `update` then carries out the `Outcome` it gets back.

use super::action::{Action, Command};
use super::effect::Effect;
use super::list_keys::list_text;
use super::model::{Cx, Model, Typed, settled};
use super::nav::{Screen, To};
use super::outcome::{Answer, ConfirmAction, Go, Open, Outcome};
use super::screens::{self, Modal};
use super::state::AppState;
use super::{gate, layout, link};
use crate::store::worker::{DbCmd, DbReply, ListId};

/// What the app asks for when it starts.
pub fn init(state: &mut AppState) -> Vec<Effect> {
    // A role that can't see the resellers starts on Customers.
    if let Some(needs) = state.screen.needs()
        && state.matrix.refusal(state.operator.role, needs).is_some()
    {
        state.screen = Screen::Customers;
    }
    let mut effects = vec![
        Effect::Db(To::App, DbCmd::LoadProvider),
        Effect::Db(To::App, DbCmd::LoadOffers),
    ];
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
        Action::Resize { width, height } => state.resized(width, height),
        Action::Db(to, reply) => receive(state, to, reply),
        Action::Command(command) => command_effects(state, command),
        Action::Edit(request) => typed(state, Typed::Edit(request)),
        Action::EditBody(input) => typed(state, Typed::Body(input)),
        Action::Paste(text) => typed(state, Typed::Paste(text)),
        Action::Copied(result) => to_top(state, |m, cx| m.on_answer(Answer::Copied(result), cx)),
        Action::Remote(event) => link::on_event(state, event, carry_out),
        Action::MailOpened(result) => {
            to_top(state, |m, cx| m.on_answer(Answer::Mailed(result), cx))
        }
    }
}

/// The top modal, else the screen shown.
fn top(state: &AppState) -> To {
    match state.modals.len() {
        0 => To::Screen(state.screen),
        n => To::Modal(n - 1),
    }
}

/// Text goes to the top modal's field, else to the search field of the screen's list.
fn typed(state: &mut AppState, typed: Typed) -> Vec<Effect> {
    if !state.modals.is_empty() {
        return to_top(state, |m, cx| m.on_text(typed, cx));
    }
    let screen = state.screen;
    let effects = {
        let (mut cx, screens, _) = state.parts();
        match screens.get_mut(screen).list_mut() {
            Some(list) => list_text(list, typed, &mut cx).effects,
            None => Vec::new(),
        }
    };
    addressed(effects, To::Screen(screen))
}

/// The clipboard's or mail client's answers, and commands, go to the top layer.
fn to_top(
    state: &mut AppState,
    ask: impl FnOnce(&mut dyn Model, &mut Cx) -> Outcome,
) -> Vec<Effect> {
    let at = top(state);
    route(state, at, ask)
}

fn command_effects(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command == Command::ForceQuit {
        return force_quit(state);
    }
    // Nothing is drawn on a terminal too small: keys there would act blind. Only quitting works.
    if layout::too_small(state.width, state.height) {
        if command == Command::Quit {
            return quit(state);
        }
        return Vec::new();
    }
    // The operator's role can't: say why, do nothing.
    if let Some(why) = gate::refusal(state, command) {
        state.toast(why);
        return Vec::new();
    }
    if !state.modals.is_empty() {
        return to_top(state, |m, cx| m.on_command(command, cx));
    }
    let screen = state.screen;
    match command {
        Command::Quit => match screen.parent() {
            Some(parent) => enter_screen(state, parent),
            None => quit(state),
        },
        Command::Help => open_layer(state, Open::Help),
        Command::Goto(target) => enter_screen(state, target),
        Command::SetUpBook => match state.own_book_offer() {
            Some(open) => open_layer(state, open),
            None => Vec::new(),
        },
        Command::SignIn | Command::Sync => link::on_command(state, command, carry_out),
        Command::Refresh => {
            state.toast(format!("{} refreshed", screen.label()));
            let (mut cx, screens, _) = state.parts();
            let effects = screens.get_mut(screen).refresh(&mut cx);
            addressed(effects, To::Screen(screen))
        }
        command => route(state, To::Screen(screen), |m, cx| m.on_command(command, cx)),
    }
}

/// A store reply goes back to whoever asked; the provider and the catalog are the app's.
fn receive(state: &mut AppState, to: To, reply: DbReply) -> Vec<Effect> {
    match (to, reply) {
        (_, DbReply::Provider(profile)) => {
            state.provider = Some(*profile);
            Vec::new()
        }
        (_, DbReply::Offers(offers)) => {
            state.catalog = offers;
            Vec::new()
        }
        (To::Screen(screen), reply) => {
            route(state, To::Screen(screen), |m, cx| m.on_reply(reply, cx))
        }
        (To::Modal(depth), reply) if depth < state.modals.len() => {
            route(state, To::Modal(depth), |m, cx| m.on_reply(reply, cx))
        }
        // The asker is gone (a form that closed as it saved): say how it went over the screen.
        (_, reply) => carry_out(state, To::Screen(state.screen), settled(reply)),
    }
}

/// Asks the model at `at`, then carries out what it answered.
fn route(
    state: &mut AppState,
    at: To,
    ask: impl FnOnce(&mut dyn Model, &mut Cx) -> Outcome,
) -> Vec<Effect> {
    let outcome = {
        let (mut cx, screens, modals) = state.parts();
        match at {
            To::Screen(screen) => ask(screens.get_mut(screen), &mut cx),
            To::Modal(depth) => match modals.get_mut(depth) {
                Some(modal) => ask(modal.model_mut(), &mut cx),
                None => return Vec::new(),
            },
            // Only a screen or a modal answers.
            To::App | To::Asker => return Vec::new(),
        }
    };
    carry_out(state, at, outcome)
}

fn carry_out(state: &mut AppState, at: To, out: Outcome) -> Vec<Effect> {
    let mut effects = addressed(out.effects, at);
    if out.quit {
        return quit(state);
    }
    if out.close
        && let To::Modal(depth) = at
    {
        state.modals.truncate(depth);
    }
    if let Some(text) = out.toast {
        state.toast(text);
    }
    if let Some(answer) = out.answer {
        let below = top(state);
        effects.extend(route(state, below, |m, cx| m.on_answer(answer, cx)));
    }
    if let Some(open) = out.open {
        effects.extend(open_layer(state, open));
    }
    for list in out.reload {
        effects.extend(reload(state, list));
    }
    if let Some(go) = out.go {
        effects.extend(navigate(state, go));
    }
    effects
}

fn addressed(effects: Vec<Effect>, to: To) -> Vec<Effect> {
    effects.into_iter().map(|e| e.from(to)).collect()
}

/// Pushes the layer `open` describes, with the requests it starts with.
fn open_layer(state: &mut AppState, open: Open) -> Vec<Effect> {
    let depth = state.modals.len();
    let (modal, effects) = {
        let (mut cx, _, _) = state.parts();
        screens::open(open, &mut cx)
    };
    state.modals.push(modal);
    addressed(effects, To::Modal(depth))
}

fn navigate(state: &mut AppState, go: Go) -> Vec<Effect> {
    match go {
        Go::Screen(screen) => enter_screen(state, screen),
        Go::Back => match state.screen.parent() {
            Some(parent) => enter_screen(state, parent),
            None => Vec::new(),
        },
        // Straight to the narrowed list: no refresh of the old one first.
        Go::CustomersOf { reseller_id, name } => {
            state.screen = Screen::Customers;
            let (mut cx, screens, _) = state.parts();
            let effects = screens.customers.show_reseller(reseller_id, name, &mut cx);
            addressed(effects, To::Screen(Screen::Customers))
        }
    }
}

/// Switches screens; a list is loaded the first time it is shown, refreshed after.
fn enter_screen(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    state.screen = screen;
    let (mut cx, screens, _) = state.parts();
    let effects = screens.get_mut(screen).on_enter(&mut cx);
    addressed(effects, To::Screen(screen))
}

/// A list changed: reloaded now where shown, on the next visit elsewhere.
fn reload(state: &mut AppState, list: ListId) -> Vec<Effect> {
    let shown = state.screen;
    let mut effects = Vec::new();
    for &screen in Screen::ALL {
        let (mut cx, screens, _) = state.parts();
        let changed = screens
            .get_mut(screen)
            .reload(&[list], screen == shown, &mut cx);
        effects.extend(addressed(changed, To::Screen(screen)));
    }
    effects
}

/// What an open dialog must still record goes to the store first (it finishes before exit).
fn quit(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    for depth in 0..state.modals.len() {
        effects.extend(route(state, To::Modal(depth), |m, cx| {
            Outcome::effects(m.on_quit(cx))
        }));
    }
    state.quitting = true;
    effects.push(Effect::Quit);
    effects
}

/// `Ctrl-C` quits now, except over a new customer's credentials (the one time the temporary
/// password is shown): the first asks, as Done does; a second Ctrl-C, or Yes, quits.
fn force_quit(state: &mut AppState) -> Vec<Effect> {
    let credentials = state
        .modals
        .iter()
        .any(|m| matches!(m, Modal::Confirmation(_)));
    // On Done's question (`Some(false)`) or on this one (`Some(true)`).
    let asking = match state.top_modal() {
        Some(Modal::Confirm(c)) => match c.action {
            ConfirmAction::FinishConfirmation => Some(false),
            ConfirmAction::QuitAnyway => Some(true),
            _ => None,
        },
        _ => None,
    };
    if !credentials || asking == Some(true) {
        return quit(state);
    }
    if asking == Some(false) {
        state.modals.pop();
    }
    open_layer(
        state,
        Open::Question(screens::confirmation::quit_question()),
    )
}
