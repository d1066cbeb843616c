//! "Page all AMP events": a SIEM forwarder's loop over Cisco AMP's event list.

use cisco_amp::fake::Fake;
use cisco_amp::types::{Event, ListEventsParams};
use cisco_amp::{Client, Result};
use futures::TryStreamExt;
use secgen_runtime::{RetryPolicy, StatusCode};

/// The code under test: every event since a start time, across pages.
async fn all_events(client: &Client, since: &str) -> Result<Vec<Event>> {
    let params = ListEventsParams { start_date: Some(since.parse().expect("a date")), ..Default::default() };
    client.list_events_stream(&params).try_collect().await
}

fn events(count: i64) -> Vec<Event> {
    (0..count).map(|id| Event { id: Some(7_000_000_000_000_000_000 + id), ..Default::default() }).collect()
}

#[tokio::test]
async fn all_events_are_paged_through_a_429_in_the_middle() {
    let fake = Fake::start().await;
    fake.list_events().returns(events(1200));
    fake.list_events().fails(StatusCode::TOO_MANY_REQUESTS).on_call(2).once();

    let pulled = all_events(&fake.client(), "2024-06-10T00:00:00Z").await.unwrap();

    assert_eq!(pulled, events(1200));
    // Pages of 500 (AMP's default), the second asked for twice: the 429, then its retry.
    let calls = fake.list_events().calls();
    let offsets: Vec<Option<&str>> = calls.iter().map(|call| call.query("offset")).collect();
    assert_eq!(offsets, [Some("0"), Some("500"), Some("500"), Some("1000")]);
    assert!(calls.iter().all(|call| call.query("start_date").is_some()), "next links keep the filter");
}

#[tokio::test]
async fn a_429_carries_amps_rate_limit_headers_and_error_envelope() {
    let fake = Fake::start().await;
    fake.list_events().fails(StatusCode::TOO_MANY_REQUESTS).retry_after(std::time::Duration::from_secs(2635));
    let client = fake.client_builder().retry(RetryPolicy::disabled()).build().unwrap();

    let error = all_events(&client, "2024-06-10T00:00:00Z").await.unwrap_err();

    let api_error = error.api_error().expect("an HTTP error");
    assert_eq!(api_error.status(), StatusCode::TOO_MANY_REQUESTS);
    let limit = api_error.rate_limit().expect("X-RateLimit-* headers");
    assert_eq!((limit.limit, limit.remaining), (Some(3000), Some(0)));
    assert_eq!(limit.reset, Some(std::time::Duration::from_secs(2635)));
    let body = error.error_body::<cisco_amp::vendor::ErrorBody>().expect("AMP's error envelope");
    assert_eq!(body.errors[0].error_code, Some(429));
}

#[tokio::test]
async fn expired_credentials_are_a_401_in_amps_error_envelope() {
    let fake = Fake::start().await;
    fake.list_events().returns(events(3));
    assert_eq!(all_events(&fake.client(), "2024-06-10T00:00:00Z").await.unwrap().len(), 3);

    fake.expire_credentials();
    let error = all_events(&fake.client(), "2024-06-10T00:00:00Z").await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    let body = error.error_body::<cisco_amp::vendor::ErrorBody>().expect("AMP's error envelope");
    assert_eq!(body.version, None, "AMP's 401 has no version");
    assert_eq!(body.errors[0].details, ["the credentials have expired"]);
}

#[tokio::test]
async fn one_objects_answer_comes_in_the_envelope_and_calls_are_typed() {
    let fake = Fake::start().await;
    fake.get_computer().when_path_param("connector_guid", "guid-1").succeeds();
    fake.start_isolation().returns(Default::default());

    let client = fake.client();
    let computer = client.get_computer("guid-1").await.unwrap();
    assert_eq!(computer.version.as_deref(), Some("v1.2.0"));
    let body = cisco_amp::types::StartIsolationBody { unlock_code: Some("s3cret".into()), ..Default::default() };
    client.start_isolation("guid-1", &body).await.unwrap();

    let sent = fake.start_isolation().calls();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path_params["connector_guid"], "guid-1");
    assert_eq!(
        sent[0].body.as_ref().and_then(|body| body.unlock_code.as_ref()).map(|code| code.expose()),
        Some("s3cret")
    );
    assert_eq!(sent[0].header("authorization"), Some("***"), "recorded calls never show credentials");
    assert_eq!(fake.operations_called(), ["getComputer", "startIsolation"]);
}

#[tokio::test]
#[should_panic(expected = "operation `getComputer` has no stub for this request")]
async fn a_request_no_stub_answers_fails_the_test() {
    let fake = Fake::start().await;
    fake.get_computer().when_path_param("connector_guid", "guid-1").succeeds();

    let error = fake.client().get_computer("guid-2").await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_IMPLEMENTED));
    // Dropping the fake panics with the request nobody stubbed.
}
