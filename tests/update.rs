//! `update` action sequences, answered by a real store through the same `execute` the worker runs.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::action::{Action, Command};
use twotier::app::effect::Effect;
use twotier::app::list::{MAX_ROWS, PAGE_SIZE};
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;
use twotier::app::update::update;
use twotier::store::list::Anchor;
use twotier::store::worker::{DbCmd, ListId};

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn start_loads_the_provider_and_the_dashboard_then_1_the_resellers() {
    let mut h = Harness::opened(TestDb::default_demo(), 80, 24);
    let cmds = h.db_commands();
    assert_eq!(cmds[0], &DbCmd::LoadProvider);
    assert_eq!(cmds[1], &DbCmd::LoadOffers);
    assert!(matches!(cmds[2], DbCmd::LoadDashboard(_)));
    assert_eq!(cmds.len(), 3, "only the screen shown is loaded");
    assert_eq!(h.state.screen, Screen::Dashboard);
    h.type_str("1");
    let cmds = h.db_commands();
    assert!(
        matches!(cmds[3], DbCmd::Page { list: ListId::Resellers, req, .. } if req.anchor == Anchor::First)
    );
    assert_eq!(cmds.len(), 4, "then the list shown");
    assert!(h.state.catalog.len() >= 12, "the offer catalog");
    assert_eq!(
        h.state.provider.as_ref().unwrap().company_name,
        "Northwind Cloud Distribution"
    );
    assert_eq!(h.state.screens.resellers.list.rows.len(), 11);
    assert_eq!(h.state.screens.resellers.list.total, Some(11));
}

#[test]
fn menu_digits_switch_screens_and_come_back_where_they_were() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2");
    assert_eq!(h.state.screen, Screen::Customers);
    assert_eq!(h.state.screens.customers.list.total, Some(60));
    h.type_str("jjj");
    let selected = h.state.screens.customers.list.selected_row().unwrap().id;
    let loads = h.db_commands().len();
    h.type_str("12");
    // Coming back refreshes (another session may have changed it) at the same row.
    // (A refresh from the selected row also fetches the rows above it.)
    assert!(
        h.db_commands().len() >= loads + 2,
        "one refresh per list visited"
    );
    assert_eq!(
        h.state.screens.customers.list.selected_row().unwrap().id,
        selected
    );
    assert_eq!(h.state.screens.customers.list.total, Some(60));
    h.type_str("345");
    assert_eq!(h.state.screen, Screen::Users);
    assert!(
        h.state
            .screens
            .activity_log
            .list
            .rows
            .iter()
            .any(|a| a.action == "Demo data created")
    );
    assert_eq!(h.state.screens.users.list.total, Some(7));
}

#[test]
fn moving_clamps_at_the_ends_and_pages_by_a_screenful() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2");
    let viewport = twotier::app::layout::list_rows(24);
    h.press(KeyCode::Up);
    assert_eq!(h.state.screens.customers.list.selected, 0);
    h.type_str("jj");
    assert_eq!(h.state.screens.customers.list.selected, 2);
    h.press(KeyCode::PageDown);
    assert_eq!(h.state.screens.customers.list.selected, 2 + viewport - 1);
    assert!(
        h.state.screens.customers.list.offset > 0,
        "the selection stays in view"
    );
    h.type_str("G");
    assert_eq!(h.state.screens.customers.list.selected, 59);
    h.press(KeyCode::Down);
    assert_eq!(h.state.screens.customers.list.selected, 59);
    let list = &h.state.screens.customers.list;
    assert!(list.offset + viewport > list.selected && list.offset <= list.selected);
    h.type_str("g");
    assert_eq!(
        (
            h.state.screens.customers.list.selected,
            h.state.screens.customers.list.offset
        ),
        (0, 0)
    );
}

#[test]
fn a_long_list_is_fetched_page_by_page_and_never_held_whole() {
    let mut h = Harness::new(TestDb::demo(20, 2000, 2000), 80, 24);
    h.type_str("2");
    assert_eq!(h.state.screens.customers.list.rows.len(), PAGE_SIZE);
    assert!(h.state.screens.customers.list.more_after);
    for _ in 0..60 {
        h.press(KeyCode::PageDown);
    }
    let list = &h.state.screens.customers.list;
    assert!(
        list.rows.len() <= MAX_ROWS,
        "window holds {} rows",
        list.rows.len()
    );
    assert!(list.more_before, "rows before the window were dropped");
    // The selection is the right row: the same as the plain query's row at that position.
    let position = 60 * (twotier::app::layout::list_rows(24) - 1);
    let expected: String = h
        .db
        .store
        .conn()
        .query_row(
            "SELECT company_name FROM customers ORDER BY company_name COLLATE NOCASE, id LIMIT 1 OFFSET ?1",
            [position as i64],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        h.state
            .screens
            .customers
            .list
            .selected_row()
            .unwrap()
            .company_name,
        expected
    );
    // End jumps to the true last row, Home to the true first.
    h.press(KeyCode::End);
    assert!(!h.state.screens.customers.list.more_after);
    let last: String = h
        .db
        .store
        .conn()
        .query_row("SELECT company_name FROM customers ORDER BY company_name COLLATE NOCASE DESC, id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        h.state
            .screens
            .customers
            .list
            .selected_row()
            .unwrap()
            .company_name,
        last
    );
    // Walking up from the end fetches earlier pages.
    for _ in 0..30 {
        h.press(KeyCode::PageUp);
    }
    assert!(h.state.screens.customers.list.rows.len() <= MAX_ROWS);
    h.press(KeyCode::Home);
    assert!(!h.state.screens.customers.list.more_before);
    assert_eq!(h.state.screens.customers.list.selected, 0);
}

#[test]
fn search_as_you_type_queries_each_keystroke_and_esc_clears() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2/");
    assert!(h.state.text_focused());
    let before = h.db_commands().len();
    h.type_str("ar");
    let cmds = h.db_commands();
    assert_eq!(cmds.len(), before + 2, "one query per keystroke");
    assert!(matches!(cmds.last().unwrap(), DbCmd::Page { req, .. } if req.filter.search == "ar"));
    let list = &h.state.screens.customers.list;
    assert!(!list.rows.is_empty());
    assert!(
        list.rows
            .iter()
            .all(|r| r.company_name.to_lowercase().starts_with("ar") || r.domain.starts_with("ar"))
    );
    // `q` and digits type while the field has focus.
    h.type_str("q1");
    assert_eq!(h.state.screen, Screen::Customers);
    assert!(!h.state.quitting);
    assert_eq!(h.state.screens.customers.list.filter.search, "arq1");
    assert!(h.state.screens.customers.list.rows.is_empty());
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Enter);
    assert!(
        !h.state.text_focused(),
        "Enter keeps the filter and leaves the field"
    );
    assert_eq!(h.state.screens.customers.list.filter.search, "ar");
    h.press(KeyCode::Esc);
    assert_eq!(h.state.screens.customers.list.filter.search, "");
    assert!(h.state.screens.customers.list.search.is_none());
    assert_eq!(h.state.screens.customers.list.total, Some(60));
}

#[test]
fn replies_for_outdated_queries_are_dropped() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2/");
    // Two keystrokes before the store answers: the first answer is stale when it arrives.
    let first = update(
        &mut h.state,
        Action::Edit(tui_input::InputRequest::InsertChar('a')),
    );
    let second = update(
        &mut h.state,
        Action::Edit(tui_input::InputRequest::InsertChar('r')),
    );
    let answer = |effects: Vec<Effect>, db: &mut TestDb| match effects.into_iter().next() {
        Some(Effect::Db(to, cmd)) => (to, twotier::store::worker::execute(&mut db.store, cmd)),
        other => panic!("expected a query, got {other:?}"),
    };
    let stale = answer(first, &mut h.db);
    let fresh = answer(second, &mut h.db);
    update(&mut h.state, Action::Db(fresh.0, fresh.1));
    let rows = h.state.screens.customers.list.rows.clone();
    update(&mut h.state, Action::Db(stale.0, stale.1));
    assert_eq!(
        h.state.screens.customers.list.rows, rows,
        "the stale page did not replace the fresh one"
    );
    assert!(
        rows.iter()
            .all(|r| r.company_name.to_lowercase().starts_with("ar") || r.domain.starts_with("ar"))
    );
}

#[test]
fn help_is_a_modal_that_takes_every_key() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("?");
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::Help(help)) if help.scroll == 0
    ));
    h.type_str("2q");
    assert_eq!(
        h.state.screen,
        Screen::Resellers,
        "keys under the modal do nothing"
    );
    assert!(
        h.state.modals.is_empty(),
        "q closes help rather than quitting"
    );
    assert!(!h.state.quitting);
    h.type_str("?");
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty());
}

#[test]
fn q_quits_from_a_top_level_screen_and_ctrl_c_from_anywhere() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("q");
    assert!(h.state.quitting);
    assert_eq!(h.effects.last(), Some(&Effect::Quit));

    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("/ab");
    h.key(ctrl('c'));
    assert!(h.state.quitting);
}

#[test]
fn a_store_failure_opens_an_error_modal_in_words() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.send(Action::Db(
        twotier::app::nav::To::App,
        twotier::store::worker::DbReply::Failed {
            what: "Loading the customers".into(),
            message: "database is locked".into(),
        },
    ));
    match h.state.top_modal() {
        Some(Modal::Error(e)) => {
            assert_eq!(e.title, "Loading the customers failed");
            assert!(e.message.contains("Nothing was changed"));
        }
        other => panic!("no error modal: {other:?}"),
    }
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
}

#[test]
fn refresh_reloads_and_toasts_until_the_clock_passes() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.key(ctrl('r'));
    assert_eq!(h.state.toasts.len(), 1);
    assert_eq!(h.state.toasts[0].text, "Indirect resellers refreshed");
    h.send(Action::Tick(common::now() + chrono::Duration::seconds(1)));
    assert_eq!(h.state.toasts.len(), 1);
    h.send(Action::Tick(common::now() + chrono::Duration::seconds(10)));
    assert!(h.state.toasts.is_empty());
}

#[test]
fn resize_keeps_the_selection_in_view() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("2");
    for _ in 0..30 {
        h.press(KeyCode::Down);
    }
    h.send(Action::Resize {
        width: 80,
        height: 16,
    });
    let list = &h.state.screens.customers.list;
    let viewport = twotier::app::layout::list_rows(16);
    assert!(list.selected >= list.offset && list.selected < list.offset + viewport);
}

#[test]
fn paste_goes_into_the_search_field_sanitised() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.send(Action::Paste("ignored".into()));
    assert!(
        h.state.screens.resellers.list.search.is_none(),
        "no field has focus"
    );
    h.type_str("/");
    h.send(Action::Paste("Blue\u{1b}[2J\nY".into()));
    assert_eq!(
        h.state.screens.resellers.list.filter.search,
        "Blue\u{fffd}[2J Y"
    );
    h.send(Action::Command(Command::Back));
    assert!(h.state.screens.resellers.list.search.is_none());
}

/// Hostile scale: a 10 kB company name and 50 000 subscriptions under one customer stay a few
/// pages in memory, and End in the expanded record reaches the last one.
#[test]
fn hostile_scale_stays_windowed() {
    let db = TestDb::demo(20, 200, 400);
    let conn = db.store.conn();
    let first: i64 = conn
        .query_row(
            "SELECT id FROM customers ORDER BY company_name, id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE customers SET company_name = ?1 WHERE id = ?2",
        (format!("AAA {}", "x".repeat(10_240)), first),
    )
    .unwrap();
    conn.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
         INSERT INTO subscriptions (subscription_id, customer_id, offer_id, quantity, status, term, billing_cycle,
                                    created_at, term_started_at, commitment_end_date)
         SELECT 'hostile-' || i, {first}, 'CFQ7TTC0LH18', 1, 'active', 'P1M', 'monthly',
                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-31' FROM n;"
    ))
    .unwrap();
    let mut h = Harness::new(db, 120, 40);
    h.type_str("2");
    assert_eq!(h.state.screens.customers.list.rows[0].id, first);
    assert!(h.state.screens.customers.list.rows[0].subscriptions >= 50_000);
    h.press(KeyCode::Right);
    h.press(KeyCode::Tab);
    let pane = &h
        .state
        .screens
        .customers
        .expanded
        .as_ref()
        .unwrap()
        .subscriptions;
    assert!(pane.rows.len() <= PAGE_SIZE, "{}", pane.rows.len());
    assert_eq!(
        pane.total,
        Some(h.state.screens.customers.list.rows[0].subscriptions as u64)
    );
    h.press(KeyCode::End);
    let pane = &h
        .state
        .screens
        .customers
        .expanded
        .as_ref()
        .unwrap()
        .subscriptions;
    let last: i64 =
        h.db.store
            .conn()
            .query_row(
                "SELECT max(id) FROM subscriptions WHERE customer_id = ?1",
                [first],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(pane.selected_row().unwrap().id, last);
    assert!(pane.rows.len() <= MAX_ROWS);
    // The 10 kB name draws without trouble.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| twotier::ui::view(&h.state, &twotier::ui::Theme::colored(), f))
        .unwrap();
}
