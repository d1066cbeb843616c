//! Base URLs written with credentials (`https://<client_id>:<api_key>@<host>`):
//! the credentials are sent as HTTP Basic and never printed.

mod support;

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use secgen_runtime::{ApiClient, ApiInfo, Auth, BaseUrl, ClientBuilder, Method, Request};
use serde_json::json;
use support::API;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "API-KEY-SECRET";

fn assert_no_password(text: &str) {
    assert!(!text.contains(PASSWORD), "the password leaked into: {text}");
}

fn with_credentials(server: &MockServer, userinfo: &str) -> String {
    server.uri().replacen("http://", &format!("http://{userinfo}@"), 1)
}

#[test]
fn debug_output_never_prints_url_credentials() {
    let url = format!("https://client-id:{PASSWORD}@api.example.com/v1");
    assert_no_password(&format!("{:?}", BaseUrl::from(url.as_str())));
    let builder = ClientBuilder::<ApiClient>::new(&API).base_url(url.as_str());
    assert_no_password(&format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_no_password(&format!("{client:?}"));
    assert_eq!(client.base_url().as_str(), "https://api.example.com/v1", "the credentials are stripped");
}

#[test]
fn errors_quoting_a_base_url_never_print_its_password() {
    for url in [
        format!("https://client-id:{PASSWORD}@exa mple.com/v1"),
        format!("ftp://client-id:{PASSWORD}@example.com/v1"),
        format!("https://client-id:{PASSWORD}@example.com/v1?q=1"),
    ] {
        let error = ClientBuilder::<ApiClient>::new(&API).base_url(url.as_str()).build().unwrap_err();
        assert_no_password(&format!("{error} {error:?}"));
        assert!(error.to_string().contains("base URL"), "{error}");
    }
    static HTTPS_ONLY: ApiInfo = ApiInfo::new("https-only", "0.0.0").require_https();
    let url = format!("http://client-id:{PASSWORD}@example.com/v1");
    let error = ClientBuilder::<ApiClient>::new(&HTTPS_ONLY).base_url(url.as_str()).build().unwrap_err();
    assert_no_password(&format!("{error} {error:?}"));
    assert!(error.to_string().contains("not https"), "{error}");
}

async fn server_expecting(authorization: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/thing"))
        .and(header("authorization", authorization))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", BASE64_STANDARD.encode(format!("{user}:{password}")))
}

#[tokio::test]
async fn url_credentials_are_sent_as_http_basic_percent_decoded() {
    for (userinfo, user, password) in [("id:key", "id", "key"), ("my%20id:k%40y%3A1", "my id", "k@y:1")] {
        let server = server_expecting(&basic(user, password)).await;
        let client =
            ClientBuilder::<ApiClient>::new(&API).base_url(with_credentials(&server, userinfo)).build().unwrap();
        assert_eq!(client.base_url().as_str(), format!("{}/", server.uri()));
        client.send(Request::new(Method::GET, "getThing", "/thing")).await.unwrap();
    }
}

#[tokio::test]
async fn explicit_auth_wins_over_url_credentials() {
    let server = server_expecting("Bearer explicit-token").await;
    let client = ClientBuilder::<ApiClient>::new(&API)
        .base_url(with_credentials(&server, "id:key"))
        .auth(Auth::bearer("explicit-token"))
        .build()
        .unwrap();
    assert_eq!(client.base_url().username(), "");
    client.send(Request::new(Method::GET, "getThing", "/thing")).await.unwrap();
}

#[tokio::test]
async fn a_rebased_client_takes_url_credentials_too() {
    let server = server_expecting(&basic("id", "key")).await;
    let root = ClientBuilder::<ApiClient>::new(&API).base_url("https://global.example.com").build().unwrap();
    let rebased = root.rebased(with_credentials(&server, "id:key"), &[]).unwrap();
    assert_eq!(rebased.base_url().password(), None);
    rebased.send(Request::new(Method::GET, "getThing", "/thing")).await.unwrap();
}
