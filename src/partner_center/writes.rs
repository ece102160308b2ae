//! The calls that change Partner Center (and the checks before them), each sent as one
//! [`Request`] through the client: its `MS-RequestId` stays the same on every retry, so a create
//! retried after a server error or a lost answer is one create. Each answer comes back with the
//! `MS-CorrelationId` it was sent under, for the activity log.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use zeroize::Zeroize;

use super::client::{Client, Request, parse};
use super::error::Error;
use super::write_model::{
    AgreementStatus, CreatedCustomer, NewCustomer, NewOrder, NewUpgrade, Order, ResellerValidation,
    SupportContact, UpgradeResult, ValidateResellers, ValidationResults,
};

/// An answer and the correlation id of the call that got it.
#[derive(Debug, Clone)]
pub struct Sent<T> {
    pub value: T,
    pub correlation_id: Uuid,
}

fn encode(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment.trim(), percent_encoding::NON_ALPHANUMERIC)
        .to_string()
}

/// `/v1/customers/{customer}/subscriptions/{subscription}`.
pub fn subscription_path(customer: &str, subscription: &str) -> String {
    format!(
        "/v1/customers/{}/subscriptions/{}",
        encode(customer),
        encode(subscription)
    )
}

impl Client {
    /// Sends `body` as JSON and reads the answer's.
    async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        what: &str,
        body: Option<serde_json::Value>,
    ) -> Result<Sent<T>, Error> {
        let request = Request {
            method,
            path,
            what: what.to_owned(),
            body,
            headers: Vec::new(),
        };
        let answer = self.send(request).await?;
        let value = parse(&answer, what)?;
        Ok(Sent {
            value,
            correlation_id: answer.correlation_id,
        })
    }

    /// `POST /v1/customers`: a new customer (of the indirect reseller it names). The answer holds
    /// the admin's temporary password, kept only as a [`Secret`]; the answer's bytes are wiped.
    pub async fn create_customer(
        &self,
        customer: &NewCustomer,
    ) -> Result<Sent<CreatedCustomer>, Error> {
        let what = "the new customer";
        let request = Request {
            method: Method::POST,
            path: "/v1/customers".into(),
            what: what.into(),
            body: Some(to_json(customer)?),
            headers: Vec::new(),
        };
        let mut answer = self.send(request).await?;
        let parsed = parse(&answer, what);
        answer.body.zeroize();
        Ok(Sent {
            value: parsed?,
            correlation_id: answer.correlation_id,
        })
    }

    /// `POST /v1/customers/{id}/orders`: the order, each line crediting its partner of record.
    pub async fn place_order(
        &self,
        customer: &str,
        order: &NewOrder,
    ) -> Result<Sent<Order>, Error> {
        self.send_json(
            Method::POST,
            format!("/v1/customers/{}/orders", encode(customer)),
            "the order",
            Some(to_json(order)?),
        )
        .await
    }

    /// `GET /v1/compliance/csp/agreementstatus?mpnId=`: has the reseller with this PartnerID
    /// signed the Microsoft Partner Agreement? A reseller that can't be told (codes 2200–2206)
    /// is a refusal with Partner Center's words.
    pub async fn agreement_status(&self, partner_id: &str) -> Result<Sent<AgreementStatus>, Error> {
        self.send_json(
            Method::GET,
            format!(
                "/v1/compliance/csp/agreementstatus?mpnId={}",
                encode(partner_id)
            ),
            "the Microsoft Partner Agreement check",
            None,
        )
        .await
    }

    /// `POST /v1/partners/validateresellers`: can these PartnerIDs be credited as partner of
    /// record?
    pub async fn validate_resellers(
        &self,
        partner_ids: &[String],
    ) -> Result<Sent<Vec<ResellerValidation>>, Error> {
        let body = ValidateResellers {
            partner_ids: partner_ids.to_vec(),
        };
        let sent: Sent<ValidationResults> = self
            .send_json(
                Method::POST,
                "/v1/partners/validateresellers".into(),
                "the partner-of-record check",
                Some(to_json(&body)?),
            )
            .await?;
        Ok(Sent {
            value: sent.value.validation_results,
            correlation_id: sent.correlation_id,
        })
    }

    /// `GET` one subscription, as the whole JSON object (a PATCH sends it all back).
    pub async fn subscription(
        &self,
        customer: &str,
        subscription: &str,
    ) -> Result<Sent<serde_json::Value>, Error> {
        self.send_json(
            Method::GET,
            subscription_path(customer, subscription),
            "the subscription",
            None,
        )
        .await
    }

    /// `PATCH` the whole subscription resource (`update-a-subscription-by-id.md`). A 409 (the
    /// subscription is being renewed or changed) comes back as [`Error::Api`] with status 409.
    pub async fn patch_subscription(
        &self,
        customer: &str,
        subscription: &str,
        whole: &serde_json::Value,
    ) -> Result<Sent<serde_json::Value>, Error> {
        self.send_json(
            Method::PATCH,
            subscription_path(customer, subscription),
            "the subscription change",
            Some(whole.clone()),
        )
        .await
    }

    /// `PUT …/supportcontact`: the designated support contact.
    pub async fn set_support_contact(
        &self,
        customer: &str,
        subscription: &str,
        contact: &SupportContact,
    ) -> Result<Sent<SupportContact>, Error> {
        self.send_json(
            Method::PUT,
            format!(
                "{}/supportcontact",
                subscription_path(customer, subscription)
            ),
            "the designated support contact",
            Some(to_json(contact)?),
        )
        .await
    }

    /// `POST …/upgrades`: moves the subscription's licenses to a higher offer.
    pub async fn upgrade_subscription(
        &self,
        customer: &str,
        subscription: &str,
        upgrade: &NewUpgrade,
    ) -> Result<Sent<UpgradeResult>, Error> {
        self.send_json(
            Method::POST,
            format!("{}/upgrades", subscription_path(customer, subscription)),
            "the upgrade",
            Some(to_json(upgrade)?),
        )
        .await
    }
}

fn to_json(value: &impl Serialize) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Setup(e.to_string()))
}
