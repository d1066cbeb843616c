//! Hooks see every attempt of every operation, and never the credentials.

mod support;

use std::sync::{Arc, Mutex};

use secgen_runtime::{Auth, Hook, HookContext, Method, Outcome, Request};
use serde_json::json;
use support::builder;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "bearer-token-0123456789";

/// Records what a hook sees, and tags each request.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Hook for Recorder {
    fn before_send(&self, request: &mut reqwest::Request, context: &HookContext<'_>) {
        assert!(request.headers().get("authorization").is_none(), "hooks never see credentials");
        request
            .headers_mut()
            .insert("x-trace-id", format!("{}-{}", context.operation, context.attempt).parse().unwrap());
    }

    fn after_receive(&self, outcome: &Outcome<'_>, context: &HookContext<'_>) {
        if let Outcome::Response { status, .. } = outcome {
            self.0.lock().unwrap().push(format!(
                "{} {} {} -> {}",
                context.operation,
                context.path_template,
                context.attempt,
                status.as_u16()
            ));
        }
    }
}

#[tokio::test]
async fn hooks_see_every_attempt_with_the_operation_id() {
    let server = MockServer::start().await;
    Mock::given(path("/things/t1"))
        .and(header("x-trace-id", "getThing-1"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/things/t1"))
        .and(header("x-trace-id", "getThing-2"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let recorder = Arc::new(Recorder::default());
    let client = builder(&server.uri(), Auth::bearer(TOKEN)).hook(recorder.clone()).build().unwrap();
    let request = Request::new(Method::GET, "getThing", "/things/{id}").path_param("id", "t1");
    client.send(request).await.unwrap();
    assert_eq!(*recorder.0.lock().unwrap(), ["getThing /things/{id} 1 -> 503", "getThing /things/{id} 2 -> 200"]);
}
