//! Demo data: the provider, its catalog, resellers, customers and subscriptions, generated
//! deterministically from a seed and a date, and written in one transaction.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, params};
use serde::Deserialize;

use super::catalog::{CatalogOffer, catalog, insert_catalog};
use super::provider::{self, ProviderProfile};
use super::{Store, audit, db_time, operators};
use crate::domain::role::Role;

const DEMO_TOML: &str = include_str!("../../assets/demo.toml");

/// How big a demo database to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoParams {
    pub resellers: u32,
    pub customers: u32,
    pub subscriptions: u32,
    pub seed: u64,
    /// Dates are laid out relative to this day, so the same seed and day give the same data.
    pub as_of: NaiveDate,
}

impl DemoParams {
    /// The embedded default database: about 12 resellers and 60 customers.
    pub fn default_for(as_of: NaiveDate) -> Self {
        DemoParams {
            resellers: 12,
            customers: 60,
            subscriptions: 150,
            seed: 42,
            as_of,
        }
    }
}

#[derive(Deserialize)]
struct DemoFile {
    provider: ProviderProfile,
    operator: Vec<DemoOperator>,
    reseller: Vec<DemoReseller>,
    words: Words,
}

#[derive(Deserialize)]
struct DemoOperator {
    upn: String,
    display_name: String,
    role: Role,
}

#[derive(Deserialize)]
struct DemoReseller {
    name: String,
    partner_id: String,
    location: String,
    email: String,
    #[serde(default = "yes")]
    mpa_signed: bool,
    #[serde(default = "yes")]
    por_valid: bool,
    #[serde(default)]
    unchecked: bool,
    #[serde(default)]
    removed: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct Words {
    company_first: Vec<String>,
    company_second: Vec<String>,
    company_suffix: Vec<String>,
    reseller_first: Vec<String>,
    reseller_second: Vec<String>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    streets: Vec<String>,
    city: Vec<CountryCities>,
}

#[derive(Deserialize)]
struct CountryCities {
    country: String,
    culture: String,
    language: String,
    cities: Vec<[String; 3]>,
}

/// Fills an empty database with demo data, in one transaction. `first_operator` (the person
/// running twotier) becomes a Global admin beside the demo operators.
pub fn seed(store: &Store, params: &DemoParams, first_operator: &str) -> anyhow::Result<()> {
    let demo: DemoFile = toml::from_str(DEMO_TOML).context("assets/demo.toml")?;
    let offers = catalog()?;
    Ok(
        store
            .mutate(|tx, _| Ok(Generator::new(tx, params, &demo, &offers).run(first_operator)?))?,
    )
}

struct Generator<'a> {
    tx: &'a Connection,
    params: &'a DemoParams,
    demo: &'a DemoFile,
    offers: &'a [CatalogOffer],
    rng: ChaCha8Rng,
    start: DateTime<Utc>,
}

/// A reseller as generated, for assigning customers.
struct SeededReseller {
    id: i64,
    partner_id: String,
    active: bool,
}

impl<'a> Generator<'a> {
    fn new(
        tx: &'a Connection,
        params: &'a DemoParams,
        demo: &'a DemoFile,
        offers: &'a [CatalogOffer],
    ) -> Self {
        let start = params
            .as_of
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        Generator {
            tx,
            params,
            demo,
            offers,
            rng: ChaCha8Rng::seed_from_u64(params.seed),
            start,
        }
    }

    fn days_ago(&self, days: u64) -> DateTime<Utc> {
        self.start - Days::new(days)
    }

    /// A version-4 GUID from the seeded generator (RFC 9562 layout: version and variant bits set).
    fn guid(&mut self) -> String {
        let mut b: [u8; 16] = self.rng.random();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        hex_guid(&b)
    }

    /// A version-7 GUID (time-ordered): `n` is the millisecond part, so ids made in sequence
    /// sort in sequence and a million of them go into the unique index at its end, not at
    /// random places.
    fn guid_v7(&mut self, n: u64) -> String {
        let mut b: [u8; 16] = self.rng.random();
        let ms = (self.start.timestamp_millis() as u64).wrapping_add(n);
        b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
        b[6] = (b[6] & 0x0f) | 0x70;
        b[8] = (b[8] & 0x3f) | 0x80;
        hex_guid(&b)
    }
}

/// The text form of a GUID's 16 bytes. Two million of these for a large demo: no formatting
/// machinery per byte.
fn hex_guid(b: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 15) as usize] as char);
    }
    out
}

impl<'a> Generator<'a> {
    fn run(mut self, first_operator: &str) -> rusqlite::Result<()> {
        let tx = self.tx;
        provider::insert(
            tx,
            &ProviderProfile {
                is_demo: true,
                ..self.demo.provider.clone()
            },
        )?;
        self.insert_catalog()?;
        let created = self.days_ago(400);
        let mut admin = None;
        for op in &self.demo.operator {
            let id = operators::insert(tx, created, None, &op.upn, &op.display_name, op.role)?;
            if admin.is_none() && op.role == Role::GlobalAdmin {
                admin = Some(id);
            }
        }
        if !self
            .demo
            .operator
            .iter()
            .any(|o| o.upn.eq_ignore_ascii_case(first_operator))
        {
            operators::insert(
                tx,
                created,
                None,
                first_operator,
                first_operator,
                Role::GlobalAdmin,
            )?;
        }
        let resellers = self.insert_resellers()?;
        self.insert_invitations(&resellers, admin)?;
        self.insert_customers(&resellers, admin)?;
        audit(
            tx,
            self.start,
            None,
            "Demo data created",
            &format!("seed {}", self.params.seed),
            None,
            Some(&format!(
                "{} resellers, {} customers, {} subscriptions",
                self.params.resellers, self.params.customers, self.params.subscriptions
            )),
        )?;
        Ok(())
    }

    fn insert_catalog(&self) -> rusqlite::Result<()> {
        insert_catalog(self.tx, self.offers)
    }

    fn insert_resellers(&mut self) -> rusqlite::Result<Vec<SeededReseller>> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO resellers (tenant_id, name, partner_id, location, email, state, mpa_signed, por_valid,
                                    established_at, removed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut out = Vec::with_capacity(self.params.resellers as usize);
        let mut names = HashSet::new();
        for i in 0..self.params.resellers as usize {
            let (name, partner_id, location, email, mpa, por, removed) =
                match self.demo.reseller.get(i) {
                    Some(r) => (
                        r.name.clone(),
                        r.partner_id.clone(),
                        r.location.clone(),
                        r.email.clone(),
                        Some(r.mpa_signed).filter(|_| !r.unchecked),
                        Some(r.por_valid).filter(|_| !r.unchecked),
                        r.removed,
                    ),
                    None => {
                        let w = &self.demo.words;
                        let mut name = format!(
                            "{} {}",
                            w.reseller_first.choose(&mut self.rng).expect("words"),
                            w.reseller_second.choose(&mut self.rng).expect("words")
                        );
                        if names.contains(&name) {
                            name = format!("{name} {}", i);
                        }
                        let country = ["US", "US", "US", "CA", "MX"][self.rng.random_range(0..5)];
                        let slug: String = name
                            .chars()
                            .filter(char::is_ascii_alphanumeric)
                            .collect::<String>()
                            .to_lowercase();
                        let roll = self.rng.random_range(0..100);
                        (
                            name,
                            // 8 000 000 and up: never one of the named resellers' or the provider's IDs.
                            (8_000_000 + i).to_string(),
                            country.to_owned(),
                            format!("partners@{slug}.example"),
                            Some(roll >= 4),
                            Some(!(4..7).contains(&roll)),
                            (7..10).contains(&roll),
                        )
                    }
                };
            names.insert(name.clone());
            let established_days = self.rng.random_range(30..1500);
            let established = self.days_ago(established_days);
            let removed_days = self.rng.random_range(1..30);
            let removed_at = removed.then(|| db_time(self.days_ago(removed_days)));
            let tenant = self.guid();
            stmt.execute(params![
                tenant,
                name,
                partner_id,
                location,
                email,
                if removed { "removed" } else { "active" },
                mpa,
                por,
                db_time(established),
                removed_at
            ])?;
            out.push(SeededReseller {
                id: self.tx.last_insert_rowid(),
                partner_id,
                active: !removed,
            });
        }
        Ok(out)
    }

    /// A small ledger of partnership requests: accepted, pending, expired and revoked.
    fn insert_invitations(
        &mut self,
        resellers: &[SeededReseller],
        by: Option<i64>,
    ) -> rusqlite::Result<()> {
        let Some(by) = by else { return Ok(()) };
        let p = &self.demo.provider;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO invitations (token, recipient_email, subject, body, link, delivery, status, sent_by,
                                      sent_at, accepted_at, reseller_id, revoked_at, revoked_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let pending = [
            ("it@alpineridge.example", 3, "sent"),
            ("partners@cascade-networks.example", 12, "sent"),
            ("hello@summitmsp.example", 45, "sent"),
            ("ops@oldharbor.example", 20, "revoked"),
        ];
        let accepted = resellers
            .iter()
            .take(3)
            .map(|r| (r.id, r.partner_id.as_str()));
        let mut rows: Vec<(String, u64, &str, Option<i64>)> = pending
            .iter()
            .map(|(to, days, status)| (to.to_string(), *days, *status, None))
            .collect();
        for (i, (id, partner)) in accepted.enumerate() {
            rows.push((
                format!("partners+{partner}@reseller.example"),
                60 + 30 * i as u64,
                "accepted",
                Some(id),
            ));
        }
        for (to, days, status, reseller) in rows {
            let token: String = (0..32)
                .map(|_| char::from_digit(self.rng.random_range(0..36), 36).expect("digit"))
                .collect();
            let link = format!(
                "{}?partnerId={}&token={token}",
                p.invitation_base_url, p.tenant_id
            );
            let subject = format!("Partnership request from {}", p.company_name);
            let body = format!(
                "Hello,\n\n{} would like to partner with you.\n\n{link}\n",
                p.company_name
            );
            let sent = self.days_ago(days);
            stmt.execute(params![
                token,
                to,
                subject,
                body,
                link,
                "copied-to-clipboard",
                status,
                by,
                db_time(sent),
                (status == "accepted").then(|| db_time(sent + Days::new(2))),
                reseller,
                (status == "revoked").then(|| db_time(sent + Days::new(5))),
                (status == "revoked").then_some(by)
            ])?;
        }
        Ok(())
    }

    fn insert_customers(
        &mut self,
        resellers: &[SeededReseller],
        by: Option<i64>,
    ) -> rusqlite::Result<()> {
        let tx = self.tx;
        let mut customer = tx.prepare_cached(
            "INSERT INTO customers (tenant_id, company_name, domain, reseller_id, first_name, last_name, email, phone,
                                    address_line1, city, state, postal_code, country, culture, language,
                                    mca_signer_name, mca_signer_email, mca_date_agreed, admin_user_name,
                                    created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        )?;
        let mut order = tx.prepare_cached(
            "INSERT INTO orders (order_id, customer_id, status, por_attestation_accepted, created_at, created_by)
             VALUES (?1, ?2, 'completed', ?3, ?4, ?5)",
        )?;
        let mut subscription = tx.prepare_cached(
            "INSERT INTO subscriptions (subscription_id, customer_id, offer_id, order_id, quantity, status, auto_renew,
                                        term, billing_cycle, created_at, term_started_at, commitment_end_date,
                                        reseller_id, support_reseller_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        let mut line = tx.prepare_cached(
            "INSERT INTO order_line_items (order_id, line_item_number, offer_id, quantity, term, billing_cycle,
                                           partner_id_on_record, subscription_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let active: Vec<&SeededReseller> = resellers.iter().filter(|r| r.active).collect();
        let buyable: Vec<&CatalogOffer> = self.offers.iter().filter(|o| !o.is_trial).collect();
        let customers = self.params.customers as u64;
        let mut domains: HashMap<String, u32> = HashMap::new();
        // Orders and subscriptions get time-ordered ids, one tick apart.
        let mut sequence: u64 = 0;
        for i in 0..customers {
            let w = &self.demo.words;
            let first = w
                .company_first
                .choose(&mut self.rng)
                .expect("words")
                .clone();
            let second = w
                .company_second
                .choose(&mut self.rng)
                .expect("words")
                .clone();
            let suffix = w.company_suffix.choose(&mut self.rng).expect("words");
            let company = format!("{first} {second} {suffix}").trim_end().to_owned();
            let base: String = format!("{first}{second}")
                .to_lowercase()
                .chars()
                .take(20)
                .collect();
            // The second "alpinebakery" is alpinebakery2, and so on: one counter per name.
            let seen = domains.entry(base.clone()).or_insert(0u32);
            *seen += 1;
            let prefix = if *seen == 1 {
                base
            } else {
                format!("{base}{seen}")
            };
            let place = w.city.choose(&mut self.rng).expect("words");
            let [city, state, postal] = place.cities.choose(&mut self.rng).expect("words").clone();
            let given = w.first_names.choose(&mut self.rng).expect("words").clone();
            let family = w.last_names.choose(&mut self.rng).expect("words").clone();
            let email = format!(
                "{}.{}@{prefix}.example",
                ascii_slug(&given),
                ascii_slug(&family)
            );
            let street = format!(
                "{} {}",
                self.rng.random_range(1..9999),
                w.streets.choose(&mut self.rng).expect("words")
            );
            // One customer in ten is a direct customer of the provider.
            let reseller = (!active.is_empty() && self.rng.random_range(0..10) != 0)
                .then(|| active[self.rng.random_range(0..active.len())]);
            let age_days = self.rng.random_range(8..1000);
            let created = self.days_ago(age_days);
            let domain = format!("{prefix}.onmicrosoft.com");
            let tenant = self.guid();
            let phone = format!("+1 555 01{:02}", self.rng.random_range(0..100));
            customer.execute(params![
                tenant,
                company,
                domain,
                reseller.map(|r| r.id),
                given,
                family,
                email,
                phone,
                street,
                city,
                state,
                postal,
                place.country,
                place.culture,
                place.language,
                format!("{given} {family}"),
                email,
                db_time(created),
                format!("admin@{domain}"),
                db_time(created),
                by
            ])?;
            let customer_id = tx.last_insert_rowid();
            // Spread the subscriptions evenly: the first (subscriptions mod customers) get one more.
            let count = self.params.subscriptions as u64 / customers.max(1)
                + u64::from(i < self.params.subscriptions as u64 % customers.max(1));
            if count == 0 {
                continue;
            }
            let order_guid = self.guid_v7(sequence);
            sequence += 1;
            order.execute(params![
                order_guid,
                customer_id,
                reseller.is_some(),
                db_time(created),
                by
            ])?;
            let order_id = tx.last_insert_rowid();
            for n in 0..count {
                let offer = buyable[self.rng.random_range(0..buyable.len())];
                let quantity = if offer.max_quantity == offer.min_quantity {
                    offer.min_quantity
                } else {
                    let cap = offer.max_quantity.min(250);
                    offer.min_quantity
                        + (self.rng.random_range(0..(cap - offer.min_quantity + 1))
                            * self.rng.random_range(1..=4)
                            / 4)
                };
                let term = offer.terms.choose(&mut self.rng).expect("terms").clone();
                let fitting: Vec<&String> = offer
                    .billing_cycles
                    .iter()
                    .filter(|c| super::customers::cycle_fits(&term, c))
                    .collect();
                let cycle = fitting
                    .choose(&mut self.rng)
                    .map_or_else(|| "monthly".to_owned(), |c| (*c).clone());
                let months = match term.as_str() {
                    "P1M" => 1,
                    "P1Y" => 12,
                    _ => 36,
                };
                // The current term started at purchase or at the latest renewal before `as_of`.
                let mut term_start = created;
                while term_start + Months::new(months) <= self.start {
                    term_start = term_start + Months::new(months);
                }
                let end = term_start + Months::new(months) - Days::new(1);
                let roll = self.rng.random_range(0..100);
                let status = match roll {
                    0..=84 => "active",
                    85..=92 => "suspended",
                    93..=96 => "expired",
                    _ => "pending",
                };
                let support = reseller
                    .filter(|_| self.rng.random_range(0..3) == 0)
                    .map(|r| r.id);
                let sub_guid = self.guid_v7(sequence);
                sequence += 1;
                subscription.execute(params![
                    sub_guid,
                    customer_id,
                    offer.id,
                    order_id,
                    quantity,
                    status,
                    status == "active",
                    term,
                    cycle,
                    db_time(created),
                    db_time(term_start),
                    end.format("%Y-%m-%d").to_string(),
                    reseller.map(|r| r.id),
                    support
                ])?;
                let sub_id = tx.last_insert_rowid();
                line.execute(params![
                    order_id,
                    n as i64,
                    offer.id,
                    quantity,
                    term,
                    cycle,
                    reseller.map(|r| r.partner_id.as_str()),
                    sub_id
                ])?;
            }
        }
        Ok(())
    }
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' => Some('a'),
            'é' | 'è' => Some('e'),
            'í' => Some('i'),
            'ó' => Some('o'),
            'ú' | 'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
