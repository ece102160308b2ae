//! Collections page by page: Partner Center's seek-based paging answers a `links.next` whose
//! URI and `MS-ContinuationToken` header ask for the page after. [`Pages`] follows them one
//! page at a time (a sync commits each page before asking for the next), or as a `Stream`.

use serde::de::DeserializeOwned;

use super::client::Client;
use super::client::{Request, parse};
use super::error::Error;
use super::model::{
    AuditRecord, Collection, Customer, Link, MpnProfile, PartnerRelationship, Subscription,
};

/// The pages of one collection, in order. `next_page` is `None` after the last one.
pub struct Pages<'c, T> {
    client: &'c Client,
    what: String,
    next: Option<Request>,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<'c, T: DeserializeOwned> Pages<'c, T> {
    pub fn new(client: &'c Client, first: Request) -> Pages<'c, T> {
        Pages {
            client,
            what: first.what.clone(),
            next: Some(first),
            _items: std::marker::PhantomData,
        }
    }

    /// The request for the page after the last one read (`None` after the last page): a sync
    /// keeps it with the page it commits, to resume there.
    pub fn next_request(&self) -> Option<&Request> {
        self.next.as_ref()
    }

    /// The next page's items (each page retried as one request), or `None` at the end.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, Error> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let answer = self.client.send(request).await?;
        let page: Collection<T> = parse(&answer, &self.what)?;
        if let Some(link) = page.links.and_then(|l| l.next) {
            let request = next_request(
                &link,
                &self.what,
                self.client.session().endpoints().api_base(),
            )
            .map_err(|problem| Error::BadAnswer {
                what: self.what.clone(),
                problem,
                correlation_id: answer.correlation_id,
            })?;
            self.next = Some(request);
        }
        Ok(Some(page.items))
    }

    /// The same pages as a stream.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<Vec<T>, Error>> + 'c
    where
        T: 'c,
    {
        futures::stream::unfold(Some(self), |pages| async move {
            let mut pages = pages?;
            match pages.next_page().await {
                Ok(Some(items)) => Some((Ok(items), Some(pages))),
                Ok(None) => None,
                // After an error the stream ends.
                Err(e) => Some((Err(e), None)),
            }
        })
    }
}

/// The request for a next link. Its URI is relative to `/v1` (as the docs' examples) or from
/// `/v1/`; an absolute URI must be on the configured API, so the bearer token never goes
/// elsewhere.
fn next_request(link: &Link, what: &str, api_base: &str) -> Result<Request, String> {
    let uri = link.uri.trim();
    let path = if let Some(rest) = uri.strip_prefix(api_base) {
        rest.to_owned()
    } else if uri.starts_with("http://") || uri.starts_with("https://") {
        return Err(format!("a next link to another server ({uri})"));
    } else if uri.starts_with("/v1/") {
        uri.to_owned()
    } else if uri.starts_with('/') {
        format!("/v1{uri}")
    } else {
        format!("/v1/{uri}")
    };
    if link
        .method
        .as_deref()
        .is_some_and(|m| !m.eq_ignore_ascii_case("GET"))
    {
        return Err(format!("a next link that is not a GET ({uri})"));
    }
    let mut request = Request::get(path, what);
    request.headers = link
        .headers
        .iter()
        .filter(|h| h.key.eq_ignore_ascii_case("MS-ContinuationToken"))
        .map(|h| ("MS-ContinuationToken".to_owned(), h.value.clone()))
        .collect();
    Ok(request)
}

impl Client {
    /// `GET /v1/customers?size=N`, every page (`developer/get-a-list-of-customers.md`).
    pub fn customers(&self, size: u32) -> Pages<'_, Customer> {
        Pages::new(
            self,
            Request::get(format!("/v1/customers?size={size}"), "the customer list"),
        )
    }

    /// The indirect resellers the signed-in provider has a relationship with
    /// (`developer/retrieve-a-list-of-indirect-resellers.md`).
    pub async fn indirect_resellers(&self) -> Result<Vec<PartnerRelationship>, Error> {
        let mut pages = Pages::new(
            self,
            Request::get(
                "/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf",
                "the indirect resellers",
            ),
        );
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }
}

impl Client {
    /// `GET /v1/customers/{id}/subscriptions`, every page
    /// (`developer/get-all-of-a-customer-s-subscriptions.md`).
    pub async fn subscriptions_of(&self, tenant_id: &str) -> Result<Vec<Subscription>, Error> {
        let mut pages = Pages::new(
            self,
            Request::get(
                format!("/v1/customers/{}/subscriptions", path_segment(tenant_id)),
                "a customer's subscriptions",
            ),
        );
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// `GET /v1/customers/{id}` (`developer/get-a-customer-by-id.md`); `None` when Partner
    /// Center no longer has it (404).
    pub async fn customer(&self, tenant_id: &str) -> Result<Option<Customer>, Error> {
        let path = format!("/v1/customers/{}", path_segment(tenant_id));
        match self.get_json::<Customer>(&path, "a customer").await {
            Ok(c) => Ok(Some(c)),
            Err(Error::Api { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET /v1/auditrecords?startDate=YYYY-MM-DD` and its pages (`developer/audit.md`).
    pub fn audit_records(&self, start_date: chrono::NaiveDate) -> Pages<'_, AuditRecord> {
        Pages::new(
            self,
            Request::get(
                format!(
                    "/v1/auditrecords?startDate={}",
                    start_date.format("%Y-%m-%d")
                ),
                AUDIT_RECORDS,
            ),
        )
    }

    /// `GET /v1/profiles/mpn`: the signed-in partner's PartnerID and name.
    pub async fn mpn_profile(&self) -> Result<MpnProfile, Error> {
        self.get_json("/v1/profiles/mpn", "the partner's network profile")
            .await
    }
}

/// What the audit records are called in messages, and the kept cursor's request.
pub const AUDIT_RECORDS: &str = "the audit records";

/// An id in a path: percent-encoded, so whatever a server sent can't change the path.
fn path_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id.trim(), percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partner_center::model::LinkHeader;

    fn link(uri: &str) -> Link {
        Link {
            uri: uri.into(),
            method: Some("GET".into()),
            headers: vec![LinkHeader {
                key: "MS-ContinuationToken".into(),
                value: "AQAAAA==".into(),
            }],
        }
    }

    #[test]
    fn next_links_stay_on_the_api_and_carry_the_continuation_token() {
        let base = "https://api.partnercenter.microsoft.com";
        let r = next_request(&link("/customers?size=500&seekOperation=Next"), "x", base).unwrap();
        assert_eq!(r.path, "/v1/customers?size=500&seekOperation=Next");
        assert_eq!(
            r.headers,
            [("MS-ContinuationToken".to_owned(), "AQAAAA==".to_owned())]
        );
        let r = next_request(&link("/v1/customers?size=5"), "x", base).unwrap();
        assert_eq!(r.path, "/v1/customers?size=5");
        let r = next_request(&link(&format!("{base}/v1/customers?a=1")), "x", base).unwrap();
        assert_eq!(r.path, "/v1/customers?a=1");
        assert!(next_request(&link("https://evil.example/v1/customers"), "x", base).is_err());
    }
}
