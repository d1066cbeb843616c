//! OAuth2 client credentials over loopback HTTP: caching, sharing, renewal.

mod support;

use std::sync::Mutex;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use secgen_runtime::{Auth, ClientCredentials, Error, Method, PageStyle, Request};
use serde_json::json;
use support::{Counter, NumberPage, client};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

const CLIENT_SECRET: &str = "s3cr3t-client-secret-value";

fn credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(format!("{}/oauth2/token", server.uri()), "client-1", CLIENT_SECRET).scope("token")
}

/// The identity service: issues `token-1`, `token-2`, ... with the given lifetime.
struct Issuer {
    issued: Counter,
    lifetime_seconds: u64,
}

impl Respond for Issuer {
    fn respond(&self, _: &Received) -> ResponseTemplate {
        let number = self.issued.bump() + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("token-{number}"), "errorCode": "success", "expires_in": self.lifetime_seconds,
            "message": "OK", "refresh_token": "unused", "token_type": "bearer", "trackingId": "0b0d53a4-5c1a-4ea6-9e2c-0d6a4d0f1b0e"
        }))
    }
}

async fn identity_service(server: &MockServer, lifetime_seconds: u64) -> Counter {
    let issued = Counter::default();
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=client-1"))
        .and(body_string_contains(format!("client_secret={CLIENT_SECRET}").as_str()))
        .and(body_string_contains("scope=token"))
        .respond_with(Issuer { issued: issued.clone(), lifetime_seconds })
        .mount(server)
        .await;
    issued
}

fn bearer(request: &Received) -> String {
    request.headers.get("authorization").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn concurrent_requests_with_an_expired_token_share_one_token_request() {
    let server = MockServer::start().await;
    // 1 s tokens with a 0.5 s margin: usable for half a second.
    let issued = identity_service(&server, 1).await;
    Mock::given(path("/whoami")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let auth = Auth::client_credentials(credentials(&server).refresh_margin(Duration::from_millis(500)));
    let client = client(&server.uri(), auth);

    client.send(Request::new(Method::GET, "whoami", "/whoami")).await.unwrap();
    assert_eq!(issued.get(), 1);
    tokio::time::sleep(Duration::from_millis(700)).await;

    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.send(Request::new(Method::GET, "whoami", "/whoami")).await.map(|_| ()) })
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap().unwrap();
    }
    assert_eq!(issued.get(), 2, "20 requests that found the token expired made exactly one token request");
    let requests = server.received_requests().await.unwrap();
    let renewed = requests
        .iter()
        .filter(|request| request.url.path() == "/whoami" && bearer(request) == "Bearer token-2")
        .count();
    assert_eq!(renewed, 20);
}

/// A list of 10,000 numbers in pages of `limit`, which stops accepting `token-1`
/// after the first `accept_old_for` pages (as if it expired early).
struct Items {
    total: u64,
    accept_old_for: usize,
    served: Mutex<usize>,
    rejected: Counter,
}

impl Respond for Items {
    fn respond(&self, request: &Received) -> ResponseTemplate {
        let mut served = self.served.lock().unwrap();
        if bearer(request) == "Bearer token-1" && *served >= self.accept_old_for {
            self.rejected.bump();
            return ResponseTemplate::new(401)
                .set_body_json(json!({"error": "Unauthorized", "message": "token expired"}));
        }
        let query = |name: &str| {
            request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.parse::<u64>().unwrap())
        };
        let (offset, limit) = (query("offset").unwrap(), query("limit").unwrap());
        let items: Vec<u64> = (offset..(offset + limit).min(self.total)).collect();
        *served += 1;
        ResponseTemplate::new(200).set_body_json(json!({ "items": items }))
    }
}

#[tokio::test]
async fn a_token_expiring_mid_pagination_is_renewed_without_losing_or_repeating_items() {
    let server = MockServer::start().await;
    let issued = identity_service(&server, 3600).await;
    let rejected = Counter::default();
    let items = Items { total: 10_000, accept_old_for: 7, served: Mutex::new(0), rejected: rejected.clone() };
    Mock::given(path("/items")).respond_with(items).mount(&server).await;
    let client = client(&server.uri(), Auth::client_credentials(credentials(&server)));

    let listing = Request::new(Method::GET, "listItems", "/items");
    let pager = client.paginate::<NumberPage>(listing, PageStyle::limit_offset("limit", "offset", 500));
    let numbers: Vec<u64> = pager.try_collect().await.unwrap();

    assert_eq!(numbers, (0..10_000).collect::<Vec<u64>>(), "every item once, in order");
    assert_eq!(rejected.get(), 1, "the old token was rejected once");
    assert_eq!(issued.get(), 2, "and renewed once");
}

#[tokio::test]
async fn a_second_401_is_not_retried_again() {
    let server = MockServer::start().await;
    let issued = identity_service(&server, 3600).await;
    Mock::given(path("/whoami"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": "Unauthorized", "message": "Unauthorized"})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri(), Auth::client_credentials(credentials(&server)));
    let error = client.send(Request::new(Method::GET, "whoami", "/whoami")).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let api_calls =
        server.received_requests().await.unwrap().iter().filter(|request| request.url.path() == "/whoami").count();
    assert_eq!((api_calls, issued.get()), (2, 2), "one renewal and one retry, no more");
}

#[tokio::test]
async fn a_failed_token_request_is_its_own_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_client", "error_description": "Client authentication failed"})),
        )
        .mount(&server)
        .await;
    let client = client(&server.uri(), Auth::client_credentials(credentials(&server)));
    let error = client.send(Request::new(Method::GET, "whoami", "/whoami")).await.unwrap_err();
    let Error::Token { status, ref message, .. } = error else { panic!("{error:?}") };
    assert_eq!(status.map(|s| s.as_u16()), Some(400));
    assert!(message.contains("invalid_client: Client authentication failed"), "{message}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a 400 from the identity service is not retried");
}

#[tokio::test]
async fn the_token_is_cached_between_requests() {
    let server = MockServer::start().await;
    let issued = identity_service(&server, 3600).await;
    Mock::given(path("/whoami")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let client = client(&server.uri(), Auth::client_credentials(credentials(&server)));
    let calls: Vec<_> = futures::stream::iter(0..5)
        .then(|_| client.send(Request::new(Method::GET, "whoami", "/whoami")))
        .collect()
        .await;
    assert!(calls.iter().all(Result::is_ok));
    assert_eq!(issued.get(), 1);
}

const LEAKED_TOKEN: &str = "SECRET-TOKEN-123";

/// A client whose identity service answers every token request with `answer`.
async fn client_with_token_answer(answer: ResponseTemplate) -> (MockServer, secgen_runtime::ApiClient) {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token")).respond_with(answer).mount(&server).await;
    let client = client(&server.uri(), Auth::client_credentials(credentials(&server)));
    (server, client)
}

fn assert_no_token(error: &Error) {
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(LEAKED_TOKEN), "the token leaked into: {text}");
        assert!(!text.contains(CLIENT_SECRET), "the client secret leaked into: {text}");
    }
}

#[tokio::test]
async fn a_token_response_that_does_not_parse_says_why_without_quoting_the_token() {
    let body = format!(r#"{{"access_token":"{LEAKED_TOKEN}","expires_in":"soon"}}"#);
    let (_server, client) =
        client_with_token_answer(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let error = client.send(Request::new(Method::GET, "whoami", "/whoami")).await.unwrap_err();
    assert_no_token(&error);
    let text = error.to_string();
    assert!(text.contains("expires_in"), "names the field that did not parse: {text}");
    assert!(text.contains(r#""access_token":"***""#), "quotes the body, redacted: {text}");
}

#[tokio::test]
async fn a_failed_token_response_is_quoted_with_its_secrets_redacted() {
    let bodies = [
        (
            format!(
                r#"{{"status":"rejected","access_token":"{LEAKED_TOKEN}","Refresh_Token":{{"value":"{LEAKED_TOKEN}"}}}}"#
            ),
            "application/json",
        ),
        (format!(r#"{{"status":"rejected","access_token": "{LEAKED_TOKEN}", "#), "application/json"),
        (
            format!("status=rejected&access_token={LEAKED_TOKEN}&client_secret={CLIENT_SECRET}"),
            "application/x-www-form-urlencoded",
        ),
        (format!("<html>token: {LEAKED_TOKEN} was rejected</html>"), "text/html"),
    ];
    for (body, content_type) in bodies {
        let (_server, client) =
            client_with_token_answer(ResponseTemplate::new(400).set_body_raw(body.clone(), content_type)).await;
        let error = client.send(Request::new(Method::GET, "whoami", "/whoami")).await.unwrap_err();
        assert_no_token(&error);
        let text = error.to_string();
        assert!(text.contains("HTTP 400") && text.contains("rejected"), "says what was wrong for {body}: {text}");
    }
}
