//! The generated Cisco AMP client: the spec against XSOAR's field names, decoding
//! of bodies with AMP's real types, and the client against a loopback server.
//!
//! The fixtures in ../shared/fixtures/cisco-amp have real field names but
//! placeholder values (mostly strings), so they check which fields the spec
//! declares, not how values decode. Decoding is checked with bodies written from
//! the reference notes' observed types (§3, §7).

use std::io::Write;
use std::time::{Duration, Instant};

use cisco_amp::types::*;
use cisco_amp::{Client, Envelope};
use futures::TryStreamExt;
use integration_tests::{amp_event, fixture};
use secgen_runtime::Auth;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Which operation each fixture is a response of (method, path template).
const FIXTURES: &[(&str, &str, &str)] = &[
    ("amp_event_collector_incidents_response_1.json", "get", "/events"),
    ("amp_event_collector_incidents_response_2.json", "get", "/events"),
    ("amp_event_collector_incidents_response_3.json", "get", "/events"),
    ("ampv2_incidents_response_1.json", "get", "/events"),
    ("ampv2_incidents_response_2.json", "get", "/events"),
    ("ampv2_incidents_response_3.json", "get", "/events"),
    ("ampv2_incidents_response_4.json", "get", "/events"),
    ("event_list_response.json", "get", "/events"),
    ("ampv2_event_list_response.json", "get", "/events"),
    ("ampv2_event_type_list_response.json", "get", "/event_types"),
    ("computer_list_response.json", "get", "/computers"),
    ("ampv2_computer_get_response.json", "get", "/computers/{connector_guid}"),
    ("computer_move_response.json", "patch", "/computers/{connector_guid}"),
    ("ampv2_computer_delete_response.json", "delete", "/computers/{connector_guid}"),
    ("computer_delete_fail_response.json", "delete", "/computers/{connector_guid}"),
    ("computer_trajectory_response.json", "get", "/computers/{connector_guid}/trajectory"),
    ("ampv2_computer_user_trajectory_response.json", "get", "/computers/{connector_guid}/user_trajectory"),
    ("computer_user_activity_response.json", "get", "/computers/user_activity"),
    ("computer_activity_response.json", "get", "/computers/activity"),
    ("computer_vulnerabilities_response.json", "get", "/computers/{connector_guid}/vulnerabilities"),
    ("ampv2_isolation_response.json", "get", "/computers/{connector_guid}/isolation"),
    ("group_list_response.json", "get", "/groups"),
    ("group_response.json", "get", "/groups/{group_guid}"),
    ("group_delete_response.json", "delete", "/groups/{group_guid}"),
    ("ampv2_group_delete_fail_response.json", "delete", "/groups/{group_guid}"),
    ("policy_list_response.json", "get", "/policies"),
    ("ampv2_policy_get_response.json", "get", "/policies/{policy_guid}"),
    ("file_list_application_blocking_response.json", "get", "/file_lists/application_blocking"),
    ("ampv2_file_list_simple_custom_detections_response.json", "get", "/file_lists/simple_custom_detections"),
    ("ampv2_file_list_list_response.json", "get", "/file_lists/{file_list_guid}"),
    ("file_list_item_list_response.json", "get", "/file_lists/{file_list_guid}/files"),
    ("file_list_item_get_response.json", "get", "/file_lists/{file_list_guid}/files/{sha256}"),
    ("ampv2_file_list_item_delete_response.json", "delete", "/file_lists/{file_list_guid}/files/{sha256}"),
    ("file_list_item_delete_fail_response.json", "delete", "/file_lists/{file_list_guid}/files/{sha256}"),
    ("ampv2_vulnerability_list_response.json", "get", "/vulnerabilities"),
    ("vulnerability_get_response.json", "get", "/vulnerabilities/{sha256}/computers"),
    ("indicator_list_response.json", "get", "/indicators"),
    ("ampv2_indicator_get_response.json", "get", "/indicators/{indicator_guid}"),
    ("app_trajectory_query_response.json", "get", "/app_trajectory/queries"),
];

/// Fixtures of an operation no source documents, so no spec response to check.
const UNMAPPED: &[&str] = &["ampv2_license_get_response.json"];

mod field_coverage {
    use super::*;

    fn spec() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/cisco-amp/spec.yaml");
        yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// Follows a local `$ref` (`#/components/...`).
    fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = reference.trim_start_matches('#').split('/').skip(1).fold(spec, |node, key| &node[key]);
                resolve(spec, target)
            }
            None => node,
        }
    }

    /// Every schema a value may be checked against: the schema itself and, through
    /// `allOf`/`oneOf`/`anyOf`, its parts.
    fn parts<'a>(spec: &'a Value, schema: &'a Value) -> Vec<&'a Value> {
        let schema = resolve(spec, schema);
        let mut all = vec![schema];
        for keyword in ["allOf", "oneOf", "anyOf"] {
            for member in schema[keyword].as_array().into_iter().flatten() {
                all.extend(parts(spec, member));
            }
        }
        all
    }

    /// The key paths of `value` that `schema` does not declare.
    fn undeclared(spec: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let parts = parts(spec, schema);
        match value {
            Value::Object(map) => {
                let open = parts.iter().any(|part| part["additionalProperties"] == json!(true))
                    || parts.iter().all(|part| {
                        part.get("properties").is_none_or(|p| p.as_object().unwrap().is_empty())
                            && part.get("type").and_then(Value::as_str) == Some("object")
                    });
                for (key, inner) in map {
                    let declared = parts.iter().find_map(|part| part["properties"].get(key));
                    match declared {
                        Some(property) => undeclared(spec, property, inner, &format!("{at}.{key}"), out),
                        None if open => {}
                        None => out.push(format!("{at}.{key}")),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = parts.iter().find_map(|part| part.get("items")) {
                    for item in items {
                        undeclared(spec, item_schema, item, &format!("{at}[]"), out);
                    }
                }
            }
            _ => {}
        }
    }

    /// The schema of an operation's success response.
    fn response_schema<'a>(spec: &'a Value, method: &str, path: &str) -> &'a Value {
        let responses = &spec["paths"][path][method]["responses"];
        let (_, response) = responses.as_object().unwrap().iter().find(|(status, _)| status.starts_with('2')).unwrap();
        &resolve(spec, response)["content"]["application/json"]["schema"]
    }

    #[test]
    fn every_fixture_field_is_declared_by_its_response() {
        let spec = spec();
        let mut missing = Vec::new();
        for (file, method, path) in FIXTURES {
            let body: Value = serde_json::from_str(fixture("cisco-amp", file).trim_start_matches('\u{feff}')).unwrap();
            let schema = response_schema(&spec, method, path);
            assert!(!schema.is_null(), "{method} {path} has no JSON response");
            let mut fields = Vec::new();
            undeclared(&spec, schema, &body, "", &mut fields);
            missing.extend(fields.into_iter().map(|field| format!("{file}: {field}")));
        }
        assert!(missing.is_empty(), "fields the spec does not declare:\n{}", missing.join("\n"));
    }

    #[test]
    fn every_fixture_is_accounted_for() {
        let dir = integration_tests::shared().join("fixtures/cisco-amp");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") {
                let mapped = FIXTURES.iter().any(|(file, ..)| *file == name) || UNMAPPED.contains(&name.as_str());
                assert!(mapped, "{name} is neither checked nor listed as unmapped");
            }
        }
    }

    #[test]
    fn the_checker_finds_undeclared_fields() {
        let spec = spec();
        let body = json!({"version": "v1.2.0", "data": [{"connector_guid": "c", "invented_field": 1}]});
        let mut fields = Vec::new();
        undeclared(&spec, response_schema(&spec, "get", "/computers"), &body, "", &mut fields);
        assert_eq!(fields, [".data[].invented_field"]);
    }
}

#[test]
fn events_with_amps_real_types_decode_without_loss() {
    let big_id = 6_815_440_342_926_950_405_i64;
    let body = json!({"version": "v1.2.0", "metadata": {"links": {"self": "https://api.amp.cisco.com/v1/events"}, "results": {"total": 1, "current_item_count": 1, "index": 0, "items_per_page": 500}}, "data": [amp_event(big_id, 0)]});
    let page: Envelope<Vec<Event>> = serde_json::from_value(body.clone()).unwrap();
    let event = &page[0];
    assert_eq!(event.id, Some(big_id), "an int64 beyond 2^53 is exact");
    assert_eq!(event.timestamp, Some(1_718_000_000));
    assert_eq!(event.severity, Some(Severity::Medium));
    assert_eq!(event.computer.as_ref().unwrap().active, Some(true));
    assert_eq!(event.file.as_ref().unwrap().parent.as_ref().unwrap().process_id, Some(4242));
    assert!(event.additional_properties.contains_key("cloud_ioc"), "unknown fields are kept");
    assert_eq!(page.metadata.as_ref().unwrap().results.as_ref().unwrap().total, 1);

    // Everything comes back as it was, except the date, now in UTC's `Z` form.
    let mut expected = body["data"][0].clone();
    expected["date"] = json!("2024-06-10T06:13:20Z");
    assert_eq!(serde_json::to_value(event).unwrap(), expected);
}

#[test]
fn computers_with_real_types_decode_and_ignore_unknown_fields() {
    let body = json!({
        "connector_guid": "af3c0a45-1a5e-4a6d-9a9e-3c2f1d0c5b7e", "hostname": "WIN-ENG-042", "windows_processor_id": "3e0527a4d372b6ee",
        "active": true, "connector_version": "8.2.1.21650", "operating_system": "Windows 10, SP 0.0", "internal_ips": ["10.0.4.42"],
        "external_ip": "203.0.113.7", "group_guid": "b077d6bc-bbdf-42f7-8838-a06053fbd98a", "install_date": "2023-01-12T09:30:11Z",
        "network_addresses": [{"mac": "00:50:56:a1:b2:c3", "ip": "10.0.4.42"}], "policy": {"guid": "89912c9e-8dbd-4c2b-a1d8-dee8a0c2bb29", "name": "Audit"},
        "last_seen": "2024-06-10T06:00:00Z", "faults": [], "isolation": {"available": true, "status": "not_isolated"}, "orbital": {"status": "enabled"},
        "links": {"computer": "https://api.amp.cisco.com/v1/computers/af3c", "trajectory": "https://api.amp.cisco.com/v1/computers/af3c/trajectory", "group": "https://api.amp.cisco.com/v1/groups/b077"}
    });
    let mut with_new_field = body.clone();
    with_new_field["added_next_year"] = json!({"anything": 1});
    let computer: Computer = serde_json::from_value(with_new_field).unwrap();
    assert_eq!(computer.isolation.as_ref().unwrap().status, Some(IsolationStatus::NotIsolated));
    assert_eq!(serde_json::to_value(&computer).unwrap(), body);
}

const CLIENT_ID: &str = "a1b2c3d4e5f6a7b8c9d0";
const API_KEY: &str = "00000000-1111-2222-3333-444444444444";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1", server.uri())).auth(Auth::basic(CLIENT_ID, API_KEY)).build().unwrap()
}

/// One page of events as AMP links them: `next` carries offset, limit and the filters.
fn event_page(server: &MockServer, ids: &[i64], next_offset: Option<u64>, total: u64) -> Value {
    let mut links = json!({"self": format!("{}/v1/events?limit=2", server.uri())});
    if let Some(offset) = next_offset {
        links["next"] =
            json!(format!("{}/v1/events?event_type%5B%5D=1090519054&limit=2&offset={offset}", server.uri()));
    }
    let data: Vec<Value> = ids.iter().map(|id| amp_event(*id, *id)).collect();
    json!({"version": "v1.2.0", "metadata": {"links": links, "results": {"total": total, "current_item_count": ids.len(), "items_per_page": 2}}, "data": data})
}

#[tokio::test]
async fn a_three_page_event_stream_yields_every_event_once_with_the_exact_basic_header() {
    let server = MockServer::start().await;
    // base64("a1b2c3d4e5f6a7b8c9d0:00000000-1111-2222-3333-444444444444")
    let basic = "Basic YTFiMmMzZDRlNWY2YTdiOGM5ZDA6MDAwMDAwMDAtMTExMS0yMjIyLTMzMzMtNDQ0NDQ0NDQ0NDQ0";
    // The first page is asked for with offset 0; the others follow the `next` links.
    let pages = [("0", vec![1, 2], Some(2)), ("2", vec![3, 4], Some(4)), ("4", vec![5], None)];
    for (offset, ids, next) in pages {
        Mock::given(method("GET"))
            .and(path("/v1/events"))
            .and(header("authorization", basic))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset))
            .and(query_param("event_type[]", "1090519054"))
            .respond_with(ResponseTemplate::new(200).set_body_json(event_page(&server, &ids, next, 5)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let params =
        ListEventsParams { limit: Some(2), event_type: Some(vec![1_090_519_054]), offset: None, ..Default::default() };
    let ids: Vec<i64> =
        client(&server).list_events_stream(&params).map_ok(|event| event.id.unwrap()).try_collect().await.unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_401_surfaces_the_amp_error_envelope() {
    let server = MockServer::start().await;
    let body = json!({"version": null, "data": {}, "errors": [{"error_code": 401, "description": "Unauthorized", "details": ["Unknown API key or Client ID"]}]});
    Mock::given(path("/v1/computers"))
        .respond_with(ResponseTemplate::new(401).set_body_json(body))
        .mount(&server)
        .await;
    let error = client(&server).list_computers(&Default::default()).await.unwrap_err();
    let Some(envelope) = error.error_body::<cisco_amp::vendor::ErrorBody>() else { panic!("{error:?}") };
    assert_eq!(envelope.errors[0].error_code, Some(401));
    assert_eq!(envelope.errors[0].description.as_deref(), Some("Unauthorized"));
    assert_eq!(envelope.errors[0].details, ["Unknown API key or Client ID"]);
    assert!(
        error.to_string().contains("listComputers: HTTP 401 Unauthorized: Unauthorized (Unknown API key or Client ID)"),
        "{error}"
    );
    assert!(!format!("{error:?} {error}").contains(API_KEY));
}

#[tokio::test]
async fn a_429_waits_for_the_rate_limit_reset_then_succeeds() {
    let server = MockServer::start().await;
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(path("/v1/event_types"))
        .respond_with(move |_: &Request| {
            if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                ResponseTemplate::new(429)
                    .insert_header("x-ratelimit-limit", "3000")
                    .insert_header("x-ratelimit-remaining", "0")
                    .insert_header("x-ratelimit-reset", "1")
                    .set_body_json(json!({"version": "v1.2.0", "data": {}, "errors": [{"error_code": 429, "description": "Too Many Requests", "details": []}]}))
            } else {
                ResponseTemplate::new(200)
                    .insert_header("x-ratelimit-remaining", "2999")
                    .set_body_json(json!({"version": "v1.2.0", "metadata": {"links": {"self": "x"}, "results": {"total": 1}}, "data": [{"id": 1_090_519_054, "name": "Threat Detected", "description": "An engine detected a threat"}]}))
            }
        })
        .mount(&server)
        .await;
    let started = Instant::now();
    let response = client(&server).list_event_types().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}; the reset was 1 s", started.elapsed());
    assert_eq!(response.rate_limit().unwrap().remaining, Some(2999));
    assert_eq!(response.data[0].name, "Threat Detected");
    assert_eq!(response.version.as_deref(), Some("v1.2.0"));
}

#[tokio::test]
async fn gzip_is_asked_for_and_decoded() {
    let server = MockServer::start().await;
    let body = json!({"version": "v1.2.0", "metadata": {"links": {"self": "x"}}, "data": {"available": true, "status": "isolated", "comment": "incident 42"}});
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body.to_string().as_bytes()).unwrap();
    Mock::given(path("/v1/computers/c1/isolation"))
        .and(header("accept-encoding", "gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_raw(encoder.finish().unwrap(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let isolation = client(&server).get_isolation("c1").await.unwrap().into_inner().into_data();
    assert_eq!(isolation.status, Some(IsolationStatus::Isolated));
    assert_eq!(isolation.comment.as_deref(), Some("incident 42"));
}

/// The create response as CiscoSecurity's pika example shows it (its values
/// replaced): the only response that carries the AMQP password.
#[tokio::test]
async fn a_new_event_streams_password_never_prints_but_is_there_to_connect() {
    let server = MockServer::start().await;
    let password = "pW-3x4mpl3-n0t-r34l";
    let created = json!({
        "version": "v1.2.0",
        "metadata": {"links": {"self": format!("{}/v1/event_streams", server.uri())}},
        "data": {
            "id": 17,
            "name": "siem-feed",
            "amqp_credentials": {
                "user_name": "17-a1b2c3d4e5f6a7b8c9d0", "queue_name": "event_stream_17",
                "password": password, "host": "export-streaming.amp.cisco.com", "port": "443", "proto": "https"
            }
        }
    });
    Mock::given(method("POST"))
        .and(path("/v1/event_streams"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .mount(&server)
        .await;
    let body = EventStreamCreate { name: "siem-feed".to_owned(), event_type: Some(vec![1090519054]), group_guid: None };
    let response = client(&server).create_event_stream(&body).await.unwrap();
    let stream = response.body().data.clone();
    let printed = format!("{response:?} {stream:#?}");
    assert!(!printed.contains(password), "{printed}");
    assert!(printed.contains("***"), "{printed}");
    let credentials = stream.amqp_credentials.unwrap();
    assert_eq!(credentials.password.as_ref().map(|secret| secret.expose()), Some(password));
    assert_eq!(credentials.host.as_deref(), Some("export-streaming.amp.cisco.com"));
    let sent: Value = serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"name": "siem-feed", "event_type": [1090519054]}));
}

#[tokio::test]
async fn the_isolation_probe_is_an_options_request_whose_allow_header_answers() {
    let server = MockServer::start().await;
    Mock::given(method("OPTIONS"))
        .and(path("/v1/computers/00000000-0000-0000-0000-000000000001/isolation"))
        .respond_with(ResponseTemplate::new(200).insert_header("allow", "GET, PUT, DELETE"))
        .mount(&server)
        .await;
    let response = client(&server).get_isolation_availability("00000000-0000-0000-0000-000000000001").await.unwrap();
    let allowed = response.headers().get("allow").unwrap().to_str().unwrap();
    assert!(allowed.split(", ").any(|verb| verb == "PUT"), "isolation can be started: {allowed}");
}

#[tokio::test]
async fn a_trajectory_window_is_sent_as_rfc_3339_times() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/computers/guid-1/trajectory"))
        .and(query_param("start_time", "2026-11-30T10:00:00Z"))
        .and(query_param("end_time", "2026-11-30T12:00:00Z"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"version": "v1.2.0", "data": {"events": []}})))
        .mount(&server)
        .await;
    let params = GetComputerTrajectoryParams {
        start_time: Some("2026-11-30T10:00:00Z".parse().unwrap()),
        end_time: Some("2026-11-30T12:00:00Z".parse().unwrap()),
        ..Default::default()
    };
    let trajectory = client(&server).get_computer_trajectory("guid-1", &params).await.unwrap();
    assert_eq!(trajectory.body().data.events.as_deref(), Some(&[][..]));
}
