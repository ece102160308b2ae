//! The live Partner Center connection in the console, as `update` action sequences answered by
//! a real store: `P` opens the Sign-in room, which shows what the runtime reports (the code, the
//! waiting, how it ended); signed in, the console acts as that account; `Y` starts one
//! background sync (a second press says it runs), its progress is kept for the footer, the lists
//! reload as pages land, and the end is said in words. The runtime's reports are sent as the
//! actions it would send.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use twotier::app::action::Action;
use twotier::app::effect::Effect;
use twotier::app::nav::To;
use twotier::app::remote::{
    Kept, RemoteCmd, RemoteEvent, SignInEvent, SignInFailure, SyncEvent, SyncProgress,
};
use twotier::app::screens::Modal;
use twotier::app::screens::sign_in::{Phase, SignIn, Waiting};
use twotier::app::state::RemoteLink;
use twotier::store::worker::{DbCmd, ListId};

const TENANT: &str = "northwind.onmicrosoft.com";
/// A demo operator the sign-in names (the console starts as another one).
const SIGNED_IN: &str = "ava.global@northwind-distribution.example";

fn connected() -> Harness {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.state.remote = RemoteLink::PartnerCenter {
        tenant: TENANT.into(),
    };
    h
}

fn room(h: &Harness) -> &SignIn {
    match h.state.top_modal() {
        Some(Modal::SignIn(room)) => room,
        other => panic!("the Sign-in room is not on top: {other:?}"),
    }
}

fn remote_effects(h: &Harness) -> Vec<RemoteCmd> {
    h.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Remote(cmd) => Some(cmd.clone()),
            _ => None,
        })
        .collect()
}

fn sign_in_event(h: &mut Harness, event: SignInEvent) {
    h.send(Action::Remote(RemoteEvent::SignIn(event)));
}

fn sync_event(h: &mut Harness, event: SyncEvent) {
    h.send(Action::Remote(RemoteEvent::Sync(event)));
}

fn code() -> SignInEvent {
    SignInEvent::Code {
        verification_uri: "https://microsoft.com/devicelogin".into(),
        user_code: "GQ8X-2K4M".into(),
        expires_minutes: 15,
    }
}

fn signed_in(h: &mut Harness) {
    let operator = h.db.store.resolve_operator(SIGNED_IN).unwrap();
    sign_in_event(
        h,
        SignInEvent::SignedIn {
            operator,
            kept: Kept::ProcessOnly("no keyring is reachable (TWOTIER_KEYRING=off)".into()),
        },
    );
}

fn toasts(h: &Harness) -> String {
    h.state
        .toasts
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn p_opens_the_sign_in_room_which_shows_the_code_and_how_the_waiting_goes() {
    let mut h = connected();
    h.type_str("P");
    assert_eq!(room(&h).phase, Phase::Asking);
    assert_eq!(room(&h).tenant, TENANT);
    assert_eq!(remote_effects(&h), vec![RemoteCmd::SignIn]);

    sign_in_event(&mut h, code());
    sign_in_event(&mut h, SignInEvent::Pending);
    sign_in_event(&mut h, SignInEvent::Pending);
    match &room(&h).phase {
        Phase::Code {
            user_code, waiting, ..
        } => {
            assert_eq!(user_code, "GQ8X-2K4M");
            assert_eq!(*waiting, Waiting::Pending { polls: 2 });
        }
        other => panic!("{other:?}"),
    }
    sign_in_event(&mut h, SignInEvent::SlowDown { every_secs: 10 });
    sign_in_event(&mut h, SignInEvent::Pending);
    assert!(matches!(
        room(&h).phase,
        Phase::Code {
            waiting: Waiting::SlowDown { every_secs: 10 },
            ..
        }
    ));

    // `c` copies the code.
    h.type_str("c");
    assert!(h.effects.contains(&Effect::Copy {
        text: "GQ8X-2K4M".into()
    }));

    // Esc while waiting closes the room and stops the polling: nothing is kept.
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty());
    assert_eq!(remote_effects(&h).last(), Some(&RemoteCmd::CancelSignIn));
    assert!(!h.state.connection.signed_in);
}

#[test]
fn signed_in_the_console_acts_as_the_account_and_the_store_does_too() {
    let mut h = connected();
    assert_ne!(h.state.operator.upn, SIGNED_IN);
    h.type_str("P");
    sign_in_event(&mut h, code());
    signed_in(&mut h);
    assert!(matches!(&room(&h).phase, Phase::SignedIn { account, .. } if account == SIGNED_IN));
    assert_eq!(h.state.operator.upn, SIGNED_IN);
    assert!(h.state.connection.signed_in);
    assert_eq!(h.state.connection.account.as_deref(), Some(SIGNED_IN));
    assert!(h.effects.contains(&Effect::Db(
        To::App,
        DbCmd::ActAs {
            upn: SIGNED_IN.into()
        }
    )));
    // The store acts as them too: its reply says so.
    assert!(
        toasts(&h).contains(&format!("acting as {SIGNED_IN} (Global admin)")),
        "{}",
        toasts(&h)
    );
    assert_eq!(h.db.store.actor().map(|o| o.upn.as_str()), Some(SIGNED_IN));
    h.press(KeyCode::Enter);
    assert!(h.state.modals.is_empty());
}

#[test]
fn a_failed_sign_in_says_why_and_enter_asks_for_a_new_code() {
    let mut h = connected();
    h.type_str("P");
    sign_in_event(&mut h, code());
    sign_in_event(
        &mut h,
        SignInEvent::Failed(SignInFailure::Expired { minutes: 15 }),
    );
    let Phase::Failed(failure) = &room(&h).phase else {
        panic!("{:?}", room(&h).phase)
    };
    assert!(
        failure.words().contains("expired_token"),
        "{}",
        failure.words()
    );
    h.press(KeyCode::Enter);
    assert_eq!(room(&h).phase, Phase::Asking);
    assert_eq!(
        remote_effects(&h),
        vec![RemoteCmd::SignIn, RemoteCmd::SignIn]
    );

    sign_in_event(
        &mut h,
        SignInEvent::Failed(SignInFailure::NotAnOperator {
            account: "ava@northwind.onmicrosoft.com".into(),
            disabled: false,
        }),
    );
    let Phase::Failed(failure) = &room(&h).phase else {
        panic!()
    };
    assert_eq!(
        failure.words(),
        "ava@northwind.onmicrosoft.com is not an operator of this book; a Global admin adds them with `twotier users add`. Nothing was kept."
    );
    assert!(!h.state.connection.signed_in);
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty());
}

#[test]
fn y_syncs_once_in_the_background_with_progress_and_the_lists_reloaded() {
    let mut h = connected();
    h.state.connection.signed_in = true;
    h.type_str("2");
    h.type_str("Y");
    let sync = RemoteCmd::Sync {
        operator: h.state.operator.upn.clone(),
    };
    assert_eq!(remote_effects(&h), vec![sync.clone()]);
    assert_eq!(h.state.connection.sync, Some(SyncProgress::default()));

    // A second press while it runs says so, and starts nothing.
    h.type_str("Y");
    assert_eq!(remote_effects(&h), vec![sync.clone()]);
    assert!(
        toasts(&h).contains("A sync is running already: Syncing · starting…"),
        "{}",
        toasts(&h)
    );

    sync_event(&mut h, SyncEvent::Resellers { count: 2 });
    let pages_before = customer_pages(&h);
    sync_event(
        &mut h,
        SyncEvent::Page {
            number: 3,
            customers: 1500,
        },
    );
    assert_eq!(
        h.state.connection.sync.as_ref().unwrap().words(),
        "Syncing · page 3 · 1,500 customers…"
    );
    // The Customers list shown is reloaded as the page lands.
    assert!(customer_pages(&h) > pages_before);

    sync_event(
        &mut h,
        SyncEvent::Done("Synced with Partner Center in 1.0 s: resellers 2 new".into()),
    );
    assert_eq!(h.state.connection.sync, None);
    assert!(
        toasts(&h).contains("Synced with Partner Center"),
        "{}",
        toasts(&h)
    );

    // Another sync may start now; a failure is said in an error, and the lists reload.
    h.type_str("Y");
    assert_eq!(remote_effects(&h), vec![sync.clone(), sync]);
    sync_event(
        &mut h,
        SyncEvent::Failed("The sync stopped: Partner Center did not answer".into()),
    );
    assert_eq!(h.state.connection.sync, None);
    match h.state.top_modal() {
        Some(Modal::Error(e)) => {
            assert_eq!(e.title, "Sync with Partner Center stopped");
            assert!(e.message.contains("did not answer"));
        }
        other => panic!("{other:?}"),
    }
}

fn customer_pages(h: &Harness) -> usize {
    h.db_commands()
        .iter()
        .filter(|c| {
            matches!(
                c,
                DbCmd::Page {
                    list: ListId::Customers,
                    ..
                }
            )
        })
        .count()
}

#[test]
fn y_before_signing_in_signs_in_first_then_syncs() {
    let mut h = connected();
    h.type_str("Y");
    assert!(room(&h).then_sync);
    assert_eq!(remote_effects(&h), vec![RemoteCmd::SignIn]);
    sign_in_event(&mut h, code());
    signed_in(&mut h);
    assert_eq!(
        remote_effects(&h),
        vec![
            RemoteCmd::SignIn,
            RemoteCmd::Sync {
                operator: SIGNED_IN.into()
            }
        ]
    );
    assert!(h.state.connection.sync.is_some());
}

#[test]
fn offline_the_partner_center_keys_do_nothing() {
    let mut h = Harness::new(TestDb::default_demo(), 120, 40);
    h.state.remote = RemoteLink::Offline;
    h.type_str("PY");
    assert!(h.state.modals.is_empty());
    assert!(remote_effects(&h).is_empty());
    assert!(
        !twotier::app::keymap::footer(&h.state)
            .iter()
            .any(|hint| hint.label == "sign in")
    );
}

#[test]
fn the_footer_and_help_name_the_partner_center_keys() {
    let mut h = connected();
    let footer = twotier::app::keymap::footer(&h.state);
    assert!(
        footer.iter().any(|f| f.keys == "P" && f.label == "sign in"),
        "{footer:?}"
    );
    assert!(footer.iter().any(|f| f.keys == "Y" && f.label == "sync"));
    h.state.connection.signed_in = true;
    let help: Vec<_> = twotier::app::keymap::reachable(&twotier::app::keymap::help_keys(&h.state))
        .into_iter()
        .map(|(keys, b)| format!("{keys} {}", b.label))
        .collect();
    assert!(help.contains(&"Y sync".to_owned()), "{help:?}");
    assert!(help.contains(&"P sign in again".to_owned()), "{help:?}");
}
