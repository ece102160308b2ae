//! Very long text (10 kB names, as a sync or an import could bring) stays inside its dialog: cut
//! by width with "…", never pushing the fields out.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::ui::{Theme, view};

fn screen(h: &Harness) -> String {
    let mut terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
    terminal
        .draw(|f| view(&h.state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_10kb_reseller_and_customer_name_keep_every_subscription_field_in_view() {
    let db = TestDb::default_demo();
    let long = "Wide World Integrators ".repeat(450);
    assert!(long.len() > 10_000);
    db.store
        .conn()
        .execute("UPDATE resellers SET name = ?1", [&long])
        .unwrap();
    db.store
        .conn()
        .execute("UPDATE customers SET company_name = ?1", [&long])
        .unwrap();
    let mut h = Harness::new(db, 100, 30);
    h.type_str("2");
    h.press(KeyCode::Right);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    let text = screen(&h);
    for label in [
        "Customer",
        "Quantity",
        "Status",
        "Auto-renew",
        "Reseller (MPN ID)",
        "Designated support contact",
        "Offer",
    ] {
        assert!(text.contains(label), "{label} is out of view:\n{text}");
    }
    assert!(text.contains("Wide World Integrators Wide"), "{text}");
    assert!(
        text.contains('…'),
        "the long name is cut with an ellipsis:\n{text}"
    );
}
