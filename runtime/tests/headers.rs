//! Header names from callers: any case works, invalid ones are errors, never panics.

mod support;

use secgen_runtime::{Auth, Error, Method, Request};
use serde_json::json;
use support::{builder, client};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get() -> Request {
    Request::new(Method::GET, "getThing", "/thing")
}

/// A server that answers 200 only to requests with `x-tenant-id: t1`.
async fn tenant_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/thing"))
        .and(header("x-tenant-id", "t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_default_header_name_in_upper_case_is_sent_lowercased() {
    let server = tenant_server().await;
    let client = builder(&server.uri(), Auth::none()).default_header("X-Tenant-ID", "t1").build().unwrap();
    client.send(get()).await.unwrap();
}

#[test]
fn an_invalid_default_header_is_a_config_error_at_build() {
    let error = builder("https://api.example.com", Auth::none()).default_header("bad header", "v").build().unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("`bad header`")), "{error:?}");
    let error =
        builder("https://api.example.com", Auth::none()).default_header("x-ok", "line\nbreak").build().unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("`x-ok`")), "{error:?}");
}

#[tokio::test]
async fn rebased_headers_take_any_case_and_refuse_invalid_names() {
    let server = tenant_server().await;
    let root = client("https://global.example.com", Auth::none());
    root.rebased(server.uri(), &[("X-Tenant-ID", "t1")]).unwrap().send(get()).await.unwrap();
    let error = root.rebased(server.uri(), &[("bad header", "t1")]).unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("`bad header`")), "{error:?}");
}

#[tokio::test]
async fn request_headers_take_any_case_and_report_invalid_names_at_send() {
    let server = tenant_server().await;
    let client = client(&server.uri(), Auth::none());
    client.send(get().header("X-Tenant-ID", "t1")).await.unwrap();
    let error = client.send(get().header("bad header", "t1")).await.unwrap_err();
    let Error::InvalidRequest { operation, message } = &error else { panic!("{error:?}") };
    assert_eq!(*operation, "getThing");
    assert!(message.contains("`bad header`") && message.contains("not a valid header name"), "{message}");
    assert!(server.received_requests().await.unwrap().len() == 1, "the invalid request was not sent");
}
