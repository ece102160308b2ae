//! Shared by the integration tests: real SQLite files in temp folders, never mocks.
#![allow(dead_code)]

pub mod old_books;
pub mod orders;
pub mod process;
pub mod sandbox;
pub mod tmux;
pub mod tools;
pub mod wizard;

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};
use twotier::app::action::{Action, Command};
use twotier::app::effect::Effect;
use twotier::app::nav::Screen;
use twotier::app::state::AppState;
use twotier::app::update::{init, update};
use twotier::domain::permission::Permission;
use twotier::store::demo::{self, DemoParams};
use twotier::store::operators::Operator;
use twotier::store::worker::{DbCmd, execute};
use twotier::store::{Opened, Store};

pub const OPERATOR: &str = "tester@northwind-distribution.example";

/// A fixed day, so demo data and snapshots never change with the calendar.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

pub fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 30, 0).unwrap()
}

/// A temp folder with a database in it, kept alive as long as this lives.
pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub store: Store,
}

impl TestDb {
    pub fn empty() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("twotier.db");
        let (store, opened) = Store::open(&path).unwrap();
        assert_eq!(opened, Opened::Created);
        TestDb { dir, path, store }
    }

    pub fn demo(resellers: u32, customers: u32, subscriptions: u32) -> TestDb {
        let db = TestDb::empty();
        let params = DemoParams {
            resellers,
            customers,
            subscriptions,
            seed: 42,
            as_of: as_of(),
        };
        demo::seed(&db.store, &params, OPERATOR).unwrap();
        db
    }

    /// The default demo database a first run creates.
    pub fn default_demo() -> TestDb {
        TestDb::demo(12, 60, 150)
    }

    pub fn operator(&self) -> Operator {
        self.store.resolve_operator(OPERATOR).unwrap()
    }
}

/// Drives `update` the way the runtime does, answering database effects from the real store
/// synchronously. `effects` keeps everything `update` asked for, in order.
pub struct Harness {
    pub db: TestDb,
    pub state: AppState,
    pub effects: Vec<Effect>,
}

impl Harness {
    pub fn new(db: TestDb, width: u16, height: u16) -> Harness {
        Harness::acting_as(db, OPERATOR, width, height)
    }

    /// The console as the operator with this UPN: the state and the store both act as them.
    pub fn acting_as(mut db: TestDb, upn: &str, width: u16, height: u16) -> Harness {
        let operator = db.store.resolve_operator(upn).unwrap();
        db.store.act_as(operator.clone());
        let state = AppState::new(operator, now(), width, height);
        let mut h = Harness {
            db,
            state,
            effects: Vec::new(),
        };
        let first = init(&mut h.state);
        h.run_effects(first);
        // Where the console opened before the Dashboard, so these tests keep testing that screen:
        // Indirect resellers, or Customers for a role that can't see them.
        let start = match h
            .state
            .matrix
            .refusal(h.state.operator.role, Permission::ViewResellers)
        {
            None => Screen::Resellers,
            Some(_) => Screen::Customers,
        };
        h.send(Action::Command(Command::Goto(start)));
        h
    }

    /// The console as it opens (on the Dashboard), as the default operator.
    pub fn opened(db: TestDb, width: u16, height: u16) -> Harness {
        Harness::opened_as(db, OPERATOR, width, height)
    }

    /// The console as it opens (on the Dashboard), as the operator with this UPN.
    pub fn opened_as(mut db: TestDb, upn: &str, width: u16, height: u16) -> Harness {
        let operator = db.store.resolve_operator(upn).unwrap();
        db.store.act_as(operator.clone());
        let mut h = Harness {
            db,
            state: AppState::new(operator, now(), width, height),
            effects: Vec::new(),
        };
        let first = init(&mut h.state);
        h.run_effects(first);
        h
    }

    pub fn send(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run_effects(effects);
    }

    pub fn key(&mut self, key: crossterm::event::KeyEvent) {
        if let Some(action) = twotier::app::keymap::action_for(&self.state, &key) {
            self.send(action);
        }
    }

    /// Types text as key presses (each char its own key event).
    pub fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            self.key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            ));
        }
    }

    pub fn press(&mut self, code: crossterm::event::KeyCode) {
        self.key(crossterm::event::KeyEvent::from(code));
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            self.effects.push(effect.clone());
            if let Effect::Db(to, cmd) = effect {
                let reply = execute(&mut self.db.store, cmd);
                queue.extend(update(&mut self.state, Action::Db(to, reply)));
            }
        }
    }

    pub fn db_commands(&self) -> Vec<&DbCmd> {
        self.effects
            .iter()
            .filter_map(|e| {
                if let Effect::Db(_, c) = e {
                    Some(c)
                } else {
                    None
                }
            })
            .collect()
    }
}
