//! The generated Sophos Central client and the runtime's routing, against loopback
//! servers standing in for Sophos ID, the global host and two regional hosts.
//!
//! Bodies come from ../shared/fixtures/sophos-central (real XSOAR and Elastic test
//! data) where one exists, with hosts pointed at the loopback servers.

use futures::TryStreamExt;
use std::time::Duration;

use integration_tests::{central_collection_example, fixture};
use secgen_runtime::{ClientCredentials, JobWait, PagePosition};
use serde_json::{Value, json};
use sophos_central::types::*;
use sophos_central::{Client, Session};
use wiremock::matchers::{header, header_exists, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "central-client-secret";

/// Sophos ID, the global host and two regional hosts.
struct Sophos {
    identity: MockServer,
    global: MockServer,
    region_a: MockServer,
    region_b: MockServer,
}

impl Sophos {
    async fn start() -> Self {
        let sophos = Sophos {
            identity: MockServer::start().await,
            global: MockServer::start().await,
            region_a: MockServer::start().await,
            region_b: MockServer::start().await,
        };
        let token = serde_json::from_str::<Value>(&fixture("sophos-central", "demisto_auth_token.json")).unwrap();
        Mock::given(method("POST"))
            .and(path("/api/v2/oauth2/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(token))
            .mount(&sophos.identity)
            .await;
        sophos
    }

    fn credentials(&self) -> ClientCredentials {
        ClientCredentials::new(format!("{}/api/v2/oauth2/token", self.identity.uri()), "client-1", SECRET)
            .scope("token")
    }

    /// `whoami` from a fixture, with its hosts pointed here.
    async fn whoami(&self, file: &str, data_region: Option<&MockServer>) {
        let mut body: Value = serde_json::from_str(&fixture("sophos-central", file)).unwrap();
        body["apiHosts"]["global"] = json!(self.global.uri());
        if let Some(region) = data_region {
            body["apiHosts"]["dataRegion"] = json!(region.uri());
        }
        Mock::given(path("/whoami/v1"))
            .and(header("authorization", "Bearer xxxxxxx"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&self.global)
            .await;
    }

    async fn connect(&self) -> Session {
        Session::connect(Client::builder().base_url(self.global.uri()), self.credentials()).await.unwrap()
    }

    async fn token_requests(&self) -> usize {
        self.identity.received_requests().await.unwrap().len()
    }
}

fn alert(id: &str, severity: &str) -> Value {
    json!({"id": id, "allowedActions": ["acknowledge"], "category": "malware", "description": format!("alert {id}"),
           "product": "endpoint", "raisedAt": "2024-05-01T10:00:00.000Z", "severity": severity, "type": "Event::Endpoint::Threat::Detected"})
}

/// Alerts of one tenant on its host: the real XSOAR page with a next key, then one more.
async fn alerts_for(host: &MockServer, tenant_id: &str) {
    let first: Value = serde_json::from_str(&fixture("sophos-central", "demisto_alert_list_nextkey.json")).unwrap();
    Mock::given(path("/common/v1/alerts"))
        .and(header("x-tenant-id", tenant_id))
        .and(query_param_is_missing("pageFromKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(host)
        .await;
    Mock::given(path("/common/v1/alerts"))
        .and(header("x-tenant-id", tenant_id))
        .and(query_param("pageFromKey", "2000432653939"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"items": [alert(&format!("{tenant_id}-last"), "low")], "pages": {"size": 1, "maxSize": 100}}),
        ))
        .expect(1)
        .mount(host)
        .await;
}

fn no_header(name: &'static str) -> impl Fn(&Request) -> bool {
    move |request| request.headers.get(name).is_none()
}

#[tokio::test]
async fn a_tenant_calls_its_data_region_with_its_tenant_id_across_pages() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_tenant.json", Some(&sophos.region_a)).await;
    let tenant_id = "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f";
    alerts_for(&sophos.region_a, tenant_id).await;

    let session = sophos.connect().await;
    assert_eq!(session.identity().kind, sophos_central::vendor::IdType::Tenant);
    let client: Client = session.client().unwrap();
    let alerts: Vec<Alert> = client.list_alerts_stream(&ListAlertsParams::default()).try_collect().await.unwrap();

    let ids: Vec<&str> = alerts.iter().map(|alert| alert.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "56931431-9faf-480c-ba1d-8d7541eae259",
            "a6d0a31a-7883-4b2c-9f83-b1a248f10ffc",
            "70e3781d-c0f6-4e72-b6aa-3c3ef21f3dbb",
            "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f-last"
        ]
    );
    assert_eq!(alerts[0].severity, Some(Severity::High));
    assert_eq!(alerts[0].raised_at.unwrap().to_string(), "2020-11-04T09:31:17.546Z");
    assert!(sophos.region_b.received_requests().await.unwrap().is_empty());
    assert_eq!(sophos.token_requests().await, 1);
}

/// Tenants of a partner or organization: two pages, one tenant on each region.
async fn tenant_list(sophos: &Sophos, list_path: &str, id_header: &'static str, id: &str) -> [(String, String); 2] {
    let tenants = [
        ("0afef0e6-5df7-4cc0-b8d4-068cfd6820d1".to_owned(), sophos.region_a.uri()),
        ("1b3c5d7e-0000-4000-8000-000000000002".to_owned(), sophos.region_b.uri()),
    ];
    for (index, (tenant_id, host)) in tenants.iter().enumerate() {
        let mut tenant: Value = serde_json::from_str(&fixture("sophos-central", "demisto_tenant_get.json")).unwrap();
        tenant["id"] = json!(tenant_id);
        tenant["apiHost"] = json!(host);
        let page = (index + 1).to_string();
        Mock::given(path(list_path))
            .and(header(id_header, id))
            .and(query_param("page", page.as_str()))
            .and(query_param("pageTotal", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"items": [tenant], "pages": {"current": index + 1, "total": 2, "size": 1, "maxSize": 100}}),
            ))
            .expect(1)
            .mount(&sophos.global)
            .await;
    }
    tenants
}

async fn every_tenants_alerts(sophos: &Sophos, session: &Session) -> Vec<(String, usize)> {
    let mut counts = Vec::new();
    for tenant in session.tenants().await.unwrap() {
        let client: Client = session.tenant_client(&tenant).unwrap();
        let alerts: Vec<Alert> = client.list_alerts_stream(&Default::default()).try_collect().await.unwrap();
        counts.push((tenant.id, alerts.len()));
    }
    assert_eq!(sophos.token_requests().await, 1, "every tenant client shares the session's token");
    counts
}

#[tokio::test]
async fn a_partner_lists_its_tenants_and_calls_each_on_its_own_host() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_partner.json", None).await;
    let partner_id = "5AC55058-622D-4929-8E5D-8FF554F312FE";
    let tenants = tenant_list(&sophos, "/partner/v1/tenants", "x-partner-id", partner_id).await;
    alerts_for(&sophos.region_a, &tenants[0].0).await;
    alerts_for(&sophos.region_b, &tenants[1].0).await;

    let session = sophos.connect().await;
    let counts = every_tenants_alerts(&sophos, &session).await;
    assert_eq!(counts, [(tenants[0].0.clone(), 4), (tenants[1].0.clone(), 4)]);

    // Tenant calls carry the tenant id, never the partner id.
    for region in [&sophos.region_a, &sophos.region_b] {
        let requests = region.received_requests().await.unwrap();
        assert!(requests.iter().all(no_header("x-partner-id")));
        assert!(requests.iter().all(|request| request.headers.get("x-tenant-id").is_some()));
    }
    // The partner's own client calls the global host with X-Partner-ID.
    Mock::given(path("/partner/v1/tenants/0afef0e6-5df7-4cc0-b8d4-068cfd6820d1"))
        .and(header("x-partner-id", partner_id))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("sophos-central", "demisto_tenant_get.json"), "application/json"),
        )
        .expect(1)
        .mount(&sophos.global)
        .await;
    let partner: Client = session.client().unwrap();
    let tenant = partner.get_partner_tenant("0afef0e6-5df7-4cc0-b8d4-068cfd6820d1", &Default::default()).await.unwrap();
    assert_eq!(tenant.data_region.as_deref(), Some("eu01"));
}

/// One operation of every tenant-scoped API group (the crate's features), through
/// the real routing: the session's one token, the tenant's host from `whoami`,
/// and `X-Tenant-ID` on every call.
#[tokio::test]
async fn one_operation_of_every_tenant_api_group_goes_to_the_tenant_host_with_its_id() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_tenant.json", Some(&sophos.region_a)).await;
    let tenant_id = "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f";
    // Every field of every response is optional but these; an empty page suits each.
    let empty = json!({"items": [], "has_more": false, "next_cursor": "c1"});
    Mock::given(header("x-tenant-id", tenant_id))
        .and(header("authorization", "Bearer xxxxxxx"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .mount(&sophos.region_a)
        .await;
    let session = sophos.connect().await;
    let client: Client = session.client().unwrap();
    client.account_health(&Default::default()).await.unwrap();
    client.get_tokens(&Default::default()).await.unwrap();
    client.get_cases(&Default::default()).await.unwrap();
    client.list_profiles(&Default::default()).await.unwrap();
    client.list_alerts(&Default::default()).await.unwrap();
    client.list_locations(&Default::default()).await.unwrap();
    client.get_detection_counts(&Default::default()).await.unwrap();
    client.query_mailboxes(&Default::default()).await.unwrap();
    client.list_endpoints(&Default::default()).await.unwrap();
    client.list_of_firewalls(&Default::default()).await.unwrap();
    client.get_licenses().await.unwrap();
    client.list_categories(&Default::default()).await.unwrap();
    client.ixm_enrollment_settings().await.unwrap();
    client.list_siem_events(&Default::default()).await.unwrap();
    client.retrieve_mac_filter().await.unwrap();
    client.wi_fi_management_retrieve_mac_filter().await.unwrap();
    client.xdr_query_list_query_runs(&Default::default()).await.unwrap();
    client.get_attestation("a1", &Default::default()).await.unwrap();

    let paths: Vec<String> = sophos
        .region_a
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    let groups: std::collections::BTreeSet<&str> =
        paths.iter().map(|path| path.trim_start_matches('/').split('/').next().unwrap()).collect();
    assert_eq!(
        groups.into_iter().collect::<Vec<_>>(),
        [
            "account-health-check",
            "accounts",
            "cases",
            "cloud-security",
            "common",
            "detections",
            "dns-protection",
            "email",
            "endpoint",
            "firewall",
            "licenses",
            "live-discover",
            "mobile",
            "siem",
            "switch",
            "user-activity-verification",
            "wifi",
            "xdr-query"
        ]
    );
    assert_eq!(paths.len(), 18, "{paths:#?}");
    // Only whoami went to the global host, and one token served every call.
    assert_eq!(sophos.global.received_requests().await.unwrap().len(), 1);
    assert_eq!(sophos.token_requests().await, 1);
}

#[tokio::test]
async fn an_organization_lists_its_tenants_with_its_organization_id() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_organization.json", None).await;
    let organization_id = "C37A4BC7-715A-48FD-AE03-D184A391B136";
    let tenants = tenant_list(&sophos, "/organization/v1/tenants", "x-organization-id", organization_id).await;
    alerts_for(&sophos.region_a, &tenants[0].0).await;
    alerts_for(&sophos.region_b, &tenants[1].0).await;

    let session = sophos.connect().await;
    let counts = every_tenants_alerts(&sophos, &session).await;
    assert_eq!(counts.len(), 2);
    let regional = sophos.region_a.received_requests().await.unwrap();
    assert!(regional.iter().all(no_header("x-organization-id")));
}

#[tokio::test]
async fn siem_events_follow_cursors_and_hand_back_the_last_one() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_tenant.json", Some(&sophos.region_a)).await;
    let events: Value = serde_json::from_str(&fixture("sophos-central", "elastic_siem_events_items.json")).unwrap();
    let mut first = events.clone();
    first["has_more"] = json!(true);
    first["next_cursor"] = json!("VjJfQ1VSU09SfDIwMjItMTItMDZUMTI6Mjc6MzEuMzEwWg==");
    let mut last = events;
    last["has_more"] = json!(false);
    last["next_cursor"] = json!("VjJfQ1VSU09SfDIwMjItMTItMDZUMTI6Mjc6MzIuMDAwWg==");
    Mock::given(path("/siem/v1/events"))
        .and(query_param("from_date", "1670329651"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(first))
        .expect(1)
        .mount(&sophos.region_a)
        .await;
    Mock::given(path("/siem/v1/events"))
        .and(query_param("cursor", "VjJfQ1VSU09SfDIwMjItMTItMDZUMTI6Mjc6MzEuMzEwWg=="))
        .and(query_param_is_missing("from_date"))
        .and(header_exists("x-tenant-id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .expect(1)
        .mount(&sophos.region_a)
        .await;

    let client: Client = sophos.connect().await.client().unwrap();
    let pager =
        client.list_siem_events_stream(&ListSiemEventsParams { from_date: Some(1_670_329_651), ..Default::default() });
    let checkpoint = pager.checkpoint();
    let events: Vec<SiemEvent> = pager.try_collect().await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].r#type.as_deref(), Some("Event::Endpoint::Threat::IpsInboundDetection"));
    assert!(events[0].additional_properties.contains_key("ips_threat_data"), "event-specific data is kept");
    assert_eq!(checkpoint.get(), Some(PagePosition::Cursor("VjJfQ1VSU09SfDIwMjItMTItMDZUMTI6Mjc6MzIuMDAwWg==".into())));
}

#[tokio::test]
async fn central_error_bodies_are_parsed_and_a_401_renews_the_token_once() {
    let sophos = Sophos::start().await;
    sophos.whoami("demisto_whoami_tenant.json", Some(&sophos.region_a)).await;
    let error = json!({"error": "internalServerError", "message": "Internal Server Error.",
                       "correlationId": "2f5b8f5e-3d1a-4b8e-9d0b-5c4d3e2f1a0b", "requestId": "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f"});
    Mock::given(path("/endpoint/v1/endpoints/e1"))
        .respond_with(ResponseTemplate::new(500).set_body_json(error))
        .mount(&sophos.region_a)
        .await;
    let client: Client = sophos.connect().await.client().unwrap();
    let failure = client.get_endpoint("e1", &Default::default()).await.unwrap_err();
    let Some(body) = failure.error_body::<sophos_central::vendor::ErrorBody>() else { panic!("{failure:?}") };
    assert_eq!(body.error.as_deref(), Some("internalServerError"));
    assert_eq!(failure.api_error().unwrap().request_id(), Some("7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f"));
    assert!(
        failure
            .to_string()
            .contains("getEndpoint: HTTP 500 Internal Server Error: internalServerError: Internal Server Error."),
        "{failure}"
    );

    // The first token is rejected once; the client renews it and the retry succeeds.
    let rejected = std::sync::atomic::AtomicBool::new(false);
    Mock::given(path("/endpoint/v1/endpoints/e2/isolation"))
        .respond_with(move |_: &Request| {
            if rejected.swap(true, std::sync::atomic::Ordering::SeqCst) {
                ResponseTemplate::new(200).set_body_raw(r#"{"enabled":false,"comment":"none"}"#, "application/json")
            } else {
                ResponseTemplate::new(401).set_body_json(json!({"error": "Unauthorized", "message": "token expired", "correlationId": "c", "requestId": "r"}))
            }
        })
        .mount(&sophos.region_a)
        .await;
    let isolation = client.get_isolation("e2").await.unwrap();
    assert_eq!(isolation.enabled, Some(false));
    assert_eq!(sophos.token_requests().await, 2);
}

/// The fixture bodies decode into the spec's types and serialize back to the same
/// JSON: nothing the spec declares is lost or altered.
/// A query run of `api` (`xdr-query`, `live-discover`) on the tenant's host: the
/// collection's start and status examples under `group` (`XDR Query API`), with
/// the status example answering `states` in turn and the last one after that.
async fn query_run(host: &MockServer, api: &str, group: &str, tenant_id: &str, states: &[(&str, &str)]) -> String {
    let started = central_collection_example(&format!("{group} / Query Runs / Run query"), 201);
    let run_id = started["id"].as_str().unwrap().to_owned();
    Mock::given(method("POST"))
        .and(path(format!("/{api}/v1/queries/runs")))
        .and(header("x-tenant-id", tenant_id))
        .respond_with(ResponseTemplate::new(201).set_body_json(started))
        .expect(1)
        .mount(host)
        .await;
    let status = central_collection_example(&format!("{group} / Query Runs / Get query run"), 200);
    for (index, (state, outcome)) in states.iter().enumerate() {
        let mut body = status.clone();
        body["status"] = json!(state);
        body["result"] = json!(outcome);
        // Each answer once, the last one for good.
        let times = if index + 1 == states.len() { u64::MAX } else { 1 };
        Mock::given(method("GET"))
            .and(path(format!("/{api}/v1/queries/runs/{run_id}")))
            .and(header("x-tenant-id", tenant_id))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .up_to_n_times(times)
            .mount(host)
            .await;
    }
    run_id
}

/// Two pages of result rows in the collection's page shape.
async fn result_rows(host: &MockServer, results_path: &str, example: Value, rows: [Vec<Value>; 2]) {
    let [first, second] = rows;
    let mut page = example.clone();
    page["items"] = json!(first);
    page["pages"] = json!({"nextKey": "page-2", "size": 2, "maxSize": 2});
    Mock::given(method("GET"))
        .and(path(results_path))
        .and(query_param_is_missing("pageFromKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(1)
        .mount(host)
        .await;
    let mut last = example;
    last["items"] = json!(second);
    last["pages"] = json!({"size": 1, "maxSize": 2});
    Mock::given(method("GET"))
        .and(path(results_path))
        .and(query_param("pageFromKey", "page-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .expect(1)
        .mount(host)
        .await;
}

/// Fast polling, so the tests do not wait seconds; the limit is generous.
fn quick_wait() -> JobWait {
    JobWait::timeout(Duration::from_secs(20)).poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

async fn tenant_session(sophos: &Sophos) -> (Client, &'static str) {
    sophos.whoami("demisto_whoami_tenant.json", Some(&sophos.region_a)).await;
    (sophos.connect().await.client().unwrap(), "11f104c5-cc4a-4a9f-bb9c-632c936dfb9f")
}

#[tokio::test]
async fn an_xdr_query_runs_to_completion_and_streams_every_result_row() {
    let sophos = Sophos::start().await;
    let (client, tenant_id) = tenant_session(&sophos).await;
    let states = [("started", "notAvailable"), ("started", "notAvailable"), ("finished", "succeeded")];
    let run_id = query_run(&sophos.region_a, "xdr-query", "XDR Query API", tenant_id, &states).await;
    let example = central_collection_example("XDR Query API / Query Runs / Get results", 200);
    let rows = [
        vec![json!({"name": "a.exe", "pid": 1}), json!({"name": "b.exe", "pid": 2})],
        vec![json!({"name": "c.exe", "pid": 3})],
    ];
    result_rows(&sophos.region_a, &format!("/xdr-query/v1/queries/runs/{run_id}/results"), example, rows).await;

    let body = XdrQueryRunQueryBody {
        ad_hoc_query: Some(XdrQueryRunQueryBodyAdHocQuery { template: Some("SELECT name, pid FROM processes".into()) }),
        ..Default::default()
    };
    let results = client.xdr_query_run_query_to_completion(&body, quick_wait()).await.unwrap();
    let rows: Vec<Value> = results.try_collect().await.unwrap();

    let names: Vec<&str> = rows.iter().map(|row| row["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["a.exe", "b.exe", "c.exe"]);
    let requests = sophos.region_a.received_requests().await.unwrap();
    let polls = requests.iter().filter(|request| request.url.path() == format!("/xdr-query/v1/queries/runs/{run_id}"));
    assert_eq!(polls.count(), 3, "polled until the third answer said finished");
    assert!(requests.iter().all(|request| request.headers.get("x-tenant-id").is_some()));
}

#[tokio::test]
async fn live_discover_result_rows_keep_the_query_columns() {
    let sophos = Sophos::start().await;
    let (client, tenant_id) = tenant_session(&sophos).await;
    let run_id =
        query_run(&sophos.region_a, "live-discover", "Live Discover API", tenant_id, &[("finished", "succeeded")])
            .await;
    let example = central_collection_example("Live Discover API / Query Run Results / Get results", 200);
    let row = |host: &str, user: &str| json!({"endpointId": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "hostname": host, "username": user});
    let rows = [vec![row("WS-1", "alice"), row("WS-2", "bob")], vec![row("WS-3", "carol")]];
    result_rows(&sophos.region_a, &format!("/live-discover/v1/queries/runs/{run_id}/results"), example, rows).await;

    let body = RunQueryBody {
        ad_hoc_query: Some(RunQueryBodyAdHocQuery {
            name: Some("users".into()),
            template: Some("SELECT * FROM users".into()),
        }),
        ..Default::default()
    };
    let rows: Vec<GetResultsResponseItemsItem> =
        client.run_query_to_completion(&body, quick_wait()).await.unwrap().try_collect().await.unwrap();

    let users: Vec<(&str, &Value)> =
        rows.iter().map(|row| (row.hostname.as_deref().unwrap(), &row.additional_properties["username"])).collect();
    assert_eq!(users, [("WS-1", &json!("alice")), ("WS-2", &json!("bob")), ("WS-3", &json!("carol"))]);
}

#[tokio::test]
async fn a_query_run_that_finishes_without_success_is_an_error_naming_its_outcome() {
    let sophos = Sophos::start().await;
    let (client, tenant_id) = tenant_session(&sophos).await;
    let states = [("started", "notAvailable"), ("finished", "timedOut")];
    let run_id = query_run(&sophos.region_a, "xdr-query", "XDR Query API", tenant_id, &states).await;

    let error =
        client.xdr_query_run_query_to_completion(&XdrQueryRunQueryBody::default(), quick_wait()).await.unwrap_err();

    match &error {
        secgen_runtime::Error::JobFailed { operation, id, outcome, .. } => {
            assert_eq!(
                (*operation, id.as_deref(), outcome.as_deref()),
                ("xdrQueryRunQuery", Some(run_id.as_str()), Some("timedOut"))
            );
        }
        other => panic!("expected JobFailed, got {other}"),
    }
    let results = sophos.region_a.received_requests().await.unwrap();
    assert!(
        !results.iter().any(|request| request.url.path().ends_with("/results")),
        "no results read for a failed run"
    );
}

#[tokio::test]
async fn a_query_run_that_does_not_finish_in_time_times_out_with_its_id() {
    let sophos = Sophos::start().await;
    let (client, tenant_id) = tenant_session(&sophos).await;
    let run_id =
        query_run(&sophos.region_a, "xdr-query", "XDR Query API", tenant_id, &[("started", "notAvailable")]).await;

    let wait = JobWait::timeout(Duration::from_millis(300))
        .poll_interval(Duration::from_millis(10), Duration::from_millis(50));
    let error = client.xdr_query_run_query_to_completion(&XdrQueryRunQueryBody::default(), wait).await.unwrap_err();

    match &error {
        secgen_runtime::Error::JobTimeout { id, state, .. } => {
            assert_eq!((id.as_deref(), state.as_deref()), (Some(run_id.as_str()), Some("started")));
        }
        other => panic!("expected JobTimeout, got {other}"),
    }
    assert!(error.to_string().contains(&run_id), "{error}");
}

mod fixtures_round_trip {
    use super::*;

    /// XSOAR's test data has booleans as strings in places ("False"); the real
    /// API sends booleans (reference notes, §7). Those are restored here.
    fn restore_booleans(value: &mut Value) {
        match value {
            Value::String(text) if text == "True" || text == "False" => *value = Value::Bool(text == "True"),
            Value::Array(items) => items.iter_mut().for_each(restore_booleans),
            Value::Object(map) => map.values_mut().for_each(restore_booleans),
            _ => {}
        }
    }

    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(file: &str) {
        let mut original: Value = serde_json::from_str(&fixture("sophos-central", file)).unwrap();
        restore_booleans(&mut original);
        let decoded: T = serde_json::from_value(original.clone()).unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), original, "{file}");
    }

    fn items_round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(file: &str) {
        let original: Value = serde_json::from_str(&fixture("sophos-central", file)).unwrap();
        let decoded: Vec<T> =
            serde_json::from_value(original["items"].clone()).unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(serde_json::to_value(&decoded).unwrap(), original["items"], "{file}");
    }

    #[test]
    fn identity_and_tenants() {
        for file in [
            "demisto_whoami_tenant.json",
            "demisto_whoami_partner.json",
            "demisto_whoami_organization.json",
            "demisto_client_data.json",
        ] {
            round_trip::<WhoAmI>(file);
        }
        round_trip::<Tenant>("demisto_tenant_get.json");
        round_trip::<TenantList>("demisto_page_beyond_last.json");
        round_trip::<TenantList>("demisto_empty.json");
        round_trip::<TokenResponse>("demisto_auth_token.json");
        round_trip::<TokenResponse>("elastic_oauth_token.json");
    }

    #[test]
    fn alerts() {
        round_trip::<AlertList>("demisto_alert_list_nextkey.json");
        round_trip::<Alert>("demisto_alert_single.json");
        round_trip::<AlertAction>("demisto_alert_action.json");
    }

    #[test]
    fn endpoints() {
        round_trip::<EndpointList>("demisto_endpoint_list.json");
        round_trip::<TamperProtection>("demisto_endpoint_tamper.json");
        round_trip::<Scan>("demisto_endpoint_scan.json");
        round_trip::<BulkIsolationResponse>("demisto_isolation_bulk.json");
        round_trip::<BulkIsolationResponse>("demisto_deisolate_endpoint.json");
        round_trip::<Deleted>("demisto_deleted.json");
    }

    #[test]
    fn siem() {
        items_round_trip::<SiemEvent>("elastic_siem_events_items.json");
        items_round_trip::<SiemAlert>("elastic_siem_alerts_items.json");
    }
}
