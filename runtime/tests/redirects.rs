//! Redirects over loopback HTTP: followed on the API's origin, refused to any other.

mod support;

use secgen_runtime::{Auth, Error, Method, Request};
use serde_json::{Value, json};
use support::client;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "redirect-test-token-42";

fn get(path_template: &'static str) -> Request {
    Request::new(Method::GET, "getThing", path_template)
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_an_error_and_the_other_origin_hears_nothing() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/thing"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/stolen?sig=query-secret", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    Mock::given(path("/stolen"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"not": "the API"})))
        .mount(&elsewhere)
        .await;

    let result = client(&api.uri(), Auth::bearer(TOKEN)).send(get("/thing")).await;
    let error = match result {
        Ok(response) => panic!("the other origin's body was returned as a success: {:?}", response.body()),
        Err(error) => error,
    };
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the other origin received a request");
    let text = error.to_string();
    assert!(text.contains("getThing") && text.contains(&elsewhere.uri()), "names the operation and origin: {text}");
    assert!(!text.contains("query-secret") && !format!("{error:?}").contains("query-secret"), "{text}");
    assert!(matches!(error, Error::Redirect { operation: "getThing", .. }), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(api.received_requests().await.unwrap().len(), 1, "a refused redirect is not retried");
}

#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed_with_credentials() {
    let api = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/new"))
        .mount(&api)
        .await;
    Mock::given(path("/new"))
        .and(wiremock::matchers::header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"moved": true})))
        .mount(&api)
        .await;
    let response = client(&api.uri(), Auth::bearer(TOKEN)).send(get("/old")).await.unwrap().json::<Value>().unwrap();
    assert_eq!(response.body(), &json!({"moved": true}));
}

#[tokio::test]
async fn a_token_url_redirecting_to_another_origin_is_a_token_error() {
    let identity = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/token", elsewhere.uri())))
        .mount(&identity)
        .await;
    let credentials =
        secgen_runtime::ClientCredentials::new(format!("{}/oauth2/token", identity.uri()), "id", "secret");
    let error = client(&identity.uri(), Auth::client_credentials(credentials)).send(get("/thing")).await.unwrap_err();
    assert!(matches!(error, Error::Token { .. }), "{error:?}");
    assert!(error.to_string().contains(&format!("redirected to another origin, {}", elsewhere.uri())), "{error}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the client secret went to another origin");
}
