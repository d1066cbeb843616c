//! No secret in Debug, Display, error or log output.
//!
//! Alone in its test binary: it installs the process-wide `tracing` subscriber,
//! which other tests running in parallel would otherwise share.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use secgen_runtime::{Auth, ClientCredentials, Method, Request, Secret};
use serde_json::json;
use support::{builder, client};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "bearer-token-0123456789";
const API_KEY: &str = "amp-api-key-9876543210";
const CLIENT_SECRET: &str = "central-client-secret-abcdef";
/// A secret a spec sends as a query parameter (an invitation token).
const QUERY_SECRET: &str = "invite-token-5678-efgh";
/// base64("client-id:amp-api-key-9876543210"), what HTTP Basic would put on the wire.
const BASIC_ON_THE_WIRE: &str = "Y2xpZW50LWlkOmFtcC1hcGkta2V5LTk4NzY1NDMyMTA=";

fn assert_no_secret(text: &str) {
    for secret in [TOKEN, API_KEY, CLIENT_SECRET, BASIC_ON_THE_WIRE, "token-from-identity", QUERY_SECRET] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

/// Everything `tracing` prints, at every level, into a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_appears_in_debug_errors_or_logs() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "token-from-identity", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/fail"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"errors": [{"code": "forbidden", "message": "No access"}]})),
        )
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let credentials = ClientCredentials::new(format!("{}/oauth2/token", server.uri()), "client-1", CLIENT_SECRET);
    for auth in [Auth::bearer(TOKEN), Auth::basic("client-id", API_KEY), Auth::client_credentials(credentials.clone())]
    {
        assert_no_secret(&format!("{auth:?}"));
        let configured = builder(&server.uri(), auth.clone());
        assert_no_secret(&format!("{configured:?}"));
        let client = client(&server.uri(), auth);
        assert_no_secret(&format!("{client:?}"));
        let error = client.send(Request::new(Method::GET, "forbiddenThing", "/fail")).await.unwrap_err();
        assert_no_secret(&format!("{error:?} {error}"));
    }
    assert_no_secret(&format!("{credentials:?}"));

    // URL credentials next to explicit auth: dropped with a warning that names neither.
    let url_with_key = server.uri().replacen("http://", &format!("http://client-id:{API_KEY}@"), 1);
    let overridden = builder(&url_with_key, Auth::bearer(TOKEN));
    assert_no_secret(&format!("{overridden:?}"));
    let overridden = overridden.build().unwrap();
    assert_no_secret(&format!("{overridden:?}"));

    // A secret in the query string: a connection failure's error quotes no URL.
    let closed = client("http://127.0.0.1:9", Auth::none());
    let consume =
        Request::new(Method::GET, "consumeInvite", "/invites/consume").query("token", &Secret::new(QUERY_SECRET));
    let error = closed.send(consume).await.unwrap_err();
    assert!(matches!(error, secgen_runtime::Error::Transport { .. }), "{error:?}");
    assert_no_secret(&format!("{error:?} {error}"));

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("operation=\"forbiddenThing\"") && logs.contains("status=403"), "spans are recorded: {logs}");
    assert!(logs.contains("the base URL has credentials"), "the dropped URL credentials are warned about: {logs}");
    assert_no_secret(&logs);
}
