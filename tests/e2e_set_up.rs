//! The release binary in tmux with a fresh HOME, as a new user meets it: the README's command
//! opens the demo with its banner; `S` sets up your own book from a form, and the console
//! reopens on it with no banner and empty lists that say what to do next; the next run opens
//! your book. And a book made by `twotier init` opens with no banner.

mod common;

use common::process::describe;
use common::tmux::*;

const ADMIN: &str = "ava@contoso.example";
const TENANT: &str = "5f0c7a7e-3f2b-4d8e-9a41-0c6b2d7e9f10";

fn tmux_here() -> bool {
    common::tools::available("tmux", "apt-get install tmux")
}

/// Starts twotier again with the same HOME: the last run's session is renamed out of the way
/// (the server stays up; a server killed and started at once can race its own exit).
fn restart(s: &Session, args: &[&str]) {
    s.tmux_ok(&["rename-session", "-t", "e2e", "first-run"]);
    for file in ["status", "pid", "stty.before", "stty.after"] {
        let _ = std::fs::remove_file(s.path(file));
    }
    s.start(args);
}

#[test]
fn set_up_your_own_book_from_the_demo_and_open_it_again() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    let data = s.path("home/.local/share/twotier");
    // `cargo run --release`: no arguments, nothing in the data folder yet.
    s.start(&[]);
    let demo = s.open_resellers();
    assert!(
        demo.contains("DEMO DATA · S: set up your own book"),
        "{demo}"
    );
    assert!(data.join("demo.db").is_file());
    assert!(!data.join("twotier.db").exists());

    s.type_text("S");
    s.wait_for_text(&["Set up your own book", "Company name", "Your UPN"]);
    s.type_text("Contoso Distribution");
    s.key("Tab");
    // A bad PartnerID says what is wrong as it is typed.
    s.type_text("12a");
    s.wait_for_text(&["A PartnerID has digits only"]);
    s.key("BSpace");
    s.type_text("34567");
    s.key("Tab");
    s.type_text(TENANT);
    s.key("Tab");
    s.type_text("US");
    s.key("Tab");
    s.type_text(ADMIN);
    s.key("Tab");
    s.type_text("Ava Jones");
    s.key("Enter");

    // The console reopens on the new book's Dashboard, which says it is empty.
    let own = s.wait_for_text(&[
        "Contoso Distribution · PartnerID 1234567",
        "ava@contoso.example · Global admin",
        "Your book is empty",
    ]);
    assert!(!own.contains("DEMO DATA"), "{own}");
    assert!(!own.contains("Northwind"), "{own}");
    assert!(own.contains("Your own book is set up:"), "{own}");
    s.type_text("1");
    s.wait_for_text(&[
        "No indirect resellers yet: r requests a partnership, or twotier import resellers FILE.",
    ]);
    s.type_text("2");
    s.wait_for_text(&["No customers yet: n adds one, or twotier import customers FILE."]);
    s.quit();
    assert!(
        data.join("twotier.db").is_file(),
        "the book is at the default path"
    );

    // The next run, plain `twotier`, opens your own book as you (set-up wrote the config file's
    // `operator`), not the demo.
    restart(&s, &[]);
    let again = s.wait_for_text(&[
        "Contoso Distribution · PartnerID 1234567",
        "Your book is empty",
    ]);
    assert!(!again.contains("DEMO DATA"), "{again}");
    s.quit();
    // And the demo book is still there, untouched by the set-up (the config file now names you,
    // whom the demo doesn't know: ask as one of its own operators).
    let listed = s.cli(&[
        "--operator",
        "ava.global@northwind-distribution.example",
        "--db",
        data.join("demo.db").to_str().unwrap(),
        "resellers",
        "list",
    ]);
    assert!(listed.status.success(), "{}", describe(&listed));
    assert!(
        common::process::stdout(&listed).contains("Adatum IT Services"),
        "{}",
        describe(&listed)
    );
}

#[test]
fn a_book_made_by_init_opens_with_no_banner() {
    if !tmux_here() {
        return;
    }
    let s = Session::new();
    let out = s.cli(&[
        "init",
        "--company",
        "Contoso Distribution",
        "--partner-id",
        "1234567",
        "--tenant-id",
        TENANT,
        "--country",
        "US",
        "--admin",
        ADMIN,
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    // As the README says: init, then plain `twotier` (init named the admin in the config file).
    s.start(&[]);
    let screen = s.wait_for_text(&[
        "Contoso Distribution · PartnerID 1234567",
        "Your book is empty",
    ]);
    assert!(!screen.contains("DEMO DATA"), "{screen}");
    s.type_text("1");
    s.wait_for_text(&["No indirect resellers yet: r requests a partnership"]);
    // No set-up key on your own book: S does nothing.
    s.type_text("S");
    s.assert_stays(
        std::time::Duration::from_millis(300),
        "S opened something on a real book",
        |screen| screen.contains("Set up your own book"),
    );
    s.quit();
}
