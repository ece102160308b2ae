//! Wide text (CJK and emoji, two columns a character; ZWJ sequences and flags) and very long
//! names never overwrite a border: every screen and every modal is drawn at 80×24 and 120×40 on
//! a book whose names are all hostile, and each layer's boxes are checked cell by cell in the
//! TestBackend buffer: corners where they belong, sides unbroken, and a title that does not fit
//! cut with "…" rather than mid-word against the corner.

mod common;

use common::{Harness, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use twotier::app::nav::Screen;
use twotier::ui::{Theme, screens, view};

const CJK: &str = "株式会社テスト販売パートナー東京本社営業部";
const EMOJI: &str = "👩‍💻🚀 Reseller 🇯🇵";
const UPN: &str = "営業部の田中さん👩‍💻@northwind-distribution.example";

fn long() -> String {
    format!("{} Wide World Integrators", "Ω".repeat(12)).repeat(11)[..300].to_owned()
}

/// The default demo book with every name made wide or long: resellers, customers, offers, the
/// provider, the operator and the invitations' recipients.
fn hostile_book() -> TestDb {
    let db = TestDb::default_demo();
    let cjk3 = CJK.repeat(3);
    let long = long();
    let conn = db.store.conn();
    for table in ["resellers", "customers"] {
        let column = if table == "resellers" {
            "name"
        } else {
            "company_name"
        };
        conn.execute(
            &format!(
                "UPDATE {table} SET {column} = CASE id % 3 WHEN 0 THEN ?1 WHEN 1 THEN ?2 ELSE ?3 END || ' ' || id"
            ),
            [&cjk3, EMOJI, &long],
        )
        .unwrap();
    }
    conn.execute("UPDATE offers SET name = ?1 || ' ' || name", [&cjk3])
        .unwrap();
    conn.execute(
        "UPDATE provider SET company_name = ?1",
        [format!("{CJK} {EMOJI} Distribution")],
    )
    .unwrap();
    conn.execute(
        "UPDATE invitations SET recipient_email = ?1 || id || '@example.jp'",
        [&cjk3],
    )
    .unwrap();
    conn.execute(
        "UPDATE operators SET upn = ?1, display_name = ?2 WHERE upn = ?3",
        [UPN, CJK, common::OPERATOR],
    )
    .unwrap();
    db
}

/// Selects the first row with a CJK name, by searching for it.
fn cjk_row(h: &mut Harness) {
    h.type_str("/株");
    h.press(KeyCode::Enter);
}

fn ctrl(h: &mut Harness, c: char) {
    h.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// How a room is reached from a fresh console.
type Go = fn(&mut Harness);

/// Every room, reached by keys from a fresh console: (name, how).
fn rooms() -> Vec<(&'static str, Go)> {
    vec![
        ("resellers", |_| {}),
        ("dashboard", |h| h.type_str("0")),
        ("customers", |h| h.type_str("2")),
        ("company_profile", |h| h.type_str("3")),
        ("activity_log", |h| h.type_str("4")),
        ("users", |h| h.type_str("5")),
        ("renewals", |h| h.type_str("6")),
        ("renewals_subscription_details", |h| {
            h.type_str("6");
            h.press(KeyCode::Enter);
        }),
        ("invitations", |h| h.type_str("i")),
        ("help", |h| h.type_str("?")),
        ("help_on_invitations", |h| h.type_str("i?")),
        ("request_partnership", |h| h.type_str("r")),
        ("draft_email", |h| {
            h.type_str("r");
            h.type_str("partners@contoso.example");
            h.press(KeyCode::Enter);
        }),
        ("remove_partnership", |h| h.type_str("x")),
        ("compliance", |h| h.type_str("c")),
        ("compliance_cjk", |h| {
            cjk_row(h);
            h.type_str("c");
        }),
        ("remove_partnership_cjk", |h| {
            cjk_row(h);
            h.type_str("x");
        }),
        ("customers_of_a_cjk_reseller", |h| {
            cjk_row(h);
            h.type_str("v");
        }),
        ("new_customer_of_an_emoji_reseller", |h| {
            h.type_str("/👩");
            h.press(KeyCode::Enter);
            h.type_str("n");
        }),
        ("record_acceptance", |h| {
            h.type_str("ija");
            h.type_str(CJK);
        }),
        ("revoke", |h| h.type_str("ijx")),
        ("wizard_account", |h| {
            h.type_str("n");
            h.type_str(&CJK.repeat(4));
        }),
        ("wizard_offers_for_a_customer", |h| h.type_str("2s")),
        ("wizard_offers_cjk", |h| h.type_str("2js ")),
        ("wizard_cancel_question", |h| {
            h.type_str("2s ");
            h.press(KeyCode::Esc);
        }),
        ("picker", |h| h.type_str("2f")),
        ("picker_problem", |h| {
            h.type_str("2s");
            h.type_str("p");
            h.press(KeyCode::Down);
            h.press(KeyCode::Down);
            h.press(KeyCode::Enter);
        }),
        ("customers_expanded", |h| {
            h.type_str("2j");
            h.press(KeyCode::Right);
        }),
        ("subscription_details", |h| {
            h.type_str("2j");
            h.press(KeyCode::Right);
            h.press(KeyCode::Tab);
            h.press(KeyCode::Enter);
        }),
        ("customers_of_a_reseller", |h| h.type_str("jv")),
        ("customer_account", |h| {
            h.type_str("2j");
            h.press(KeyCode::Right);
            h.type_str("a");
        }),
        ("verify_partner_id", |h| {
            h.type_str("2j");
            h.press(KeyCode::Right);
            h.press(KeyCode::Tab);
            h.press(KeyCode::Enter);
            for _ in 0..3 {
                h.press(KeyCode::Tab);
            }
            h.type_str("517285");
            h.press(KeyCode::Enter);
        }),
        ("follow_up_of_a_cjk_reseller", |h| {
            cjk_row(h);
            h.type_str("xy");
        }),
        ("activity_filter", |h| h.type_str("4f")),
        ("user_form", |h| h.type_str("5a")),
        ("change_role", |h| h.type_str("5r")),
        ("search", |h| {
            h.type_str("/");
            h.type_str(CJK);
        }),
        ("error", |h| {
            h.send(twotier::app::action::Action::Db(
                twotier::app::nav::To::App,
                twotier::store::worker::DbReply::Failed {
                    what: CJK.repeat(3),
                    message: format!("{} {EMOJI}", long()),
                },
            ))
        }),
        ("wizard_review", |h| {
            h.type_str("2s ");
            ctrl(h, 'n');
        }),
    ]
}

fn draw(width: u16, height: u16, paint: impl FnOnce(&mut ratatui::Frame)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(paint).unwrap();
    terminal.backend().buffer().clone()
}

fn sym(buf: &Buffer, x: u16, y: u16) -> &str {
    buf[(x, y)].symbol()
}

/// The buffer as text, a wide character's hidden second cell skipped (as a terminal shows it).
fn text_of(buf: &Buffer) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut hidden = 0;
        for x in 0..buf.area.width {
            if hidden > 0 {
                hidden -= 1;
                continue;
            }
            let s = sym(buf, x, y);
            hidden = s.width().saturating_sub(1);
            out.push_str(s);
        }
        out.push('\n');
    }
    out
}

/// What is wrong with the boxes drawn in `buf` (one layer alone); how many there are.
fn broken_boxes(buf: &Buffer) -> (Vec<String>, usize) {
    let (w, h) = (buf.area.width, buf.area.height);
    let mut problems = Vec::new();
    let mut boxes = 0;
    // A title or a cell cut mid-word ends in a letter against the corner or the side.
    let cut_against = |s: &str| !matches!(s, "─" | " " | "…" | "│" | "┌" | "└" | "┐" | "┘");
    for y in 0..h {
        for x in 0..w {
            if sym(buf, x, y) != "┌" {
                continue;
            }
            boxes += 1;
            let Some(right) = (x + 1..w).find(|&c| sym(buf, c, y) == "┐") else {
                problems.push(format!("┌ at {x},{y} has no ┐ on its row"));
                continue;
            };
            let Some(bottom) = (y + 1..h).find(|&r| sym(buf, x, r) != "│") else {
                problems.push(format!("┌ at {x},{y}: the left side runs off the screen"));
                continue;
            };
            if sym(buf, x, bottom) != "└" {
                problems.push(format!(
                    "┌ at {x},{y}: the left side is broken at row {bottom} by {:?}",
                    sym(buf, x, bottom)
                ));
                continue;
            }
            for r in y + 1..bottom {
                if sym(buf, right, r) != "│" {
                    problems.push(format!(
                        "box at {x},{y}: the right side is broken at {right},{r} by {:?}",
                        sym(buf, right, r)
                    ));
                }
            }
            if sym(buf, right, bottom) != "┘" {
                problems.push(format!("box at {x},{y}: no ┘ at {right},{bottom}"));
            }
            for r in [y, bottom] {
                if right > x + 1 && cut_against(sym(buf, right - 1, r)) {
                    problems.push(format!(
                        "box at {x},{y}: the text on row {r} is cut against the corner without …"
                    ));
                }
            }
        }
    }
    (problems, boxes)
}

/// The screen alone (header, menu, body, footer), then each modal alone, each checked: what is
/// wrong, in words.
fn check_every_layer(h: &Harness, room: &str) -> Vec<String> {
    let (width, height) = (h.state.width, h.state.height);
    let theme = Theme::colored();
    let mut base = h.state.clone();
    base.modals.clear();
    base.toasts.clear();
    let mut layers = vec![(
        format!("{room} (screen)"),
        draw(width, height, |f| view(&base, &theme, f)),
    )];
    for (i, modal) in h.state.modals.iter().enumerate() {
        layers.push((
            format!("{room} (modal {i})"),
            draw(width, height, |f| {
                let area = f.area();
                screens::modal(modal, &h.state, &theme, f, area)
            }),
        ));
    }
    let mut out = Vec::new();
    for (name, buf) in layers {
        let (mut problems, boxes) = broken_boxes(&buf);
        if boxes == 0 {
            problems.push("no box".into());
        }
        if !problems.is_empty() {
            out.push(format!(
                "{name} at {width}×{height}:\n{}\n{}",
                problems.join("\n"),
                text_of(&buf)
            ));
        }
    }
    out
}

fn console(width: u16, height: u16) -> Harness {
    Harness::acting_as(hostile_book(), UPN, width, height)
}

#[test]
fn every_room_keeps_its_borders_with_wide_and_long_names() {
    let mut visited = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for (width, height) in [(80, 24), (120, 40)] {
        for (room, go) in rooms() {
            let mut h = console(width, height);
            go(&mut h);
            visited.insert(h.state.screen);
            if !matches!(room, "resellers" | "search") {
                assert!(
                    !h.state.modals.is_empty() || h.state.screen != Screen::Resellers,
                    "{room}: the keys opened nothing"
                );
            }
            failures.extend(check_every_layer(&h, room));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for screen in Screen::ALL {
        assert!(visited.contains(screen), "{screen:?} was never drawn");
    }
}

#[test]
fn every_kind_of_modal_is_visited() {
    let mut kinds = std::collections::HashSet::new();
    for (_, go) in rooms() {
        let mut h = console(120, 40);
        go(&mut h);
        for m in &h.state.modals {
            kinds.insert(format!("{m:?}").split('(').next().unwrap().to_owned());
        }
    }
    for kind in [
        "Help",
        "Error",
        "RequestPartnership",
        "DraftEmail",
        "RemovePartnership",
        "RecordAcceptance",
        "Compliance",
        "Confirm",
        "Wizard",
        "ResellerPicker",
        "SubscriptionDetails",
        "UserForm",
        "ActivityFilter",
        "CustomerAccount",
    ] {
        assert!(kinds.contains(kind), "{kind} never opened: {kinds:?}");
    }
}

#[test]
fn a_cjk_modal_snapshot() {
    let mut h = console(80, 24);
    cjk_row(&mut h);
    h.type_str("c");
    let buf = draw(80, 24, |f| view(&h.state, &Theme::colored(), f));
    insta::assert_snapshot!("wide_compliance_cjk_80x24", text_of(&buf));
    let mut h = console(80, 24);
    h.type_str("2");
    cjk_row(&mut h);
    h.type_str("s");
    let buf = draw(80, 24, |f| view(&h.state, &Theme::colored(), f));
    insta::assert_snapshot!("wide_add_subscription_cjk_80x24", text_of(&buf));
}

#[test]
fn ellipsize_cuts_by_display_width_between_graphemes() {
    use twotier::ui::chrome::ellipsize;
    use unicode_width::UnicodeWidthStr;
    // CJK: two columns each; a wide character that would straddle the edge is dropped.
    assert_eq!(ellipsize("株式会社テスト", 14), "株式会社テスト");
    assert_eq!(ellipsize("株式会社テスト", 13), "株式会社テス…");
    assert_eq!(ellipsize("株式会社テスト", 12), "株式会社テ…");
    assert_eq!(ellipsize("株式会社テスト", 1), "…");
    assert_eq!(ellipsize("株式会社テスト", 0), "");
    // A ZWJ sequence and a flag are kept or dropped whole, never split into their parts.
    assert_eq!(ellipsize("👩‍💻🚀 Reseller 🇯🇵", 3), "👩‍💻…");
    assert_eq!(ellipsize("🇯🇵🇯🇵", 3), "🇯🇵…");
    // A combining mark stays with its letter and takes no column.
    let accented = "e\u{301}e\u{301}e\u{301}e\u{301}";
    assert_eq!(ellipsize(accented, 4), accented);
    assert_eq!(ellipsize(accented, 3), "e\u{301}e\u{301}…");
    for text in [CJK, EMOJI, UPN, &long(), "a\u{200b}b\u{200b}c"] {
        for width in 0..40 {
            let cut = ellipsize(text, width);
            assert!(cut.width() <= width, "{text:?} at {width}: {cut:?}");
            assert!(
                text.width() <= width || cut.ends_with('…') || width == 0,
                "{text:?} at {width}: {cut:?}"
            );
        }
    }
}

#[test]
fn a_long_toast_wraps_inside_the_body_even_without_spaces() {
    let mut h = console(80, 24);
    h.state.toast(format!("Saved {} {EMOJI}", CJK.repeat(4)));
    let buf = draw(80, 24, |f| view(&h.state, &Theme::colored(), f));
    let text = text_of(&buf);
    assert!(text.contains("Saved"), "{text}");
    // All of it shows, over several lines, none past the body's right border.
    let shown: String = text.lines().collect::<Vec<_>>().concat();
    assert!(shown.contains("営業部"), "{text}");
    assert_eq!(broken_boxes(&buf).0, Vec::<String>::new(), "{text}");
    for line in text.lines().skip(2).take(21) {
        assert!(line.ends_with(['│', '┐', '┘']), "{line:?}\n{text}");
    }
}
