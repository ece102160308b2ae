//! Store tests for partnerships: requests, the ledger's state machine, acceptance, removal and
//! compliance, on real SQLite files. Every mutation leaves an audit entry; a refusal leaves nothing.

mod common;

use chrono::{Duration, Utc};
use common::{TestDb, now};
use rusqlite::Connection;
use twotier::domain::ids::{Country, Email, PartnerId, TenantId};
use twotier::domain::invitation::{Delivery, InvitationStatus};
use twotier::store::invitations::Acceptance;
use twotier::store::{CommandError, Store};

fn db() -> TestDb {
    let mut db = TestDb::default_demo();
    let operator = db.operator();
    db.store.act_as(operator);
    db
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A dump of every table, to prove a refused command changed nothing.
fn snapshot(store: &Store) -> Vec<String> {
    let conn = store.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push(format!("{table}: {rows:?}"));
    }
    out
}

fn refusal<T: std::fmt::Debug>(r: Result<T, CommandError>) -> String {
    match r {
        Err(CommandError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn acceptance(name: &str, partner_id: &str) -> Acceptance {
    Acceptance {
        name: name.into(),
        partner_id: PartnerId::parse(partner_id).unwrap(),
        country: Country::parse("US").unwrap(),
        tenant_id: None,
    }
}

/// Drafts and records a request; returns (id, token).
fn send(db: &mut TestDb, to: &str) -> (i64, String) {
    let draft = db
        .store
        .prepare_invitation(&Email::parse(to).unwrap())
        .unwrap();
    let id = db
        .store
        .record_invitation(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    (id, draft.token)
}

#[test]
fn a_draft_has_a_unique_unguessable_link_for_this_provider_and_writes_nothing() {
    let db = db();
    let before = snapshot(&db.store);
    let to = Email::parse("partners@contoso.example").unwrap();
    let a = db.store.prepare_invitation(&to).unwrap();
    let b = db.store.prepare_invitation(&to).unwrap();
    assert_eq!(snapshot(&db.store), before, "drafting writes nothing");
    assert_ne!(a.token, b.token);
    assert_eq!(a.token.len(), 32);
    let provider = db.store.provider().unwrap();
    assert!(a.link.starts_with(&provider.invitation_base_url));
    assert!(
        a.link
            .contains(&format!("partnerId={}", provider.tenant_id))
    );
    assert!(a.link.ends_with(&format!("token={}", a.token)));
    assert!(
        a.body.contains(&a.link),
        "the body carries the personalized link"
    );
    assert!(a.subject.contains("Northwind Cloud Distribution"));
    assert_eq!(a.to, "partners@contoso.example");
}

#[test]
fn the_base_url_can_come_from_the_config() {
    let mut db = db();
    db.store.configure(twotier::store::Settings {
        invitation_base_url: Some("https://partners.example/accept".into()),
        ..Default::default()
    });
    let draft = db
        .store
        .prepare_invitation(&Email::parse("a@b.example").unwrap())
        .unwrap();
    assert!(
        draft
            .link
            .starts_with("https://partners.example/accept?partnerId=")
    );
}

#[test]
fn done_records_the_request_as_sent_with_who_when_and_how() {
    let mut db = db();
    let (id, token) = send(&mut db, "partners@contoso.example");
    let row = db.store.invitation(id).unwrap();
    assert_eq!(row.recipient, "partners@contoso.example");
    assert_eq!(row.sent_by, common::OPERATOR);
    assert_eq!(row.sent_at, now());
    assert_eq!(row.delivery, Delivery::CopiedToClipboard);
    assert_eq!(row.token, token);
    assert_eq!(row.status(now(), 30), InvitationStatus::Sent);
    let audit: (String, String, Option<String>) = db
        .store
        .conn()
        .query_row(
            "SELECT operator, action, after FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(audit.0, common::OPERATOR);
    assert_eq!(audit.1, "Partnership requested");
    assert_eq!(audit.2.as_deref(), Some("Sent (Copied to clipboard)"));
}

#[test]
fn done_is_refused_when_the_link_was_removed_or_altered() {
    let mut db = db();
    let mut draft = db
        .store
        .prepare_invitation(&Email::parse("a@b.example").unwrap())
        .unwrap();
    let before = snapshot(&db.store);
    let link = draft.link.clone();
    draft.body = draft.body.replace(&link, "");
    assert!(
        refusal(db.store.record_invitation(&draft, Delivery::None, now())).contains("personalized")
    );
    draft.body = format!("Join us: {}", link.replace("token=", "token=x"));
    assert!(
        refusal(db.store.record_invitation(&draft, Delivery::None, now())).contains("personalized")
    );
    assert_eq!(snapshot(&db.store), before);
    // An edited body that keeps the link is fine.
    draft.body = format!("Hi! Short version: {link}\nThanks");
    db.store
        .record_invitation(&draft, Delivery::None, now())
        .unwrap();
}

#[test]
fn requests_expire_after_the_configured_period_and_can_be_sent_again() {
    let mut db = db();
    let (id, _) = send(&mut db, "late@reseller.example");
    let later = now() + Duration::days(31);
    assert_eq!(
        db.store.invitation(id).unwrap().status(later, 30),
        InvitationStatus::Expired
    );
    assert_eq!(
        db.store.invitation(id).unwrap().status(later, 60),
        InvitationStatus::Sent
    );
    db.store
        .resend_invitation(id, Delivery::OpenedInEmail, later)
        .unwrap();
    let row = db.store.invitation(id).unwrap();
    assert_eq!(row.status(later, 30), InvitationStatus::Sent);
    assert_eq!(
        (row.sent_at, row.resent_count, row.delivery),
        (later, 1, Delivery::OpenedInEmail)
    );
}

#[test]
fn revoked_and_accepted_requests_are_final() {
    let mut db = db();
    let (id, token) = send(&mut db, "x@reseller.example");
    db.store.revoke_invitation(id, now()).unwrap();
    assert_eq!(
        db.store.invitation(id).unwrap().status(now(), 30),
        InvitationStatus::Revoked
    );
    let before = snapshot(&db.store);
    assert!(refusal(db.store.resend_invitation(id, Delivery::None, now())).contains("Revoked"));
    assert!(refusal(db.store.revoke_invitation(id, now())).contains("nothing to revoke"));
    assert!(
        refusal(
            db.store
                .accept_invitation(&token, &acceptance("X Co", "7000001"), now())
        )
        .contains("revoked")
    );
    assert_eq!(snapshot(&db.store), before);

    let (id, token) = send(&mut db, "y@reseller.example");
    db.store
        .accept_invitation(&token, &acceptance("Y Co", "7000002"), now())
        .unwrap();
    assert!(refusal(db.store.revoke_invitation(id, now())).contains("Accepted"));
    assert!(
        refusal(
            db.store
                .accept_invitation(&token, &acceptance("Y Co", "7000003"), now())
        )
        .contains("already accepted")
    );
}

#[test]
fn acceptance_makes_an_active_reseller_from_the_token_or_the_link() {
    let mut db = db();
    let (id, token) = send(&mut db, "partners@contoso.example");
    let tenant = TenantId::parse("484E548C-6AE5-4D12-B6A2-3B7AB5C5E2F1").unwrap();
    let a = Acceptance {
        tenant_id: Some(tenant),
        ..acceptance("  Contoso Partners ", "7654321")
    };
    let reseller = db
        .store
        .accept_invitation(&token.to_uppercase(), &a, now())
        .unwrap();
    let (name, partner, location, tenant_id, state, email): (String, String, String, String, String, String) = db
        .store
        .conn()
        .query_row("SELECT name, partner_id, location, tenant_id, state, email FROM resellers WHERE id = ?1", [reseller], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap();
    assert_eq!(
        (
            name.as_str(),
            partner.as_str(),
            location.as_str(),
            tenant_id.as_str(),
            state.as_str(),
            email.as_str()
        ),
        (
            "Contoso Partners",
            "7654321",
            "US",
            "484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1",
            "active",
            "partners@contoso.example"
        )
    );
    let row = db.store.invitation(id).unwrap();
    assert_eq!(row.status(now(), 30), InvitationStatus::Accepted);
    assert_eq!(row.reseller.as_deref(), Some("Contoso Partners"));
    // By link.
    let (_, token) = send(&mut db, "other@fabrikam.example");
    let link = db.store.invitation_draft(id + 1).unwrap().link;
    assert!(link.contains(&token));
    db.store
        .accept_invitation(&link, &acceptance("Fabrikam IT", "7654322"), now())
        .unwrap();
    let actions: Vec<String> = db
        .store
        .conn()
        .prepare("SELECT action FROM audit_log ORDER BY id DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["Reseller added", "Partnership request accepted"]);
}

#[test]
fn acceptance_refusals_change_nothing() {
    let mut db = db();
    let (_, token) = send(&mut db, "partners@contoso.example");
    let before = snapshot(&db.store);
    let cases: Vec<(String, Acceptance, &str)> = vec![
        (
            "nosuchtoken".into(),
            acceptance("A Co", "7000001"),
            "No partnership request has the token",
        ),
        (
            "not a token!".into(),
            acceptance("A Co", "7000001"),
            "not an invitation token",
        ),
        (
            token.clone(),
            acceptance("A Co", "4120357"),
            "your own PartnerID",
        ),
        (
            token.clone(),
            acceptance("A Co", "5139005"),
            "already belongs to the active reseller Adatum IT Services",
        ),
        (
            token.clone(),
            acceptance("A", "7000001"),
            "more than one character",
        ),
        (
            token.clone(),
            acceptance("Evil\u{1b}]0;x\u{7}Corp", "7000001"),
            "control",
        ),
        (
            token.clone(),
            acceptance("...", "7000001"),
            "letters or digits",
        ),
    ];
    for (token, a, expected) in cases {
        let message = refusal(db.store.accept_invitation(&token, &a, now()));
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        assert_eq!(snapshot(&db.store), before, "{expected}: something changed");
    }
    // An expired request: refused with what to do.
    let message = refusal(db.store.accept_invitation(
        &token,
        &acceptance("A Co", "7000001"),
        now() + Duration::days(40),
    ));
    assert!(
        message.contains("expired") && message.contains("send it again"),
        "{message}"
    );
    // A tenant already used by another reseller.
    let used: String = db
        .store
        .conn()
        .query_row("SELECT tenant_id FROM resellers LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let a = Acceptance {
        tenant_id: Some(TenantId::parse(&used).unwrap()),
        ..acceptance("A Co", "7000001")
    };
    assert!(refusal(db.store.accept_invitation(&token, &a, now())).contains("Tenant ID"));
    assert_eq!(snapshot(&db.store), before);
}

#[test]
fn a_removed_reseller_that_accepts_again_comes_back_with_its_history() {
    let mut db = db();
    let woodgrove: (i64, String) = db
        .store
        .conn()
        .query_row(
            "SELECT id, partner_id FROM resellers WHERE state = 'removed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let (_, token) = send(&mut db, "partners@woodgrove.example");
    let id = db
        .store
        .accept_invitation(
            &token,
            &acceptance("Woodgrove Systems", &woodgrove.1),
            now(),
        )
        .unwrap();
    assert_eq!(id, woodgrove.0, "the same record");
    assert_eq!(
        count(
            db.store.conn(),
            "SELECT count(*) FROM resellers WHERE state = 'removed'"
        ),
        0
    );
}

#[test]
fn removing_a_partnership_touches_nothing_but_the_partnership() {
    let mut db = db();
    let (id, name): (i64, String) = db
        .store
        .conn()
        .query_row(
            "SELECT r.id, r.name FROM resellers r WHERE r.state = 'active'
             AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.support_reseller_id = r.id) LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let impact = db.store.removal_impact(id).unwrap();
    let conn = db.store.conn();
    assert_eq!(
        impact.customers,
        count(
            conn,
            &format!("SELECT count(*) FROM customers WHERE reseller_id = {id}")
        )
    );
    assert_eq!(
        impact.partner_of_record,
        count(
            conn,
            &format!("SELECT count(*) FROM subscriptions WHERE reseller_id = {id}")
        )
    );
    assert_eq!(
        impact.support_contact,
        count(
            conn,
            &format!("SELECT count(*) FROM subscriptions WHERE support_reseller_id = {id}")
        )
    );
    assert!(impact.customers > 0 && impact.support_contact > 0);
    let others = |store: &Store| {
        snapshot(store)
            .into_iter()
            .filter(|t| {
                !t.starts_with("resellers:")
                    && !t.starts_with("audit_log:")
                    && !t.starts_with("row_counts:")
            })
            .collect::<Vec<_>>()
    };
    // The kept counts of the lists: one active partnership fewer, one activity entry more.
    let kept = |store: &Store| -> Vec<(String, i64)> {
        store
            .conn()
            .prepare("SELECT name, value FROM row_counts ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let kept_before = kept(&db.store);
    let before = others(&db.store);
    assert_eq!(db.store.remove_partnership(id, now()).unwrap(), impact);
    let expected: Vec<(String, i64)> = kept_before
        .into_iter()
        .map(|(name, n)| match name.as_str() {
            "resellers" => (name, n - 1),
            "audit_log" => (name, n + 1),
            _ => (name, n),
        })
        .collect();
    assert_eq!(kept(&db.store), expected, "kept counts");
    assert_eq!(
        others(&db.store),
        before,
        "customers, subscriptions, invitations… unchanged"
    );
    let (state, removed_by): (String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT r.state, o.upn FROM resellers r JOIN operators o ON o.id = r.removed_by WHERE r.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), removed_by.as_str()),
        ("removed", common::OPERATOR)
    );
    let (action, target, after): (String, String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT action, target, after FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(action, "Partnership removed");
    assert!(target.starts_with(&name));
    assert!(
        after.contains(&format!("kept {} customers", impact.customers)),
        "{after}"
    );
    assert!(refusal(db.store.remove_partnership(id, now())).contains("already removed"));
}

#[test]
fn compliance_is_recorded_with_before_and_after() {
    let mut db = db();
    let id: i64 = db
        .store
        .conn()
        .query_row(
            "SELECT id FROM resellers WHERE name = 'Adatum IT Services'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    db.store
        .set_compliance(
            id,
            twotier::domain::compliance::Compliance::new(Some(false), Some(true)),
            Utc::now(),
        )
        .unwrap();
    let (before, after): (String, String) = db
        .store
        .conn()
        .query_row(
            "SELECT before, after FROM audit_log WHERE action = 'Compliance changed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(before, "MPA signed, POR valid");
    assert_eq!(after, "MPA not signed, POR valid");
    let audits = count(db.store.conn(), "SELECT count(*) FROM audit_log");
    db.store
        .set_compliance(
            id,
            twotier::domain::compliance::Compliance::new(Some(false), Some(true)),
            Utc::now(),
        )
        .unwrap();
    assert_eq!(
        count(db.store.conn(), "SELECT count(*) FROM audit_log"),
        audits,
        "no change, no entry"
    );
}

#[test]
fn the_ledger_lists_newest_first_and_searches_by_recipient() {
    use twotier::store::invitations::InvitationRow;
    use twotier::store::list::{Anchor, Filter, PageRequest, fetch_page};
    let mut db = db();
    send(&mut db, "zed@reseller.example");
    let page = fetch_page::<InvitationRow>(
        db.store.conn(),
        &PageRequest {
            filter: Filter::default(),
            anchor: Anchor::First,
            limit: 50,
        },
    )
    .unwrap();
    assert_eq!(page.rows[0].recipient, "zed@reseller.example");
    assert!(page.rows.windows(2).all(|w| w[0].sent_at >= w[1].sent_at));
    let found = fetch_page::<InvitationRow>(
        db.store.conn(),
        &PageRequest {
            filter: Filter {
                search: "ZED".into(),
                ..Filter::default()
            },
            anchor: Anchor::First,
            limit: 50,
        },
    )
    .unwrap();
    assert_eq!(found.rows.len(), 1);
}

/// The last audit entry: (action, target, after).
fn last_audit(db: &TestDb) -> (String, String, Option<String>) {
    db.store
        .conn()
        .query_row(
            "SELECT action, target, after FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

#[test]
fn a_draft_discarded_after_it_was_copied_is_recorded_as_discarded_with_an_audit_entry() {
    let mut db = db();
    let draft = db
        .store
        .prepare_invitation(&Email::parse("partners@contoso.example").unwrap())
        .unwrap();
    let id = db
        .store
        .record_discarded(&draft, Delivery::CopiedToClipboard, now())
        .unwrap();
    let row = db.store.invitation(id).unwrap();
    assert_eq!(row.status(now(), 30), InvitationStatus::Discarded);
    assert_eq!(row.delivery, Delivery::CopiedToClipboard);
    assert_eq!(row.token, draft.token);
    assert_eq!(row.link, draft.link);
    let (stored, delivery, discarded_at): (String, String, Option<String>) = db
        .store
        .conn()
        .query_row(
            "SELECT status, delivery, discarded_at FROM invitations WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (stored.as_str(), delivery.as_str()),
        ("discarded", "copied-to-clipboard")
    );
    assert!(discarded_at.is_some());
    assert_eq!(
        last_audit(&db),
        (
            "Partnership request discarded".to_owned(),
            "partners@contoso.example".to_owned(),
            Some("Discarded (Copied to clipboard)".to_owned())
        )
    );
    // Discarded does not expire: it stays Discarded.
    assert_eq!(
        row.status(now() + Duration::days(400), 30),
        InvitationStatus::Discarded
    );
}

#[test]
fn a_draft_that_never_left_is_not_recorded_when_discarded() {
    let mut db = db();
    let draft = db
        .store
        .prepare_invitation(&Email::parse("partners@contoso.example").unwrap())
        .unwrap();
    let before = snapshot(&db.store);
    assert!(
        refusal(db.store.record_discarded(&draft, Delivery::None, now()))
            .contains("never left twotier")
    );
    let bad = twotier::store::invitations::InvitationDraft {
        to: "a@b.example; c@d.example".into(),
        ..draft
    };
    assert!(
        refusal(
            db.store
                .record_discarded(&bad, Delivery::OpenedInEmail, now())
        )
        .contains("one email address")
    );
    assert_eq!(snapshot(&db.store), before);
}

#[test]
fn a_discarded_request_cant_be_accepted_or_revoked_but_can_be_sent_again() {
    let mut db = db();
    let draft = db
        .store
        .prepare_invitation(&Email::parse("x@reseller.example").unwrap())
        .unwrap();
    let id = db
        .store
        .record_discarded(&draft, Delivery::OpenedInEmail, now())
        .unwrap();
    let before = snapshot(&db.store);
    let why = refusal(db.store.accept_invitation(
        &draft.token,
        &acceptance("X Co", "7000001"),
        now(),
    ));
    assert!(
        why.contains("discarded") && why.contains("send it again"),
        "{why}"
    );
    assert!(refusal(db.store.revoke_invitation(id, now())).contains("Discarded"));
    assert_eq!(snapshot(&db.store), before, "refusals change nothing");
    // Sending it again (edited: another subject) makes it Sent, with the same link.
    let later = now() + Duration::hours(1);
    let edited = twotier::store::invitations::InvitationDraft {
        subject: "Our partnership".into(),
        ..draft.clone()
    };
    db.store
        .resend_edited(id, &edited, Delivery::CopiedToClipboard, later)
        .unwrap();
    let row = db.store.invitation(id).unwrap();
    assert_eq!(row.status(later, 30), InvitationStatus::Sent);
    assert_eq!(
        (row.token.as_str(), row.sent_at),
        (draft.token.as_str(), later)
    );
    let subject: String = db
        .store
        .conn()
        .query_row("SELECT subject FROM invitations WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(subject, "Our partnership");
    let (action, _, _) = last_audit(&db);
    assert_eq!(action, "Partnership request sent again");
    db.store
        .accept_invitation(&draft.token, &acceptance("X Co", "7000001"), later)
        .unwrap();
    // Another request's email can't be sent under this one's id.
    let other = db
        .store
        .prepare_invitation(&Email::parse("z@reseller.example").unwrap())
        .unwrap();
    let (id2, _) = send(&mut db, "w@reseller.example");
    assert!(
        refusal(db.store.resend_edited(id2, &other, Delivery::None, later))
            .contains("not this request's")
    );
}

/// Every row of a table as text, in id order, leaving out the named columns.
fn rows(conn: &Connection, table: &str, except: &[&str]) -> Vec<String> {
    let columns: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
        .into_iter()
        .filter(|c| !except.contains(&c.as_str()))
        .collect();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM {table} ORDER BY id",
            columns.join(", ")
        ))
        .unwrap();
    stmt.query_map([], |r| {
        Ok((0..columns.len())
            .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A book at schema version 2, made by the old migrations, holding a demo book's data (every
/// status: sent, accepted, revoked).
fn v2_book(dir: &std::path::Path, from: &TestDb) -> std::path::PathBuf {
    let path = dir.join("v2.db");
    let conn = Connection::open(&path).unwrap();
    // Tables are copied in any order; the copy is checked with foreign_key_check after migrating.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute_batch(include_str!("../src/store/migrations/0001_init.sql"))
        .unwrap();
    conn.execute_batch(include_str!("../src/store/migrations/0002_demo_marker.sql"))
        .unwrap();
    conn.pragma_update(None, "application_id", twotier::store::APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    conn.execute("ATTACH ?1 AS demo", [from.path.to_str().unwrap()])
        .unwrap();
    // A version 2 book knew no Unknown compliance (migration 4): the demo's unchecked resellers
    // go in as checked.
    conn.execute_batch(
        "UPDATE demo.resellers SET mpa_signed = coalesce(mpa_signed, 1), por_valid = coalesce(por_valid, 1)",
    )
    .unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM main.pragma_table_info('{table}')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let columns = columns.join(", ");
        conn.execute_batch(&format!(
            "INSERT INTO main.{table} ({columns}) SELECT {columns} FROM demo.{table}"
        ))
        .unwrap();
    }
    conn.execute_batch("DETACH demo").unwrap();
    path
}

#[test]
fn a_version_2_book_keeps_every_invitation_and_index_through_migration_3() {
    let mut source = db();
    let (id, _) = send(&mut source, "x@reseller.example");
    source.store.revoke_invitation(id, now()).unwrap();
    let (_, token) = send(&mut source, "y@reseller.example");
    source
        .store
        .accept_invitation(&token, &acceptance("Y Co", "7000002"), now())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = v2_book(dir.path(), &source);
    let (expected, statuses) = {
        let conn = Connection::open(&path).unwrap();
        let statuses: i64 = count(&conn, "SELECT count(DISTINCT status) FROM invitations");
        (rows(&conn, "invitations", &[]), statuses)
    };
    assert!(
        expected.len() >= 3 && statuses == 3,
        "the v2 book holds every status"
    );

    let (mut store, _) = Store::open(&path).unwrap();
    let conn = store.conn();
    assert_eq!(
        count(conn, "PRAGMA user_version"),
        twotier::store::SCHEMA_VERSION as i64
    );
    // Later steps add columns (discarded_at in 3; the expected partner's ids in 6).
    assert_eq!(
        rows(
            conn,
            "invitations",
            &["discarded_at", "partner_id", "tenant_id"]
        ),
        expected
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) FROM invitations WHERE discarded_at IS NOT NULL"
        ),
        0
    );
    for index in [
        "invitations_by_sent_at",
        "invitations_by_recipient",
        "sqlite_autoindex_invitations_1",
    ] {
        assert_eq!(
            count(
                conn,
                &format!(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '{index}' AND tbl_name = 'invitations'"
                )
            ),
            1,
            "index {index}"
        );
    }
    assert_eq!(
        count(conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // The new CHECK takes discarded and still refuses anything else.
    assert!(
        conn.execute(
            "UPDATE invitations SET status = 'bogus' WHERE id = (SELECT min(id) FROM invitations)",
            []
        )
        .is_err()
    );
    let operator = store.resolve_operator(common::OPERATOR).unwrap();
    store.act_as(operator);
    let draft = store
        .prepare_invitation(&Email::parse("z@reseller.example").unwrap())
        .unwrap();
    let id = store
        .record_discarded(&draft, Delivery::EmlDraft, now())
        .unwrap();
    assert_eq!(
        store.invitation(id).unwrap().status(now(), 30),
        InvitationStatus::Discarded
    );
}
