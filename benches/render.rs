//! The view of each screen at 120×40, and a keystroke on Customers, on the big database.
//!
//! ```sh
//! cargo bench --bench render
//! cargo bench --bench render -- render     # only the screens (divan filters by name)
//! ```
//!
//! The states are made the way the console makes them: `init`, then keys through the keymap into
//! `update`, every database effect answered synchronously from the real store (`execute`), as in
//! `tests/common`'s `Harness`. The database is `TWOTIER_BENCH_DB` (default
//! `/tmp/twotier-bench.db`), built once when missing.
//!
//! - `render`: one frame drawn into a fresh `TestBackend` (every cell written, as a first frame).
//! - `update_key`: one key: keymap → `update` → the page query it asks for (run on the store) →
//!   `update` with the reply, as the worker thread and the event loop do.
//! - `key_to_frame`: the same, then the frame drawn: all the work between a key and its frame.

#[path = "common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::action::Action;
use twotier::app::effect::Effect;
use twotier::app::keymap::action_for;
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;
use twotier::app::state::AppState;
use twotier::app::update::{init, update};
use twotier::store::Store;
use twotier::store::worker::execute;
use twotier::ui::{Theme, view};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn main() {
    divan::main();
}

struct Fixture {
    store: RefCell<Store>,
    states: HashMap<&'static str, AppState>,
}

/// Presses a key: through the keymap into `update`, answering database effects from the store.
fn press(store: &mut Store, state: &mut AppState, code: KeyCode) {
    if let Some(action) = action_for(state, &KeyEvent::from(code)) {
        let effects = update(state, action);
        run(store, state, effects);
    }
}

fn run(store: &mut Store, state: &mut AppState, effects: Vec<Effect>) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Effect::Db(to, cmd) = effect {
            let reply = execute(store, cmd);
            queue.extend(update(state, Action::Db(to, reply)));
        }
    }
}

fn keys(store: &mut Store, state: &AppState, codes: &[KeyCode]) -> AppState {
    let mut state = state.clone();
    for code in codes {
        press(store, &mut state, *code);
    }
    state
}

fn chars(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

/// Built once per thread (divan runs benchmarks on the main thread), on first use.
fn fixture() -> &'static Fixture {
    thread_local! {
        static FIXTURE: &'static Fixture = Box::leak(Box::new(build_fixture()));
    }
    FIXTURE.with(|f| *f)
}

fn build_fixture() -> Fixture {
    let mut store = common::open_store();
    let biggest = common::biggest_customer(&store);
    let domain = common::query_text(
        &store,
        &format!("SELECT domain FROM customers WHERE id = {biggest}"),
    );
    let operator = store.actor().expect("acting operator").clone();
    let mut start = AppState::new(operator, Utc::now(), WIDTH, HEIGHT);
    let effects = init(&mut start);
    run(&mut store, &mut start, effects);
    let s = &mut store;
    let resellers = start;
    let customers = keys(s, &resellers, &[KeyCode::Char('2')]);
    let mut expand = vec![KeyCode::Char('/')];
    expand.extend(chars(&domain));
    expand.extend([KeyCode::Enter, KeyCode::Right]);
    let expanded = keys(s, &customers, &expand);
    let customers_search = keys(s, &customers, &[KeyCode::Char('/')]);
    let states = HashMap::from([
        ("resellers", resellers.clone()),
        ("customers", customers.clone()),
        ("customers_expanded", expanded),
        (
            "company_profile",
            keys(s, &resellers, &[KeyCode::Char('3')]),
        ),
        ("activity_log", keys(s, &resellers, &[KeyCode::Char('4')])),
        ("users", keys(s, &resellers, &[KeyCode::Char('5')])),
        ("invitations", keys(s, &resellers, &[KeyCode::Char('i')])),
        (
            "add_customer_wizard",
            keys(s, &customers, &[KeyCode::Char('n')]),
        ),
        (
            "reseller_picker",
            keys(s, &customers, &[KeyCode::Char('f')]),
        ),
        ("customers_search_open", customers_search),
    ]);
    check(&states);
    Fixture {
        store: RefCell::new(store),
        states,
    }
}

/// The fixtures are what their names say, with their data loaded.
fn check(states: &HashMap<&'static str, AppState>) {
    let screen = |name: &str| states[name].screen;
    assert_eq!(screen("resellers"), Screen::Resellers);
    assert!(states["resellers"].screens.resellers.list.rows.len() > 50);
    assert_eq!(screen("customers"), Screen::Customers);
    assert!(states["customers"].screens.customers.list.rows.len() > 50);
    let expanded = states["customers_expanded"]
        .screens
        .customers
        .expanded
        .as_ref();
    assert!(
        expanded.is_some_and(|e| !e.subscriptions.rows.is_empty()),
        "the biggest customer is expanded with its subscriptions"
    );
    assert_eq!(screen("company_profile"), Screen::CompanyProfile);
    assert!(states["company_profile"].provider.is_some());
    assert_eq!(screen("activity_log"), Screen::ActivityLog);
    assert!(
        !states["activity_log"]
            .screens
            .activity_log
            .list
            .rows
            .is_empty()
    );
    assert_eq!(screen("users"), Screen::Users);
    assert!(!states["users"].screens.users.list.rows.is_empty());
    assert_eq!(screen("invitations"), Screen::Invitations);
    assert!(
        !states["invitations"]
            .screens
            .invitations
            .list
            .rows
            .is_empty()
    );
    assert!(matches!(
        states["add_customer_wizard"].top_modal(),
        Some(Modal::Wizard(_))
    ));
    assert!(matches!(
        states["reseller_picker"].top_modal(),
        Some(Modal::ResellerPicker(p)) if p.list.rows.len() > 50
    ));
    assert!(states["customers_search_open"].text_focused());
}

fn draw(terminal: &mut Terminal<TestBackend>, state: &AppState, theme: &Theme) {
    terminal
        .draw(|f| view(state, theme, f))
        .expect("draw into the test backend");
}

const SCREENS: &[&str] = &[
    "resellers",
    "customers",
    "customers_expanded",
    "company_profile",
    "activity_log",
    "users",
    "invitations",
    "add_customer_wizard",
    "reseller_picker",
];

#[divan::bench(args = SCREENS, sample_count = 50, max_time = 2)]
fn render(bencher: Bencher, screen: &str) {
    let state = &fixture().states[screen];
    let theme = Theme::colored();
    bencher
        .with_inputs(|| Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal"))
        .bench_local_refs(|terminal| draw(terminal, state, &theme));
}

/// A key on Customers, and the state it is pressed in.
fn key_case(name: &str) -> (&'static str, KeyCode) {
    match name {
        "Down" => ("customers", KeyCode::Down),
        "PageDown" => ("customers", KeyCode::PageDown),
        "End" => ("customers", KeyCode::End),
        "search a" => ("customers_search_open", KeyCode::Char('a')),
        "picker f" => ("customers", KeyCode::Char('f')),
        "expand →" => ("customers", KeyCode::Right),
        other => panic!("no key case {other}"),
    }
}

const KEYS: &[&str] = &[
    "Down",
    "PageDown",
    "End",
    "search a",
    "picker f",
    "expand →",
];

#[divan::bench(args = KEYS, sample_count = 30, max_time = 2)]
fn update_key(bencher: Bencher, key: &str) {
    let fixture = fixture();
    let (from, code) = key_case(key);
    let state = &fixture.states[from];
    let mut store = fixture.store.borrow_mut();
    bencher
        .with_inputs(|| state.clone())
        .bench_local_refs(|state| press(&mut store, state, code));
}

#[divan::bench(args = KEYS, sample_count = 30, max_time = 2)]
fn key_to_frame(bencher: Bencher, key: &str) {
    let fixture = fixture();
    let (from, code) = key_case(key);
    let state = &fixture.states[from];
    let theme = Theme::colored();
    let mut store = fixture.store.borrow_mut();
    // The terminal shows the frame before the key, as in the console: only changes are written.
    bencher
        .with_inputs(|| {
            let mut terminal =
                Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
            draw(&mut terminal, state, &theme);
            (state.clone(), terminal)
        })
        .bench_local_refs(|(state, terminal)| {
            press(&mut store, state, code);
            draw(terminal, state, &theme);
        });
}
