//! Every list answers Home/End/g/G/PgUp/PgDn as the main lists do: the reseller picker (whose
//! search line is always focused, so `g`/`G` are letters there and Home goes to the
//! "no reseller" row) and the offer catalog of the New subscription step (a Vec, not keyset paged:
//! the keys move the cursor).

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use twotier::app::screens::Modal;
use twotier::app::screens::customer_wizard::CustomerWizard;
use twotier::app::screens::reseller_picker::ResellerPicker;

fn picker(h: &Harness) -> &ResellerPicker {
    match h.state.top_modal() {
        Some(Modal::ResellerPicker(p)) => p,
        other => panic!("no picker: {other:?}"),
    }
}

fn wizard(h: &Harness) -> &CustomerWizard {
    match h.state.top_modal() {
        Some(Modal::Wizard(w)) => w,
        other => panic!("no wizard: {other:?}"),
    }
}

/// The picker's place: on the "no reseller" row, or the index of the selected reseller.
fn at(h: &Harness) -> Option<usize> {
    let p = picker(h);
    (!p.on_none).then_some(p.list.selected)
}

#[test]
fn the_picker_answers_home_end_and_pages_and_types_g() {
    // 200 resellers: more than one page of the picker, so End and Home fetch.
    let mut h = Harness::new(TestDb::demo(200, 20, 20), 100, 30);
    h.type_str("2f");
    assert_eq!(at(&h), None, "opens on All");
    h.press(KeyCode::PageDown);
    assert_eq!(at(&h), Some(0), "from All, PgDn steps onto the list");
    h.press(KeyCode::PageDown);
    let page = at(&h).unwrap();
    assert!(page > 5, "PgDn moves a page: {page}");
    h.press(KeyCode::End);
    let last_name = picker(&h).list.selected_row().unwrap().name.clone();
    assert!(!picker(&h).list.more_after, "End reaches the true last row");
    assert_eq!(
        picker(&h).list.selected,
        picker(&h).list.rows.len() - 1,
        "{last_name}"
    );
    let mut names: Vec<String> =
        h.db.store
            .conn()
            .prepare("SELECT name FROM resellers WHERE state = 'active'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
    names.sort_by_key(|n| n.to_lowercase());
    assert_eq!(
        twotier::domain::text::clean(names.last().unwrap()),
        last_name
    );
    h.press(KeyCode::PageUp);
    assert!(at(&h).unwrap() < picker(&h).list.rows.len() - 1);
    h.press(KeyCode::Home);
    assert_eq!(at(&h), None, "Home goes to the no-reseller row");
    assert!(
        !picker(&h).list.more_before,
        "and the list is back at its top"
    );
    h.press(KeyCode::Down);
    assert_eq!(at(&h), Some(0));
    assert_eq!(
        picker(&h).list.selected_row().unwrap().name.to_lowercase(),
        twotier::domain::text::clean(&names[0]).to_lowercase()
    );
    // g and G are letters in the search line, not moves.
    h.type_str("gG");
    assert_eq!(picker(&h).search.value(), "gG");
    // Enter on the no-reseller row after Home: All, the filter cleared.
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Backspace);
    h.press(KeyCode::Home);
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
    assert!(h.state.screens.customers.reseller_filter.is_none());
}

#[test]
fn with_no_match_end_chooses_nothing_and_home_reaches_the_no_reseller_row() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    h.type_str("2f");
    h.type_str("zzzzzz-nobody");
    h.press(KeyCode::End);
    assert!(picker(&h).list.rows.is_empty());
    h.press(KeyCode::Enter);
    assert!(
        matches!(h.state.top_modal(), Some(Modal::ResellerPicker(_))),
        "no row to choose: the picker stays"
    );
    h.press(KeyCode::Home);
    assert_eq!(at(&h), None);
    h.press(KeyCode::Enter);
    assert!(
        h.state.modals.is_empty(),
        "All chosen: {:?}",
        h.state.modals
    );
}

#[test]
fn the_catalog_answers_home_end_g_g_and_pages() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2s");
    let n = wizard(&h).order.visible().len();
    assert!(n > 15, "the catalog is longer than a page: {n}");
    h.press(KeyCode::End);
    assert_eq!(wizard(&h).order.cursor, n - 1);
    h.press(KeyCode::Home);
    assert_eq!(wizard(&h).order.cursor, 0);
    h.type_str("G");
    assert_eq!(wizard(&h).order.cursor, n - 1);
    h.type_str("g");
    assert_eq!(wizard(&h).order.cursor, 0);
    h.press(KeyCode::PageDown);
    let page = wizard(&h).order.cursor;
    assert!((5..n - 1).contains(&page), "a page at 80×24: {page}");
    h.press(KeyCode::PageDown);
    assert_eq!(wizard(&h).order.cursor, (2 * page).min(n - 1));
    h.press(KeyCode::PageUp);
    h.press(KeyCode::PageUp);
    h.press(KeyCode::PageUp);
    assert_eq!(wizard(&h).order.cursor, 0, "clamped at the first offer");
    // Nothing was selected by moving.
    assert_eq!(wizard(&h).order.selected().count(), 0);
    // With the catalog search open, g is a letter and Home/End still move.
    h.type_str("/");
    h.type_str("g");
    assert_eq!(wizard(&h).order.search.as_ref().unwrap().input.value(), "g");
    h.press(KeyCode::Backspace);
    h.press(KeyCode::End);
    assert_eq!(wizard(&h).order.cursor, n - 1);
    h.press(KeyCode::Home);
    assert_eq!(wizard(&h).order.cursor, 0);
}

#[test]
fn a_main_list_search_keeps_home_and_end_for_the_list() {
    let mut h = Harness::new(TestDb::demo(200, 20, 20), 100, 30);
    h.type_str("/");
    h.type_str("g");
    assert!(h.state.screens.resellers.list.search_focused());
    h.press(KeyCode::Backspace);
    h.press(KeyCode::End);
    let list = &h.state.screens.resellers.list;
    assert!(!list.more_after && list.selected == list.rows.len() - 1);
    h.press(KeyCode::Home);
    let list = &h.state.screens.resellers.list;
    assert!(!list.more_before && list.selected == 0);
}
