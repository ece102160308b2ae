//! Set up your own book from the demo: the `S` key and its form, as `update` action sequences
//! answered by a real store; and the store's `CreateBook` on a file that exists.

mod common;

use common::{Harness, TestDb};
use crossterm::event::KeyCode;
use twotier::app::effect::Effect;
use twotier::app::form::Verdict;
use twotier::app::screens::Modal;
use twotier::app::screens::set_up_book::{
    ADMIN, COMPANY, COUNTRY, OwnBook, PARTNER_ID, SetUpBook, TENANT_ID,
};
use twotier::store::Store;
use twotier::store::init::NewBook;
use twotier::store::worker::{DbCmd, DbReply, execute};

const TENANT: &str = "5f0c7a7e-3f2b-4d8e-9a41-0c6b2d7e9f10";
const ADMIN_UPN: &str = "ava@contoso.example";

/// The demo console, with nothing at `own.db` in its temp folder (the default path).
fn demo_console() -> Harness {
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.state.own_book = OwnBook::Missing(h.db.dir.path().join("own.db"));
    h
}

fn form(h: &Harness) -> &SetUpBook {
    match h.state.top_modal() {
        Some(Modal::SetUpBook(form)) => form,
        other => panic!("the set-up form is not on top: {other:?}"),
    }
}

fn message(h: &Harness, field: usize) -> String {
    match &form(h).fields[field].verdict {
        Verdict::Error(e) | Verdict::Warning(e) => e.clone(),
        other => panic!("field {field} has no message: {other:?}"),
    }
}

/// Types into the focused field, then Tab to the next.
fn fill(h: &mut Harness, values: &[&str]) {
    for value in values {
        h.type_str(value);
        h.press(KeyCode::Tab);
    }
}

#[test]
fn s_opens_the_form_only_on_a_demo_book_with_no_book_of_your_own() {
    let mut h = demo_console();
    h.type_str("S");
    assert_eq!(form(&h).path, h.db.dir.path().join("own.db"));
    h.press(KeyCode::Esc);
    assert!(h.state.modals.is_empty(), "Esc closes it");

    // Nothing known about your own book (as in every other test): S does nothing.
    let mut h = Harness::new(TestDb::default_demo(), 80, 24);
    h.type_str("S");
    assert!(h.state.modals.is_empty());

    // A real book at the default path: S says how to open it.
    let mut h = demo_console();
    h.state.own_book = OwnBook::Exists("/data/twotier.db".into());
    h.type_str("S");
    match h.state.top_modal() {
        Some(Modal::Error(e)) => {
            assert!(
                e.message
                    .contains("twotier --db /data/twotier.db --operator"),
                "{e:?}"
            )
        }
        other => panic!("no word on how to open it: {other:?}"),
    }
}

#[test]
fn s_is_not_offered_on_a_real_book() {
    let mut h = demo_console();
    h.state.provider.as_mut().unwrap().is_demo = false;
    h.type_str("S");
    assert!(h.state.modals.is_empty());
}

#[test]
fn each_field_says_what_is_wrong_as_it_is_typed() {
    let mut h = demo_console();
    h.type_str("S");
    // Nothing typed: no nagging yet.
    assert_eq!(form(&h).fields[COMPANY].verdict, Verdict::Empty);
    h.press(KeyCode::Tab);
    h.type_str("12a");
    assert_eq!(form(&h).focus, PARTNER_ID);
    assert!(
        message(&h, PARTNER_ID).contains("digits only"),
        "{}",
        message(&h, PARTNER_ID)
    );
    // Fixed, it is fine; an unusual length is a warning only.
    h.press(KeyCode::Backspace);
    h.type_str("4567");
    assert_eq!(form(&h).fields[PARTNER_ID].verdict, Verdict::Ok);
    h.type_str("8");
    assert_eq!(form(&h).fields[PARTNER_ID].verdict, Verdict::Ok);
    h.type_str("9");
    assert!(matches!(
        form(&h).fields[PARTNER_ID].verdict,
        Verdict::Warning(_)
    ));
    h.press(KeyCode::Tab);
    h.type_str("not-a-guid");
    assert!(
        message(&h, TENANT_ID).contains("GUID"),
        "{}",
        message(&h, TENANT_ID)
    );
    h.press(KeyCode::Tab);
    h.type_str("XX");
    assert!(
        message(&h, COUNTRY).contains("not an ISO 3166 country code"),
        "{}",
        message(&h, COUNTRY)
    );
    h.press(KeyCode::Tab);
    h.type_str("ava");
    assert!(
        message(&h, ADMIN).contains("name@company.com"),
        "{}",
        message(&h, ADMIN)
    );
    // Keys type: `q` and digits go into the field, they neither quit nor switch screens.
    h.type_str("q1");
    assert_eq!(form(&h).fields[ADMIN].value(), "avaq1");
    assert!(!h.state.quitting);
}

#[test]
fn submit_with_a_wrong_field_focuses_it_and_asks_nothing_of_the_store() {
    let mut h = demo_console();
    h.type_str("S");
    fill(
        &mut h,
        &["Contoso Distribution", "1234567", "nope", "US", ADMIN_UPN],
    );
    let before = h.db_commands().len();
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).focus, TENANT_ID, "the wrong field has the focus");
    assert!(message(&h, TENANT_ID).contains("GUID"));
    assert_eq!(
        h.db_commands().len(),
        before,
        "nothing was asked of the store"
    );
    assert!(!h.db.dir.path().join("own.db").exists());

    // An empty required field says so once Enter was pressed.
    let mut h = demo_console();
    h.type_str("S");
    h.press(KeyCode::Enter);
    assert_eq!(form(&h).focus, COMPANY);
    assert!(matches!(
        form(&h).fields[COMPANY].verdict,
        Verdict::Error(_)
    ));
}

#[test]
fn submit_makes_the_book_and_asks_the_runtime_to_reopen_on_it() {
    let mut h = demo_console();
    let own = h.db.dir.path().join("own.db");
    h.type_str("S");
    fill(
        &mut h,
        &[
            "Contoso Distribution",
            "1234567",
            TENANT,
            "us",
            "Ava@Contoso.example",
            "Ava Jones",
        ],
    );
    h.press(KeyCode::Enter);
    let created = h.db_commands().into_iter().find_map(|c| match c {
        DbCmd::CreateBook { path, book } => Some((path.clone(), book.clone())),
        _ => None,
    });
    let (path, book) = created.expect("Submit asked the store to make the book");
    assert_eq!(path, own);
    assert_eq!(book.company, "Contoso Distribution");
    assert_eq!(book.country, "us");
    assert_eq!(
        h.effects.last(),
        Some(&Effect::Reopen {
            path: own.clone(),
            upn: ADMIN_UPN.into()
        }),
        "the console reopens on the new book as its Global admin (UPN as stored)"
    );
    // The book is there, real, with its admin; the demo book is still the demo.
    let (store, _) = Store::open(&own).unwrap();
    let provider = store.provider().unwrap();
    assert!(!provider.is_demo);
    assert_eq!(provider.company_name, "Contoso Distribution");
    assert_eq!(provider.country, "US");
    let admin = store.resolve_operator(ADMIN_UPN).unwrap();
    assert_eq!(admin.display_name, "Ava Jones");
    assert!(h.db.store.provider().unwrap().is_demo);
}

#[test]
fn a_book_made_meanwhile_is_refused_in_words_and_the_form_stays() {
    let mut h = demo_console();
    let own = h.db.dir.path().join("own.db");
    h.type_str("S");
    fill(
        &mut h,
        &["Contoso Distribution", "1234567", TENANT, "US", ADMIN_UPN],
    );
    // Another twotier made a book there since the console started.
    std::fs::write(&own, b"someone else's").unwrap();
    h.press(KeyCode::Enter);
    match h.state.top_modal() {
        Some(Modal::Error(e)) => {
            assert!(e.message.contains("exists already"), "{e:?}");
            assert!(e.message.contains("nothing was changed"), "{e:?}");
        }
        other => panic!("no refusal: {other:?}"),
    }
    assert_eq!(std::fs::read(&own).unwrap(), b"someone else's");
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::Reopen { .. })));
    h.press(KeyCode::Enter);
    assert_eq!(
        form(&h).fields[COMPANY].value(),
        "Contoso Distribution",
        "kept as typed"
    );
}

fn new_book() -> NewBook {
    NewBook {
        company: "Contoso Distribution".into(),
        partner_id: "1234567".into(),
        tenant_id: TENANT.into(),
        country: "US".into(),
        admin_upn: ADMIN_UPN.into(),
        admin_name: String::new(),
    }
}

#[test]
fn create_book_on_an_existing_file_refuses_and_touches_nothing() {
    let mut db = TestDb::default_demo();
    for existing in ["empty", "book"] {
        let path = db.dir.path().join(format!("{existing}.db"));
        if existing == "empty" {
            std::fs::write(&path, b"").unwrap();
        } else {
            twotier::store::init::create_book(&path, &new_book()).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let reply = execute(
            &mut db.store,
            DbCmd::CreateBook {
                path: path.clone(),
                book: NewBook {
                    company: "Other Company".into(),
                    ..new_book()
                },
            },
        );
        match reply {
            DbReply::Refused { message, .. } => {
                assert!(message.contains("exists already"), "{message}")
            }
            other => panic!("{existing}: not refused: {other:?}"),
        }
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{existing}: unchanged"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified
        );
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            assert!(
                !std::path::Path::new(&side).exists(),
                "{existing}: no {suffix} made"
            );
        }
    }
}

#[test]
fn create_book_with_a_bad_field_makes_no_file() {
    let mut db = TestDb::default_demo();
    let path = db.dir.path().join("sub").join("own.db");
    let reply = execute(
        &mut db.store,
        DbCmd::CreateBook {
            path: path.clone(),
            book: NewBook {
                partner_id: "12-34".into(),
                ..new_book()
            },
        },
    );
    assert!(
        matches!(&reply, DbReply::Refused { message, .. } if message.contains("--partner-id")),
        "{reply:?}"
    );
    assert!(!path.exists());
    assert!(!path.parent().unwrap().exists(), "no folder either");
}
