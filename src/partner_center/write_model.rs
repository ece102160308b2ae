//! The JSON of the calls that change Partner Center, as their docs' request and response
//! examples show them: a new customer of an indirect reseller
//! (`developer/create-a-customer-for-an-indirect-reseller.md`), its order
//! (`create-an-order-for-a-customer-of-an-indirect-reseller.md`), the reseller checks before an
//! order (`verify-indirect-reseller-mpa-status.md`, `POST /v1/partners/validateresellers`), a
//! subscription's support contact (`update-a-subscription-s-support-contact.md`) and an upgrade
//! (`transition-a-subscription.md`). A subscription itself travels as the whole JSON object
//! Partner Center sent, so a PATCH sends back every field it had (`update-a-subscription-by-id.md`).

use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::credentials::Secret;

/// `POST /v1/customers`: the customer's company and billing profile, and the indirect reseller
/// (its tenant ID) it is created for.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    pub company_profile: NewCompanyProfile,
    pub billing_profile: NewBillingProfile,
    /// The indirect reseller's tenant ID; `None` makes a direct customer of the provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCompanyProfile {
    pub domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_registration_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewBillingProfile {
    pub email: String,
    pub culture: String,
    pub language: String,
    pub company_name: String,
    pub default_address: Address,
}

/// `utility-resources.md#address`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub country: String,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub address_line1: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    pub first_name: String,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// The answer to `POST /v1/customers`: the new customer, with its admin's temporary password.
/// Its `Debug` shows no password ([`Secret`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedCustomer {
    pub id: String,
    #[serde(default)]
    pub company_profile: Option<super::model::CompanyProfile>,
    #[serde(default)]
    pub user_credentials: Option<UserCredentials>,
    #[serde(default)]
    pub associated_partner_id: Option<String>,
}

/// `userCredentials`: the admin user and the password Partner Center made for it, shown once.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCredentials {
    pub user_name: String,
    #[serde(deserialize_with = "secret")]
    pub password: Secret,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
    String::deserialize(d).map(Secret::new)
}

/// `POST /v1/customers/{id}/orders`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrder {
    pub reference_customer_id: String,
    pub line_items: Vec<NewLineItem>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewLineItem {
    pub line_item_number: usize,
    pub offer_id: String,
    pub quantity: i64,
    /// P1M, P1Y or P3Y (`order-resources.md`).
    pub term_duration: String,
    pub billing_cycle: String,
    /// The indirect reseller's PartnerID, never the provider's; `None`: a direct sale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id_on_record: Option<String>,
}

/// The order Partner Center placed: each line with the subscription it made.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: String,
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItem {
    pub line_item_number: usize,
    #[serde(default)]
    pub offer_id: Option<String>,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub partner_id_on_record: Option<String>,
}

/// `GET /v1/compliance/csp/agreementstatus?mpnId=`: signed or not (a 400 with codes 2200–2206
/// says why it can't be told).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementStatus {
    pub is_agreement_signed: bool,
}

/// `POST /v1/partners/validateresellers`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateResellers {
    pub partner_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationResults {
    #[serde(default)]
    pub validation_results: Vec<ResellerValidation>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResellerValidation {
    pub partner_id: String,
    pub is_valid_partner_id_on_record: bool,
    #[serde(default)]
    pub error_code: Option<serde_json::Value>,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// `subscription-resources.md#supportcontact`: the reseller (or provider) that supports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportContact {
    pub support_tenant_id: String,
    pub support_mpn_id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /v1/customers/{id}/subscriptions/{id}/upgrades`: the offer to move to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUpgrade {
    pub target_offer: TargetOffer,
    pub upgrade_type: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetOffer {
    pub id: String,
}

/// The upgrade's result: the subscription the licenses moved to, or why not.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpgradeResult {
    #[serde(default)]
    pub source_subscription_id: Option<String>,
    #[serde(default)]
    pub target_subscription_id: Option<String>,
    #[serde(default)]
    pub upgrade_errors: Vec<UpgradeError>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UpgradeError {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
}
