//! View snapshots (TestBackend + insta) of the Sign-in room in each phase, the header signed in
//! or not, and a running sync's progress at the right of the footer.

mod common;

use common::{Harness, TestDb};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use twotier::app::action::Action;
use twotier::app::remote::{Kept, RemoteEvent, SignInEvent, SignInFailure, SyncProgress};
use twotier::app::state::{AppState, RemoteLink};
use twotier::ui::{Theme, view};

fn render(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    terminal
        .draw(|f| view(state, &Theme::colored(), f))
        .unwrap();
    terminal.backend().to_string()
}

fn connected(width: u16, height: u16) -> Harness {
    let mut h = Harness::new(TestDb::default_demo(), width, height);
    h.state.remote = RemoteLink::PartnerCenter {
        tenant: "northwind.onmicrosoft.com".into(),
    };
    h
}

fn sign_in(h: &mut Harness, event: SignInEvent) {
    h.send(Action::Remote(RemoteEvent::SignIn(event)));
}

fn code() -> SignInEvent {
    SignInEvent::Code {
        verification_uri: "https://microsoft.com/devicelogin".into(),
        user_code: "GQ8X-2K4M".into(),
        expires_minutes: 15,
    }
}

#[test]
fn the_sign_in_room_in_each_phase_80x24() {
    let mut h = connected(80, 24);
    h.type_str("P");
    insta::assert_snapshot!("sign_in_asking", render(&h.state));
    sign_in(&mut h, code());
    sign_in(&mut h, SignInEvent::Pending);
    insta::assert_snapshot!("sign_in_code_pending", render(&h.state));
    sign_in(&mut h, SignInEvent::SlowDown { every_secs: 10 });
    insta::assert_snapshot!("sign_in_slow_down", render(&h.state));
    sign_in(&mut h, SignInEvent::Failed(SignInFailure::Denied));
    insta::assert_snapshot!("sign_in_denied", render(&h.state));
    // Enter: a new code is asked for.
    h.press(crossterm::event::KeyCode::Enter);
    sign_in(&mut h, code());
    let operator =
        h.db.store
            .resolve_operator("ava.global@northwind-distribution.example")
            .unwrap();
    sign_in(
        &mut h,
        SignInEvent::SignedIn {
            operator,
            kept: Kept::InKeyring,
        },
    );
    insta::assert_snapshot!("sign_in_signed_in", render(&h.state));
}

#[test]
fn hostile_text_from_the_server_is_shown_escaped() {
    let mut h = connected(80, 24);
    h.type_str("P");
    sign_in(
        &mut h,
        SignInEvent::Code {
            verification_uri: "https://evil.example/\u{1b}[2J".into(),
            user_code: "AB\u{202e}CD".into(),
            expires_minutes: 15,
        },
    );
    let text = render(&h.state);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text}"
    );
}

#[test]
fn the_header_says_whether_signed_in() {
    let mut h = connected(200, 24);
    let top = render(&h.state).lines().next().unwrap().to_owned();
    assert!(
        top.contains("Partner Center: northwind.onmicrosoft.com · not signed in"),
        "{top}"
    );
    // Narrower, the provider keeps its name and the badge drops the tenant.
    h.state.width = 100;
    let top = render(&h.state).lines().next().unwrap().to_owned();
    assert!(
        top.contains(" Northwind Cloud") && top.contains("Partner Center: not signed in"),
        "{top}"
    );
    h.state.connection.signed_in = true;
    h.state.connection.account = Some(h.state.operator.upn.clone());
    let top = render(&h.state).lines().next().unwrap().to_owned();
    assert!(top.contains("Partner Center: signed in"), "{top}");
    assert!(!top.contains("not signed in"), "{top}");
}

#[test]
fn a_running_sync_shows_its_progress_in_the_footer() {
    for (width, name) in [(80, "sync_footer_80x24"), (120, "sync_footer_120x24")] {
        let mut h = connected(width, 24);
        h.state.connection.signed_in = true;
        h.type_str("2");
        h.state.connection.sync = Some(SyncProgress {
            resellers: Some(2),
            pages: 3,
            customers: 1500,
            step: None,
        });
        let text = render(&h.state);
        let footer = text.lines().last().unwrap().to_owned();
        assert!(
            footer.contains("Syncing · page 3 · 1,500 customers…"),
            "{footer}"
        );
        assert!(footer.contains("q quit"), "{footer}");
        insta::assert_snapshot!(name, footer);
    }
}
