//! The JSON Partner Center sends, as documented in `developer/*.md`: only the fields twotier
//! reads; unknown fields are ignored, missing optional ones are `None`.

use serde::Deserialize;

/// A page of a collection: `{"totalCount", "items", "links": {"self", "next"}, "attributes"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    #[serde(default)]
    pub total_count: Option<u64>,
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    #[serde(default)]
    pub links: Option<CollectionLinks>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CollectionLinks {
    #[serde(default)]
    pub next: Option<Link>,
}

/// A link to follow: its URI (relative to the API's `/v1`, or from `/v1/`) and the headers to
/// send with it (`MS-ContinuationToken` on a next page).
#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub uri: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: Vec<LinkHeader>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LinkHeader {
    pub key: String,
    pub value: String,
}

/// `developer/customer-resources.md`: a customer as the list returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub company_profile: Option<CompanyProfile>,
    #[serde(default)]
    pub relationship_to_partner: Option<String>,
    /// The indirect reseller's tenant ID, for a customer of one.
    #[serde(default)]
    pub associated_partner_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    #[serde(default)]
    pub tenant_id: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub company_name: Option<String>,
}

/// `developer/relationships-resources.md`: an indirect reseller seen from its provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerRelationship {
    /// The reseller's tenant ID.
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub relationship_type: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    /// The reseller's PartnerID (MPN ID).
    #[serde(default)]
    pub mpn_id: Option<String>,
    /// ISO country.
    #[serde(default)]
    pub location: Option<String>,
}

/// `developer/error-codes.md`: `{"code", "description", "data", "source"}`. The code is
/// documented as a string; examples send numbers, so either is read.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<serde_json::Value>,
    #[serde(default)]
    pub description: Option<String>,
    /// The throttling answer (`api-throttling-guidance.md`) says `message` instead.
    #[serde(default)]
    pub message: Option<String>,
}

impl ErrorBody {
    pub fn code_text(&self) -> Option<String> {
        match self.code.as_ref()? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// `developer/subscription-resources.md`: a subscription as a customer's list returns it.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    #[serde(default)]
    pub offer_id: Option<String>,
    #[serde(default)]
    pub offer_name: Option<String>,
    #[serde(default)]
    pub friendly_name: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
    /// none, active, pending, suspended, expired, disabled or deleted.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub auto_renew_enabled: Option<bool>,
    #[serde(default)]
    pub billing_cycle: Option<String>,
    /// P1M, P1Y or P3Y.
    #[serde(default)]
    pub term_duration: Option<String>,
    #[serde(default)]
    pub creation_date: Option<String>,
    #[serde(default)]
    pub effective_start_date: Option<String>,
    #[serde(default)]
    pub commitment_end_date: Option<String>,
    /// The PartnerID of the reseller of record; empty for the provider's own.
    #[serde(default)]
    pub partner_id: Option<String>,
}

/// `developer/auditing-resources.md`: one operation in the activity log; only what names the
/// customer it touched is read.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    #[serde(default)]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub operation_type: Option<String>,
    #[serde(default)]
    pub operation_date: Option<String>,
    /// succeeded, failed or progress.
    #[serde(default)]
    pub operation_status: Option<String>,
}

/// `developer/get-partner-network-profile.md` (`GET /v1/profiles/mpn`): the signed-in
/// partner's name and PartnerID.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MpnProfile {
    #[serde(default)]
    pub partner_name: Option<String>,
    #[serde(default)]
    pub mpn_id: Option<String>,
}
