//! The release binary in tmux against the fake Partner Center on 127.0.0.1, as an operator
//! meets the live connection: the header says the console is not signed in; `P` opens the
//! Sign-in room with the verification URL and the code, which says how the waiting goes and
//! then who signed in; the console acts as that account from then on; `Y` pulls the book in the
//! background with its progress in the footer, and the customers pulled are in the list.
//! No keyring is used (`TWOTIER_KEYRING=off`): the sign-in lasts while the console runs.

mod common;
mod fake_partner_center;

use common::process::{assert_success, sqlite3_count};
use common::tmux::*;
use fake_partner_center::{
    ACCOUNT, FakePartnerCenter, Fault, Poll, TOKEN_PREFIX, USER_CODE, VERIFICATION_URI,
};

const BOOK_TENANT: &str = "5f0c7a7e-3f2b-4d8e-9a41-0c6b2d7e9f10";
const SAM: &str = "sam@northwind.onmicrosoft.com";

fn tmux_here() -> bool {
    common::tools::available("tmux", "apt-get install tmux")
}

/// A book of your own whose Global admin is the account the fake signs in, and Sam, a Sales
/// agent, who opens the console.
fn book(s: &Session) -> std::path::PathBuf {
    let db = s.path("book.db");
    let db_arg = db.to_str().unwrap();
    assert_success(&s.cli(&[
        "--db",
        db_arg,
        "init",
        "--company",
        "Northwind Distribution",
        "--partner-id",
        "1234567",
        "--tenant-id",
        BOOK_TENANT,
        "--country",
        "US",
        "--admin",
        ACCOUNT,
    ]));
    assert_success(&s.cli(&[
        "--db",
        db_arg,
        "--operator",
        ACCOUNT,
        "users",
        "add",
        SAM,
        "--role",
        "sales-agent",
    ]));
    db
}

#[test]
fn sign_in_from_the_console_sync_in_the_background_and_see_the_pulled_customers() {
    if !tmux_here() {
        return;
    }
    let fake = FakePartnerCenter::start();
    fake.add_customers(1200);
    fake.with(|f| {
        f.polls = [Poll::Pending, Poll::Success].into();
        // The profile, the resellers and page 1 answer; page 2 is throttled for 2 s, so the
        // footer's progress can be read.
        f.faults = [
            Fault::Pass,
            Fault::Pass,
            Fault::Pass,
            Fault::Throttle {
                retry_after: "2".into(),
            },
        ]
        .into();
    });
    let s = Session::new();
    let config = s.path("config.toml");
    std::fs::write(&config, fake.config_section()).unwrap();
    let db = book(&s);
    s.start_with_env(
        &[
            ("TWOTIER_KEYRING", "off"),
            // A request per customer's subscriptions: the local fake takes them faster than
            // Partner Center's 500 a minute.
            ("TWOTIER_PC_REQUESTS_PER_MINUTE", "100000"),
        ],
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--operator",
            SAM,
        ],
    );
    let first = s.wait_for_text(&[
        "Indirect resellers",
        "Partner Center: not signed in",
        "Sales agent",
    ]);
    assert!(first.contains("sam@northwind"), "{first}");

    s.type_text("P");
    let room = s.wait_for_text(&["Sign in to Partner Center", VERIFICATION_URI, USER_CODE]);
    assert!(
        room.contains("Partner tenant: northwind.onmicrosoft.com"),
        "{room}"
    );
    let done = s.wait_for_text(&[
        &format!("Signed in as {ACCOUNT}."),
        &format!("The console acts as {ACCOUNT} now."),
        "No keyring is reachable (TWOTIER_KEYRING=off",
    ]);
    assert!(!done.contains(TOKEN_PREFIX), "{done}");
    s.key("Enter");
    let header = s.wait_for_text(&["Partner Center: signed in", "ava@northwind", "Global admin"]);
    assert!(!header.contains("Sales agent"), "{header}");

    s.type_text("Y");
    s.wait_for_text(&["Syncing · page 1 · 500 customers…"]);
    // A second press while it runs says so.
    s.type_text("Y");
    s.wait_for_text(&["A sync is running already"]);
    s.wait_for_text(&["Synced with Partner Center"]);
    s.type_text("2");
    let customers = s.wait_for_text(&[
        "Customers (1200)",
        "Customer 0",
        "customer0.onmicrosoft.com",
    ]);
    let footer = customers.lines().last().unwrap_or("");
    assert!(
        !footer.contains("Syncing ·"),
        "the footer is done: {footer}"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE removed_at IS NULL"
        ),
        1200
    );
    // The pull's audit entries are the signed-in account's.
    assert!(
        sqlite3_count(
            &db,
            &format!(
                "SELECT count(*) FROM audit_log WHERE operator = '{ACCOUNT}' AND action = 'Pulled from Partner Center'"
            )
        ) > 0
    );
    s.quit();
    let log = std::fs::read_to_string(s.log()).unwrap_or_default();
    assert!(!log.contains(TOKEN_PREFIX), "a token in the log");
}

#[test]
fn an_account_that_is_not_an_operator_of_the_book_is_refused_in_words() {
    if !tmux_here() {
        return;
    }
    let fake = FakePartnerCenter::start();
    fake.with(|f| f.polls = [Poll::Success].into());
    let s = Session::new();
    let config = s.path("config.toml");
    std::fs::write(&config, fake.config_section()).unwrap();
    // The demo book: ava@northwind.onmicrosoft.com is none of its operators.
    s.start_with_env(
        &[
            ("TWOTIER_KEYRING", "off"),
            // A request per customer's subscriptions: the local fake takes them faster than
            // Partner Center's 500 a minute.
            ("TWOTIER_PC_REQUESTS_PER_MINUTE", "100000"),
        ],
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            s.db().to_str().unwrap(),
        ],
    );
    s.wait_for_text(&["0 Dashboard"]);
    s.type_text("1");
    s.wait_for_text(&["Indirect resellers (11)", "Adatum IT Services"]);
    s.type_text("P");
    s.wait_for_text(&[
        "Not signed in.",
        &format!("{ACCOUNT} is not an operator of this book; a Global"),
        "admin adds them with `twotier users add`. Nothing was kept.",
    ]);
    s.key("Escape");
    s.wait_for_text(&["not signed in"]);
    s.quit();
}

/// Signed in, Add new customer goes to Partner Center first: a refusal there is said in words
/// and the wizard keeps what was typed; sent again, the Confirmation shows the admin user name
/// and the temporary password from Partner Center's answer, and the book has the customer.
#[test]
fn a_new_customer_goes_to_partner_center_and_the_confirmation_shows_its_password() {
    if !tmux_here() {
        return;
    }
    let fake = FakePartnerCenter::start();
    fake.with(|f| f.polls = [Poll::Success].into());
    let s = Session::new();
    let config = s.path("config.toml");
    std::fs::write(&config, fake.config_section()).unwrap();
    let db = book(&s);
    s.start_with_env(
        &[
            ("TWOTIER_KEYRING", "off"),
            // A request per customer's subscriptions: the local fake takes them faster than
            // Partner Center's 500 a minute.
            ("TWOTIER_PC_REQUESTS_PER_MINUTE", "100000"),
        ],
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--operator",
            ACCOUNT,
        ],
    );
    s.wait_for_text(&["0 Dashboard"]);
    s.type_text("1");
    s.wait_for_text(&["Indirect resellers (0)"]);
    // Sign in and sync: Partner Center's resellers, with their tenant IDs, are in the book.
    s.type_text("Y");
    s.wait_for_text(&[&format!("Signed in as {ACCOUNT}.")]);
    s.key("Enter");
    s.wait_for_text(&["Indirect resellers (2)", "First Up Consultants"]);

    common::wizard::walk_to_review(&s);
    // Partner Center refuses every call for now.
    fake.with(|f| {
        f.faults = std::iter::repeat_n(
            Fault::Error {
                status: 400,
                code: serde_json::json!(2000),
                description: "The fake refuses this change.".into(),
            },
            8,
        )
        .collect()
    });
    let submit = |s: &Session| {
        s.key("C-s");
        let screen = s.wait_for("an answer to Submit", |sc| {
            sc.contains("Order anyway") || sc.contains("┌ Confirmation") || sc.contains("not done")
        });
        // The pulled reseller's MPA and POR are unknown in the book: Partner Center is asked.
        if screen.contains("Order anyway") {
            s.type_text("o");
        }
    };
    submit(&s);
    let refused = s.wait_for_text(&["not done", "The fake refuses this change."]);
    assert!(!refused.contains("┌ Confirmation"), "{refused}");
    fake.with(|f| f.faults.clear());
    s.key("Escape");
    s.wait_for_text(&["I confirm that my organization", "[x] I confirm"]);

    submit(&s);
    let confirmation = s.wait_for_text(&["┌ Confirmation", "Temporary password"]);
    let password = fake
        .with(|f| f.writes.passwords.last().cloned())
        .expect("the fake made a customer");
    assert!(
        common::tmux::line_with(&confirmation, &["Temporary password", &password]).is_some(),
        "Partner Center's password {password:?} is not on the Confirmation:\n{confirmation}"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE company_name = 'Fabrikam Robotics'"
        ),
        1
    );
    s.key("Enter");
    s.wait_for_text(&["You can't see this password again"]);
    s.type_text("y");
    s.wait_for("the Confirmation closed", |sc| {
        !sc.contains("┌ Confirmation")
    });
    s.quit();
    let log = std::fs::read_to_string(s.log()).unwrap_or_default();
    assert!(!log.contains(&password), "the password is in the log");
}

/// On a connected book, what Partner Center decides or has no call for is refused in the
/// console, in words, and the book is unchanged: removing a partnership (remove it in Partner
/// Center; a sync marks it removed here).
#[test]
fn a_connected_book_refuses_a_local_only_removal_in_words() {
    if !tmux_here() {
        return;
    }
    let fake = FakePartnerCenter::start();
    let s = Session::new();
    let config = s.path("config.toml");
    std::fs::write(&config, fake.config_section()).unwrap();
    s.start_with_env(
        &[
            ("TWOTIER_KEYRING", "off"),
            // A request per customer's subscriptions: the local fake takes them faster than
            // Partner Center's 500 a minute.
            ("TWOTIER_PC_REQUESTS_PER_MINUTE", "100000"),
        ],
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            s.db().to_str().unwrap(),
        ],
    );
    s.open_resellers();
    s.wait_for_text(&["Partner Center: not signed in"]);
    let removed = "SELECT count(*) FROM resellers WHERE state = 'removed'";
    let before = sqlite3_count(&s.db(), removed);
    // The list is up (on a connected book `P sign in` and `Y sync` keep the footer's room at
    // 120 columns; `x` is in help).
    s.wait_for_text(&["Adatum IT Services", "P sign in", "Y sync"]);
    s.type_text("x");
    s.wait_for_text(&["Remove the partnership with"]);
    s.type_text("y");
    let refused = s.wait_for_text(&["takes no local-only changes"]);
    assert!(refused.contains("remove it there"), "{refused}");
    assert_eq!(sqlite3_count(&s.db(), removed), before);
    s.key("Escape");
    s.quit();
}
