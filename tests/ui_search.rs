//! Search on the lists, drawn and driven: `/toso` on Customers shows Contoso with the matched
//! characters lit (a snapshot marks them with `^` below), and a hostile name stays harmless.

mod common;

use common::{Harness, TestDb};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use twotier::app::state::AppState;
use twotier::ui::{Theme, view};

fn render(state: &AppState) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal
}

/// The screen, each line with lit (matched) cells followed by a line of `^` under them.
fn marked(state: &AppState) -> String {
    let terminal = render(state);
    let buffer = terminal.backend().buffer();
    let lit = Theme::colored().matched;
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut marks = String::new();
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            line.push_str(cell.symbol());
            let is_lit = cell.fg == lit.fg.unwrap() && cell.modifier.contains(Modifier::UNDERLINED);
            marks.push(if is_lit { '^' } else { ' ' });
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if marks.contains('^') {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
}

fn book_with(name: &str) -> TestDb {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE customers SET company_name = ?1 WHERE id = 1",
            [name],
        )
        .unwrap();
    db
}

#[test]
fn typing_toso_on_customers_shows_contoso_lit() {
    let mut h = Harness::new(book_with("Contoso Zürich AG"), 80, 24);
    h.type_str("2/toso");
    let list = &h.state.screens.customers.list;
    let names: Vec<&str> = list.rows.iter().map(|c| c.company_name.as_str()).collect();
    assert_eq!(names, ["Contoso Zürich AG"]);
    insta::assert_snapshot!("customers_search_toso_lit", marked(&h.state));
}

#[test]
fn an_accent_typed_or_not_finds_and_lits_the_accented_letters() {
    let mut h = Harness::new(book_with("Contoso Zürich AG"), 80, 24);
    h.type_str("2/ZUR");
    let text = marked(&h.state);
    let row = text
        .lines()
        .position(|l| l.contains("Contoso Zürich AG"))
        .expect("the row");
    let marks = text.lines().nth(row + 1).unwrap();
    let line = text.lines().nth(row).unwrap();
    let at = line.find("Zür").unwrap();
    // Cells, not bytes: "Zür" starts after the same number of characters on both lines.
    let col = line[..at].chars().count();
    assert_eq!(&marks[col..col + 3], "^^^", "\n{text}");
}

#[test]
fn a_hostile_name_is_cleaned_before_it_is_lit() {
    let mut h = Harness::new(book_with("\u{1b}]0;pwned\u{7}Con\u{202e}toso"), 80, 24);
    h.type_str("2/toso");
    let terminal = render(&h.state);
    for cell in terminal.backend().buffer().content() {
        for c in cell.symbol().chars() {
            assert!(
                !c.is_control() && !matches!(c, '\u{202a}'..='\u{202e}'),
                "{c:?} reached the buffer"
            );
        }
    }
    assert!(marked(&h.state).contains("\u{fffd}]0;pwned\u{fffd}Contoso"));
}

#[test]
fn a_short_search_says_it_matches_the_start() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 24);
    h.type_str("2/a");
    let text = marked(&h.state);
    assert!(
        text.contains("starts with · 3+ letters search anywhere"),
        "{text}"
    );
    h.type_str("lp");
    let text = marked(&h.state);
    assert!(!text.contains("starts with"), "{text}");
}
