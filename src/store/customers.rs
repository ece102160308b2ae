//! New customers and their orders: the whole Add new customer order, and Add subscription, each
//! in one transaction. The temporary admin password is made here, after the checks and before
//! the commit, and only ever returned — it is never written to the database.

use chrono::{DateTime, Months, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{CommandError, CommandResult, Store, audit, db_time, refuse};
use crate::domain::compliance::Compliance;
use crate::domain::credentials::{Secret, generate_password};
use crate::domain::permission::Permission;
use crate::domain::text::cleaned;

/// An offer of the catalog, with the rules an order line must meet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Offer {
    pub id: String,
    pub name: String,
    pub family: String,
    pub tier: i64,
    pub category: String,
    pub billing_type: String,
    pub min_quantity: i64,
    pub max_quantity: i64,
    pub terms: Vec<String>,
    pub billing_cycles: Vec<String>,
    pub unit_price_cents: i64,
    #[serde(default)]
    pub is_trial: bool,
}

pub const OFFER_COLUMNS: &str =
    "id, name, family, tier, category, billing_type, min_quantity, max_quantity, terms,
    billing_cycles, unit_price_cents, is_trial";

pub fn offer_from_row(r: &Row<'_>) -> rusqlite::Result<Offer> {
    let list = |s: String| {
        s.split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    Ok(Offer {
        id: r.get(0)?,
        name: cleaned(crate::store::text(r, 1)?),
        family: cleaned(crate::store::text(r, 2)?),
        tier: r.get(3)?,
        category: cleaned(crate::store::text(r, 4)?),
        billing_type: r.get(5)?,
        min_quantity: r.get(6)?,
        max_quantity: r.get(7)?,
        terms: list(r.get(8)?),
        billing_cycles: list(r.get(9)?),
        unit_price_cents: r.get(10)?,
        is_trial: r.get(11)?,
    })
}

/// One line of an order: an offer, its licenses, term and billing cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub offer_id: String,
    pub quantity: i64,
    pub term: String,
    pub billing_cycle: String,
}

/// An order: its lines, the reseller credited as partner of record (none: a direct sale), and the
/// partner-of-record attestation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub lines: Vec<OrderLine>,
    pub partner_of_record: Option<i64>,
    pub attestation_accepted: bool,
}

/// Everything the Add new customer wizard collected, already checked by the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub company_name: String,
    pub domain_prefix: String,
    pub registration_number: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    pub culture: String,
    pub language: String,
    /// The indirect reseller the customer is associated with (delegated admin); none: direct.
    pub reseller_id: Option<i64>,
    pub mca_signer_name: String,
    pub mca_signer_email: String,
    pub mca_date_agreed: NaiveDate,
    pub order: NewOrder,
}

/// What the Confirmation page shows, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedCustomer {
    pub customer_id: i64,
    pub company_name: String,
    pub admin_user_name: String,
    pub password: Secret,
}

/// A billing cycle can't be longer than the term: a monthly term bills monthly; triennial
/// billing needs the three-year term.
pub fn cycle_fits(term: &str, cycle: &str) -> bool {
    match cycle {
        "monthly" => true,
        "annual" => term != "P1M",
        "triennial" => term == "P3Y",
        _ => false,
    }
}

/// Words for a subscription status.
pub fn status_label(status: &str) -> &str {
    match status {
        "active" => "Active",
        "suspended" => "Suspended",
        "deleted" => "Cancelled",
        "expired" => "Expired",
        "pending" => "Pending",
        "disabled" => "Disabled",
        other => other,
    }
}

/// The partner-of-record attestation text of Partner Center.
pub const POR_ATTESTATION: &str = "I confirm that my organization is acting as an Indirect Partner when choosing a Reseller \
     and as a Direct Partner in the absence of selecting a reseller";

/// Why a reseller can't be credited, in words; `None` when it can.
/// An unknown check is no refusal: the operator was told and chose to order anyway.
pub fn crediting_refusal(name: &str, state: &str, compliance: Compliance) -> Option<String> {
    use crate::domain::compliance::Check;
    if state != "active" {
        return Some(format!(
            "{name} is no longer an active indirect reseller: choose another reseller."
        ));
    }
    if compliance.mpa == Check::No {
        return Some(format!(
            "{name} has not signed the Microsoft Partner Agreement for its region (error 900123): orders can't credit it \
             until it does. Choose another reseller, or none."
        ));
    }
    if compliance.por == Check::No {
        return Some(format!(
            "{name}'s PartnerID is not valid as partner of record (error 900400): orders can't credit it. Choose \
             another reseller, or none."
        ));
    }
    None
}

fn random_guid() -> CommandResult<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| CommandError::Refused(format!("no OS randomness: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = |bytes: &[u8]| bytes.iter().map(|x| format!("{x:02x}")).collect::<String>();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        hex(&b[0..4]),
        hex(&b[4..6]),
        hex(&b[6..8]),
        hex(&b[8..10]),
        hex(&b[10..16])
    ))
}

fn os_random(buf: &mut [u8]) {
    // The OS source does not fail on the platforms we build for; if it ever did, a panic is
    // better than a weak password.
    getrandom::fill(buf).expect("the OS random source");
}

impl Store {
    /// The whole catalog, by family and tier.
    pub fn offers(&self) -> CommandResult<Vec<Offer>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {OFFER_COLUMNS} FROM offers ORDER BY family, tier, name"
        ))?;
        let offers = stmt
            .query_map([], offer_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(offers)
    }

    /// The full primary domain for a prefix (the suffix is the provider's, normally
    /// `.onmicrosoft.com`).
    pub fn full_domain(&self, prefix: &str) -> CommandResult<String> {
        let suffix: String =
            self.conn
                .query_row("SELECT domain_suffix FROM provider WHERE id = 1", [], |r| {
                    r.get(0)
                })?;
        Ok(format!("{}{suffix}", prefix.to_ascii_lowercase()))
    }

    /// True when a customer already has this domain.
    pub fn domain_taken(&self, prefix: &str) -> CommandResult<bool> {
        let domain = self.full_domain(prefix)?;
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE domain = ?1)",
            [domain],
            |r| r.get(0),
        )?)
    }

    /// Submit: customer, admin account record (its user name only), order, line items,
    /// subscriptions, reseller association and audit entry — all or nothing.
    pub fn create_customer(
        &mut self,
        c: &NewCustomer,
        at: DateTime<Utc>,
    ) -> CommandResult<CreatedCustomer> {
        self.create_customer_tx(c, at)
    }

    /// [`Store::create_customer`] through a shared store: in the caller's transaction if one is
    /// open (a rehearsal), else in its own.
    pub fn create_customer_tx(
        &self,
        c: &NewCustomer,
        at: DateTime<Utc>,
    ) -> CommandResult<CreatedCustomer> {
        let ids = GivenIds {
            tenant_id: random_guid()?,
            admin_user_name: None,
            order: None,
            note: None,
        };
        let (customer_id, admin_user_name) = self.insert_customer(c, &ids, at)?;
        // Made once the order is committed, and only returned: never stored.
        let password = generate_password(os_random);
        Ok(CreatedCustomer {
            customer_id,
            company_name: c.company_name.clone(),
            admin_user_name,
            password,
        })
    }

    /// The customer, its order and audit entry, with the ids `ids` gives (Partner Center's, for
    /// a connected book). Returns the customer's row id and its admin user name.
    pub(super) fn insert_customer(
        &self,
        c: &NewCustomer,
        ids: &GivenIds,
        at: DateTime<Utc>,
    ) -> CommandResult<(i64, String)> {
        let tenant = &ids.tenant_id;
        self.transact(|s| {
            s.require(Permission::AddCustomer)?;
            // The order step places an order: the same permission as every other order.
            if !c.order.lines.is_empty() {
                s.require(Permission::PlaceOrders)?;
            }
            let domain = s.full_domain(&c.domain_prefix)?;
            let admin_user_name = ids
                .admin_user_name
                .clone()
                .unwrap_or_else(|| format!("admin@{domain}"));
            let id = s.mutate(|tx, by| {
            if tx.query_row("SELECT EXISTS (SELECT 1 FROM customers WHERE domain = ?1)", [&domain], |r| r.get::<_, bool>(0))? {
                return refuse(format!("The domain {domain} is already taken: choose another domain prefix."));
            }
            if let Some(reseller) = c.reseller_id {
                let state: Option<String> =
                    tx.query_row("SELECT state FROM resellers WHERE id = ?1", [reseller], |r| r.get(0)).optional()?;
                if state.as_deref() != Some("active") {
                    return refuse("The indirect reseller chosen is no longer an active partner: choose another, or none.");
                }
            }
            tx.execute(
                "INSERT INTO customers (tenant_id, company_name, domain, registration_number, relationship, reseller_id,
                                        allow_delegated_access, first_name, last_name, email, phone, address_line1,
                                        address_line2, city, state, postal_code, country, culture, language,
                                        mca_signer_name, mca_signer_email, mca_date_agreed, admin_user_name, created_at,
                                        created_by)
                 VALUES (?1, ?2, ?3, ?4, 'reseller', ?5, 1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                         ?20, ?21, ?22, ?23)",
                params![
                    tenant,
                    c.company_name,
                    domain,
                    c.registration_number,
                    c.reseller_id,
                    c.first_name,
                    c.last_name,
                    c.email,
                    c.phone,
                    c.address_line1,
                    c.address_line2,
                    c.city,
                    c.state,
                    c.postal_code,
                    c.country,
                    c.culture,
                    c.language,
                    c.mca_signer_name,
                    c.mca_signer_email,
                    c.mca_date_agreed.format("%Y-%m-%d").to_string(),
                    admin_user_name,
                    db_time(at),
                    by.map(|o| o.id)
                ],
            )?;
            let customer_id = tx.last_insert_rowid();
            // A customer without an order is what a role that may add customers but not place
            // orders (User admin) makes; subscriptions are added later by one that may.
            let count = if c.order.lines.is_empty() {
                0
            } else {
                insert_order(tx, customer_id, &c.order, at, by.map(|o| o.id), ids.order.as_ref())?
            };
            let reseller = reseller_label(tx, c.reseller_id)?;
            audit(
                tx,
                at,
                by,
                "Customer created",
                &format!("{} ({domain})", c.company_name),
                None,
                Some(&format!("{reseller}; admin {admin_user_name}; {}{}", plural(count, "subscription"), noted(&ids.note))),
            )?;
            Ok(customer_id)
            })?;
            Ok((id, admin_user_name))
        })
    }

    /// Add subscription: a new order for an existing customer.
    pub fn add_subscriptions(
        &mut self,
        customer_id: i64,
        order: &NewOrder,
        at: DateTime<Utc>,
    ) -> CommandResult<usize> {
        self.add_subscriptions_with(customer_id, order, None, None, at)
    }

    /// [`Store::add_subscriptions`] through a shared store (a rehearsal).
    pub fn add_subscriptions_tx(
        &self,
        customer_id: i64,
        order: &NewOrder,
        at: DateTime<Utc>,
    ) -> CommandResult<usize> {
        self.add_subscriptions_with(customer_id, order, None, None, at)
    }

    /// [`Store::add_subscriptions`] with the order's ids given (Partner Center's) and a note for
    /// the activity log.
    pub(super) fn add_subscriptions_with(
        &self,
        customer_id: i64,
        order: &NewOrder,
        ids: Option<&GivenOrder>,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> CommandResult<usize> {
        let note = note.map(str::to_owned);
        self.transact(|s| {
            s.require(Permission::PlaceOrders)?;
            s.mutate(|tx, by| {
                let name: Option<String> = tx
                    .query_row(
                        "SELECT company_name FROM customers WHERE id = ?1",
                        [customer_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(name) = name else {
                    return refuse("That customer no longer exists.");
                };
                let count = insert_order(tx, customer_id, order, at, by.map(|o| o.id), ids)?;
                let credited = reseller_label(tx, order.partner_of_record)?;
                audit(
                    tx,
                    at,
                    by,
                    "Subscriptions added",
                    &name,
                    None,
                    Some(&format!(
                        "{}; {credited}{}",
                        plural(count, "subscription"),
                        noted(&note)
                    )),
                )?;
                Ok(count)
            })
        })
    }
}

fn reseller_label(tx: &Connection, reseller: Option<i64>) -> rusqlite::Result<String> {
    Ok(match reseller {
        Some(id) => {
            let (name, partner): (String, String) = tx.query_row(
                "SELECT name, partner_id FROM resellers WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            format!("reseller {name} ({partner})")
        }
        None => "direct (no reseller)".to_owned(),
    })
}

/// Checks the order against the catalog and the partner of record, then writes the order, its
/// line items and one subscription per line. Returns the number of subscriptions.
fn insert_order(
    tx: &Connection,
    customer_id: i64,
    order: &NewOrder,
    at: DateTime<Utc>,
    by: Option<i64>,
    ids: Option<&GivenOrder>,
) -> CommandResult<usize> {
    if order.lines.is_empty() {
        return refuse("Select at least one subscription.");
    }
    let partner_id: Option<String> = match order.partner_of_record {
        Some(id) => {
            let found: Option<(String, String, String, Compliance)> = tx
                .query_row(
                    "SELECT name, partner_id, state, mpa_signed, por_valid FROM resellers WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, Compliance::new(r.get(3)?, r.get(4)?))),
                )
                .optional()?;
            let Some((name, partner_id, state, compliance)) = found else {
                return refuse("The reseller chosen as partner of record no longer exists.");
            };
            if let Some(why) = crediting_refusal(&cleaned(name), &state, compliance) {
                return refuse(why);
            }
            if !order.attestation_accepted {
                return refuse(format!(
                    "Accept the partner-of-record attestation: \"{POR_ATTESTATION}\"."
                ));
            }
            Some(partner_id)
        }
        None => None,
    };
    let mut lines = Vec::with_capacity(order.lines.len());
    for line in &order.lines {
        let offer = tx
            .query_row(
                &format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = ?1"),
                [&line.offer_id],
                offer_from_row,
            )
            .optional()?;
        let Some(offer) = offer else {
            return refuse(format!(
                "The offer {} is not in the catalog.",
                line.offer_id
            ));
        };
        if !(offer.min_quantity..=offer.max_quantity).contains(&line.quantity) {
            return refuse(format!(
                "{}: {} licenses is outside the allowed {}–{} (error 900275).",
                offer.name, line.quantity, offer.min_quantity, offer.max_quantity
            ));
        }
        if !offer.terms.contains(&line.term) || !offer.billing_cycles.contains(&line.billing_cycle)
        {
            return refuse(format!(
                "{}: the term or billing cycle chosen is not offered.",
                offer.name
            ));
        }
        lines.push((offer, line));
    }
    tx.execute(
        "INSERT INTO orders (order_id, customer_id, status, por_attestation_accepted, created_at, created_by)
         VALUES (?1, ?2, 'completed', ?3, ?4, ?5)",
        params![
            match ids {
                Some(ids) => ids.order_id.clone(),
                None => random_guid()?,
            },
            customer_id,
            order.attestation_accepted,
            db_time(at),
            by
        ],
    )?;
    let order_id = tx.last_insert_rowid();
    let mut subscription = tx.prepare_cached(
        "INSERT INTO subscriptions (subscription_id, customer_id, offer_id, order_id, quantity, status, auto_renew, term,
                                    billing_cycle, created_at, term_started_at, commitment_end_date, reseller_id)
         VALUES (?1, ?2, ?3, ?4, ?5, 'active', 1, ?6, ?7, ?8, ?8, ?9, ?10)",
    )?;
    let mut item = tx.prepare_cached(
        "INSERT INTO order_line_items (order_id, line_item_number, offer_id, quantity, term, billing_cycle,
                                       partner_id_on_record, subscription_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (number, (offer, line)) in lines.iter().enumerate() {
        let months = match line.term.as_str() {
            "P1M" => 1,
            "P1Y" => 12,
            _ => 36,
        };
        let end = (at + Months::new(months))
            .date_naive()
            .pred_opt()
            .unwrap_or(at.date_naive());
        let given = ids.and_then(|ids| ids.subscription_ids.get(number).cloned().flatten());
        subscription.execute(params![
            match given {
                Some(id) => id,
                None => random_guid()?,
            },
            customer_id,
            offer.id,
            order_id,
            line.quantity,
            line.term,
            line.billing_cycle,
            db_time(at),
            end.format("%Y-%m-%d").to_string(),
            order.partner_of_record
        ])?;
        let subscription_id = tx.last_insert_rowid();
        item.execute(params![
            order_id,
            number as i64,
            offer.id,
            line.quantity,
            line.term,
            line.billing_cycle,
            partner_id,
            subscription_id
        ])?;
    }
    Ok(lines.len())
}

/// The ids a write takes from elsewhere (Partner Center's answer) instead of making its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenIds {
    pub tenant_id: String,
    /// The admin's user name as Partner Center made it; `None`: admin@DOMAIN.
    pub admin_user_name: Option<String>,
    pub order: Option<GivenOrder>,
    /// Added to the activity log entry (such as the correlation ids of the calls).
    pub note: Option<String>,
}

/// An order's id and, line by line, the subscription id it made (`None`: one of our own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenOrder {
    pub order_id: String,
    pub subscription_ids: Vec<Option<String>>,
}

fn noted(note: &Option<String>) -> String {
    note.as_deref()
        .map(|n| format!("; {n}"))
        .unwrap_or_default()
}

/// "1 subscription", "2 subscriptions".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
