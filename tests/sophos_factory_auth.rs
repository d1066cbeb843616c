//! The generated Sophos Factory Auth API client against a loopback HTTP server:
//! the bearer token, the region's `auth.` host, tokens that never print, the
//! platform's error body and the paged user list.
//!
//! Sophos publishes no Auth API response samples, so the bodies here are written
//! from the spec's schemas with realistic values.

use futures::TryStreamExt;
use secgen_runtime::{Auth, Error};
use serde_json::json;
use sophos_factory_auth::types::*;
use sophos_factory_auth::{AuthRegion, Client, Region};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_TOKEN: &str = "fct_0123456789abcdef";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1", server.uri())).auth(Auth::bearer(API_TOKEN)).build().unwrap()
}

#[test]
fn a_region_picks_its_auth_host() {
    assert_eq!(AuthRegion::default().base_url(), "https://auth.us-west-2.factory.sophos.com/v1");
    assert_eq!(AuthRegion::from(Region::EuCentral1).base_url(), "https://auth.eu-central-1.factory.sophos.com/v1");
    assert!(
        Client::builder().base_url(AuthRegion::from(Region::ApSouth1)).auth(Auth::bearer(API_TOKEN)).build().is_ok()
    );
}

#[tokio::test]
async fn a_created_api_token_is_a_secret_that_never_prints() {
    let server = MockServer::start().await;
    let new_token = "fct_new_token_value_42";
    Mock::given(method("POST"))
        .and(path("/v1/user/u-1/tokens"))
        .and(header("authorization", format!("Bearer {API_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_id": "t-9", "name": "siem-export", "type": "api", "expire": 90, "expire_unit": "days", "token": new_token
        })))
        .mount(&server)
        .await;
    let body = CreateTokenBody {
        name: "siem-export".to_owned(),
        expire: Some(90),
        expire_unit: Some(CreateTokenBodyExpireUnit::Days),
    };
    let token = client(&server).create_token("u-1", &body).await.unwrap().into_inner();
    let printed = format!("{token:?}");
    assert!(!printed.contains(new_token) && printed.contains("***"), "{printed}");
    assert_eq!(token.token.as_ref().map(|secret| secret.expose()), Some(new_token));
    let sent: serde_json::Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"name": "siem-export", "expire": 90, "expire_unit": "days"}));
}

#[tokio::test]
async fn an_invitation_token_is_sent_as_the_query_parameter_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/organizations/invites/consume"))
        .and(query_param("token", "inv-abc-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let token = sophos_factory_auth::Secret::new("inv-abc-123");
    client(&server).consume_invite(&token).await.unwrap();
}

#[tokio::test]
async fn organization_users_are_paged_with_limit_and_offset_until_a_short_page() {
    let server = MockServer::start().await;
    let user =
        |n: usize| json!({"_id": format!("u-{n}"), "name": format!("User {n}"), "email": format!("u{n}@example.com")});
    for (offset, count) in [(0, 200), (200, 3)] {
        let users: Vec<_> = (offset..offset + count).map(user).collect();
        Mock::given(method("GET"))
            .and(path("/v1/organizations/org-1/users"))
            .and(query_param("limit", "200"))
            .and(query_param("offset", offset.to_string().as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": users})))
            .mount(&server)
            .await;
    }
    let users: Vec<User> = client(&server)
        .get_organization_users_stream("org-1", &GetOrganizationUsersParams::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users.len(), 203);
    assert_eq!(users[202].email.as_deref(), Some("u202@example.com"));
}

#[tokio::test]
async fn errors_carry_the_platforms_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/u-404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status": 404, "errors": [{"code": "not_found", "message": "User not found"}]
        })))
        .mount(&server)
        .await;
    let error = client(&server).get_user_by_id("u-404").await.unwrap_err();
    let Error::Api(api_error) = &error else { panic!("{error:?}") };
    assert_eq!(api_error.status().as_u16(), 404);
    assert!(
        error.to_string().contains("getUserById") && error.to_string().contains("not_found: User not found"),
        "{error}"
    );
}
