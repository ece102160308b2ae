//! The Partner Center REST API: the remote room beside `store/` (the local one). Neither imports
//! the other; the sync layer above both (`crate::sync`) maps remote resources to store commands,
//! and `ui` and `app` never see a type from here.
//!
//! - `auth.rs`: sign-in with the OAuth 2.0 device authorization grant (App + User) and the
//!   refresh-token grant; `session.rs` keeps the access token in memory and refreshes it.
//! - `keystore.rs`: where the refresh token is kept between runs (the OS keyring), behind a trait
//!   so tests use memory.
//! - `client.rs`: one request with Partner Center's headers, retries and throttling
//!   (`retry.rs`); `pages.rs` follows continuation links; `model.rs` the JSON shapes;
//!   `error.rs` every failure in words; `endpoints.rs` where to sign in and call.
//! - `writes.rs`: the calls that change Partner Center (a customer, its order, a subscription,
//!   its support contact) and the reseller checks before an order; `write_model.rs` their JSON.
//!
//! This file only lists the rooms: each names the sibling it uses (no re-exports here, so no
//! child imports its parent).

pub mod auth;
pub mod client;
pub mod endpoints;
pub mod error;
pub mod keystore;
pub mod model;
pub mod pages;
pub mod retry;
pub mod session;
pub mod write_model;
pub mod writes;
