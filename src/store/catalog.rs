//! The offer catalog shipped in `assets/offers.toml`, and writing it into a new book (the demo's
//! and `twotier init`'s).

use anyhow::Context;
use rusqlite::{Connection, params};
use serde::Deserialize;

use super::customers::Offer;

const OFFERS_TOML: &str = include_str!("../../assets/offers.toml");

/// One offer of `assets/offers.toml`: the offer, and the higher offers it can move to.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogOffer {
    #[serde(flatten)]
    pub offer: Offer,
    #[serde(default)]
    pub upgrades_to: Vec<String>,
}

impl std::ops::Deref for CatalogOffer {
    type Target = Offer;
    fn deref(&self) -> &Offer {
        &self.offer
    }
}

#[derive(Deserialize)]
struct Catalog {
    offer: Vec<CatalogOffer>,
}

/// The embedded offer catalog.
pub fn catalog() -> anyhow::Result<Vec<CatalogOffer>> {
    Ok(toml::from_str::<Catalog>(OFFERS_TOML)
        .context("assets/offers.toml")?
        .offer)
}

/// Writes the offer catalog and its upgrade paths, inside the caller's transaction (the demo's
/// and `twotier init`'s books).
pub(crate) fn insert_catalog(tx: &Connection, offers: &[CatalogOffer]) -> rusqlite::Result<()> {
    let mut offer = tx.prepare_cached(
        "INSERT INTO offers (id, name, family, tier, category, billing_type, min_quantity, max_quantity,
                             terms, billing_cycles, unit_price_cents, is_trial)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for o in offers {
        offer.execute(params![
            o.id,
            o.name,
            o.family,
            o.tier,
            o.category,
            o.billing_type,
            o.min_quantity,
            o.max_quantity,
            o.terms.join(","),
            o.billing_cycles.join(","),
            o.unit_price_cents,
            o.is_trial
        ])?;
    }
    let mut upgrade =
        tx.prepare_cached("INSERT INTO offer_upgrades (from_offer, to_offer) VALUES (?1, ?2)")?;
    for o in offers {
        for to in &o.upgrades_to {
            upgrade.execute(params![o.id, to])?;
        }
    }
    Ok(())
}
