//! Finding what a row refers to: a reseller by PartnerID or name, a customer by Microsoft ID,
//! domain or name, an offer by ID or name. Each is an index lookup; resellers and offers are few
//! and do not change during a customers or subscriptions import, so their answers are kept.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use rusqlite::types::Value;

use super::rows::{Row, quoted};
use crate::domain::ids::{PartnerId, TenantId};
use crate::store::customers::{OFFER_COLUMNS, Offer, offer_from_row};

/// Resellers as rows name them, remembered for the rest of the import.
#[derive(Default)]
pub struct Resellers {
    by_partner_id: HashMap<String, Option<i64>>,
    by_name: HashMap<String, Result<i64, String>>,
}

impl Resellers {
    /// The reseller a row names in its PartnerID column `id_column` or its name column
    /// `name_column` (`name`: the name as the caller reads it), as the value to store; when it
    /// names none that exists, the problem is said on the column that named it and `None` given.
    pub fn named_in(
        &mut self,
        tx: &Connection,
        row: &mut Row<'_>,
        id_column: usize,
        name_column: usize,
        name: Option<&str>,
    ) -> rusqlite::Result<Option<Value>> {
        let partner_id = row.given(id_column);
        Ok(match self.find(tx, partner_id, name)? {
            Ok(id) => Some(id.map_or(Value::Null, Value::Integer)),
            Err(why) => {
                row.problem(
                    if partner_id.is_some() {
                        id_column
                    } else {
                        name_column
                    },
                    why,
                );
                None
            }
        })
    }

    /// The reseller a row names: by its PartnerID when the file gives one, else by its name
    /// (the one reseller, active or removed, with that name). `Ok(None)`: no reseller (empty).
    pub fn find(
        &mut self,
        tx: &Connection,
        partner_id: Option<&str>,
        name: Option<&str>,
    ) -> rusqlite::Result<Result<Option<i64>, String>> {
        if let Some(text) = partner_id {
            let id = match PartnerId::parse(text) {
                Ok(id) => id,
                Err(why) => return Ok(Err(why)),
            };
            let found = match self.by_partner_id.get(id.as_str()) {
                Some(found) => *found,
                None => {
                    let found = tx
                        .prepare_cached(
                            "SELECT id FROM resellers WHERE partner_id = ?1
                             ORDER BY state = 'active' DESC, id DESC LIMIT 1",
                        )?
                        .query_row([id.as_str()], |r| r.get(0))
                        .optional()?;
                    self.by_partner_id.insert(id.as_str().to_owned(), found);
                    found
                }
            };
            return Ok(found.map(Some).ok_or_else(|| {
                format!("no reseller has PartnerID {id} (in the book or earlier in the file); import the resellers first.")
            }));
        }
        let Some(name) = name else {
            return Ok(Ok(None));
        };
        let key = name.to_lowercase();
        if let Some(found) = self.by_name.get(&key) {
            return Ok(found.clone().map(Some));
        }
        let ids: Vec<i64> = tx
            .prepare_cached("SELECT id FROM resellers WHERE name = ?1 ORDER BY id LIMIT 2")?
            .query_map([name], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let found = match ids.as_slice() {
            [id] => Ok(*id),
            [] => Err(format!(
                "no reseller is named {} (in the book or earlier in the file); import the resellers first.",
                quoted(name)
            )),
            _ => Err(format!(
                "more than one reseller is named {}: add a PartnerID column to say which.",
                quoted(name)
            )),
        };
        self.by_name.insert(key, found.clone());
        Ok(found.map(Some))
    }
}

/// The customer a row names: a Microsoft ID, a primary domain, or a company name that only one
/// customer has. The last one found is kept: a file lists a customer's subscriptions together.
#[derive(Default)]
pub struct Customers {
    last: Option<(String, i64)>,
}

impl Customers {
    pub fn find(&mut self, tx: &Connection, key: &str) -> rusqlite::Result<Result<i64, String>> {
        if let Some((last, id)) = &self.last
            && last == key
        {
            return Ok(Ok(*id));
        }
        let found = if let Ok(tenant) = TenantId::parse(key) {
            tx.prepare_cached("SELECT id FROM customers WHERE tenant_id = ?1")?
                .query_row([tenant.as_str()], |r| r.get(0))
                .optional()?
                .ok_or_else(|| {
                    format!("no customer has the Microsoft ID {tenant} (in the book or earlier in the file); import the customers first.")
                })
        } else {
            let ids: Vec<i64> = tx
                .prepare_cached(
                    "SELECT id FROM customers WHERE domain = ?1
                     UNION ALL SELECT id FROM (SELECT id FROM customers WHERE company_name = ?1 ORDER BY id LIMIT 2)
                     LIMIT 2",
                )?
                .query_map([key], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            match ids.as_slice() {
                [id] => Ok(*id),
                [] => Err(format!(
                    "no customer has the name or primary domain {} (in the book or earlier in the file); import the customers first.",
                    quoted(key)
                )),
                _ => Err(format!(
                    "more than one customer goes by {}: give the customer's Microsoft ID instead.",
                    quoted(key)
                )),
            }
        };
        if let Ok(id) = found {
            self.last = Some((key.to_owned(), id));
        }
        Ok(found)
    }
}

/// The offer catalog of the book, by ID and by name (case-insensitive).
pub struct Offers {
    offers: Vec<Offer>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Offers {
    pub fn load(tx: &Connection) -> rusqlite::Result<Offers> {
        let offers: Vec<Offer> = tx
            .prepare(&format!("SELECT {OFFER_COLUMNS} FROM offers ORDER BY id"))?
            .query_map([], offer_from_row)?
            .collect::<Result<_, _>>()?;
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, o) in offers.iter().enumerate() {
            by_id.insert(o.id.to_ascii_uppercase(), i);
            by_name.entry(o.name.to_lowercase()).or_default().push(i);
        }
        Ok(Offers {
            offers,
            by_id,
            by_name,
        })
    }

    /// The offer by its ID, else by its name.
    pub fn find(&self, id: Option<&str>, name: Option<&str>) -> Result<&Offer, String> {
        if let Some(id) = id {
            return self
                .by_id
                .get(&id.to_ascii_uppercase())
                .map(|&i| &self.offers[i])
                .ok_or_else(|| format!("the offer {} is not in the catalog.", quoted(id)));
        }
        let name = name.unwrap_or("");
        match self.by_name.get(&name.to_lowercase()).map(Vec::as_slice) {
            Some([i]) => Ok(&self.offers[*i]),
            Some(_) => Err(format!(
                "more than one offer is named {}: add an Offer ID column.",
                quoted(name)
            )),
            None => Err(format!(
                "no offer of the catalog is named {}.",
                quoted(name)
            )),
        }
    }
}
