//! Every width: the column widths and the cut with "…" (pure functions, on CJK, emoji, ZWJ
//! sequences, flags, combining marks and right-to-left text), the footer's choice of keys, the
//! text field's window, the activity diff; snapshots of the main lists at 80×24, 120×40 and
//! 200×50 on a book with CJK, emoji and right-to-left names, the detail pane at 200×50, and the
//! Add new customer wizard with a CJK company name at the field's edge (the cursor shown).

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use twotier::app::action::Action;
use twotier::app::keymap::Hint;
use twotier::app::nav::{Screen, To};
use twotier::store::record::{Record, RecordId};
use twotier::store::worker::{DbCmd, DbReply};
use twotier::ui::chrome::{ellipsize, fit_line, footer_fit};
use twotier::ui::widgets::detail_records::changes;
use twotier::ui::widgets::form::field_window;
use twotier::ui::widgets::window_table::{column, widths};
use twotier::ui::{Theme, view};
use unicode_width::UnicodeWidthStr;

const CJK: &str = "株式会社テスト販売";
const ZWJ: &str = "👩‍💻"; // woman technologist: three code points, one grapheme, two columns
const FLAG: &str = "🇯🇵";
const COMBINING: &str = "Zu\u{0308}rich Cafe\u{0301}"; // ü and é as letter + combining mark
const ARABIC: &str = "شركة النور للحلول السحابية";
const HEBREW: &str = "פתרונות ענן תל אביב";

// ---- the cut ------------------------------------------------------------------------------

#[test]
fn ellipsize_counts_display_columns_and_never_splits_a_grapheme() {
    // Fits: unchanged.
    assert_eq!(ellipsize(CJK, 18), CJK);
    // 9 wide chars (18 columns) in 7: three whole (6) + "…"; never half a character.
    assert_eq!(ellipsize(CJK, 7), "株式会…");
    assert_eq!(
        ellipsize(CJK, 8),
        "株式会…",
        "a wide char straddling the edge is dropped"
    );
    let zwj = format!("{ZWJ}{ZWJ}{ZWJ}");
    assert_eq!(zwj.width(), 6);
    assert_eq!(ellipsize(&zwj, 5), format!("{ZWJ}{ZWJ}…"));
    assert_eq!(
        ellipsize(&format!("{FLAG}{FLAG}{FLAG}"), 4),
        format!("{FLAG}…")
    );
    // A combining mark stays with its letter.
    assert_eq!(COMBINING.width(), 11);
    assert_eq!(ellipsize(COMBINING, 4), "Zu\u{0308}r…");
    assert_eq!(ellipsize(COMBINING, 11), COMBINING);
    // Right-to-left text is cut at its logical end (the terminal lays it out), whole letters.
    let cut = ellipsize(ARABIC, 10);
    assert_eq!(cut.width(), 10);
    assert!(ARABIC.starts_with(cut.trim_end_matches('…')));
    assert_eq!(ellipsize(HEBREW, 6), "פתרונ…");
    for s in [CJK, ZWJ, FLAG, COMBINING, ARABIC, HEBREW] {
        for w in 0..20 {
            assert!(ellipsize(s, w).width() <= w, "{s:?} at {w}");
        }
    }
}

#[test]
fn fit_line_keeps_each_spans_style_and_ends_in_an_ellipsis() {
    let bold = Style::new().bold();
    let line = Line::from(vec![
        Span::raw("株式"),
        Span::styled("会社", bold),
        Span::raw("テスト"),
    ]);
    let cut = fit_line(line.clone(), 7);
    assert_eq!(cut.width(), 7);
    let spans: Vec<(&str, Style)> = cut
        .spans
        .iter()
        .map(|s| (s.content.as_ref(), s.style))
        .collect();
    assert_eq!(spans, vec![("株式", Style::new()), ("会…", bold)]);
    // Fits: every span as it was.
    assert_eq!(fit_line(line.clone(), 14), line);
    // Right-aligned stays right-aligned.
    assert_eq!(
        fit_line(Line::from("12345").right_aligned(), 3).alignment,
        Some(ratatui::layout::Alignment::Right)
    );
}

// ---- the columns --------------------------------------------------------------------------

fn resellers_columns() -> [twotier::ui::widgets::window_table::Column; 4] {
    [
        column("Name", Constraint::Fill(1), 0),
        column("PartnerID", Constraint::Length(10), 0),
        column("Status", Constraint::Length(24), 0),
        column("Since", Constraint::Length(10), 100),
    ]
}

#[test]
fn widths_follow_the_content_and_the_table_width() {
    let columns = resellers_columns();
    // 80 columns, long names: the fixed columns keep their content, the name takes the rest.
    let w = widths(&columns, &[60, 9, 12, 10], 78);
    assert_eq!(w, vec![Some(78 - 9 - 12 - 2 * 2), Some(9), Some(12), None]);
    // Short names on a wide table: the spare room is spread over every column, the names
    // getting the larger share, and the table spans its width.
    let w = widths(&columns, &[12, 9, 12, 10], 160);
    let total: u16 = w.iter().flatten().sum::<u16>() + 3 * 2;
    assert_eq!(total, 160);
    let w: Vec<u16> = w.into_iter().flatten().collect();
    assert!(w[0] > w[1] && w[0] - 12 > w[1] - 9, "{w:?}");
    // A Length column is never wider than its content at its natural size.
    let w = widths(&columns, &[12, 30, 12, 10], 78);
    assert!(w[1].unwrap() <= 30 && w[0].unwrap() >= 10, "{w:?}");
}

#[test]
fn too_narrow_the_names_give_way_to_their_minimum_then_the_latest_columns_go() {
    let columns = [
        column("Company name", Constraint::Fill(3), 0),
        column("Domain", Constraint::Fill(3), 0),
        column("Reseller", Constraint::Fill(2), 0).at_least(8),
        column("Subscriptions", Constraint::Length(13), 70),
    ];
    // The widest flexible column gives first: the long domain is cut before the short name.
    let w = widths(&columns, &[20, 40, 12, 13], 78);
    assert_eq!(w.iter().flatten().sum::<u16>() + 6, 78);
    assert_eq!(w[0], Some(20), "{w:?}");
    assert!(w[1].unwrap() < 40);
    // 40 columns: below Subscriptions' from_width; every minimum still fits.
    let w = widths(&columns, &[20, 40, 12, 13], 40);
    assert_eq!(w[3], None);
    assert!(w.iter().flatten().sum::<u16>() + 4 <= 40, "{w:?}");
    // 20 columns: the minimums do not fit: the rightmost goes, one at a time.
    let w = widths(&columns, &[20, 40, 12, 13], 20);
    assert_eq!(w.iter().filter(|w| w.is_some()).count(), 1, "{w:?}");
    assert!(w[0].unwrap() <= 20);
}

// ---- the footer ---------------------------------------------------------------------------

fn hint(keys: &str, label: &'static str, rank: u8) -> Hint {
    Hint {
        keys: keys.into(),
        label,
        allowed: true,
        rank,
    }
}

#[test]
fn the_footer_keeps_the_important_keys_in_declared_order_and_ends_with_more() {
    use twotier::app::keys::{IMPORTANT, NORMAL};
    let entries = vec![
        hint("r", "Request a partnership", NORMAL),
        hint("n", "Add new customer", NORMAL),
        hint("v", "View customers", NORMAL),
        hint("P", "sign in", IMPORTANT),
        hint("Y", "sync", IMPORTANT),
        hint("/", "search", IMPORTANT),
        hint("?", "help", NORMAL),
        hint("q", "quit", NORMAL),
    ];
    let shown = |width| -> Vec<String> {
        footer_fit(&entries, width)
            .iter()
            .map(|(h, label)| format!("{} {label}", h.keys))
            .collect()
    };
    // 75 columns: the important ones, the first normal one that fits, `? more` last.
    assert_eq!(
        shown(75),
        [
            "r Request a partnership",
            "P sign in",
            "Y sync",
            "/ search",
            "q quit",
            "? more"
        ]
    );
    // Narrower: the normal ones give way first.
    assert_eq!(
        shown(50),
        ["P sign in", "Y sync", "/ search", "q quit", "? more"]
    );
    // Everything fits: as declared, `? help`.
    assert_eq!(shown(200).last().unwrap(), "q quit");
    assert!(shown(200).contains(&"? help".to_owned()));
}

// ---- the text field -----------------------------------------------------------------------

#[test]
fn a_text_field_scrolls_by_display_width_and_puts_the_cursor_on_its_cell() {
    // Fits: all of it, the cursor after the chars before it.
    assert_eq!(field_window("株式会社", 2, 20), ("株式会社".into(), 4));
    // 12 wide chars (24 columns) in 10, cursor at the end: the end shows, the cursor after it.
    let name = "株式会社テスト販売東京本社";
    let (shown, x) = field_window(name, 13, 10);
    assert!(shown.width() <= 10 && name.ends_with(&shown), "{shown:?}");
    assert_eq!(x, shown.width());
    // Cursor moved to the start: the start shows, cut with "…", the cursor on the first cell.
    let (shown, x) = field_window(name, 0, 10);
    assert_eq!((shown.as_str(), x), ("株式会社…", 0));
    // In the middle: the char under the cursor shows whole, left of the "…".
    for cursor in 0..=13 {
        let (shown, x) = field_window(name, cursor, 10);
        assert!(shown.width() <= 10, "{cursor}: {shown:?}");
        assert_eq!(
            x % 2,
            0,
            "{cursor}: the cursor on the first cell of a wide char"
        );
        let before: String = name.chars().take(cursor).collect();
        let under: String = name
            .chars()
            .nth(cursor)
            .map(String::from)
            .unwrap_or_default();
        assert!(shown.contains(&under), "{cursor}: {under} in {shown:?}");
        assert!(
            x + under.width().max(1) <= 9 || !shown.ends_with('…'),
            "{cursor}"
        );
        assert!(before.width() >= x);
    }
    // A flag is one grapheme of two columns: the cursor after it is two columns in.
    assert_eq!(field_window(&format!("{FLAG}ab"), 2, 20).1, 2);
    // A ZWJ sequence shows with its joiner removed (hidden characters never reach the
    // terminal: two emoji, four columns); the cursor after it lands after both.
    let emoji = format!("{ZWJ}ab");
    assert_eq!(
        field_window(&emoji, ZWJ.chars().count(), 20),
        ("👩💻ab".into(), 4)
    );
    // A combining mark takes no column.
    assert_eq!(field_window(COMBINING, 3, 20).1, 2);
}

// ---- the activity diff --------------------------------------------------------------------

#[test]
fn an_activity_change_is_one_line_per_changed_field() {
    let c = changes(
        None,
        Some("quantity 5 → 10; support contact Contoso → Fabrikam"),
    );
    let said: Vec<_> = c
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            ("quantity", Some("5"), Some("10")),
            ("support contact", Some("Contoso"), Some("Fabrikam"))
        ]
    );
    // Paired parts: only what differs, the shared first word naming the field.
    let c = changes(
        Some("Adatum, PartnerID 1, US, Active"),
        Some("Adatum, PartnerID 2, US, Removed"),
    );
    let said: Vec<_> = c
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
        .collect();
    assert_eq!(
        said,
        [
            ("PartnerID", Some("1"), Some("2")),
            ("", Some("Active"), Some("Removed"))
        ]
    );
    assert_eq!(changes(None, None), []);
    // Hostile text is cleaned before the terminal.
    let c = changes(Some("\u{1b}[31mred"), None);
    assert!(!c[0].before.as_deref().unwrap().contains('\u{1b}'));
}

// ---- the book with wide and right-to-left names ---------------------------------------------

/// The default demo with some names made CJK, emoji, combining or right-to-left.
fn world_book() -> TestDb {
    let db = TestDb::default_demo();
    let conn = db.store.conn();
    let names = [
        format!("{CJK}パートナー東京本社"),
        format!("{ZWJ} Cloud Crew {FLAG}"),
        ARABIC.to_owned(),
        HEBREW.to_owned(),
        COMBINING.to_owned(),
    ];
    for (i, name) in names.iter().enumerate() {
        conn.execute(
            "UPDATE resellers SET name = ?1 WHERE id = ?2",
            rusqlite::params![name, i as i64 + 1],
        )
        .unwrap();
        conn.execute(
            "UPDATE customers SET company_name = ?1 WHERE id = ?2",
            rusqlite::params![format!("{name} 顧客"), i as i64 + 1],
        )
        .unwrap();
    }
    db
}

fn render(h: &Harness) -> String {
    let mut terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
    terminal
        .draw(|f| view(&h.state, &Theme::colored(), f))
        .unwrap();
    let mut backend = terminal.backend().clone();
    let cursor = ratatui::backend::Backend::get_cursor_position(&mut backend).unwrap();
    format!("{}\ncursor at {cursor:?}", terminal.backend())
}

/// Subscription details on the first subscription of the CJK customer: one more license and
/// auto-renew switched, saved; the activity log then has an entry naming the CJK customer.
/// Leaves the console on Indirect resellers.
fn change_a_cjk_subscription(h: &mut Harness) {
    h.type_str("2/株");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    h.press(KeyCode::Right);
    h.key(crossterm::event::KeyEvent::new(
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    h.press(KeyCode::Esc);
    h.press(KeyCode::Esc);
    h.type_str("1");
    // The toast saying it was saved goes.
    h.send(Action::Tick(common::now() + chrono::Duration::seconds(10)));
}

fn resize(h: &mut Harness, width: u16, height: u16) {
    h.send(Action::Resize { width, height });
}

#[test]
fn main_lists_at_80x24_120x40_and_200x50() {
    for (w, hgt) in [(80, 24), (120, 40), (200, 50)] {
        let mut h = Harness::new(world_book(), w, hgt);
        change_a_cjk_subscription(&mut h);
        insta::assert_snapshot!(format!("widths_resellers_{w}x{hgt}"), render(&h));
        // The last rows: the CJK, emoji and right-to-left names sort after the Latin ones.
        // (The CJK one, next to last, is expanded already: its subscription was changed.)
        h.type_str("2Gkk");
        h.press(KeyCode::Right);
        insta::assert_snapshot!(format!("widths_customers_expanded_{w}x{hgt}"), render(&h));
        h.type_str("4");
        insta::assert_snapshot!(format!("widths_activity_log_{w}x{hgt}"), render(&h));
    }
}

#[test]
fn the_detail_pane_at_200x50_shows_the_customer_the_subscription_and_the_activity_diff() {
    let mut h = Harness::new(world_book(), 200, 50);
    h.type_str("2j");
    insta::assert_snapshot!("widths_pane_customer_200x50", render(&h));
    h.press(KeyCode::Enter);
    insta::assert_snapshot!("widths_pane_subscription_200x50", render(&h));
    // A subscription changed: the activity log's entry shows its fields changed.
    h.press(KeyCode::Enter);
    h.press(KeyCode::Right);
    h.key(crossterm::event::KeyEvent::new(
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    h.type_str("4");
    let screen = render(&h);
    assert!(screen.contains("Activity entry"), "{screen}");
    insta::assert_snapshot!("widths_pane_activity_200x50", screen);
    // Below 160 columns nothing of it.
    resize(&mut h, 159, 50);
    assert!(!render(&h).contains("Activity entry"));
}

#[test]
fn the_pane_asks_for_the_selected_record_only_and_keeps_the_latest_reply() {
    let mut h = Harness::new(world_book(), 200, 50);
    h.type_str("2");
    let asked = |h: &Harness| -> Vec<(u64, RecordId)> {
        h.db_commands()
            .into_iter()
            .filter_map(|c| match c {
                DbCmd::LoadRecord(seq, id) => Some((*seq, *id)),
                _ => None,
            })
            .collect()
    };
    let first = asked(&h);
    assert_eq!(first.len(), 1, "one request, for the first row: {first:?}");
    let first_row = h.state.screens.customers.list.rows[0].id;
    assert_eq!(first[0].1, RecordId::Customer(first_row));
    let record = h
        .state
        .screens
        .customers
        .detail
        .of(RecordId::Customer(first_row))
        .cloned();
    assert!(matches!(record, Some(Record::Customer(_))));
    h.type_str("j");
    let after = asked(&h);
    assert_eq!(after.len(), 2);
    let second_row = h.state.screens.customers.list.rows[1].id;
    assert_eq!(after[1].1, RecordId::Customer(second_row));
    // The reply to the first request arriving late is dropped: the second row's stays.
    let stale = h.db.store.record(RecordId::Customer(first_row)).unwrap();
    h.send(Action::Db(
        To::Screen(Screen::Customers),
        DbReply::Record(first[0].0, stale),
    ));
    let detail = &h.state.screens.customers.detail;
    assert!(detail.of(RecordId::Customer(second_row)).is_some());
    assert!(detail.of(RecordId::Customer(first_row)).is_none());
    // Below 160 columns the pane is not drawn, and nothing is asked as the selection moves.
    resize(&mut h, 120, 40);
    let before = asked(&h).len();
    h.type_str("jjj");
    assert_eq!(asked(&h).len(), before);
    // Widened again: the selected row's record is asked for.
    resize(&mut h, 200, 50);
    assert_eq!(asked(&h).len(), before + 1);
}

#[test]
fn the_wizard_scrolls_a_cjk_company_name_by_display_width() {
    let mut h = Harness::new(world_book(), 80, 24);
    h.type_str("2n");
    h.type_str(&format!("{CJK}{CJK}{CJK}東京本社大阪"));
    insta::assert_snapshot!("widths_wizard_cjk_at_the_edge_80x24", render(&h));
    for _ in 0..6 {
        h.press(KeyCode::Left);
    }
    insta::assert_snapshot!("widths_wizard_cjk_cursor_moved_80x24", render(&h));
    h.press(KeyCode::Home);
    insta::assert_snapshot!("widths_wizard_cjk_cursor_home_80x24", render(&h));
}
