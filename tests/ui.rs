//! View snapshots (TestBackend + insta) of the chrome and every screen, at 80×24 and narrow,
//! plus a few cell checks that snapshots cannot make (they drop colour).

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use twotier::app::action::Action;
use twotier::app::state::AppState;
use twotier::store::worker::DbReply;
use twotier::ui::{Theme, view};

fn render(state: &AppState) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal
}

fn snapshot(name: &str, h: &Harness) {
    insta::assert_snapshot!(name, render(&h.state).backend());
}

fn screen_text(state: &AppState) -> String {
    render(state).backend().to_string()
}

#[test]
fn indirect_resellers_80x24() {
    let h = Harness::new(TestDb::default_demo(), 80, 24);
    snapshot("resellers_80x24", &h);
}

#[test]
fn customers_80x24_and_wide() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2");
    snapshot("customers_80x24", &h);
    h.send(Action::Resize {
        width: 150,
        height: 24,
    });
    snapshot("customers_150x24_full_microsoft_id", &h);
}

#[test]
fn narrow_60x16() {
    let mut h = Harness::new(TestDb::default_demo(), 60, 16);
    snapshot("resellers_60x16", &h);
    h.type_str("2");
    snapshot("customers_60x16", &h);
}

#[test]
fn company_profile_activity_log_and_users() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("3");
    snapshot("company_profile_80x24", &h);
    h.type_str("4");
    snapshot("activity_log_80x24", &h);
    h.type_str("5");
    snapshot("users_80x24", &h);
}

#[test]
fn search_open_with_matches_and_with_none() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("2/bi");
    snapshot("customers_search_bi", &h);
    h.type_str("zzz");
    snapshot("customers_search_no_match", &h);
}

#[test]
fn help_overlay() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("?");
    snapshot("help_80x24", &h);
    let text = screen_text(&h.state);
    // Generated from the keymap: every footer key of the screen is in help.
    for needle in [
        "/ search",
        "? help",
        "q quit",
        "End/G last",
        "To accomplish this",
    ] {
        assert!(text.contains(needle), "help lacks {needle:?}");
    }
}

#[test]
fn error_modal() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.send(Action::Db(
        twotier::app::nav::To::App,
        DbReply::Failed {
            what: "Loading the customers".into(),
            message: "database is locked".into(),
        },
    ));
    snapshot("error_modal", &h);
}

#[test]
fn too_small_says_so_instead_of_drawing() {
    let h = Harness::new(TestDb::default_demo(), 59, 16);
    snapshot("too_small_59x16", &h);
    let h = Harness::new(TestDb::default_demo(), 60, 15);
    assert!(screen_text(&h.state).contains("too small"));
    let h = Harness::new(TestDb::default_demo(), 60, 16);
    assert!(!screen_text(&h.state).contains("too small"));
}

#[test]
fn loading_state_before_the_first_page() {
    let db = TestDb::default_demo();
    let state = AppState::new(db.operator(), common::now(), 80, 24);
    let text = screen_text(&state);
    assert!(text.contains("Loading…"), "{text}");
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let db = TestDb::default_demo();
    db.store
        .conn()
        .execute(
            "UPDATE customers SET company_name = ?1 WHERE id = (SELECT id FROM customers ORDER BY company_name LIMIT 1)",
            ["\u{1b}]0;pwned\u{7}Evil\u{1b}[31m\u{202e}Corp\u{9b}2J\u{200b}"],
        )
        .unwrap();
    db.store
        .conn()
        .execute(
            "UPDATE resellers SET name = ?1 WHERE name = 'Adatum IT Services'",
            ["Adatum\r\u{7f}\u{2066}IT"],
        )
        .unwrap();
    let mut h = Harness::new(db, 80, 24);
    let text = screen_text(&h.state);
    assert!(text.contains("Adatum\u{fffd}\u{fffd}IT"), "{text}");
    h.type_str("2");
    snapshot("customers_hostile_name", &h);
    let terminal = render(&h.state);
    for cell in terminal.backend().buffer().content() {
        let symbol = cell.symbol();
        assert!(
            !symbol.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')),
            "raw control or bidi character {symbol:?} in the buffer"
        );
    }
}

#[test]
fn the_selected_row_and_current_menu_item_are_reversed() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.press(KeyCode::Down);
    let terminal = render(&h.state);
    let buffer = terminal.backend().buffer();
    // Row 0 header, 1 menu, 2 top border, 3 column header, 4 first row, 5 second (selected).
    assert!(buffer[(2, 5)].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[(2, 4)].modifier.contains(Modifier::REVERSED));
    // "Indirect resellers" in the menu ("Resellers" where the menu is short) is the current screen.
    let menu: String = (0..80)
        .map(|x| buffer[(x, 1)].symbol().to_owned())
        .collect();
    let at = menu.find("esellers").unwrap() as u16;
    assert!(buffer[(at, 1)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn no_color_theme_uses_no_colours() {
    let h = Harness::new(TestDb::default_demo(), 80, 24);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| view(&h.state, &Theme::monochrome(), f))
        .unwrap();
    for cell in terminal.backend().buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
}

fn open_draft(h: &mut Harness) {
    h.type_str("r");
    h.type_str("partners@contoso.example");
    h.press(KeyCode::Enter);
}

/// Tokens are random: the snapshot shows a fixed one in their place.
fn fixed_token(h: &mut Harness) {
    if let Some(twotier::app::screens::Modal::DraftEmail(d)) = h.state.modals.last_mut() {
        let token = d.draft.token.clone();
        let fixed = "abcdefghijklmnopqrstuvwxyz234567";
        d.draft.link = d.draft.link.replace(&token, fixed);
        d.draft.token = fixed.to_owned();
        let body = d.body_text().replace(&token, fixed);
        **d = twotier::app::screens::draft_email::DraftEmail::new(
            twotier::store::invitations::InvitationDraft {
                body,
                ..d.draft.clone()
            },
            None,
        );
    }
}

#[test]
fn request_form_and_draft_email() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("r");
    h.type_str("partners@contoso");
    snapshot("request_form_invalid", &h);
    h.type_str(".example");
    h.press(KeyCode::Enter);
    fixed_token(&mut h);
    snapshot("draft_email_80x24", &h);
    let mut wide = Harness::new(TestDb::default_demo(), 120, 40);
    open_draft(&mut wide);
    fixed_token(&mut wide);
    snapshot("draft_email_120x40", &wide);
}

#[test]
fn draft_email_keeps_the_link_in_view_at_80x24_and_asks_before_discarding() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    open_draft(&mut h);
    fixed_token(&mut h);
    let text = screen_text(&h.state);
    // The link, cut over lines of the box: every piece is on screen, without pressing e.
    let link = match h.state.top_modal() {
        Some(twotier::app::screens::Modal::DraftEmail(d)) => d.draft.link.clone(),
        _ => panic!("no draft"),
    };
    let joined: String = text
        .lines()
        .filter_map(|l| {
            l.split_once("│Link     ")
                .or_else(|| l.split_once("│         "))
        })
        .map(|(_, rest)| rest.split('│').next().unwrap().trim().to_owned())
        .collect();
    assert!(joined.contains(&link), "{joined}\n{text}");
    // To, with an error in words.
    h.type_str("t");
    h.type_str(",x@y.example");
    snapshot("draft_email_bad_to_80x24", &h);
    for _ in 0..",x@y.example".len() {
        h.press(KeyCode::Backspace);
    }
    h.press(KeyCode::Esc);
    h.type_str("c");
    h.send(twotier::app::action::Action::Copied(Ok(
        "system clipboard".into()
    )));
    h.press(KeyCode::Esc);
    snapshot("draft_email_discard_question", &h);
    assert!(screen_text(&h.state).contains("The link has left twotier (copied)"));
}

#[test]
fn draft_email_with_a_broken_link_says_why() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    open_draft(&mut h);
    fixed_token(&mut h);
    h.type_str("e");
    for _ in 0..200 {
        h.press(KeyCode::Down);
    }
    h.press(KeyCode::Esc);
    if let Some(twotier::app::screens::Modal::DraftEmail(d)) = h.state.modals.last_mut() {
        let body = d
            .body_text()
            .replace("token=abcdefghijklmnopqrstuvwxyz234567", "token=changed");
        **d = twotier::app::screens::draft_email::DraftEmail::new(
            twotier::store::invitations::InvitationDraft {
                body,
                ..d.draft.clone()
            },
            None,
        );
    }
    h.press(KeyCode::Enter);
    snapshot("draft_email_refused", &h);
    assert!(screen_text(&h.state).contains("must include the personalized link"));
}

#[test]
fn remove_partnership_confirmation() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    h.type_str("x");
    snapshot("remove_partnership_100x30", &h);
    let text = screen_text(&h.state);
    assert!(text.contains("Customers associated to the indirect reseller will not be removed."));
    let mut small = Harness::new(TestDb::default_demo(), 80, 24);
    small.type_str("x");
    snapshot("remove_partnership_80x24", &small);
}

#[test]
fn invitations_ledger_and_acceptance_form() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 30);
    h.type_str("i");
    snapshot("invitations_120x30", &h);
    h.type_str("ja");
    h.type_str("Contoso Partners");
    h.press(KeyCode::Tab);
    h.type_str("12345");
    snapshot("record_acceptance_warning", &h);
    let mut narrow = Harness::new(TestDb::default_demo(), 60, 16);
    narrow.type_str("ija");
    snapshot("record_acceptance_60x16", &narrow);
}

#[test]
fn compliance_and_revoke_confirmation() {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("c");
    snapshot("compliance_80x24", &h);
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("ijx");
    snapshot("revoke_confirmation", &h);
}

#[test]
fn removed_partnerships_show_as_history() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 24);
    h.type_str("h");
    snapshot("resellers_with_removed_120x24", &h);
}

fn ctrl_key(h: &mut Harness, c: char) {
    h.key(crossterm::event::KeyEvent::new(
        KeyCode::Char(c),
        crossterm::event::KeyModifiers::CONTROL,
    ));
}

/// Fills the wizard's Account info through keys.
fn fill_account(h: &mut Harness) {
    for text in [
        "Fabrikam Robotics",
        "fabrikamrobotics",
        "Ana",
        "Silva",
        "ana@fabrikam.example",
        "",
        "1 Main St",
        "",
        "Seattle",
        "WA",
        "98101",
        "US",
        "",
        "",
        "",
        "",
        "Ana Silva",
        "ana@fabrikam.example",
    ] {
        h.type_str(text);
        h.press(KeyCode::Tab);
    }
}

#[test]
fn wizard_steps_and_confirmation_with_the_password_masked() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    h.type_str("n");
    snapshot("wizard_account_info_empty", &h);
    h.type_str("F");
    h.press(KeyCode::Tab);
    h.type_str("fab-");
    snapshot("wizard_account_info_errors", &h);
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    h.type_str("n");
    fill_account(&mut h);
    ctrl_key(&mut h, 'n');
    h.type_str("jjjj25");
    snapshot("wizard_new_subscription", &h);
    ctrl_key(&mut h, 'n');
    snapshot("wizard_review", &h);
    h.type_str(" ");
    ctrl_key(&mut h, 's');
    let Some(twotier::app::screens::Modal::Confirmation(c)) = h.state.top_modal() else {
        panic!("{:?}", h.state.modals)
    };
    let password = c.created.password.expose().to_owned();
    let screen = render(&h.state)
        .backend()
        .to_string()
        .replace(&password, &"*".repeat(password.len()));
    assert!(!screen.contains(&password));
    insta::assert_snapshot!("confirmation_password_masked", screen);
}

#[test]
fn reseller_picker_expanded_record_and_subscription_details() {
    let mut h = Harness::new(TestDb::default_demo(), 100, 30);
    h.type_str("2f");
    snapshot("reseller_picker", &h);
    h.press(KeyCode::Esc);
    h.press(KeyCode::Right);
    snapshot("customers_expanded", &h);
    h.press(KeyCode::Tab);
    h.press(KeyCode::Enter);
    snapshot("subscription_details", &h);
    h.press(KeyCode::Left);
    snapshot("subscription_details_refused_decrease", &h);
}

#[test]
fn disabled_actions_are_struck_out_with_their_reason() {
    let mut h = Harness::acting_as(
        TestDb::default_demo(),
        "dev.sales@northwind-distribution.example",
        100,
        30,
    );
    h.type_str("2");
    h.press(KeyCode::Enter);
    h.press(KeyCode::Enter);
    for _ in 0..4 {
        h.press(KeyCode::Tab);
    }
    snapshot("sales_agent_support_contact_refused", &h);
    let terminal = render(&h.state);
    let buffer = terminal.backend().buffer();
    let text = terminal.backend().to_string();
    assert!(
        text.contains("Designated support contact needs")
            && text.contains("Helpdesk agent (you are Sales agent)")
    );
    // The label of the row is struck out.
    let (x, y) = (0..buffer.area.height)
        .find_map(|y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect();
            line.find("Designated support contact")
                .map(|at| (line[..at].chars().count() as u16, y))
        })
        .unwrap();
    assert!(buffer[(x, y)].modifier.contains(Modifier::CROSSED_OUT));
    // Help lists it struck out and says why.
    h.press(KeyCode::Esc);
    h.type_str("n");
    let mut b = Harness::acting_as(
        TestDb::default_demo(),
        "eva.billing@northwind-distribution.example",
        100,
        30,
    );
    snapshot("billing_admin_menu_and_footer", &b);
    b.type_str("?");
    snapshot("billing_admin_help", &b);
}

/// Without `[partner_center]` the header says the book is offline; with it, which tenant.
#[test]
fn header_says_offline_or_which_partner_center_tenant() {
    use twotier::app::state::RemoteLink;
    // Wide enough for the tenant (narrower, the badge says only whether signed in).
    let mut h = Harness::new(TestDb::default_demo(), 200, 24);
    h.state.remote = RemoteLink::Offline;
    let top = screen_text(&h.state)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    assert!(
        top.contains("DEMO DATA") && top.contains("offline"),
        "{top}"
    );
    h.state.remote = RemoteLink::PartnerCenter {
        tenant: "northwind.onmicrosoft.com\u{1b}[2J".into(),
    };
    let top = screen_text(&h.state)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    assert!(
        top.contains("Partner Center: northwind.onmicrosoft.com") && !top.contains('\u{1b}'),
        "{top}"
    );
    h.state.remote = RemoteLink::Unstated;
    let top = screen_text(&h.state)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    assert!(!top.contains("offline"), "{top}");
}
