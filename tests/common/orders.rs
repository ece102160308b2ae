//! A new customer with an order, as the wizard would submit it: Fabrikam Robotics for Adatum IT
//! Services, Business Premium × 25 and Office 365 E3 × 10.

use chrono::NaiveDate;
use rusqlite::Connection;
use twotier::store::customers::{NewCustomer, NewOrder, OrderLine};

pub const PREMIUM: &str = "CFQ7TTC0LCHC";
pub const E3: &str = "CFQ7TTC0LF8Q";

pub fn line(offer: &str, quantity: i64) -> OrderLine {
    OrderLine {
        offer_id: offer.into(),
        quantity,
        term: "P1Y".into(),
        billing_cycle: "monthly".into(),
    }
}

pub fn reseller_named(conn: &Connection, name: &str) -> i64 {
    conn.query_row("SELECT id FROM resellers WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .unwrap()
}

pub fn new_customer(conn: &Connection) -> NewCustomer {
    let adatum = reseller_named(conn, "Adatum IT Services");
    NewCustomer {
        company_name: "Fabrikam Robotics".into(),
        domain_prefix: "fabrikamrobotics".into(),
        registration_number: None,
        first_name: "Ana".into(),
        last_name: "Silva".into(),
        email: "ana@fabrikam.example".into(),
        phone: None,
        address_line1: "1 Main St".into(),
        address_line2: None,
        city: "Seattle".into(),
        state: Some("WA".into()),
        postal_code: Some("98101".into()),
        country: "US".into(),
        culture: "en-US".into(),
        language: "en".into(),
        reseller_id: Some(adatum),
        mca_signer_name: "Ana Silva".into(),
        mca_signer_email: "ana@fabrikam.example".into(),
        mca_date_agreed: NaiveDate::from_ymd_opt(2026, 10, 30).unwrap(),
        order: NewOrder {
            lines: vec![line(PREMIUM, 25), line(E3, 10)],
            partner_of_record: Some(adatum),
            attestation_accepted: true,
        },
    }
}
