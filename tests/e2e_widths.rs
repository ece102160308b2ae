//! End to end, every width: the release binary in tmux at 200×50 shows the detail pane beside
//! the list (the selected customer's record, following `j`), and at 80×24 a CJK company name
//! typed into Add new customer scrolls by display width, the cursor moving one character (two
//! columns) at a time.

mod common;

use common::tmux::*;

fn resize(s: &Session, width: u16, height: u16) {
    s.tmux_ok(&[
        "resize-window",
        "-t",
        "e2e",
        "-x",
        &width.to_string(),
        "-y",
        &height.to_string(),
    ]);
}

fn cursor(s: &Session) -> (usize, usize) {
    let at = s.format("#{cursor_x},#{cursor_y}");
    let (x, y) = at.split_once(',').expect("cursor_x,cursor_y");
    (x.parse().unwrap(), y.parse().unwrap())
}

#[test]
fn the_detail_pane_at_200x50_follows_the_selection() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    s.wait_for_text(&["Indirect resellers (11)"]);
    resize(&s, 200, 50);
    let screen = s.wait_for_text(&["┌ Indirect reseller ", "Compliance", "PartnerID (MPN ID)"]);
    assert!(
        line_with(&screen, &["Name", "Adatum IT Services"]).is_some(),
        "{screen}"
    );
    s.type_text("2");
    let screen = s.wait_for_text(&["┌ Customer ", "Primary contact", "Address"]);
    let first = table_rows(&screen, "Company name")[0].clone();
    let first_name = first
        .split("  ")
        .next()
        .unwrap()
        .trim_start_matches('│')
        .to_owned();
    assert!(
        line_with(&screen, &["Company name", &first_name])
            .iter()
            .count()
            >= 1,
        "{screen}"
    );
    s.type_text("j");
    let screen = s.wait_for("the pane on the second customer", |sc| {
        line_with(sc, &["Company name", "Apex Bakery Partners"]).is_some()
            && sc.contains("Primary contact")
    });
    assert!(screen.contains("Microsoft ID"), "{screen}");
    // Below 160 columns: no pane.
    resize(&s, 120, 40);
    s.wait_for("the pane gone at 120 columns", |sc| {
        !sc.contains("Primary contact")
    });
    s.quit();
}

#[test]
fn a_cjk_name_typed_into_add_new_customer_at_80x24_scrolls_by_display_width() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    s.wait_for_text(&["Indirect resellers (11)"]);
    resize(&s, 80, 24);
    s.wait_for("the frame at 80 columns", |sc| {
        sc.lines().next().is_some_and(|l| l.chars().count() <= 80)
    });
    s.type_text("2n");
    s.wait_for_text(&["┌ Add new customer", "›Company name"]);
    let name = "株式会社テスト販売".repeat(3) + "東京本社大阪";
    s.type_text(&name);
    let screen = s.wait_for("the end of the name in view", |sc| {
        line_with(sc, &["›Company name", "東京本社大阪"]).is_some()
    });
    let line = line_with(&screen, &["›Company name"]).unwrap().to_owned();
    assert!(
        !line.contains("株式会社テスト販売株式会社テスト販売株式会社"),
        "scrolled: {line}"
    );
    let (end_x, y) = cursor(&s);
    // ← on the last character: the cursor one character (two columns) left, on it.
    s.key("Left");
    s.wait_for("the cursor one character left", |_| {
        cursor(&s) == (end_x - 2, y)
    });
    s.key("Home");
    let screen = s.wait_for("the start of the name in view", |sc| {
        line_with(sc, &["›Company name", "株式会社テスト販売株式会社"]).is_some()
    });
    let line = line_with(&screen, &["›Company name"]).unwrap();
    assert!(line.contains('…'), "the rest cut with …: {line}");
    let (home_x, _) = cursor(&s);
    let name_at = unicode_width::UnicodeWidthStr::width(&line[..line.find('株').unwrap()]);
    assert_eq!(home_x, name_at, "the cursor on the first character: {line}");
    // → moves one character at a time: two columns each, never into half a character.
    for n in 1..=5 {
        s.key("Right");
        s.wait_for(&format!("the cursor {n} characters in"), |_| {
            cursor(&s) == (home_x + 2 * n, y)
        });
    }
    // q would type into the field: the session ends with the test.
}
