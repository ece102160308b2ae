//! End to end, Customers: the release binary in a real terminal (tmux), driven by keys, read from
//! the screen and checked in the database (`common::process::sqlite3`). The harness is
//! `tests/common/tmux.rs`; [`Session::start_demo`] runs twotier on a fresh demo database.
//!
//! Flows: a new customer from a reseller row through Confirmation and Done (and the password on
//! no file), cancelling the wizard, validation as you type, Add subscription, changing the
//! reseller and the support contact in Subscription details, and the filter by reseller.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::process::{sqlite3, sqlite3_count};
use common::tmux::*;

impl Session {
    /// `2`: the Customers list, all 60 demo customers.
    #[track_caller]
    fn customers(&self) -> String {
        self.type_text("2");
        self.wait_for_text(&["Customers (60)", "Company name"])
    }
}

/// The first cell of a table row (columns are set apart by at least two blanks).
fn first_cell(row: &str) -> String {
    row.split("  ").next().unwrap_or_default().trim().to_owned()
}

/// The position of `offer` among the lines of the offer catalog (`[ ] name` / `[x] name`), which
/// is how many times to press ↓ from the top.
fn catalog_index(screen: &str, offer: &str) -> usize {
    let lines: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("[ ] ") || l.contains("[x] "))
        .collect();
    lines
        .iter()
        .position(|l| l.contains(&format!("] {offer}  ")))
        .unwrap_or_else(|| panic!("no offer {offer:?} in the catalog:\n{screen}"))
}

/// The id of the active reseller with this PartnerID.
#[track_caller]
fn reseller_id(db: &Path, partner_id: &str) -> i64 {
    sqlite3_count(
        db,
        &format!(
            "SELECT id FROM resellers WHERE partner_id = {} AND state = 'active';",
            sql_text(partner_id)
        ),
    )
}

/// Every regular file under `dir`, recursively (sockets and the like left out).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                todo.push(path);
            } else if meta.is_file() {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The files under `dir` that contain any of `needles`.
fn files_containing(dir: &Path, needles: &[&[u8]]) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|path| {
            // A file removed meanwhile (the WAL at a checkpoint) holds nothing.
            let bytes = std::fs::read(path).unwrap_or_default();
            needles
                .iter()
                .any(|n| !n.is_empty() && bytes.windows(n.len()).any(|w| w == *n))
        })
        .map(|p| p.display().to_string())
        .collect()
}

/// Standard base64 (for the OSC 52 payload), so the test needs no crate for it.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Problems found on the way that do not stop the flow: the test goes on (so what comes after
/// is checked too) and fails at the end with all of them.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn note(&mut self, problem: String) {
        eprintln!("FINDING: {problem}");
        self.0.push(problem);
    }

    #[track_caller]
    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} problem(s) found along the way:\n\n{}",
            self.0.len(),
            self.0.join("\n\n")
        );
    }
}

/// A label and its value must not run together ("Microsoft 365 Business Premium25 licenses"):
/// between them, at least a blank, and nothing but blanks and punctuation.
fn separated(line: &str, label: &str, value: &str) -> bool {
    line.split_once(label)
        .and_then(|(_, rest)| rest.split_once(value))
        .is_some_and(|(gap, _)| {
            gap.chars().any(char::is_whitespace)
                && gap
                    .chars()
                    .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
        })
}

const ADATUM: &str = "Adatum IT Services";
const ADATUM_ID: &str = "5139005";
const BLUE_YONDER: &str = "Blue Yonder Solutions";
const BLUE_YONDER_ID: &str = "4847383";
const COHO: &str = "Coho Managed Services";
const COHO_ID: &str = "6363276";
const COMPANY: &str = "Fabrikam Robotics";
const PREFIX: &str = "fabrikamrobotics";
const ADMIN: &str = "admin@fabrikamrobotics.onmicrosoft.com";
const CONTACT_EMAIL: &str = "dana.reyes@fabrikam-robotics.example";
const OFFER: &str = "Microsoft 365 Business Premium";

/// The customer count of a reseller on the Indirect resellers screen (the number after Status).
fn reseller_customers(screen: &str, name: &str) -> usize {
    let line = line_with(screen, &[&format!("│{name}  ")])
        .unwrap_or_else(|| panic!("no row for {name} on Indirect resellers:\n{screen}"));
    // Name, PartnerID, Location, Status (one or more words), Customers, Since.
    let words: Vec<&str> = line.trim_matches('│').split_whitespace().collect();
    words[words.len() - 2]
        .parse()
        .unwrap_or_else(|_| panic!("no customer count in {line:?}"))
}

/// The main flow: on Indirect resellers, Adatum IT Services (first row), `n`: the Add new
/// customer wizard with Adatum preselected; Account info, New subscription (Business Premium × 25),
/// Review (Submit refused without the attestation), Confirmation with the user name and a
/// 16-character temporary password, `c` copies both (OSC 52: the tmux buffer), Done asks, `y`;
/// the customer is listed with Adatum and 1 subscription; `q`. The password is on no file under
/// the temp folder at any time: database, WAL, shared memory, log, anything else. The database
/// holds the customer, its reseller association, the subscription and order line credited to
/// Adatum, and the audit entry.
#[test]
fn new_customer_from_a_reseller_row_through_confirmation_and_done() {
    require!(TMUX);
    let mut findings = Findings::default();
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    let customers_before = sqlite3_count(&db, "SELECT count(*) FROM customers;");
    assert_eq!(customers_before, 60, "not a fresh demo database");

    // Indirect resellers: Adatum is the first row, selected.
    let screen = s.screen();
    let rows = table_rows(&screen, "Name");
    assert!(
        rows[0].starts_with(ADATUM),
        "the first reseller is not {ADATUM}:\n{screen}"
    );
    let adatum_customers = reseller_customers(&screen, ADATUM);

    // n: Add new customer, Adatum preselected.
    s.type_text("n");
    s.wait_for_text(&["┌ Add new customer", "1. Account info", "›Company name"]);

    // Account info, in order.
    s.type_text(COMPANY);
    s.key("Tab");
    s.type_text(PREFIX);
    s.key("Tab");
    s.type_text("Dana");
    s.key("Tab");
    s.type_text("Reyes");
    s.key("Tab");
    s.type_text(CONTACT_EMAIL);
    s.key("Tab"); // Phone: not required in the US.
    s.key("Tab");
    s.type_text("1 Robot Way");
    s.key("Tab"); // Address line 2: optional.
    s.key("Tab");
    s.type_text("Seattle");
    s.key("Tab");
    s.type_text("WA");
    s.key("Tab");
    s.type_text("98101");
    s.key("Tab");
    s.type_text("US");
    let screen = s.wait_for("the country typed, the domain checked", |sc| {
        line_with(sc, &["›Country", "US"]).is_some()
            && line_with(sc, &["Domain prefix", "fabrikamrobotics.onmicrosoft.com"]).is_some()
    });
    assert!(
        !screen.contains('✗'),
        "a field is refused in Account info:\n{screen}"
    );
    // Culture and language fill themselves from the country.
    s.key("Tab");
    s.wait_for("culture en-US from the country", |sc| {
        line_with(sc, &["›Culture", "en-US"]).is_some()
    });
    s.key("Tab");
    s.wait_for("language en from the country", |sc| {
        line_with(sc, &["›Language", " en "]).is_some()
    });
    s.key("Tab"); // Registration no.: not required in the US.
    s.key("Tab");
    // The reseller row, between Registration no. and MCA signed by: Adatum, chosen on its row.
    let screen = s.wait_for("the reseller row with Adatum", |sc| {
        line_with(sc, &["›Indirect reseller", "Adatum IT Services (5139005)"]).is_some()
    });
    let order: Vec<usize> = ["Registration no.", "›Indirect reseller"]
        .iter()
        .map(|label| {
            screen
                .lines()
                .position(|l| l.contains(label))
                .unwrap_or_else(|| panic!("no {label:?} row:\n{screen}"))
        })
        .collect();
    assert!(
        order[0] < order[1],
        "the reseller row is not after Registration no.:\n{screen}"
    );
    s.key("Tab");
    s.type_text("Dana Reyes");
    s.key("Tab");
    s.type_text(CONTACT_EMAIL);
    s.key("Tab");
    let today = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let screen = s.wait_for("the MCA date, prefilled with today", |sc| {
        line_with(sc, &["›MCA date agreed", &today]).is_some()
            && line_with(sc, &["MCA signer email", CONTACT_EMAIL]).is_some()
    });
    assert!(
        line_with(&screen, &["MCA signed by", "Dana Reyes"]).is_some() && !screen.contains('✗'),
        "the MCA attestation is not as typed, or refused:\n{screen}"
    );

    // Ctrl-N: New subscription, the partner of record defaults to Adatum.
    s.key("C-n");
    let screen = s.wait_for("the offer catalog", |sc| {
        sc.contains("New subscription: the offer catalog")
            && sc.contains("Partner of record (incentives): Adatum IT Services (5139005)")
            && sc.contains(OFFER)
    });
    let at = catalog_index(&screen, OFFER);
    s.keys("Down", at);
    s.type_text("25");
    let screen = s.wait_for("Business Premium selected with 25 licenses", |sc| {
        line_with(sc, &[&format!("[x] {OFFER}"), " 25 "]).is_some()
    });
    assert_eq!(
        screen.matches("[x]").count(),
        1,
        "more than the one offer is selected:\n{screen}"
    );

    // Ctrl-N: Review, everything read-only, with the attestation.
    s.key("C-n");
    let screen = s.wait_for("the Review", |sc| {
        sc.contains("I confirm that my organization is acting as an Indirect Partner")
            && sc.contains("Partner of record")
    });
    for parts in [
        &["Company name", COMPANY][..],
        &["Primary domain", "fabrikamrobotics.onmicrosoft.com"],
        &["Admin user name", ADMIN],
        &["Contact", "Dana Reyes", CONTACT_EMAIL],
        &["Address", "1 Robot Way", "Seattle", "US"],
        &["Culture, language", "en-US, en"],
        &["Indirect reseller", "Adatum IT Services (5139005)"],
        &["Customer Agreement", "Dana Reyes", today.as_str()],
        &[OFFER, "25 licenses"],
        &["Partner of record", "Adatum IT Services (5139005)"],
        &["[ ] I confirm"],
    ] {
        assert!(
            line_with(&screen, parts).is_some(),
            "the Review has no line with {parts:?}:\n{screen}"
        );
    }
    let line = line_with(&screen, &[OFFER, "25 licenses"]).unwrap();
    if !separated(line, OFFER, "25 licenses") {
        findings.note(format!(
            "Review: the offer name and its licenses run together (the label column is 20 wide, \
             longer offer names are not followed by a blank): {:?}",
            line.trim_matches('│').trim_end()
        ));
    }

    // Ctrl-S without the attestation: refused, says why.
    s.key("C-s");
    let screen = s.wait_for("Submit refused without the attestation", |sc| {
        sc.contains("✗") && sc.to_lowercase().contains("attestation")
    });
    assert!(
        screen.contains("┌ Add new customer") && !screen.contains("Temporary password"),
        "the wizard did not stay on Review:\n{screen}"
    );
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM customers;"),
        60,
        "a refused Submit wrote a customer"
    );

    // Space: attested; Ctrl-S: Confirmation with the credentials.
    s.type_text(" ");
    s.wait_for("the attestation checked", |sc| sc.contains("[x] I confirm"));
    s.key("C-s");
    let screen = s.wait_for("the Confirmation with the credentials", |sc| {
        sc.contains("┌ Confirmation")
            && line_with(sc, &["Admin user name", ADMIN]).is_some()
            && line_with(sc, &["Temporary password"]).is_some()
    });
    assert!(
        screen.contains("can't access this"),
        "no warning that the password can't be shown again:\n{screen}"
    );
    let line = line_with(&screen, &["Temporary password"]).unwrap();
    let password = line
        .split_once("Temporary password")
        .unwrap()
        .1
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        password.chars().count(),
        16,
        "the temporary password {password:?} is not 16 characters:\n{screen}"
    );
    assert!(
        password.chars().all(|c| c.is_ascii_graphic()),
        "the temporary password {password:?} has characters other than printable ASCII"
    );
    for (class, test) in [
        (
            "a lower-case letter",
            char::is_ascii_lowercase as fn(&char) -> bool,
        ),
        ("an upper-case letter", char::is_ascii_uppercase),
        ("a digit", char::is_ascii_digit),
        ("a symbol", |c: &char| c.is_ascii_punctuation()),
    ] {
        assert!(
            password.chars().any(|c| test(&c)),
            "the temporary password {password:?} has no {class}"
        );
    }
    let copied_text = format!("User name: {ADMIN}\nTemporary password: {password}");
    let osc52_payload = base64(copied_text.as_bytes());
    let needles: [&[u8]; 2] = [password.as_bytes(), osc52_payload.as_bytes()];
    let on_disk = |when: &str| {
        let found = files_containing(s.dir.path(), &needles);
        assert!(
            found.is_empty(),
            "{when}: the temporary password is written in {found:?}"
        );
    };
    // While the app runs: the database, its WAL and shared memory, the log.
    assert!(s.log().exists(), "no log file at {}", s.log().display());
    // The search does read the database files: the admin user name, which is stored, is found.
    let searched = files_under(s.dir.path());
    let db_files: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|ext| PathBuf::from(format!("{}{ext}", db.display())))
        .filter(|p| p.exists())
        .collect();
    assert!(
        db_files.iter().all(|f| searched.contains(f)) && searched.contains(&s.log()),
        "the search misses the database files {db_files:?} or the log: {searched:?}"
    );
    let holding_admin = files_containing(s.dir.path(), &[ADMIN.as_bytes()]);
    assert!(
        holding_admin
            .iter()
            .any(|f| f.starts_with(&db.display().to_string())),
        "the admin user name is in none of the database files (is the search blind?): {holding_admin:?}"
    );
    on_disk("on Confirmation");

    // c: copies the user name and the password (OSC 52 here, so the tmux buffer).
    s.type_text("c");
    s.wait_for_text(&["User name and password copied"]);
    let clipboard = s.clipboard();
    assert!(
        clipboard.contains(ADMIN) && clipboard.contains(&password),
        "the clipboard does not hold the user name and the password:\n{clipboard:?}"
    );
    on_disk("after copying");

    // Enter: Done asks once more; y: closes, the password dropped.
    s.key("Enter");
    s.wait_for_text(&["You can't see this password again"]);
    s.type_text("y");
    let screen = s.wait_for(
        "the Confirmation closed, Indirect resellers reloaded",
        |sc| {
            !sc.contains("Temporary password")
                && !sc.contains("┌ Confirmation")
                && sc.contains("Indirect resellers (11)")
                && line_with(sc, &[&format!("│{ADATUM}  ")]).is_some()
                && reseller_customers(sc, ADATUM) == adatum_customers + 1
        },
    );
    assert!(
        !screen.contains(&password),
        "the password is still on the screen after Done:\n{screen}"
    );

    // 2: Customers lists it, with Adatum and 1 subscription.
    s.type_text("2");
    s.wait_for_text(&["Customers (61)", "Company name"]);
    s.type_text("/");
    s.wait_for_text(&["Search:"]);
    s.type_text("Fabrikam");
    s.wait_for_text(&["(1 matching)", "Search: Fabrikam"]);
    s.key("Enter");
    let screen = s.wait_for("the new customer in the list", |sc| {
        line_with(sc, &[COMPANY, ADATUM]).is_some() && !sc.contains("is in your customer list")
    });
    let rows = table_rows(&screen, "Company name");
    assert_eq!(rows.len(), 1, "one customer matches Fabrikam:\n{screen}");
    let cells: Vec<&str> = rows[0]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        (cells[0], cells[1], cells[3], cells[4]),
        (COMPANY, "fabrikamrobotics.onmicrosoft.com", ADATUM, "1"),
        "the new customer's row is not as ordered: {cells:?}\n{screen}"
    );

    // q: quits with 0, the terminal restored.
    s.quit();

    // The password is on no file, now the app is gone (WAL checkpointed or not).
    on_disk("after quitting");

    // The database: the customer, the association, the subscription and the order credited to
    // Adatum, the audit entry.
    let adatum = reseller_id(&db, ADATUM_ID);
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT admin_user_name, domain, reseller_id, relationship, country, culture, language \
                 FROM customers WHERE company_name = {};",
                sql_text(COMPANY)
            )
        ),
        format!("{ADMIN}|fabrikamrobotics.onmicrosoft.com|{adatum}|reseller|US|en-US|en"),
        "the customer record"
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT o.name, s.quantity, s.reseller_id, s.status FROM subscriptions s \
                 JOIN offers o ON o.id = s.offer_id JOIN customers c ON c.id = s.customer_id \
                 WHERE c.company_name = {};",
                sql_text(COMPANY)
            )
        ),
        format!("{OFFER}|25|{adatum}|active"),
        "the customer's subscriptions"
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT li.partner_id_on_record, li.quantity, o.por_attestation_accepted \
                 FROM order_line_items li JOIN orders o ON o.id = li.order_id \
                 JOIN customers c ON c.id = o.customer_id WHERE c.company_name = {};",
                sql_text(COMPANY)
            )
        ),
        format!("{ADATUM_ID}|25|1"),
        "the order and its line item"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            &format!(
                "SELECT count(*) FROM audit_log WHERE action = 'Customer created' AND target LIKE {};",
                sql_text(&format!("%{COMPANY}%"))
            )
        ),
        1,
        "no audit entry \"Customer created\" for {COMPANY}: {}",
        sqlite3(&db, "SELECT action, target FROM audit_log ORDER BY id;")
    );
    findings.assert_none();
}

/// Cancel: Esc asks; No keeps the wizard with what was typed; Esc, y: back to the list, the toast
/// says nothing was saved, and nothing was: the customers and the activity log are as they were.
#[test]
fn cancelling_the_wizard_writes_nothing() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    s.customers();
    let customers = sqlite3_count(&db, "SELECT count(*) FROM customers;");
    assert_eq!(customers, 60, "not a fresh demo database");
    let audit = sqlite3_count(&db, "SELECT count(*) FROM audit_log;");
    let max_audit = sqlite3_count(&db, "SELECT max(id) FROM audit_log;");
    let orders = sqlite3_count(&db, "SELECT count(*) FROM orders;");
    let lines = sqlite3_count(&db, "SELECT count(*) FROM order_line_items;");

    s.type_text("n");
    s.wait_for_text(&["┌ Add new customer", "›Company name"]);
    s.type_text("Northwind Traders Canceled");
    s.wait_for("the company name typed", |sc| {
        line_with(sc, &["›Company name", "Northwind Traders Canceled"]).is_some()
    });

    // Esc: the question; n (No): the wizard, with the name.
    s.escape_until("the Cancel question", |sc| {
        sc.contains("┌ Cancel") && sc.contains("Nothing is saved")
    });
    s.type_text("n");
    s.wait_for("the wizard back, with the name", |sc| {
        !sc.contains("┌ Cancel")
            && sc.contains("┌ Add new customer")
            && line_with(sc, &["›Company name", "Northwind Traders Canceled"]).is_some()
    });

    // Esc, y: back to the list; the toast says nothing was saved.
    s.escape_until("the Cancel question again", |sc| sc.contains("┌ Cancel"));
    s.type_text("y");
    let screen = s.wait_for("the list, and the toast", |sc| {
        !sc.contains("┌ Add new customer")
            && !sc.contains("┌ Cancel")
            && sc.contains("Customers (60)")
            && sc.to_lowercase().contains("nothing was saved")
    });
    assert!(
        !screen.contains("Northwind Traders Canceled"),
        "the cancelled customer is listed:\n{screen}"
    );

    s.quit();
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM customers;"),
        customers,
        "a customer was written"
    );
    assert_eq!(
        sqlite3_count(
            &db,
            "SELECT count(*) FROM customers WHERE company_name LIKE 'Northwind Traders%';"
        ),
        0
    );
    assert_eq!(
        sqlite3_count(&db, "SELECT count(*) FROM audit_log;"),
        audit,
        "the activity log changed: {}",
        sqlite3(
            &db,
            &format!("SELECT action, target FROM audit_log WHERE id > {max_audit};")
        )
    );
    for (table, count) in [("orders", orders), ("order_line_items", lines)] {
        assert_eq!(
            sqlite3_count(&db, &format!("SELECT count(*) FROM {table};")),
            count,
            "rows were added to {table}"
        );
    }
}

/// Account info checks as the operator types: a domain prefix already taken (a demo customer's)
/// and one with a dash are refused with the reason; Ctrl-N with empty fields is refused, with
/// "Some fields need attention", and focus goes to the first invalid field.
#[test]
fn account_info_validates_as_you_type_and_next_goes_to_the_first_problem() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    // A prefix the demo holds: bayrobotics when there, else any demo customer's.
    let domains = sqlite3(&db, "SELECT domain FROM customers ORDER BY id;");
    let taken = domains
        .lines()
        .find(|d| *d == "bayrobotics.onmicrosoft.com")
        .or_else(|| domains.lines().next())
        .expect("demo customers")
        .strip_suffix(".onmicrosoft.com")
        .expect("an .onmicrosoft.com domain")
        .to_owned();
    let full = format!("{taken}.onmicrosoft.com");

    s.customers();
    s.type_text("n");
    s.wait_for_text(&["┌ Add new customer", "›Company name"]);
    s.key("Tab");
    s.wait_for_text(&["›Domain prefix"]);

    // Taken.
    s.type_text(&taken);
    s.wait_for(&format!("{full} said to be taken"), |sc| {
        line_with(sc, &["›Domain prefix", &full]).is_some()
            && line_with(sc, &["✗", &full, "already taken"]).is_some()
    });

    // A dash.
    s.key("C-u");
    s.type_text("bay-robotics");
    s.wait_for("a dash refused", |sc| {
        line_with(sc, &["›Domain prefix", "bay-robotics"]).is_some()
            && sc
                .lines()
                .any(|l| l.contains('✗') && l.to_lowercase().contains("letters and digits only"))
    });

    // A good one: no complaint.
    s.key("C-u");
    s.type_text("bayroboticswest");
    s.wait_for("a free prefix accepted", |sc| {
        line_with(sc, &["›Domain prefix", "bayroboticswest.onmicrosoft.com"]).is_some()
            && !sc.contains("already taken")
            && !sc.to_lowercase().contains("letters and digits only")
    });

    // Empty it again, go down to Last name, Ctrl-N: refused, focus on Company name (the first).
    s.key("C-u");
    s.keys("Tab", 2);
    s.wait_for_text(&["›Last name"]);
    s.key("C-n");
    let screen = s.wait_for("Next refused, focus on the first invalid field", |sc| {
        sc.contains("Some fields need attention") && sc.contains("›Company name")
    });
    assert!(
        screen.contains("1. Account info")
            && !screen.contains("New subscription: the offer catalog"),
        "the wizard left Account info:\n{screen}"
    );
    assert!(
        line_with(&screen, &["✗", "Enter the first name"]).is_some(),
        "the empty fields do not say what is wrong once Next was pressed:\n{screen}"
    );

    // A company name; Ctrl-N again: focus goes on to the Domain prefix, now the first problem.
    s.type_text("Bay Robotics West");
    s.wait_for_text(&["›Company name", "Bay Robotics West"]);
    s.key("C-n");
    let screen = s.wait_for("focus on the domain prefix", |sc| {
        sc.contains("Some fields need attention") && sc.contains("›Domain prefix")
    });
    assert!(
        line_with(&screen, &["✗", "Enter the domain prefix"]).is_some(),
        "the empty domain prefix does not say what is wrong:\n{screen}"
    );

    // Cancel, quit: nothing written.
    s.escape_until("the Cancel question", |sc| sc.contains("┌ Cancel"));
    s.type_text("y");
    s.wait_for_text(&["Customers (60)"]);
    s.quit();
    assert_eq!(sqlite3_count(&db, "SELECT count(*) FROM customers;"), 60);
}

/// Add subscription: on Customers the first customer, `s`: New subscription titled with the
/// company; an offer with digits; `p` partner of record: Fourth Coffee (MPA not signed) is refused
/// in the picker with the reason; Blue Yonder is chosen; Review, the attestation, Submit; the
/// subscription is in the expanded record and in the database, credited to Blue Yonder.
#[test]
fn add_subscription_with_a_compliant_partner_of_record() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    let screen = s.customers();
    let company = first_cell(&table_rows(&screen, "Company name")[0]);
    let customer_id = sqlite3_count(
        &db,
        &format!(
            "SELECT id FROM customers WHERE company_name = {};",
            sql_text(&company)
        ),
    );
    let count_sql =
        format!("SELECT count(*) FROM subscriptions WHERE customer_id = {customer_id};");
    let before = sqlite3_count(&db, &count_sql);

    // s: Add subscription, for the selected customer.
    s.type_text("s");
    let screen = s.wait_for("the New subscription step", |sc| {
        sc.contains(&format!("┌ Add subscription: {company} "))
            && sc.contains("New subscription: the offer catalog")
    });
    assert!(
        !screen.contains("Account info"),
        "Add subscription shows Account info:\n{screen}"
    );
    let offer = "Exchange Online (Plan 1)";
    let at = catalog_index(&screen, offer);
    s.keys("Down", at);
    s.type_text("37");
    s.wait_for("the offer selected with 37 licenses", |sc| {
        line_with(sc, &[&format!("[x] {offer}"), " 37 "]).is_some()
    });

    // p: Fourth Coffee Technologies is refused, with the reason.
    s.type_text("p");
    s.wait_for_text(&["Partner of record (for incentives)", "Name or PartnerID:"]);
    s.type_text("Fourth");
    s.wait_for_text(&["(1 matching)", "Fourth Coffee Technologies", "MPA"]);
    s.key("Enter");
    let screen = s.wait_for("Fourth Coffee refused in the picker", |sc| {
        sc.contains("Name or PartnerID: Fourth") && sc.contains("can't be credited")
    });
    assert!(
        line_with(&screen, &["can't be credited", "MPA"]).is_some(),
        "the refusal does not mention the MPA:\n{screen}"
    );
    s.escape_until("the picker closed", |sc| {
        !sc.contains("Name or PartnerID:") && sc.contains("New subscription: the offer catalog")
    });
    let screen = s.screen();
    assert!(
        !screen.contains("Partner of record (incentives): Fourth"),
        "the refused reseller became the partner of record:\n{screen}"
    );

    // p: Blue Yonder Solutions.
    s.type_text("p");
    s.wait_for_text(&["Partner of record (for incentives)", "Name or PartnerID:"]);
    s.type_text("Blue");
    s.wait_for_text(&["(1 matching)", BLUE_YONDER]);
    s.key("Enter");
    s.wait_for("Blue Yonder as the partner of record", |sc| {
        !sc.contains("Name or PartnerID:")
            && sc.contains("Partner of record (incentives): Blue Yonder Solutions (4847383)")
    });

    // Ctrl-N: Review; Space; Ctrl-S: added.
    s.key("C-n");
    s.wait_for("the Review", |sc| {
        sc.contains("2. Review")
            && line_with(sc, &[offer, "37 licenses"]).is_some()
            && line_with(
                sc,
                &["Partner of record", "Blue Yonder Solutions (4847383)"],
            )
            .is_some()
            && sc.contains("[ ] I confirm")
    });
    s.type_text(" ");
    s.wait_for_text(&["[x] I confirm"]);
    s.key("C-s");
    s.wait_for("the wizard closed and the toast", |sc| {
        !sc.contains("┌ Add subscription:") && sc.contains("subscription added")
    });

    // →: the record expanded, the new subscription in its pane.
    s.key("Right");
    let screen = s.wait_for("the expanded record with the new subscription", |sc| {
        sc.contains(&format!("Subscriptions of {company} ({})", before + 1))
            && line_with(sc, &[offer, " 37 ", BLUE_YONDER]).is_some()
    });
    let pane: Vec<String> = table_rows(&screen, "Subscription ")
        .into_iter()
        .filter(|r| !r.contains("added to")) // the toast, drawn over the pane
        .collect();
    assert_eq!(
        pane.len() as i64,
        before + 1,
        "the pane does not list every subscription:\n{screen}"
    );

    s.quit();
    assert_eq!(
        sqlite3_count(&db, &count_sql),
        before + 1,
        "the customer's subscriptions"
    );
    let blue = reseller_id(&db, BLUE_YONDER_ID);
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT o.name, s.quantity, s.reseller_id, s.status FROM subscriptions s \
                 JOIN offers o ON o.id = s.offer_id WHERE s.customer_id = {customer_id} \
                 ORDER BY s.id DESC LIMIT 1;"
            )
        ),
        format!("{offer}|37|{blue}|active"),
        "the new subscription"
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT li.partner_id_on_record FROM order_line_items li \
                 JOIN subscriptions s ON s.id = li.subscription_id \
                 WHERE s.customer_id = {customer_id} ORDER BY s.id DESC LIMIT 1;"
            )
        ),
        BLUE_YONDER_ID,
        "the order line's partner of record"
    );
}

/// Subscription details: Enter on the first customer (its subscriptions, focused), Enter on the
/// first subscription; the Designated support contact becomes Blue Yonder (picked by name), then
/// Shift-Tab back to Reseller (MPN ID), which becomes Coho (its PartnerID typed); Ctrl-S saves
/// both with an audit entry. Then, on the same subscription (older than 7 days), one license less
/// is refused with the reason, and nothing is saved.
#[test]
fn subscription_details_change_reseller_and_support_contact() {
    require!(TMUX);
    let mut findings = Findings::default();
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    let screen = s.customers();
    let company = first_cell(&table_rows(&screen, "Company name")[0]);

    // Enter: the record expanded, its subscriptions focused; Enter: Subscription details.
    s.key("Enter");
    s.wait_for("the subscriptions focused", |sc| {
        sc.contains(&format!("Subscriptions of {company}"))
            && sc.contains("Enter Subscription details")
    });
    s.key("Enter");
    let screen = s.wait_for("Subscription details", |sc| {
        sc.contains("Subscription details:") && sc.contains("› Quantity")
    });
    let subscription_id = line_with(&screen, &["Subscription ID"])
        .and_then(|l| l.split_once("Subscription ID"))
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .expect("a subscription ID on the screen")
        .to_owned();
    let where_sub = format!("subscription_id = {}", sql_text(&subscription_id));
    let (quantity, reseller_before, support_before) = {
        let row = sqlite3(
            &db,
            &format!(
                "SELECT quantity, ifnull(reseller_id, ''), ifnull(support_reseller_id, '') \
                 FROM subscriptions WHERE {where_sub};"
            ),
        );
        let parts: Vec<String> = row.split('|').map(str::to_owned).collect();
        (parts[0].clone(), parts[1].clone(), parts[2].clone())
    };
    let coho = reseller_id(&db, COHO_ID);
    let blue = reseller_id(&db, BLUE_YONDER_ID);
    assert!(
        reseller_before != coho.to_string() && support_before != blue.to_string(),
        "the demo's first subscription already has Coho or Blue Yonder: nothing would change"
    );

    // Tab to Designated support contact; Enter: the picker; Blue Yonder.
    s.keys("Tab", 4);
    s.wait_for_text(&["› Designated support contact"]);
    s.key("Enter");
    s.wait_for_text(&["┌ Designated support contact", "Name or PartnerID:"]);
    s.type_text("Blue");
    s.wait_for_text(&["(1 matching)", BLUE_YONDER]);
    s.key("Enter");
    s.wait_for("Blue Yonder as the support contact", |sc| {
        !sc.contains("Name or PartnerID:")
            && line_with(
                sc,
                &[
                    "› Designated support contact",
                    "Blue Yonder Solutions (4847383)",
                ],
            )
            .is_some()
    });

    // Shift-Tab: back to Reseller (MPN ID).
    s.key("BTab");
    if s.try_wait_for(Duration::from_secs(3), |sc| {
        sc.contains("› Reseller (MPN ID)")
    })
    .is_none()
    {
        findings.note(format!(
            "Shift-Tab (tmux BTab, ESC [ Z) does not move to the previous field in Subscription \
             details: crossterm reports it as KeyCode::BackTab with KeyModifiers::SHIFT, and \
             keymap::matches only ignores SHIFT for Char keys, so no binding of \
             key(KeyCode::BackTab) ever matches.\n{}",
            s.screen()
        ));
        s.key("Up");
    }
    s.wait_for_text(&["› Reseller (MPN ID)"]);

    // Enter: the picker; the PartnerID typed finds Coho.
    s.key("Enter");
    s.wait_for_text(&["┌ Reseller (MPN ID)", "Name or PartnerID:"]);
    s.type_text(COHO_ID);
    s.wait_for_text(&["(1 matching)", COHO, COHO_ID]);
    s.key("Enter");
    s.wait_for("Coho as the reseller", |sc| {
        !sc.contains("Name or PartnerID:")
            && line_with(
                sc,
                &["› Reseller (MPN ID)", "Coho Managed Services (6363276)"],
            )
            .is_some()
            && line_with(
                sc,
                &[
                    "Designated support contact",
                    "Blue Yonder Solutions (4847383)",
                ],
            )
            .is_some()
            && sc.contains("Unsaved changes")
    });

    // Ctrl-S: saved, both said.
    s.key("C-s");
    let screen = s.wait_for("the form closed and the toast", |sc| {
        !sc.contains("Subscription details:") && sc.contains("Saved:")
    });
    let toast = screen
        .lines()
        .find(|l| l.contains("Saved:"))
        .unwrap()
        .split_once("Saved:")
        .unwrap()
        .1;
    assert!(
        toast.contains("reseller") && toast.contains("support contact"),
        "the toast does not mention the reseller and the support contact: {toast:?}"
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!(
                "SELECT quantity, reseller_id, support_reseller_id FROM subscriptions WHERE {where_sub};"
            )
        ),
        format!("{quantity}|{coho}|{blue}"),
        "the subscription after Submit"
    );
    let audit = sqlite3(
        &db,
        &format!(
            "SELECT after FROM audit_log WHERE action = 'Subscription changed' AND target LIKE {};",
            sql_text(&format!("%{subscription_id}%"))
        ),
    );
    assert!(
        audit.contains(COHO) && audit.contains(BLUE_YONDER),
        "no audit entry \"Subscription changed\" naming Coho and Blue Yonder: {audit:?}"
    );
    // The pane shows them.
    // (and the toast gone, so that a later one can't be mistaken for it)
    s.wait_for("the pane with the new reseller and support contact", |sc| {
        line_with(sc, &[COHO, BLUE_YONDER]).is_some() && !sc.contains("Saved:")
    });

    // The same subscription again: one license less, past the 7-day window, is refused.
    s.key("Enter");
    let screen = s.wait_for("Subscription details again", |sc| {
        sc.contains("Subscription details:")
            && line_with(sc, &["Subscription ID", &subscription_id]).is_some()
            && sc.contains("› Quantity")
    });
    assert!(
        line_with(&screen, &["Remove licenses / cancel", "closed"]).is_some(),
        "the demo's first subscription is within its 7-day window; this check needs an older one:\n{screen}"
    );
    let fewer = (quantity.parse::<i64>().unwrap() - 1).to_string();
    s.key("Left");
    s.wait_for("one license less", |sc| {
        line_with(sc, &["› Quantity", &fewer]).is_some()
    });
    s.key("C-s");
    let screen = s.assert_stays(
        Duration::from_millis(1500),
        "one license less was saved",
        |sc| sc.contains("Saved:") || !sc.contains("Subscription details:"),
    );
    assert!(
        screen.contains("Licenses can only be removed within 7 days"),
        "the form does not say why it can't be saved:\n{screen}"
    );
    assert_eq!(
        sqlite3(
            &db,
            &format!("SELECT quantity FROM subscriptions WHERE {where_sub};")
        ),
        quantity,
        "the quantity changed"
    );

    // Esc: asks (unsaved); y: leaves.
    s.escape_until("the unsaved-changes question", |sc| {
        sc.contains("┌ Unsaved changes")
    });
    s.type_text("y");
    s.wait_for("the form closed", |sc| {
        !sc.contains("Subscription details:")
    });
    s.quit();
    assert_eq!(
        sqlite3(
            &db,
            &format!("SELECT quantity FROM subscriptions WHERE {where_sub};")
        ),
        quantity,
        "the quantity changed"
    );
    findings.assert_none();
}

/// `f` on Customers: the reseller picker; "Lit" finds Litware Consulting; Enter narrows the list
/// (named in the title, every row Litware's); `f`, Enter on "All (no filter)": all 60 again.
#[test]
fn filter_customers_by_reseller_and_clear_it() {
    require!(TMUX);
    let s = Session::new();
    s.start_demo();
    let db = s.db();
    s.customers();
    let litware = sqlite3_count(
        &db,
        "SELECT count(*) FROM customers c JOIN resellers r ON r.id = c.reseller_id \
         WHERE r.name = 'Litware Consulting';",
    );
    assert!(litware > 0, "no Litware customers in the demo");

    s.type_text("f");
    s.wait_for_text(&["┌ Filter by indirect reseller", "All (no filter)"]);
    s.type_text("Lit");
    s.wait_for_text(&["(1 matching)", "Litware Consulting"]);
    s.key("Enter");
    let title = format!("Customers · Indirect reseller: Litware Consulting ({litware})");
    let screen = s.wait_for("the list narrowed to Litware", |sc| {
        sc.contains(&title) && !sc.contains("Name or PartnerID:")
    });
    let rows = table_rows(&screen, "Company name");
    assert_eq!(
        rows.len() as i64,
        litware,
        "the title says {litware} but the rows differ:\n{screen}"
    );
    for row in &rows {
        assert!(
            row.contains("Litware Consulting"),
            "a row of another reseller: {row:?}\n{screen}"
        );
    }

    s.type_text("f");
    let screen = s.wait_for_text(&["┌ Filter by indirect reseller", "All (no filter)"]);
    let lines: Vec<&str> = screen.lines().collect();
    let search = lines
        .iter()
        .position(|l| l.contains("Name or PartnerID:"))
        .unwrap();
    assert!(
        lines[search + 1].contains("All (no filter)"),
        "\"All (no filter)\" is not the first row:\n{screen}"
    );
    s.key("Enter");
    let screen = s.wait_for("the whole list back", |sc| {
        sc.contains("┌ Customers (60)") && !sc.contains("Name or PartnerID:")
    });
    assert!(
        !screen.contains("Indirect reseller: Litware"),
        "the title still names the filter:\n{screen}"
    );
    s.quit();
}
