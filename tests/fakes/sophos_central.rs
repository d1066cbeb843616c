//! "Pull all open alerts of all tenants": a partner's loop over its tenants'
//! Sophos Central alerts, and a SIEM poll that resumes from its cursor.

use futures::TryStreamExt;
use secgen_runtime::{PagePosition, StatusCode};
use serde_json::json;
use sophos_central::fake::Fake;
use sophos_central::types::{Alert, ListAlertsParams, ListSiemEventsParams, SiemEvent, Tenant};
use sophos_central::vendor::{IdType, fake::session};
use sophos_central::{Client, Result, Session};

/// The code under test: every alert of every tenant the credentials reach, with its tenant id.
async fn open_alerts_of_all_tenants(session: &Session) -> Result<Vec<(String, Alert)>> {
    let mut alerts = Vec::new();
    for tenant in session.tenants().await? {
        let client: Client = session.tenant_client(&tenant)?;
        let mut stream = client.list_alerts_stream(&ListAlertsParams::default());
        while let Some(alert) = stream.try_next().await? {
            alerts.push((tenant.id.clone(), alert));
        }
    }
    Ok(alerts)
}

/// A tenant as a test writes it: no `apiHost`, which the fake fills with its own.
fn tenant(id: &str) -> Tenant {
    serde_json::from_value(json!({"id": id, "name": format!("Tenant {id}")})).unwrap()
}

fn alerts(tenant: &str, count: usize) -> Vec<Alert> {
    (0..count)
        .map(|index| {
            serde_json::from_value(json!({"id": format!("{tenant}-alert-{index}"), "severity": "high"})).unwrap()
        })
        .collect()
}

#[tokio::test]
async fn alerts_of_every_tenant_through_a_429_and_an_expired_token() {
    let fake = Fake::start().await;
    fake.list_partner_tenants().page_size(1).returns([tenant("t1"), tenant("t2")]);
    fake.list_alerts().when_header("x-tenant-id", "t1").returns(alerts("t1", 250));
    fake.list_alerts().when_header("x-tenant-id", "t2").returns(alerts("t2", 3));
    fake.list_alerts().fails(StatusCode::TOO_MANY_REQUESTS).on_call(2).once();
    let session = session(&fake, Client::builder(), IdType::Partner).await.unwrap();

    let pulled = open_alerts_of_all_tenants(&session).await.unwrap();

    let expected: Vec<(String, Alert)> = [("t1", 250), ("t2", 3)]
        .into_iter()
        .flat_map(|(id, count)| alerts(id, count).into_iter().map(move |alert| (id.to_owned(), alert)))
        .collect();
    assert_eq!(pulled, expected);
    // Tenants page by number (one per page here), alerts by key: t1's three pages, the
    // second twice (the 429 and its retry), then t2's one.
    let tenant_pages: Vec<_> =
        fake.list_partner_tenants().calls().iter().map(|call| call.query("page").map(str::to_owned)).collect();
    assert_eq!(tenant_pages, [Some("1".to_owned()), Some("2".to_owned())]);
    let keys: Vec<_> =
        fake.list_alerts().calls().iter().map(|call| call.query("pageFromKey").map(str::to_owned)).collect();
    assert_eq!(keys, [None, Some("k100".to_owned()), Some("k100".to_owned()), Some("k200".to_owned()), None]);
    assert!(fake.list_alerts().calls().iter().all(|call| call.header("x-partner-id").is_none()));

    // The token expires: the client fetches a new one and the same pull succeeds.
    fake.expire_credentials();
    assert_eq!(open_alerts_of_all_tenants(&session).await.unwrap(), expected);
    assert_eq!(fake.tokens_issued(), 2);
}

#[tokio::test]
async fn an_organizations_default_tenant_lives_on_the_fake() {
    let fake = Fake::start().await;
    fake.list_organization_tenants().succeeds();
    fake.list_alerts().succeeds();
    let session = session(&fake, Client::builder(), IdType::Organization).await.unwrap();

    let pulled = open_alerts_of_all_tenants(&session).await.unwrap();

    assert_eq!(pulled.len(), 1, "the default page holds one alert");
    assert_eq!(fake.list_alerts().calls()[0].header("x-tenant-id"), Some("string"));
    assert_eq!(fake.list_organization_tenants().calls()[0].header("x-organization-id"), Some("fake-organization"));
}

#[tokio::test]
async fn a_refused_call_reads_as_centrals_gateway_error() {
    let fake = Fake::start().await;
    fake.list_alerts().fails(StatusCode::FORBIDDEN);
    let session = session(&fake, Client::builder(), IdType::Tenant).await.unwrap();
    let client: Client = session.client().unwrap();

    let error = client.list_alerts(&ListAlertsParams::default()).await.unwrap_err();

    let body = error.error_body::<sophos_central::vendor::ErrorBody>().expect("the gateway's error body");
    assert_eq!(body.error.as_deref(), Some("forbidden"));
    assert_eq!(fake.list_alerts().calls()[0].header("x-tenant-id"), Some("fake-tenant"));
}

#[tokio::test]
async fn a_siem_poll_resumes_from_its_cursor() {
    let fake = Fake::start().await;
    let events: Vec<SiemEvent> =
        (0..5).map(|index| serde_json::from_value(json!({"id": format!("event-{index}")})).unwrap()).collect();
    fake.list_siem_events().page_size(2).returns(events.clone());
    let session = session(&fake, Client::builder(), IdType::Tenant).await.unwrap();
    let client: Client = session.client().unwrap();

    let first_poll =
        client.list_siem_events_stream(&ListSiemEventsParams { from_date: Some(1_700_000_000), ..Default::default() });
    let checkpoint = first_poll.checkpoint();
    let pulled: Vec<SiemEvent> = first_poll.try_collect().await.unwrap();
    assert_eq!(pulled, events);
    let Some(PagePosition::Cursor(cursor)) = checkpoint.get() else { panic!("a cursor to resume from") };

    let next_poll = ListSiemEventsParams { cursor: Some(cursor), ..Default::default() };
    let nothing_new: Vec<SiemEvent> = client.list_siem_events_stream(&next_poll).try_collect().await.unwrap();
    assert!(nothing_new.is_empty());
    let cursors: Vec<_> =
        fake.list_siem_events().calls().iter().map(|call| call.query("cursor").map(str::to_owned)).collect();
    assert_eq!(cursors, [None, Some("c2".to_owned()), Some("c4".to_owned()), Some("c5".to_owned())]);
}
