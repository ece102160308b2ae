//! The permission matrix, enforced in the store: every (role, action) pair run as that role's demo
//! operator, against the matrix in force — the default, and one overridden as a config file would.
//! A refusal says which permission and which roles, and changes nothing in the database.

mod common;

use std::collections::BTreeMap;

use common::orders::{E3, PREMIUM, line, new_customer, reseller_named};
use common::{OPERATOR, TestDb, now};
use rusqlite::Connection;
use rusqlite::types::Value;
use twotier::domain::ids::{Country, Email, PartnerId};
use twotier::domain::invitation::Delivery;
use twotier::domain::permission::{Matrix, Permission};
use twotier::domain::role::Role;
use twotier::store::customers::NewOrder;
use twotier::store::invitations::Acceptance;
use twotier::store::operators::OperatorError;
use twotier::store::subscriptions::SubscriptionChanges;
use twotier::store::{CommandError, Settings};

const DOMAIN: &str = "northwind-distribution.example";

/// The demo operator of each role.
fn upn_of(role: Role) -> String {
    let name = match role {
        Role::GlobalAdmin => "ava.global",
        Role::UserAdmin => "ben.users",
        Role::AdminAgent => "chloe.agent",
        Role::SalesAgent => "dev.sales",
        Role::BillingAdmin => "eva.billing",
        Role::HelpdeskAgent => "finn.helpdesk",
    };
    format!("{name}@{DOMAIN}")
}

/// The demo's sent (pending) invitation, 3 days old.
const PENDING: &str = "it@alpineridge.example";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Every row of every table, as text: equal before and after means nothing changed.
fn dump(conn: &Connection) -> String {
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    let mut out = String::new();
    for table in tables {
        out.push_str(&format!("== {table}\n"));
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", row.get::<_, Value>(i).unwrap()))
                .collect();
            out.push_str(&cells.join("|"));
            out.push('\n');
        }
    }
    out
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn id_of(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn refusal<T: std::fmt::Debug>(r: Result<T, CommandError>) -> String {
    match r {
        Err(CommandError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The reason a refusal must give, written out here (not by `Matrix::refusal`): the permission's
/// label, every role the matrix allows (in the order of `Role::ALL`), and the operator's role.
fn expected_reason(matrix: &Matrix, role: Role, permission: Permission) -> String {
    let allowed: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|r| matrix.allows(*r, permission))
        .map(Role::label)
        .collect();
    let needed = match allowed.len() {
        0 => "a role no one has".to_owned(),
        1 => allowed[0].to_owned(),
        n => format!("{} or {}", allowed[..n - 1].join(", "), allowed[n - 1]),
    };
    format!(
        "{} needs {needed} (you are {}).",
        permission.label(),
        role.label()
    )
}

fn small_demo() -> TestDb {
    TestDb::demo(12, 30, 60)
}

/// Acts as the demo operator of `role`.
fn act_as_role(db: &mut TestDb, role: Role) {
    let op = db.store.resolve_operator(&upn_of(role)).unwrap();
    assert_eq!(
        op.role, role,
        "the demo operator {} has the wrong role",
        op.upn
    );
    db.store.act_as(op);
}

/// Acts as the test's own operator (a Global admin) to prepare data.
fn act_as_tester(db: &mut TestDb) {
    let op = db.operator();
    db.store.act_as(op);
}

// ---------------------------------------------------------------------------------------------
// The actions
// ---------------------------------------------------------------------------------------------

/// Every store command the matrix governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    PrepareInvitation,
    RecordInvitation,
    ResendInvitation,
    RevokeInvitation,
    AcceptInvitation,
    RemovePartnership,
    SetCompliance,
    CreateCustomer,
    CreateCustomerWithOrder,
    AddSubscriptions,
    ChangeQuantity,
    ChangeReseller,
    ChangeSupportContact,
    AddOperator,
    DisableOperator,
    SetOperatorRole,
    AllResellers,
    AllInvitations,
}

const ACTS: [Act; 18] = [
    Act::PrepareInvitation,
    Act::RecordInvitation,
    Act::ResendInvitation,
    Act::RevokeInvitation,
    Act::AcceptInvitation,
    Act::RemovePartnership,
    Act::SetCompliance,
    Act::CreateCustomer,
    Act::CreateCustomerWithOrder,
    Act::AddSubscriptions,
    Act::ChangeQuantity,
    Act::ChangeReseller,
    Act::ChangeSupportContact,
    Act::AddOperator,
    Act::DisableOperator,
    Act::SetOperatorRole,
    Act::AllResellers,
    Act::AllInvitations,
];

impl Act {
    /// The permissions the action needs, checked in this order (the brief's table, written out
    /// by hand): a new customer with an order is also an order.
    fn permissions(self) -> &'static [Permission] {
        match self {
            Act::CreateCustomerWithOrder => &[Permission::AddCustomer, Permission::PlaceOrders],
            other => std::slice::from_ref(other.permission()),
        }
    }

    fn permission(self) -> &'static Permission {
        match self {
            Act::PrepareInvitation
            | Act::RecordInvitation
            | Act::ResendInvitation
            | Act::RevokeInvitation
            | Act::AcceptInvitation => &Permission::ManagePartnerships,
            Act::RemovePartnership => &Permission::RemovePartnership,
            Act::SetCompliance => &Permission::EditCompliance,
            Act::CreateCustomer | Act::CreateCustomerWithOrder => &Permission::AddCustomer,
            Act::AddSubscriptions | Act::ChangeQuantity => &Permission::PlaceOrders,
            Act::ChangeReseller => &Permission::ChangeReseller,
            Act::ChangeSupportContact => &Permission::SetSupportContact,
            Act::AddOperator | Act::DisableOperator | Act::SetOperatorRole => {
                &Permission::ManageUsers
            }
            Act::AllResellers | Act::AllInvitations => &Permission::ViewResellers,
        }
    }

    /// Writes to the database when allowed (reads and drafting an email don't).
    fn mutates(self) -> bool {
        !matches!(
            self,
            Act::PrepareInvitation | Act::AllResellers | Act::AllInvitations
        )
    }
}

/// What an action needs, made beforehand by the test's own Global admin.
struct Fixture {
    draft: twotier::store::invitations::InvitationDraft,
    pending_id: i64,
    pending_token: String,
    adatum: i64,
    blue_yonder: i64,
    customer: i64,
    subscription: i64,
}

fn fixture(db: &mut TestDb) -> Fixture {
    act_as_tester(db);
    let draft = db
        .store
        .prepare_invitation(&Email::parse("partners@new-reseller.example").unwrap())
        .unwrap();
    let conn = db.store.conn();
    let pending_id = id_of(
        conn,
        &format!("SELECT id FROM invitations WHERE recipient_email = '{PENDING}'"),
    );
    let pending_token: String = conn
        .query_row(
            "SELECT token FROM invitations WHERE id = ?1",
            [pending_id],
            |r| r.get(0),
        )
        .unwrap();
    let adatum = reseller_named(conn, "Adatum IT Services");
    let blue_yonder = reseller_named(conn, "Blue Yonder Solutions");
    let customer = id_of(conn, "SELECT id FROM customers ORDER BY id LIMIT 1");
    // A fresh subscription (direct, no support contact, active, auto-renew on) to change.
    db.store
        .add_subscriptions(
            customer,
            &NewOrder {
                lines: vec![line(PREMIUM, 10)],
                partner_of_record: None,
                attestation_accepted: false,
            },
            now(),
        )
        .unwrap();
    let subscription = id_of(db.store.conn(), "SELECT max(id) FROM subscriptions");
    Fixture {
        draft,
        pending_id,
        pending_token,
        adatum,
        blue_yonder,
        customer,
        subscription,
    }
}

fn changes_of(db: &TestDb, id: i64) -> SubscriptionChanges {
    let d = db.store.subscription_detail(id).unwrap();
    SubscriptionChanges {
        quantity: d.quantity,
        status: d.status,
        auto_renew: d.auto_renew,
        reseller_id: d.reseller.map(|r| r.id),
        support_reseller_id: d.support_contact.map(|r| r.id),
        offer_id: d.offer.id,
    }
}

/// Runs the action as whoever the store acts as now.
fn run(db: &mut TestDb, f: &Fixture, act: Act) -> Result<(), CommandError> {
    let at = now();
    let store = &mut db.store;
    match act {
        Act::PrepareInvitation => store
            .prepare_invitation(&Email::parse("someone@else.example").unwrap())
            .map(drop),
        Act::RecordInvitation => store
            .record_invitation(&f.draft, Delivery::CopiedToClipboard, at)
            .map(drop),
        Act::ResendInvitation => store.resend_invitation(f.pending_id, Delivery::EmlDraft, at),
        Act::RevokeInvitation => store.revoke_invitation(f.pending_id, at),
        Act::AcceptInvitation => store
            .accept_invitation(
                &f.pending_token,
                &Acceptance {
                    name: "X Co".into(),
                    partner_id: PartnerId::parse("7000001").unwrap(),
                    country: Country::parse("US").unwrap(),
                    tenant_id: None,
                },
                at,
            )
            .map(drop),
        Act::RemovePartnership => store.remove_partnership(f.adatum, at).map(drop),
        Act::SetCompliance => store.set_compliance(
            f.adatum,
            twotier::domain::compliance::Compliance::new(Some(false), Some(true)),
            at,
        ),
        Act::CreateCustomer => {
            // The account alone: what add-customer allows without place-orders.
            let mut c = new_customer(store.conn());
            c.order.lines.clear();
            store.create_customer(&c, at).map(drop)
        }
        Act::CreateCustomerWithOrder => {
            let c = new_customer(store.conn());
            store.create_customer(&c, at).map(drop)
        }
        Act::AddSubscriptions => store
            .add_subscriptions(
                f.customer,
                &NewOrder {
                    lines: vec![line(E3, 3)],
                    partner_of_record: None,
                    attestation_accepted: false,
                },
                at,
            )
            .map(drop),
        Act::ChangeQuantity => {
            let mut c = changes_of(db, f.subscription);
            c.quantity += 1;
            db.store
                .update_subscription(f.subscription, &c, at)
                .map(drop)
        }
        Act::ChangeReseller => {
            let mut c = changes_of(db, f.subscription);
            assert_eq!(c.reseller_id, None);
            c.reseller_id = Some(f.blue_yonder);
            db.store
                .update_subscription(f.subscription, &c, at)
                .map(drop)
        }
        Act::ChangeSupportContact => {
            let mut c = changes_of(db, f.subscription);
            assert_eq!(c.support_reseller_id, None);
            c.support_reseller_id = Some(f.blue_yonder);
            db.store
                .update_subscription(f.subscription, &c, at)
                .map(drop)
        }
        Act::AddOperator => store
            .add_operator(
                &format!("new.user@{DOMAIN}"),
                "New User",
                Role::SalesAgent,
                at,
            )
            .map(drop),
        Act::DisableOperator => store.set_operator_disabled(&upn_of(Role::SalesAgent), true, at),
        Act::SetOperatorRole => {
            store.set_operator_role(&upn_of(Role::SalesAgent), Role::AdminAgent, at)
        }
        Act::AllResellers => store.all_resellers(true).map(drop),
        Act::AllInvitations => store.all_invitations().map(drop),
    }
}

/// Checks that an allowed action really did what it says.
fn assert_done(db: &TestDb, f: &Fixture, act: Act, upn: &str) {
    let conn = db.store.conn();
    let q = |sql: &str| count(conn, sql);
    match act {
        Act::RecordInvitation => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM invitations WHERE token = '{}'",
                f.draft.token
            )),
            1
        ),
        Act::ResendInvitation => assert_eq!(
            q(&format!(
                "SELECT resent_count FROM invitations WHERE id = {}",
                f.pending_id
            )),
            1
        ),
        Act::RevokeInvitation => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM invitations WHERE id = {} AND status = 'revoked'",
                f.pending_id
            )),
            1
        ),
        Act::AcceptInvitation => assert_eq!(
            q("SELECT count(*) FROM resellers WHERE partner_id = '7000001' AND state = 'active'"),
            1
        ),
        Act::RemovePartnership => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM resellers WHERE id = {} AND state = 'removed'",
                f.adatum
            )),
            1
        ),
        Act::SetCompliance => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM resellers WHERE id = {} AND mpa_signed = 0",
                f.adatum
            )),
            1
        ),
        Act::CreateCustomer | Act::CreateCustomerWithOrder => assert_eq!(
            q("SELECT count(*) FROM customers WHERE company_name = 'Fabrikam Robotics'"),
            1
        ),
        Act::AddSubscriptions => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM subscriptions WHERE customer_id = {} AND offer_id = '{E3}' AND quantity = 3",
                f.customer
            )),
            1
        ),
        Act::ChangeQuantity => assert_eq!(
            q(&format!(
                "SELECT quantity FROM subscriptions WHERE id = {}",
                f.subscription
            )),
            11
        ),
        Act::ChangeReseller => assert_eq!(
            q(&format!(
                "SELECT reseller_id FROM subscriptions WHERE id = {}",
                f.subscription
            )),
            f.blue_yonder
        ),
        Act::ChangeSupportContact => assert_eq!(
            q(&format!(
                "SELECT support_reseller_id FROM subscriptions WHERE id = {}",
                f.subscription
            )),
            f.blue_yonder
        ),
        Act::AddOperator => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM operators WHERE upn = 'new.user@{DOMAIN}' AND role = 'sales-agent'"
            )),
            1
        ),
        Act::DisableOperator => assert_eq!(
            q(&format!(
                "SELECT disabled FROM operators WHERE upn = '{}'",
                upn_of(Role::SalesAgent)
            )),
            1
        ),
        Act::SetOperatorRole => assert_eq!(
            q(&format!(
                "SELECT count(*) FROM operators WHERE upn = '{}' AND role = 'admin-agent'",
                upn_of(Role::SalesAgent)
            )),
            1
        ),
        Act::PrepareInvitation | Act::AllResellers | Act::AllInvitations => {}
    }
    if act.mutates() {
        let last: String = conn
            .query_row(
                "SELECT operator FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            last, upn,
            "{act:?}: the activity log names the wrong operator"
        );
    }
}

/// Runs one (role, action) pair on a fresh demo database with `matrix` in force. `Ok` if it was
/// allowed (and did its work), `Err(reason)` if it was refused (and changed nothing).
fn outcome(matrix: &Matrix, role: Role, act: Act) -> Result<(), String> {
    let mut db = small_demo();
    let f = fixture(&mut db);
    db.store.configure(Settings {
        matrix: matrix.clone(),
        ..Default::default()
    });
    act_as_role(&mut db, role);
    let before = dump(db.store.conn());
    match run(&mut db, &f, act) {
        Ok(()) => {
            assert_done(&db, &f, act, &upn_of(role));
            if act.mutates() {
                assert_ne!(
                    dump(db.store.conn()),
                    before,
                    "{role:?} {act:?} succeeded but changed nothing"
                );
            }
            Ok(())
        }
        Err(CommandError::Refused(why)) => {
            assert_eq!(
                dump(db.store.conn()),
                before,
                "{role:?} {act:?} was refused ({why}) but the database changed"
            );
            Err(why)
        }
        Err(e) => panic!("{role:?} {act:?}: the database failed: {e}"),
    }
}

/// Every (role, action) pair against `matrix`: allowed exactly where the matrix allows, refused
/// with the matrix's reason everywhere else.
fn check_table(matrix: &Matrix) {
    let mut failures = Vec::new();
    for role in Role::ALL {
        for act in ACTS {
            let permissions = act.permissions();
            let refused = permissions.iter().find(|p| !matrix.allows(role, **p));
            let permission = *refused.unwrap_or(&permissions[0]);
            let result = outcome(matrix, role, act);
            match (refused.is_none(), result) {
                (true, Ok(())) => {}
                (true, Err(why)) => failures.push(format!(
                    "{role:?} {act:?}: refused ({why}), the matrix allows it"
                )),
                (false, Ok(())) => failures.push(format!(
                    "{role:?} {act:?}: allowed, the matrix refuses {permission:?}"
                )),
                (false, Err(why)) => {
                    let want = expected_reason(matrix, role, permission);
                    if why != want {
                        failures.push(format!(
                            "{role:?} {act:?}: refused with {why:?}, expected {want:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} pairs are wrong:\n{}",
        failures.len(),
        Role::ALL.len() * ACTS.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

#[test]
fn every_action_covers_every_permission() {
    for permission in Permission::ALL {
        assert!(
            ACTS.iter().any(|a| a.permissions().contains(&permission)),
            "no action of the table needs {permission:?}"
        );
    }
}

#[test]
fn every_role_and_action_follows_the_default_matrix() {
    check_table(&Matrix::default());
}

/// Facts of §8.7 written out, so a broken default matrix can't pass with the table.
#[test]
fn hand_checked_facts_of_the_default_matrix() {
    let m = Matrix::default();
    assert_eq!(
        outcome(&m, Role::SalesAgent, Act::ChangeSupportContact),
        Err(
            "Designated support contact needs Global admin, Admin agent or Helpdesk agent (you are Sales agent)."
                .to_owned()
        )
    );
    let why = outcome(&m, Role::BillingAdmin, Act::AllResellers).unwrap_err();
    assert!(
        why.starts_with("Indirect resellers needs") && why.ends_with("(you are Billing admin)."),
        "{why}"
    );
    assert!(outcome(&m, Role::BillingAdmin, Act::AllInvitations).is_err());
    assert_eq!(
        outcome(&m, Role::HelpdeskAgent, Act::ChangeSupportContact),
        Ok(())
    );
    assert_eq!(outcome(&m, Role::UserAdmin, Act::AddOperator), Ok(()));
    assert_eq!(outcome(&m, Role::UserAdmin, Act::SetOperatorRole), Ok(()));
    let why = outcome(&m, Role::UserAdmin, Act::AddSubscriptions).unwrap_err();
    assert!(
        why.starts_with("Placing orders and managing subscriptions needs")
            && why.contains("Global admin")
            && !why.contains("User admin,")
            && why.ends_with("(you are User admin)."),
        "{why}"
    );
    assert!(outcome(&m, Role::UserAdmin, Act::ChangeQuantity).is_err());
    assert_eq!(outcome(&m, Role::AdminAgent, Act::SetCompliance), Ok(()));
    // And the matrix itself says the same.
    assert!(!m.allows(Role::SalesAgent, Permission::SetSupportContact));
    assert!(!m.allows(Role::BillingAdmin, Permission::ViewResellers));
    assert!(m.allows(Role::HelpdeskAgent, Permission::SetSupportContact));
    assert!(m.allows(Role::UserAdmin, Permission::ManageUsers));
    assert!(!m.allows(Role::UserAdmin, Permission::PlaceOrders));
    assert!(m.allows(Role::AdminAgent, Permission::EditCompliance));
    for permission in Permission::ALL {
        assert!(
            m.allows(Role::GlobalAdmin, permission),
            "Global admin lacks {permission:?}"
        );
    }
}

/// A config file's `[roles]` table changes what the store allows, row by row.
#[test]
fn overrides_change_what_the_store_allows() {
    let mut o = BTreeMap::new();
    o.insert(
        "set-support-contact".to_owned(),
        vec!["sales-agent".to_owned()],
    );
    o.insert(
        "view-resellers".to_owned(),
        vec!["billing-admin".to_owned(), "helpdesk-agent".to_owned()],
    );
    o.insert(
        "manage-users".to_owned(),
        vec!["global-admin".to_owned(), "helpdesk-agent".to_owned()],
    );
    o.insert("place-orders".to_owned(), vec![]);
    let m = Matrix::with_overrides(&o).unwrap();
    // By hand first: the override, not the default, decides.
    assert_eq!(
        outcome(&m, Role::SalesAgent, Act::ChangeSupportContact),
        Ok(())
    );
    assert_eq!(
        outcome(&m, Role::GlobalAdmin, Act::ChangeSupportContact),
        Err("Designated support contact needs Sales agent (you are Global admin).".to_owned())
    );
    assert_eq!(outcome(&m, Role::BillingAdmin, Act::AllResellers), Ok(()));
    assert_eq!(
        outcome(&m, Role::GlobalAdmin, Act::AllInvitations),
        Err(
            "Indirect resellers needs Billing admin or Helpdesk agent (you are Global admin)."
                .to_owned()
        )
    );
    assert_eq!(outcome(&m, Role::HelpdeskAgent, Act::AddOperator), Ok(()));
    assert!(outcome(&m, Role::UserAdmin, Act::AddOperator).is_err());
    assert_eq!(
        outcome(&m, Role::GlobalAdmin, Act::AddSubscriptions),
        Err(
            "Placing orders and managing subscriptions needs a role no one has (you are Global admin)."
                .to_owned()
        )
    );
    // Rows not overridden keep their defaults.
    assert_eq!(outcome(&m, Role::AdminAgent, Act::SetCompliance), Ok(()));
    // And the whole table follows the overridden matrix.
    check_table(&m);
}

// ---------------------------------------------------------------------------------------------
// Users: who may change whom
// ---------------------------------------------------------------------------------------------

fn operator_row(conn: &Connection, upn: &str) -> (String, bool) {
    conn.query_row(
        "SELECT role, disabled FROM operators WHERE upn = ?1",
        [upn],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn a_user_admin_cannot_touch_a_global_admin() {
    let mut db = small_demo();
    act_as_role(&mut db, Role::UserAdmin);
    let ava = upn_of(Role::GlobalAdmin);
    let before = dump(db.store.conn());
    let why =
        refusal(
            db.store
                .add_operator(&format!("boss@{DOMAIN}"), "Boss", Role::GlobalAdmin, now()),
        );
    assert!(
        why.contains("Only a Global admin") && why.contains("(you are User admin)"),
        "{why}"
    );
    let why = refusal(db.store.set_operator_disabled(&ava, true, now()));
    assert!(why.contains("Only a Global admin"), "{why}");
    let why = refusal(db.store.set_operator_role(&ava, Role::SalesAgent, now()));
    assert!(why.contains("Only a Global admin"), "{why}");
    // Nor make someone a Global admin.
    let why = refusal(db.store.set_operator_role(
        &upn_of(Role::SalesAgent),
        Role::GlobalAdmin,
        now(),
    ));
    assert!(why.contains("Only a Global admin"), "{why}");
    assert_eq!(
        dump(db.store.conn()),
        before,
        "a refused user change wrote something"
    );
    // Other operators are theirs to manage.
    let chloe = upn_of(Role::AdminAgent);
    db.store.set_operator_disabled(&chloe, true, now()).unwrap();
    db.store
        .set_operator_disabled(&chloe, false, now())
        .unwrap();
    db.store
        .set_operator_role(&chloe, Role::BillingAdmin, now())
        .unwrap();
    assert_eq!(
        operator_row(db.store.conn(), &chloe),
        ("billing-admin".to_owned(), false)
    );
}

#[test]
fn a_global_admin_can_add_disable_and_change_a_global_admin() {
    let mut db = small_demo();
    act_as_role(&mut db, Role::GlobalAdmin);
    let boss = format!("boss@{DOMAIN}");
    db.store
        .add_operator(&boss, "Boss", Role::GlobalAdmin, now())
        .unwrap();
    assert_eq!(
        operator_row(db.store.conn(), &boss),
        ("global-admin".to_owned(), false)
    );
    db.store.set_operator_disabled(&boss, true, now()).unwrap();
    assert_eq!(
        operator_row(db.store.conn(), &boss),
        ("global-admin".to_owned(), true)
    );
    db.store.set_operator_disabled(&boss, false, now()).unwrap();
    db.store
        .set_operator_role(&boss, Role::HelpdeskAgent, now())
        .unwrap();
    assert_eq!(
        operator_row(db.store.conn(), &boss),
        ("helpdesk-agent".to_owned(), false)
    );
    // The test's own operator is a Global admin too.
    db.store
        .set_operator_role(OPERATOR, Role::AdminAgent, now())
        .unwrap();
    assert_eq!(operator_row(db.store.conn(), OPERATOR).0, "admin-agent");
    // Each change is in the activity log under the acting operator.
    let logged = count(
        db.store.conn(),
        &format!(
            "SELECT count(*) FROM audit_log WHERE operator = '{}' AND action IN
             ('Operator added', 'Operator disabled', 'Operator enabled', 'Role changed')",
            upn_of(Role::GlobalAdmin)
        ),
    );
    assert_eq!(logged, 5);
}

#[test]
fn the_last_active_global_admin_can_be_neither_disabled_nor_demoted() {
    let mut db = small_demo();
    let ava = upn_of(Role::GlobalAdmin);
    // The demo's Global admins: Ava and the test's own operator.
    assert_eq!(
        count(
            db.store.conn(),
            "SELECT count(*) FROM operators WHERE role = 'global-admin' AND disabled = 0"
        ),
        2
    );
    act_as_role(&mut db, Role::GlobalAdmin);
    // Ava can't disable herself, whoever else there is.
    let why = refusal(db.store.set_operator_disabled(&ava, true, now()));
    assert!(why.contains("can't disable yourself"), "{why}");
    // Ava disables the other Global admin: she is the last active one now.
    db.store
        .set_operator_disabled(OPERATOR, true, now())
        .unwrap();
    let before = dump(db.store.conn());
    // Ava is the last active Global admin, and no one changes their own role.
    let why = refusal(db.store.set_operator_role(&ava, Role::AdminAgent, now()));
    assert!(why.contains("your own role"), "{why}");
    let why = refusal(db.store.set_operator_disabled(&ava, true, now()));
    assert!(why.contains("can't disable yourself"), "{why}");
    assert_eq!(dump(db.store.conn()), before);
    // No one else may touch a Global admin, so the disabling rule is reached without an acting
    // operator (as when a demo database is built): it still holds.
    let (mut bare, _) = twotier::store::Store::open(&db.path).unwrap();
    let why = refusal(bare.set_operator_disabled(&ava, true, now()));
    assert_eq!(
        why,
        format!("{ava} is the last active Global admin: it can't be disabled.")
    );
    let why = refusal(bare.set_operator_role(&ava, Role::UserAdmin, now()));
    assert!(why.contains("last active Global admin"), "{why}");
    drop(bare);
    assert_eq!(dump(db.store.conn()), before);
    assert_eq!(
        operator_row(db.store.conn(), &ava),
        ("global-admin".to_owned(), false)
    );
    // With a second active Global admin again, that one may demote Ava.
    db.store
        .set_operator_disabled(OPERATOR, false, now())
        .unwrap();
    act_as_tester(&mut db);
    db.store
        .set_operator_role(&ava, Role::AdminAgent, now())
        .unwrap();
    assert_eq!(operator_row(db.store.conn(), &ava).0, "admin-agent");
}

/// The store checks the operator as the database has them now, not as they were when the
/// session began: a Global admin who demotes herself is a Sales agent from then on, and an
/// operator disabled by someone else can't go on changing things in an open session.
#[test]
fn a_role_change_or_disabling_applies_to_an_open_session() {
    let mut db = small_demo();
    let mut problems = Vec::new();
    // Ava has a session open; the tester (a Global admin) demotes her from another one.
    act_as_role(&mut db, Role::GlobalAdmin);
    let ava = upn_of(Role::GlobalAdmin);
    let (mut other, _) = twotier::store::Store::open(&db.path).unwrap();
    other.act_as(other.resolve_operator(OPERATOR).unwrap());
    other
        .set_operator_role(&ava, Role::SalesAgent, now())
        .unwrap();
    drop(other);
    let before = dump(db.store.conn());
    match db
        .store
        .add_operator(&format!("boss@{DOMAIN}"), "Boss", Role::GlobalAdmin, now())
    {
        Err(CommandError::Refused(_)) => {}
        other => problems.push(format!(
            "Ava, now a Sales agent, could still add a Global admin in the same session: {other:?}"
        )),
    }
    if dump(db.store.conn()) != before {
        problems.push("… and the operator was added".to_owned());
    }
    // Ben (User admin) has a session open; the tester disables him from another one.
    let mut db = small_demo();
    act_as_role(&mut db, Role::UserAdmin);
    let (mut other, _) = twotier::store::Store::open(&db.path).unwrap();
    other.act_as(other.resolve_operator(OPERATOR).unwrap());
    other
        .set_operator_disabled(&upn_of(Role::UserAdmin), true, now())
        .unwrap();
    drop(other);
    let before = dump(db.store.conn());
    match db.store.add_operator(&format!("friend@{DOMAIN}"), "Friend", Role::UserAdmin, now()) {
        Err(CommandError::Refused(_)) => {}
        other => problems.push(format!(
            "Ben, disabled by a Global admin, could still add an operator in his open session: {other:?}"
        )),
    }
    if dump(db.store.conn()) != before {
        problems.push("… and the operator was added".to_owned());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_disabled_global_admin_does_not_count_as_active() {
    // Two Global admins, one of them disabled: the active one is still the last.
    let mut db = small_demo();
    act_as_tester(&mut db);
    let ava = upn_of(Role::GlobalAdmin);
    db.store.set_operator_disabled(&ava, true, now()).unwrap();
    // From a session with no acting operator (the only way to reach the rule: no one changes
    // their own role), the tester is the last active Global admin.
    let (mut system, _) = twotier::store::Store::open(&db.path).unwrap();
    let why = refusal(system.set_operator_role(OPERATOR, Role::UserAdmin, now()));
    assert!(why.contains("last active Global admin"), "{why}");
    drop(system);
    // Demoting the disabled one is fine: it is not active.
    db.store
        .set_operator_role(&ava, Role::SalesAgent, now())
        .unwrap();
}

#[test]
fn an_unknown_upn_is_refused_by_name() {
    let mut db = small_demo();
    act_as_role(&mut db, Role::GlobalAdmin);
    let before = dump(db.store.conn());
    let ghost = "ghost@nowhere.example";
    for why in [
        refusal(db.store.set_operator_disabled(ghost, true, now())),
        refusal(db.store.set_operator_disabled(ghost, false, now())),
        refusal(db.store.set_operator_role(ghost, Role::SalesAgent, now())),
    ] {
        assert!(why.contains(ghost), "{why}");
    }
    // Adding an operator that exists is refused by name too.
    let why =
        refusal(
            db.store
                .add_operator(&upn_of(Role::SalesAgent), "", Role::SalesAgent, now()),
        );
    assert!(why.contains(&upn_of(Role::SalesAgent)), "{why}");
    assert_eq!(dump(db.store.conn()), before);
}

#[test]
fn resolve_operator_says_how_to_add_one_or_that_it_is_disabled() {
    let mut db = small_demo();
    match db.store.resolve_operator("nobody@x.example") {
        Err(e @ OperatorError::Unknown { .. }) => {
            let text = e.to_string();
            assert!(text.contains("nobody@x.example"), "{text}");
            assert!(text.contains("users add"), "{text}");
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    act_as_role(&mut db, Role::GlobalAdmin);
    let dev = upn_of(Role::SalesAgent);
    db.store.set_operator_disabled(&dev, true, now()).unwrap();
    match db.store.resolve_operator(&dev) {
        Err(e @ OperatorError::Disabled(_)) => {
            let text = e.to_string();
            assert!(text.contains(&dev) && text.contains("disabled"), "{text}");
        }
        other => panic!("expected Disabled, got {other:?}"),
    }
    db.store.set_operator_disabled(&dev, false, now()).unwrap();
    assert_eq!(
        db.store.resolve_operator(&dev).unwrap().role,
        Role::SalesAgent
    );
}
