//! Retries, rate limits and failures over real loopback HTTP, with faults injected.

mod support;

use std::time::{Duration, Instant};

use secgen_runtime::{Auth, Error, Method, Request, RetryPolicy};
use serde_json::{Value, json};
use support::{Sequence, builder, client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get(path_template: &'static str) -> Request {
    Request::new(Method::GET, "getThing", path_template)
}

async fn requests_to(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_is_retried_after_the_servers_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Sequence::new(|n| match n {
            0 => ResponseTemplate::new(429).insert_header("retry-after", "1"),
            _ => ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
        }))
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = client(&server.uri(), Auth::none()).send(get("/thing")).await.unwrap().json::<Value>().unwrap();
    assert_eq!(response.body(), &json!({"ok": true}));
    assert_eq!(requests_to(&server).await, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}, the server asked for 1 s",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_amp_rate_limit_reset_in_either_spelling() {
    for header in ["x-ratelimit-reset", "x-rate-limit-reset"] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(Sequence::new(move |n| match n {
                0 => ResponseTemplate::new(429).insert_header(header, "1").insert_header("x-ratelimit-remaining", "0"),
                _ => ResponseTemplate::new(201).insert_header("x-ratelimit-remaining", "2999").set_body_json(json!({})),
            }))
            .mount(&server)
            .await;
        let started = Instant::now();
        let post = Request::new(Method::POST, "createThing", "/things").json_body(&json!({"name": "x"}));
        let response = client(&server.uri(), Auth::none()).send(post).await.unwrap().json::<Value>().unwrap();
        assert!(started.elapsed() >= Duration::from_millis(950), "{header}: waited {:?}", started.elapsed());
        assert_eq!(response.rate_limit().unwrap().remaining, Some(2999), "rate-limit headers are on the response");
    }
}

#[tokio::test]
async fn persistent_500s_exhaust_the_retries_and_give_the_last_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Sequence::new(|n| {
            ResponseTemplate::new(500)
                .set_body_json(json!({"errors": [{"code": "internal", "message": format!("attempt {}", n + 1)}]}))
        }))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), Auth::none())
        .retry(RetryPolicy::default().max_attempts(4).backoff(Duration::from_millis(1), Duration::from_millis(2)))
        .build()
        .unwrap();
    let error: Error = client.send(get("/thing")).await.unwrap_err();
    assert_eq!(requests_to(&server).await, 4);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(error.to_string().contains("attempt 4"), "the last body is kept: {error}");
    assert!(error.is_retryable(), "a caller may still try later");
}

#[tokio::test]
async fn post_is_not_retried_on_503_and_retries_can_be_turned_off() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let error = client(&server.uri(), Auth::none())
        .send(Request::new(Method::POST, "createThing", "/things"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests_to(&server).await, 1, "POST is retried only on 429");

    let no_retries = builder(&server.uri(), Auth::none()).retry(RetryPolicy::disabled()).build().unwrap();
    no_retries.send(get("/thing")).await.unwrap_err();
    assert_eq!(requests_to(&server).await, 2, "one more request, not three");
}

/// A raw HTTP server: the first connection is cut mid-body, later ones get the
/// whole response. Returns its address and a counter of connections.
async fn server_that_resets_the_first_connection(full_body: &'static str) -> (String, support::Counter) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let connections = support::Counter::default();
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let number = counter.bump();
            tokio::spawn(async move {
                let mut request = vec![0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    full_body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                if number == 0 {
                    let _ = socket.write_all(&full_body.as_bytes()[..full_body.len() / 2]).await;
                    let _ = socket.shutdown().await;
                } else {
                    let _ = socket.write_all(full_body.as_bytes()).await;
                }
            });
        }
    });
    (address, connections)
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_for_idempotent_requests() {
    let (address, connections) = server_that_resets_the_first_connection(r#"{"items":[1,2,3],"complete":true}"#).await;
    let response = client(&address, Auth::none()).send(get("/thing")).await.unwrap().json::<Value>().unwrap();
    assert_eq!(response.body(), &json!({"items": [1, 2, 3], "complete": true}));
    assert_eq!(connections.get(), 2);

    let (address, _) = server_that_resets_the_first_connection(r#"{"id":"x"}"#).await;
    let error =
        client(&address, Auth::none()).send(Request::new(Method::POST, "createThing", "/things")).await.unwrap_err();
    assert!(matches!(error, Error::BodyCutShort { operation: "createThing", .. }), "POST is not retried: {error:?}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_body_not_a_retry() {
    let server = MockServer::start().await;
    Mock::given(path("/thing"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"items": [1, 2,"#, "application/json"))
        .mount(&server)
        .await;
    let raw = client(&server.uri(), Auth::none()).send(get("/thing")).await.unwrap();
    let error = raw.json::<Value>().unwrap_err();
    let Error::Decode { operation, status, excerpt, .. } = &error else { panic!("{error:?}") };
    assert_eq!((*operation, status.as_u16()), ("getThing", 200));
    assert_eq!(excerpt, r#"{"items": [1, 2,"#);
    assert_eq!(requests_to(&server).await, 1);
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), Auth::none()).timeout(Duration::from_millis(200)).build().unwrap();
    let error = client.send(get("/slow")).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { operation: "getThing", timeout } if timeout == Duration::from_millis(200)),
        "{error:?}"
    );
    assert_eq!(requests_to(&server).await, 3, "a timed-out GET is retried like any transient failure");
}

#[tokio::test]
async fn a_503_is_retried_although_the_rate_limit_window_resets_in_an_hour() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(Sequence::new(|n| match n {
            0 => ResponseTemplate::new(503).insert_header("x-ratelimit-reset", "2635"),
            _ => {
                ResponseTemplate::new(200).insert_header("x-ratelimit-reset", "2635").set_body_json(json!({"ok": true}))
            }
        }))
        .mount(&server)
        .await;
    let response = client(&server.uri(), Auth::none()).send(get("/thing")).await.unwrap().json::<Value>().unwrap();
    assert_eq!(response.body(), &json!({"ok": true}));
    assert_eq!(requests_to(&server).await, 2);
}

#[tokio::test]
async fn a_server_wait_beyond_the_budget_is_given_as_the_reason_to_stop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "2635"))
        .mount(&server)
        .await;
    let error = client(&server.uri(), Auth::none()).send(get("/thing")).await.unwrap_err();
    assert_eq!(requests_to(&server).await, 1, "waiting 2635 s is past the budget");
    let text = error.to_string();
    assert!(text.contains("HTTP 429"), "{text}");
    assert!(text.contains("the server asked to wait 2635 s, beyond the retry budget of 120 s"), "{text}");
    let stopped = error.api_error().and_then(|api| api.retry_stopped());
    assert!(stopped.is_some_and(|reason| reason.contains("2635 s")), "{stopped:?}");
}

/// A raw HTTP server that announces `Content-Length: 1000`, sends 100 bytes and closes.
async fn server_that_cuts_every_body_at_100_of_1000_bytes() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0_u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&[b' '; 100]).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    address
}

#[tokio::test]
async fn a_body_cut_short_says_so_with_the_bytes_received_and_announced() {
    let address = server_that_cuts_every_body_at_100_of_1000_bytes().await;
    let client = builder(&address, Auth::none()).retry(RetryPolicy::disabled()).build().unwrap();
    let error = client.send(get("/thing")).await.unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("getThing: "), "{text}");
    assert!(text.contains("cut short after 100 of 1000 bytes"), "{text}");
    assert!(error.is_retryable(), "a cut body is a transport failure");
}
