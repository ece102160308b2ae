//! `twotier customers add` on the built binary, on demo books made by `twotier demo`: a whole
//! customer with its order in one go, a refusal per kind of bad field (naming the field, exit 1,
//! the book byte for byte as it was), a taken domain, unknown fields, the roles, and the one-time
//! password: on stdout once, and in no file under the sandbox.
//!
//! Every test has its own sandbox (a fake HOME, no XDG or TWOTIER_* variables); the expected rows
//! are read back with rusqlite, not with twotier.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use common::process::{
    assert_refused, assert_success, describe, dump, first_difference, stderr, stdout,
};
use common::sandbox::{Sandbox, key_set, keys, run_on, str_field};
use rusqlite::Connection;
use serde_json::{Value, json};

const ME: &str = "tester";
const USER_ADMIN: &str = "ben.users@northwind-distribution.example";
const BILLING_ADMIN: &str = "eva.billing@northwind-distribution.example";
/// Adatum IT Services: active, MPA signed, PartnerID valid as partner of record.
const ADATUM: &str = "5139005";
/// Fourth Coffee Technologies: active, MPA not signed.
const FOURTH_COFFEE: &str = "873452";
const PREMIUM: &str = "CFQ7TTC0LCHC";
const E3: &str = "CFQ7TTC0LF8Q";
const DOMAIN: &str = "fabrikamrobotics.onmicrosoft.com";

/// A demo book as of a fixed day.
fn book(sandbox: &Sandbox) -> PathBuf {
    let db = sandbox.file("book.db");
    assert_success(&run_on(
        sandbox,
        &db,
        &["--operator", ME, "demo", "--as-of", "2026-11-01"],
    ));
    db
}

/// Fabrikam Robotics for Adatum: Business Premium × 25 (the default term and billing cycle) and
/// Office 365 E3 × 10 for three years, billed triennially.
fn fabrikam() -> Value {
    json!({
        "company_name": "Fabrikam Robotics",
        "domain_prefix": "FabrikamRobotics",
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@Fabrikam.example",
        "address_line1": "1 Main St",
        "city": "Seattle",
        "state": "WA",
        "postal_code": "98101",
        "country": "us",
        "reseller_partner_id": ADATUM,
        "mca": {
            "signer_name": "Ana Silva",
            "signer_email": "ana@fabrikam.example",
            "date_agreed": "2026-10-30"
        },
        "subscriptions": [
            {"offer_id": PREMIUM, "quantity": 25},
            {"offer_id": E3, "quantity": 10, "term": "P3Y", "billing_cycle": "triennial"}
        ],
        "attest_partner_of_record": true
    })
}

/// The description with the value at `pointer` (JSON Pointer) replaced, or added when its
/// parent object has no such key yet.
fn with(mut description: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let slot = description
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the description"));
    match slot {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("{parent} is {other}"),
    }
    description
}

fn without(mut description: Value, key: &str) -> Value {
    description.as_object_mut().unwrap().remove(key).unwrap();
    description
}

/// `twotier --db DB --operator OPERATOR customers add --from - EXTRA…` with `input` on stdin.
fn add_raw(sandbox: &Sandbox, db: &Path, operator: &str, input: &[u8], extra: &[&str]) -> Output {
    add_with(sandbox.twotier(), db, operator, input, extra)
}

fn add_with(
    mut cmd: std::process::Command,
    db: &Path,
    operator: &str,
    input: &[u8],
    extra: &[&str],
) -> Output {
    cmd.arg("--db")
        .arg(db)
        .args(["--operator", operator, "customers", "add", "--from", "-"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("running the twotier binary");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn add(sandbox: &Sandbox, db: &Path, operator: &str, description: &Value) -> Output {
    add_raw(
        sandbox,
        db,
        operator,
        description.to_string().as_bytes(),
        &[],
    )
}

/// The admin user name and the password of a successful add's one stdout line.
#[track_caller]
fn credentials(out: &Output) -> (String, String) {
    assert_success(out);
    let text = stdout(out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stdout\n{}", describe(out));
    let (user, password) = lines[0]
        .split_once('\t')
        .unwrap_or_else(|| panic!("USER<TAB>PASSWORD\n{}", describe(out)));
    assert_eq!(password.len(), 16, "{}", describe(out));
    assert!(
        twotier::domain::credentials::meets_policy(password),
        "{password}"
    );
    (user.to_owned(), password.to_owned())
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Rows of every table a new customer touches.
fn counts(db: &Path) -> [i64; 5] {
    let conn = Connection::open(db).unwrap();
    [
        "customers",
        "orders",
        "order_line_items",
        "subscriptions",
        "audit_log",
    ]
    .map(|t| one(&conn, &format!("SELECT count(*) FROM {t}")))
}

/// A refusal that changed nothing and names `field`.
#[track_caller]
fn assert_refused_unchanged(out: &Output, db: &Path, before: &str, words: &[&str]) {
    assert_refused(out);
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout\n{}",
        describe(out)
    );
    let err = stderr(out);
    for w in words {
        assert!(err.contains(w), "stderr lacks {w:?}\n{}", describe(out));
    }
    assert!(err.starts_with("twotier: not added"), "{}", describe(out));
    let after = dump(db);
    assert!(
        after == before,
        "the book changed: {}",
        first_difference(before, &after)
    );
}

#[test]
fn a_whole_customer_with_two_subscriptions_is_written_in_one_go() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let before = counts(&db);
    // From a file this time; the other tests pipe the description to `--from -`.
    let file = sandbox.root().join("fabrikam.json");
    std::fs::write(&file, fabrikam().to_string()).unwrap();
    let out = run_on(
        &sandbox,
        &db,
        &[
            "--operator",
            ME,
            "customers",
            "add",
            "--from",
            file.to_str().unwrap(),
        ],
    );
    let (user, _password) = credentials(&out);
    assert_eq!(user, format!("admin@{DOMAIN}"));
    assert!(
        stderr(&out).contains(&format!("Added Fabrikam Robotics ({DOMAIN}, Microsoft ID"))
            && stderr(&out).contains("with 2 subscriptions"),
        "{}",
        describe(&out)
    );
    let after = counts(&db);
    let added: Vec<i64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    assert_eq!(
        added,
        [1, 1, 2, 2, 1],
        "customers, orders, line items, subscriptions, activity entries"
    );

    let conn = Connection::open(&db).unwrap();
    let adatum = one(
        &conn,
        &format!("SELECT id FROM resellers WHERE partner_id = '{ADATUM}'"),
    );
    type Row = (
        i64,
        String,
        Option<i64>,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
    );
    let customer: Row = conn
        .query_row(
            "SELECT id, company_name, reseller_id, email, country, culture || ' ' || language, phone,
                    registration_number, state || ' ' || postal_code || ' ' || city || ' ' || address_line1,
                    mca_signer_name || ' ' || mca_signer_email || ' ' || mca_date_agreed, admin_user_name,
                    (SELECT upn FROM operators WHERE id = created_by)
             FROM customers WHERE domain = ?1",
            [DOMAIN],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            },
        )
        .unwrap();
    let id = customer.0;
    assert_eq!(
        customer,
        (
            id,
            "Fabrikam Robotics".into(),
            Some(adatum),
            // The domain of an email is stored lowercase, as the wizard stores it.
            "ana@fabrikam.example".into(),
            "US".into(),
            // From the country, as the wizard fills them in.
            "en-US en".into(),
            None,
            None,
            "WA 98101 Seattle 1 Main St".into(),
            "Ana Silva ana@fabrikam.example 2026-10-30".into(),
            format!("admin@{DOMAIN}"),
            ME.into(),
        )
    );
    let (order, attested) = conn
        .query_row(
            "SELECT id, por_attestation_accepted FROM orders WHERE customer_id = ?1",
            [id],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)),
        )
        .unwrap();
    assert!(attested);
    let mut items = conn
        .prepare(
            "SELECT i.line_item_number, i.offer_id, i.quantity, i.term, i.billing_cycle, i.partner_id_on_record,
                    s.offer_id, s.quantity, s.term, s.billing_cycle, s.status, s.reseller_id, s.customer_id, s.order_id
             FROM order_line_items i JOIN subscriptions s ON s.id = i.subscription_id
             WHERE i.order_id = ?1 ORDER BY i.line_item_number",
        )
        .unwrap();
    let items: Vec<String> = items
        .query_map([order], |r| {
            Ok(format!(
                "{} {} ×{} {} {} POR {} | {} ×{} {} {} {} reseller {} customer {} order {}",
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, i64>(11)?,
                r.get::<_, i64>(12)?,
                r.get::<_, i64>(13)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        items,
        [
            format!(
                "0 {PREMIUM} ×25 P1Y monthly POR {ADATUM} | {PREMIUM} ×25 P1Y monthly active reseller {adatum} customer {id} order {order}"
            ),
            format!(
                "1 {E3} ×10 P3Y triennial POR {ADATUM} | {E3} ×10 P3Y triennial active reseller {adatum} customer {id} order {order}"
            ),
        ]
    );
    let entry: (String, String, String, String) = conn
        .query_row(
            "SELECT operator, action, target, after FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        entry,
        (
            ME.into(),
            "Customer created".into(),
            format!("Fabrikam Robotics ({DOMAIN})"),
            format!(
                "reseller Adatum IT Services ({ADATUM}); admin admin@{DOMAIN}; 2 subscriptions"
            ),
        )
    );
}

#[test]
fn json_output_is_one_object_with_the_credentials_and_the_new_customer() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let out = add_raw(
        &sandbox,
        &db,
        ME,
        fabrikam().to_string().as_bytes(),
        &["--json"],
    );
    assert_success(&out);
    let value: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e})\n{}", describe(&out)));
    assert_eq!(
        keys(&value),
        key_set(&[
            "admin_user_name",
            "temporary_password",
            "microsoft_id",
            "primary_domain",
            "subscriptions",
        ])
    );
    assert_eq!(
        str_field(&value, "admin_user_name"),
        format!("admin@{DOMAIN}")
    );
    assert_eq!(str_field(&value, "primary_domain"), DOMAIN);
    assert_eq!(value["subscriptions"], 2);
    let password = str_field(&value, "temporary_password");
    assert!(
        password.len() == 16 && twotier::domain::credentials::meets_policy(password),
        "{password}"
    );
    let conn = Connection::open(&db).unwrap();
    let tenant: String = conn
        .query_row(
            "SELECT tenant_id FROM customers WHERE domain = ?1",
            [DOMAIN],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(str_field(&value, "microsoft_id"), tenant);
    assert!(!stderr(&out).contains(password));
}

#[test]
fn each_kind_of_bad_field_is_refused_by_name_and_nothing_is_written() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let before = dump(&db);
    let f = fabrikam;
    let cases: Vec<(&str, Value, &[&str])> = vec![
        (
            "a bare abbreviation",
            with(f(), "/company_name", json!("LLC")),
            &["company_name: \"LLC\" alone is not a company name"],
        ),
        (
            "a dash in the prefix",
            with(f(), "/domain_prefix", json!("fabrikam-robotics")),
            &["domain_prefix: Letters and digits only: '-'"],
        ),
        (
            "a prefix too long",
            with(f(), "/domain_prefix", json!("a".repeat(28))),
            &["domain_prefix: At most 27 characters"],
        ),
        (
            "no first name",
            with(f(), "/first_name", json!("  ")),
            &["first_name: Enter the first name."],
        ),
        (
            "a Microsoft email",
            with(f(), "/email", json!("ana@microsoft.com")),
            &["email: A customer's email can't be at microsoft.com."],
        ),
        (
            "an email at the provider's own domain",
            with(
                f(),
                "/mca/signer_email",
                json!("ava@northwind-distribution.example"),
            ),
            &["mca.signer_email: That is your own domain (northwind-distribution.example)"],
        ),
        (
            "an email with a space",
            with(f(), "/email", json!("ana silva@fabrikam.example")),
            &["email: An email address has no spaces"],
        ),
        (
            "letters in the phone",
            with(f(), "/phone", json!("call me")),
            &["phone: Digits, spaces and + - ( ) only."],
        ),
        (
            "an unknown country",
            with(f(), "/country", json!("XX")),
            &["country: XX is not an ISO 3166 country code."],
        ),
        (
            "a country that requires a phone and a registration number",
            with(f(), "/country", json!("BR")),
            &[
                "2 fields need attention",
                "phone: A phone number is required for customers in BR.",
                "registration_number: An organization registration number is required for customers in BR.",
            ],
        ),
        (
            "a registration number where there is none",
            with(f(), "/registration_number", json!("12345")),
            &["registration_number: Leave it empty: customers in US"],
        ),
        (
            "a culture in the wrong case",
            with(f(), "/culture", json!("EN-us")),
            &["culture: A culture looks like en-US"],
        ),
        (
            "a three-letter language",
            with(f(), "/language", json!("eng")),
            &["language: A language is two lowercase letters"],
        ),
        (
            "an agreement date in the future",
            with(f(), "/mca/date_agreed", json!("2999-01-01")),
            &["mca.date_agreed: The agreement date can't be in the future."],
        ),
        (
            "an agreement date not as YYYY-MM-DD",
            with(f(), "/mca/date_agreed", json!("30/10/2026")),
            &["mca.date_agreed: Enter the date as YYYY-MM-DD"],
        ),
        (
            "a PartnerID with a dash",
            with(f(), "/reseller_partner_id", json!("513-9005")),
            &["reseller_partner_id: A PartnerID has digits only"],
        ),
        (
            "a PartnerID no active reseller has",
            with(f(), "/reseller_partner_id", json!("7654321")),
            &["reseller_partner_id: No active indirect reseller has PartnerID 7654321."],
        ),
        (
            "an offer not in the catalog",
            with(f(), "/subscriptions/1/offer_id", json!("NOPE")),
            &["subscriptions[1].offer_id: The offer NOPE is not in the catalog."],
        ),
        (
            "one offer twice",
            with(
                f(),
                "/subscriptions/1",
                json!({"offer_id": PREMIUM, "quantity": 3}),
            ),
            &[
                "subscriptions[1].offer_id: Microsoft 365 Business Premium is already subscriptions[0]",
            ],
        ),
        (
            "no licenses",
            with(f(), "/subscriptions/0/quantity", json!(0)),
            &[
                "subscriptions[0].quantity: 0 licenses: Microsoft 365 Business Premium allows 1 to 300.",
            ],
        ),
        (
            "a term the offer does not have",
            with(f(), "/subscriptions/1/term", json!("P2Y")),
            &["subscriptions[1].term: Office 365 E3 is offered for P1M, P1Y or P3Y"],
        ),
        (
            "a billing cycle the offer does not have",
            with(f(), "/subscriptions/0/billing_cycle", json!("triennial")),
            &[
                "subscriptions[0].billing_cycle: Microsoft 365 Business Premium is billed monthly or annual, not \"triennial\".",
            ],
        ),
        (
            "a billing cycle longer than the term",
            with(f(), "/subscriptions/1/term", json!("P1Y")),
            &["subscriptions[1].billing_cycle: triennial billing is longer than the term P1Y"],
        ),
        (
            "a partner of record that has not signed the MPA",
            with(f(), "/partner_of_record_partner_id", json!(FOURTH_COFFEE)),
            &[
                "partner_of_record_partner_id: Fourth Coffee Technologies has not signed the Microsoft Partner Agreement",
            ],
        ),
        (
            "a reseller that can't be credited, as the default partner of record",
            with(f(), "/reseller_partner_id", json!(FOURTH_COFFEE)),
            &[
                "partner_of_record_partner_id (by default the reseller_partner_id): Fourth Coffee Technologies",
            ],
        ),
        (
            "no attestation",
            with(f(), "/attest_partner_of_record", json!(false)),
            &[
                "attest_partner_of_record: set it to true to credit Adatum IT Services (PartnerID 5139005)",
                "I confirm that my organization is acting as an Indirect Partner",
            ],
        ),
        (
            "hostile text",
            with(
                f(),
                "/company_name",
                json!("Evil\u{1b}]0;x\u{7}\u{202e}Corp"),
            ),
            &["company_name: The name holds control or invisible characters"],
        ),
    ];
    for (what, description, words) in cases {
        let out = add(&sandbox, &db, ME, &description);
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains(['\u{1b}', '\u{7}', '\u{202e}']),
            "{what}: raw control characters on stderr"
        );
        eprintln!("{what}: {}", stderr(&out).trim_end());
        assert_refused_unchanged(&out, &db, &before, words);
    }
}

#[test]
fn a_taken_domain_is_refused_whatever_its_case() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let taken: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT domain FROM customers ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let prefix = taken.strip_suffix(".onmicrosoft.com").unwrap();
    let before = dump(&db);
    for typed in [prefix.to_owned(), prefix.to_ascii_uppercase()] {
        let out = add(
            &sandbox,
            &db,
            ME,
            &with(fabrikam(), "/domain_prefix", json!(typed)),
        );
        assert_refused_unchanged(
            &out,
            &db,
            &before,
            &[&format!(
                "not added: domain_prefix: {taken} is already taken: choose another prefix."
            )],
        );
    }
    // The same customer twice: the second finds the first's domain.
    assert_success(&add(&sandbox, &db, ME, &fabrikam()));
    let before = dump(&db);
    let out = add(&sandbox, &db, ME, &fabrikam());
    assert_refused_unchanged(
        &out,
        &db,
        &before,
        &[&format!("domain_prefix: {DOMAIN} is already taken")],
    );
}

#[test]
fn unknown_fields_missing_fields_and_not_json_are_refused() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let before = dump(&db);
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "an unknown field",
            with(fabrikam(), "/colour", json!("blue"))
                .to_string()
                .into(),
            &["unknown field `colour`, expected one of `company_name`"],
        ),
        (
            "an unknown field of the agreement",
            with(fabrikam(), "/mca/witness", json!("Bo"))
                .to_string()
                .into(),
            &["unknown field `witness`, expected one of `signer_name`"],
        ),
        (
            "an unknown field of a subscription",
            with(fabrikam(), "/subscriptions/0/discount", json!(10))
                .to_string()
                .into(),
            &["unknown field `discount`, expected one of `offer_id`"],
        ),
        (
            "a hostile unknown field",
            with(fabrikam(), "/x\u{1b}]0;y\u{7}", json!(1))
                .to_string()
                .into(),
            &["unknown field `x\\u{1b}]0;y\\u{7}`"],
        ),
        (
            "a missing field",
            without(fabrikam(), "city").to_string().into(),
            &["missing field `city`"],
        ),
        (
            "no attestation field",
            without(fabrikam(), "attest_partner_of_record")
                .to_string()
                .into(),
            &["missing field `attest_partner_of_record`"],
        ),
        (
            "licenses as text",
            with(fabrikam(), "/subscriptions/0/quantity", json!("25"))
                .to_string()
                .into(),
            &["invalid type: string \"25\", expected i64"],
        ),
        (
            "not JSON",
            b"company_name = \"Fabrikam\"".to_vec(),
            &["the description on stdin is not a valid customer description"],
        ),
        ("nothing", Vec::new(), &["EOF while parsing"]),
    ];
    for (what, input, words) in cases {
        let out = add_raw(&sandbox, &db, ME, &input, &[]);
        eprintln!("{what}: {}", stderr(&out).trim_end());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains(['\u{1b}', '\u{7}']),
            "{what}: raw control characters on stderr"
        );
        assert_refused_unchanged(&out, &db, &before, words);
    }
    let out = run_on(
        &sandbox,
        &db,
        &[
            "--operator",
            ME,
            "customers",
            "add",
            "--from",
            "no-such-file.json",
        ],
    );
    assert_refused_unchanged(
        &out,
        &db,
        &before,
        &["not added: reading no-such-file.json"],
    );
}

#[test]
fn a_user_admin_adds_a_customer_without_subscriptions_only() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let before = dump(&db);
    let out = add(&sandbox, &db, USER_ADMIN, &fabrikam());
    assert_refused_unchanged(
        &out,
        &db,
        &before,
        &[
            "Placing orders and managing subscriptions needs",
            "(you are User admin)",
            "With \"subscriptions\": [] the customer is added without an order",
        ],
    );

    let counts_before = counts(&db);
    let out = add(
        &sandbox,
        &db,
        USER_ADMIN,
        &with(fabrikam(), "/subscriptions", json!([])),
    );
    let (user, _) = credentials(&out);
    assert_eq!(user, format!("admin@{DOMAIN}"));
    let added: Vec<i64> = counts(&db)
        .iter()
        .zip(counts_before)
        .map(|(a, b)| a - b)
        .collect();
    assert_eq!(
        added,
        [1, 0, 0, 0, 1],
        "the account alone, and its activity entry"
    );
    let conn = Connection::open(&db).unwrap();
    let (by, after): (String, String) = conn
        .query_row(
            "SELECT operator, after FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(by, USER_ADMIN);
    assert!(after.ends_with("; 0 subscriptions"), "{after}");
}

#[test]
fn a_billing_admin_may_not_add_customers() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let before = dump(&db);
    for description in [fabrikam(), with(fabrikam(), "/subscriptions", json!([]))] {
        let out = add(&sandbox, &db, BILLING_ADMIN, &description);
        assert_refused_unchanged(
            &out,
            &db,
            &before,
            &[
                "not added: Add new customer needs",
                "(you are Billing admin)",
            ],
        );
    }
}

#[test]
fn a_direct_sale_with_no_partner_of_record() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    // The customer stays Adatum's; null credits no one, so no attestation is needed.
    let description = with(
        with(fabrikam(), "/partner_of_record_partner_id", Value::Null),
        "/attest_partner_of_record",
        json!(false),
    );
    credentials(&add(&sandbox, &db, ME, &description));
    let conn = Connection::open(&db).unwrap();
    let customer = format!("(SELECT id FROM customers WHERE domain = '{DOMAIN}')");
    assert_eq!(
        one(
            &conn,
            &format!(
                "SELECT count(*) FROM subscriptions WHERE customer_id = {customer} AND reseller_id IS NULL"
            )
        ),
        2
    );
    assert_eq!(
        one(
            &conn,
            &format!("SELECT por_attestation_accepted FROM orders WHERE customer_id = {customer}")
        ),
        0
    );
    assert_eq!(
        one(
            &conn,
            &format!("SELECT reseller_id IS NOT NULL FROM customers WHERE id = {customer}")
        ),
        1
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_password_is_on_stdout_once_and_in_no_file() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    // Held open across the run, so the book's -wal and -shm files outlive the command and are
    // searched too (the last connection to close would fold the WAL in and delete it).
    let reader = Connection::open(&db).unwrap();
    one(&reader, "SELECT count(*) FROM customers");
    let mut cmd = sandbox.twotier();
    cmd.env("TWOTIER_LOG", "debug");
    let out = add_with(cmd, &db, ME, fabrikam().to_string().as_bytes(), &[]);
    let (user, password) = credentials(&out);
    assert_eq!(stdout(&out).matches(&password).count(), 1);
    assert!(!stderr(&out).contains(&password), "{}", describe(&out));

    let files = files_under(sandbox.root());
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["book.db", "book.db-wal", "book.db-shm", "twotier.log"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} among {names:?}"
        );
    }
    let log =
        std::fs::read_to_string(sandbox.home().join(".local/state/twotier/twotier.log")).unwrap();
    assert!(
        log.contains("write transaction committed"),
        "the debug log was written: {log}"
    );
    let mut user_found = false;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert!(
            !holds(&bytes, password.as_bytes()),
            "the password is in {}",
            file.display()
        );
        user_found |= holds(&bytes, user.as_bytes());
    }
    // The search does find what was written: the admin user name is in the book.
    assert!(user_found, "{user} in none of {names:?}");
    drop(reader);
}

/// Wide World Integrators: active, its MPA and POR never checked (Unknown).
const WIDE_WORLD: &str = "1958834";

#[test]
fn crediting_a_reseller_whose_compliance_is_unknown_is_said_on_stderr() {
    let sandbox = Sandbox::new();
    let db = book(&sandbox);
    let out = add(
        &sandbox,
        &db,
        ME,
        &with(fabrikam(), "/reseller_partner_id", json!(WIDE_WORLD)),
    );
    assert_success(&out);
    assert!(
        stderr(&out).contains(
            "warning: partner_of_record_partner_id (by default the reseller_partner_id): MPA and POR status of Wide World Integrators are unknown"
        ),
        "{}",
        describe(&out)
    );
    // A reseller whose checks are known says nothing of the kind.
    let out = add(
        &sandbox,
        &db,
        ME,
        &with(
            with(fabrikam(), "/domain_prefix", json!("FabrikamTwo")),
            "/company_name",
            json!("Fabrikam Two"),
        ),
    );
    assert_success(&out);
    assert!(!stderr(&out).contains("unknown"), "{}", describe(&out));
}
