//! `update` sequences on Renewals, answered by a real store: 6 opens it, j/k move, f narrows it
//! to a reseller (Esc clears), Enter opens Subscription details and a saved change reloads the
//! list; the window is counted from the app's clock.

mod common;

use common::{Harness, TestDb, as_of, now};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use twotier::app::action::Action;
use twotier::app::nav::Screen;
use twotier::app::screens::Modal;
use twotier::domain::renewal::ends_by;
use twotier::store::list::{Anchor, WINDOW_COUNT_CAP};
use twotier::store::worker::{DbCmd, ListId};

fn renewals(h: &Harness) -> &twotier::app::screens::renewals::RenewalsScreen {
    &h.state.screens.renewals
}

fn selected_id(h: &Harness) -> i64 {
    renewals(h).list.selected_row().unwrap().id
}

#[test]
fn six_opens_renewals_counted_from_the_clock_and_j_k_move() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("6");
    assert_eq!(h.state.screen, Screen::Renewals);
    let screen = renewals(&h);
    assert_eq!(screen.today, as_of());
    assert_eq!(screen.list.filter.ends_by, Some(ends_by(as_of(), 90)));
    assert!(screen.list.total.unwrap() > 0 && screen.list.total.unwrap() <= WINDOW_COUNT_CAP);
    // Sorted by end date.
    let dates: Vec<&str> = screen
        .list
        .rows
        .iter()
        .map(|r| r.commitment_end_date.as_str())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let first = selected_id(&h);
    h.type_str("jj");
    assert_eq!(renewals(&h).list.selected, 2);
    h.type_str("k");
    assert_eq!(renewals(&h).list.selected, 1);
    h.type_str("g");
    assert_eq!(selected_id(&h), first);
    // The next day, Ctrl-R counts the window again from it.
    h.send(Action::Tick(now() + chrono::Duration::days(1)));
    h.key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let tomorrow = as_of().succ_opt().unwrap();
    assert_eq!(renewals(&h).today, tomorrow);
    assert_eq!(
        renewals(&h).list.filter.ends_by,
        Some(ends_by(tomorrow, 90))
    );
}

#[test]
fn f_picks_a_reseller_and_esc_shows_every_reseller_again() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("6");
    let all = renewals(&h).list.total.unwrap();
    h.type_str("f");
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::ResellerPicker(_))
    ));
    h.type_str("Lit");
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let screen = renewals(&h);
    assert_eq!(
        screen.reseller_filter.as_deref(),
        Some("Litware Consulting")
    );
    assert!(!screen.list.rows.is_empty());
    assert!(
        screen
            .list
            .rows
            .iter()
            .all(|r| r.reseller.as_deref() == Some("Litware Consulting"))
    );
    assert!(screen.list.total.unwrap() < all);
    // The window is kept with the filter.
    assert_eq!(screen.list.filter.ends_by, Some(ends_by(as_of(), 90)));
    h.press(KeyCode::Esc);
    assert_eq!(h.state.screen, Screen::Renewals);
    assert_eq!(renewals(&h).reseller_filter, None);
    assert_eq!(renewals(&h).list.total, Some(all));
    // "All" in the picker clears it too.
    h.type_str("f");
    h.type_str("Lit");
    h.press(KeyCode::Enter);
    h.type_str("f");
    h.press(KeyCode::Enter);
    assert_eq!(renewals(&h).reseller_filter, None);
    assert_eq!(renewals(&h).list.total, Some(all));
}

#[test]
fn enter_opens_subscription_details_and_a_saved_change_reloads_the_list() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.type_str("6j");
    let id = selected_id(&h);
    let was_on = renewals(&h).list.selected_row().unwrap().auto_renew;
    h.press(KeyCode::Enter);
    let Some(Modal::SubscriptionDetails(form)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    assert_eq!(form.detail.id, id);
    // Auto-renew, toggled and submitted.
    h.press(KeyCode::Tab);
    h.press(KeyCode::Tab);
    h.type_str(" ");
    h.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    let pages_after_save = h
        .db_commands()
        .iter()
        .rev()
        .take_while(|c| !matches!(c, DbCmd::UpdateSubscription { .. }))
        .filter(|c| match c {
            DbCmd::Page {
                list: ListId::Renewals,
                req,
                ..
            } => matches!(req.anchor, Anchor::From(_)),
            _ => false,
        })
        .count();
    // (Its earlier rows then come by prefetch, as on every list reloaded in place.)
    assert_eq!(
        pages_after_save, 1,
        "the list reloads in place once after the save"
    );
    // The row shows the change, and stays selected.
    assert_eq!(selected_id(&h), id);
    assert_eq!(
        renewals(&h).list.selected_row().unwrap().auto_renew,
        !was_on
    );
    // Esc on Subscription details closes it, back on the list.
    h.press(KeyCode::Enter);
    assert!(matches!(
        h.state.top_modal(),
        Some(Modal::SubscriptionDetails(_))
    ));
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty(), "{:?}", h.state.modals);
    assert_eq!(h.state.screen, Screen::Renewals);
}

#[test]
fn end_and_home_page_along_the_whole_window() {
    let mut h = Harness::new(TestDb::demo(12, 300, 2000), 100, 30);
    h.type_str("6");
    assert!(renewals(&h).list.more_after);
    h.type_str("G");
    let screen = renewals(&h);
    assert!(!screen.list.more_after);
    let last = screen.list.selected_row().unwrap();
    let want_last: i64 =
        h.db.store
            .conn()
            .query_row(
                "SELECT id FROM subscriptions WHERE removed_at IS NULL
               AND status IN ('active', 'pending', 'suspended') AND commitment_end_date <= ?1
             ORDER BY commitment_end_date DESC, id DESC LIMIT 1",
                [ends_by(as_of(), 90)],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(last.id, want_last);
    h.type_str("g");
    assert_eq!(renewals(&h).list.selected, 0);
    assert!(!renewals(&h).list.more_before);
}

/// At 200 columns the selected renewal's subscription is shown beside the list, asked for by
/// id as the selection moves; below 160 columns there is no pane and nothing is asked.
#[test]
fn the_pane_beside_renewals_follows_the_selected_subscription() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use twotier::store::record::{Record, RecordId};
    let asked = |h: &Harness| -> Vec<RecordId> {
        h.db_commands()
            .into_iter()
            .filter_map(|c| match c {
                DbCmd::LoadRecord(_, id) => Some(*id),
                _ => None,
            })
            .collect()
    };
    let render = |h: &Harness| -> String {
        let mut terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
        terminal
            .draw(|f| twotier::ui::view(&h.state, &twotier::ui::Theme::colored(), f))
            .unwrap();
        format!("{}", terminal.backend())
    };
    let mut h = Harness::new(TestDb::default_demo(), 200, 50);
    h.type_str("6");
    let first = selected_id(&h);
    assert_eq!(asked(&h), [RecordId::Subscription(first)]);
    let record = renewals(&h)
        .detail
        .of(RecordId::Subscription(first))
        .cloned();
    assert!(
        matches!(record, Some(Record::Subscription(_))),
        "{record:?}"
    );
    assert!(render(&h).contains("Subscription"));
    h.type_str("j");
    let second = selected_id(&h);
    assert_eq!(
        asked(&h),
        [
            RecordId::Subscription(first),
            RecordId::Subscription(second)
        ]
    );
    assert!(
        renewals(&h)
            .detail
            .of(RecordId::Subscription(second))
            .is_some()
    );

    let mut narrow = Harness::new(TestDb::default_demo(), 159, 50);
    narrow.type_str("6j");
    assert!(asked(&narrow).is_empty());
}
