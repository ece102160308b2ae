//! Partner Center's resources mapped with the domain rules into what the store places: a row
//! that breaks a rule the schema can take is kept and flagged; one it can't take is held aside
//! with the JSON as received.

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::domain::ids::{self, Country, PartnerId, TenantId};
use crate::partner_center::model::{Customer, PartnerRelationship, Subscription};
use crate::store::sync::{Held, Pulled, PulledCustomer, PulledReseller};
use crate::store::sync_subscriptions::PulledSubscription;

/// A reseller: its tenant ID, PartnerID and country must be valid to be placed (the schema
/// checks them); otherwise it is held, with the rule it breaks.
pub fn map_reseller(r: &PartnerRelationship) -> Pulled<PulledReseller> {
    let name = r.name.clone().unwrap_or_default();
    let held = |problem: String| {
        Pulled::Held(Held {
            kind: "reseller".into(),
            remote_id: r.id.clone(),
            name: if name.trim().is_empty() {
                r.id.clone()
            } else {
                name.clone()
            },
            problem,
            payload: serde_json::json!({
                "id": r.id, "name": r.name, "mpnId": r.mpn_id, "location": r.location,
                "state": r.state, "relationshipType": r.relationship_type,
            })
            .to_string(),
        })
    };
    let tenant = match TenantId::parse(&r.id) {
        Ok(t) => t,
        Err(e) => return held(format!("its id is not a tenant ID: {e}")),
    };
    let partner_id = match PartnerId::parse(r.mpn_id.as_deref().unwrap_or("")) {
        Ok(p) => p,
        Err(e) => return held(format!("its mpnId is not a PartnerID: {e}")),
    };
    let location = match Country::parse(r.location.as_deref().unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return held(format!("its location is not a country: {e}")),
    };
    let name = match ids::company_name(&name) {
        Ok(n) => n,
        Err(e) => return held(format!("its name breaks a rule: {e}")),
    };
    Pulled::Row(PulledReseller {
        tenant_id: tenant.as_str().to_owned(),
        name,
        partner_id: partner_id.as_str().to_owned(),
        location: location.as_str().to_owned(),
    })
}

/// A customer: without a tenant ID or a domain it can't be placed (held); a name or domain
/// that breaks a rule, or a relationship twotier doesn't know, is kept and flagged.
pub fn map_customer(c: &Customer) -> Pulled<PulledCustomer> {
    let profile = c.company_profile.as_ref();
    let raw_tenant = profile
        .and_then(|p| p.tenant_id.clone())
        .unwrap_or_else(|| c.id.clone());
    let raw_name = profile
        .and_then(|p| p.company_name.clone())
        .unwrap_or_default();
    let raw_domain = profile.and_then(|p| p.domain.clone()).unwrap_or_default();
    let held = |problem: String| {
        Pulled::Held(Held {
            kind: "customer".into(),
            remote_id: c.id.clone(),
            name: if raw_name.trim().is_empty() {
                c.id.clone()
            } else {
                raw_name.clone()
            },
            problem,
            payload: serde_json::json!({
                "id": c.id,
                "companyProfile": profile.map(|p| serde_json::json!({
                    "tenantId": p.tenant_id, "domain": p.domain, "companyName": p.company_name,
                })),
                "relationshipToPartner": c.relationship_to_partner,
                "associatedPartnerId": c.associated_partner_id,
            })
            .to_string(),
        })
    };
    let tenant = match TenantId::parse(&raw_tenant) {
        Ok(t) => t,
        Err(e) => return held(format!("its tenantId is not a tenant ID: {e}")),
    };
    let domain = raw_domain.trim().to_ascii_lowercase();
    if domain.is_empty() {
        return held("it has no domain".into());
    }
    let mut problems = Vec::new();
    if !ids::is_domain_name(&domain) {
        problems.push(format!("its domain {domain:?} is not a domain name"));
    }
    let name = match ids::company_name(&raw_name) {
        Ok(n) => n,
        Err(e) => {
            problems.push(format!("its company name breaks a rule: {e}"));
            if raw_name.trim().is_empty() {
                domain.clone()
            } else {
                raw_name.trim().to_owned()
            }
        }
    };
    let relationship = match c
        .relationship_to_partner
        .as_deref()
        .map(str::to_ascii_lowercase)
    {
        None => "reseller".to_owned(),
        Some(r) if ["none", "reseller", "advisor"].contains(&r.as_str()) => r,
        Some(other) => {
            problems.push(format!(
                "its relationshipToPartner {other:?} is not none, reseller or advisor"
            ));
            "none".to_owned()
        }
    };
    let reseller_tenant_id = c
        .associated_partner_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase);
    Pulled::Row(PulledCustomer {
        tenant_id: tenant.as_str().to_owned(),
        company_name: name,
        domain,
        relationship,
        reseller_tenant_id,
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
    })
}

/// The statuses the book keeps (Partner Center's "none" is not one: such a row is held).
const STATUSES: [&str; 6] = [
    "pending",
    "active",
    "suspended",
    "expired",
    "disabled",
    "deleted",
];

/// A subscription of the customer with tenant ID `tenant`. Held when the book can't take it
/// (no ID, a status or quantity the schema refuses, no dates); flagged for a term or PartnerID
/// that isn't one or a friendly name that breaks the text rules. The offer, its limits and the
/// partner of record are checked by the store against the catalog and the resellers.
pub fn map_subscription(tenant: &str, s: &Subscription) -> Pulled<PulledSubscription> {
    let payload = serde_json::to_string(s).unwrap_or_default();
    let offer_name = s.offer_name.clone().unwrap_or_default();
    let held = |problem: String| {
        Pulled::Held(Held {
            kind: "subscription".into(),
            remote_id: format!(
                "{}/{}",
                tenant.to_ascii_lowercase(),
                s.id.trim().to_ascii_lowercase()
            ),
            name: if offer_name.trim().is_empty() {
                s.id.clone()
            } else {
                offer_name.clone()
            },
            problem,
            payload: payload.clone(),
        })
    };
    if s.id.trim().is_empty() {
        return held("it has no subscription ID".into());
    }
    let status = s
        .status
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !STATUSES.contains(&status.as_str()) {
        return held(format!(
            "its status {status:?} is not one of {}",
            STATUSES.join(", ")
        ));
    }
    let quantity = match s.quantity {
        Some(q) if q >= 1 => q,
        other => {
            return held(format!(
                "its quantity {} is not at least 1 license",
                other.map_or("(none)".to_owned(), |q| q.to_string())
            ));
        }
    };
    let Some(created) = s
        .creation_date
        .as_deref()
        .and_then(time)
        .or_else(|| s.effective_start_date.as_deref().and_then(time))
    else {
        return held("it has no creationDate or effectiveStartDate".into());
    };
    let Some(end) = s.commitment_end_date.as_deref().and_then(date) else {
        return held("it has no commitmentEndDate".into());
    };
    let mut problems = Vec::new();
    let term = match s.term_duration.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) if ["P1M", "P1Y", "P3Y"].contains(&t.to_ascii_uppercase().as_str()) => {
            Some(t.to_ascii_uppercase())
        }
        Some(other) => {
            problems.push(format!("its termDuration {other:?} is not P1M, P1Y or P3Y"));
            None
        }
    };
    let billing_cycle = s
        .billing_cycle
        .as_deref()
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "none" && c != "unknown");
    let partner_id = match s.partner_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => match PartnerId::parse(p) {
            Ok(p) => Some(p.as_str().to_owned()),
            Err(e) => {
                problems.push(format!("its partnerId is not a PartnerID: {e}"));
                None
            }
        },
    };
    let friendly_name = match s.friendly_name.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => match crate::domain::customer::text_line(name, "friendly name", 100, false) {
            Ok(n) => Some(n),
            Err(e) => {
                problems.push(format!("its friendly name breaks a rule: {e}"));
                None
            }
        },
    };
    let effective = s
        .effective_start_date
        .as_deref()
        .and_then(time)
        .unwrap_or(created);
    Pulled::Row(PulledSubscription {
        subscription_id: s.id.trim().to_owned(),
        offer_id: s.offer_id.clone().unwrap_or_default(),
        offer_name,
        friendly_name,
        quantity,
        status,
        auto_renew: s.auto_renew_enabled.unwrap_or(false),
        term_started_at: term_start(term.as_deref(), end, effective),
        term,
        billing_cycle,
        created_at: created,
        commitment_end_date: end.format("%Y-%m-%d").to_string(),
        partner_id,
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
        payload,
    })
}

/// The start of the current term: the day after the commitment end, one term back (a renewed
/// subscription's term started at its last renewal, not at its purchase), never before the
/// subscription's own start.
fn term_start(term: Option<&str>, end: NaiveDate, effective: DateTime<Utc>) -> DateTime<Utc> {
    let months = match term {
        Some("P1M") => 1,
        Some("P1Y") => 12,
        Some("P3Y") => 36,
        _ => return effective,
    };
    end.succ_opt()
        .and_then(|d| d.checked_sub_months(Months::new(months)))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .filter(|t| *t > effective)
        .unwrap_or(effective)
}

/// A UTC date-time as Partner Center writes it (some of the docs' examples have stray spaces).
fn time(text: &str) -> Option<DateTime<Utc>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    DateTime::parse_from_rfc3339(&compact)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| {
            date(&compact)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

fn date(text: &str) -> Option<NaiveDate> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    NaiveDate::parse_from_str(compact.get(..10)?, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documented() -> Subscription {
        // The first example of get-all-of-a-customer-s-subscriptions.md, stray spaces and all.
        serde_json::from_value(serde_json::json!({
            "id": "83ef9d05-4169-4ef9-9657-0e86b1eab1de",
            "friendlyName": "nickname",
            "quantity": 1,
            "creationDate": "2015-11-25T06: 41: 12Z",
            "effectiveStartDate": "2015-11-24T08: 00: 00Z",
            "commitmentEndDate": "2016-12-12T08: 00: 00Z",
            "status": "active",
            "autoRenewEnabled": false,
            "billingType": "none",
        }))
        .unwrap()
    }

    #[test]
    fn the_documented_subscription_is_read_with_its_dates_and_no_term() {
        let Pulled::Row(s) = map_subscription("T", &documented()) else {
            panic!("placed")
        };
        assert_eq!(s.created_at.to_rfc3339(), "2015-11-25T06:41:12+00:00");
        assert_eq!(s.commitment_end_date, "2016-12-12");
        assert_eq!((s.term, s.billing_cycle, s.auto_renew), (None, None, false));
        assert_eq!(s.term_started_at.to_rfc3339(), "2015-11-24T08:00:00+00:00");
        assert_eq!(s.friendly_name.as_deref(), Some("nickname"));
    }

    #[test]
    fn a_renewed_term_starts_one_term_before_its_end_and_rows_the_book_cant_take_are_held() {
        let mut s = documented();
        s.term_duration = Some("p1y".into());
        s.commitment_end_date = Some("2027-03-31T00:00:00Z".into());
        let Pulled::Row(row) = map_subscription("T", &s) else {
            panic!("placed")
        };
        assert_eq!(row.term.as_deref(), Some("P1Y"));
        assert_eq!(
            row.term_started_at.to_rfc3339(),
            "2026-04-01T00:00:00+00:00"
        );
        for broken in [
            Subscription {
                status: Some("none".into()),
                ..documented()
            },
            Subscription {
                quantity: Some(0),
                ..documented()
            },
            Subscription {
                commitment_end_date: None,
                ..documented()
            },
        ] {
            let Pulled::Held(h) = map_subscription("T", &broken) else {
                panic!("held: {broken:?}")
            };
            assert_eq!(h.remote_id, "t/83ef9d05-4169-4ef9-9657-0e86b1eab1de");
        }
        let odd = Subscription {
            partner_id: Some("ABC".into()),
            ..documented()
        };
        let Pulled::Row(row) = map_subscription("T", &odd) else {
            panic!("kept")
        };
        assert!(row.problem.unwrap().contains("not a PartnerID"));
    }
}
