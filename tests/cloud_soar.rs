//! The generated Cloud SOAR (legacy v3) client against a loopback server.
//!
//! No real Cloud SOAR response body is public (reference notes §5; the fixtures
//! folder has none), so every body here is SYNTHETIC: shaped from the reference's
//! sketches of what Sumo Logic's own scripts read (`{name, value}` fields, epoch
//! seconds, bare arrays).

use cloud_soar::types::*;
use cloud_soar::{Client, Field, Patch};
use secgen_runtime::{Auth, Error, GenericErrorBody};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiYXBpIiwiZXhwIjpudWxsfQ.c2lnbmF0dXJl";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/incmansuite_ng/api/v3", server.uri()))
        .allow_http()
        .auth(Auth::bearer(JWT))
        .build()
        .unwrap()
}

/// SYNTHETIC: an incident as [SC]'s "Get Incident" script reads it.
fn incident(id: Value) -> Value {
    json!({
        "id": id,
        "incidentid": {"name": "Incident ID", "value": "INSIGHT-26022"},
        "description": {"name": "Description", "value": "Suspicious login from a new country"},
        "status": {"name": "Status", "value": "Identification"},
        "incident_category": {"name": "Category", "value": "General"},
        "type": {"name": "Type", "value": ["CSE"]},
        "tags": {"name": "Tags", "value": ["phishing", "vip"]},
        "owner": {"name": "Owner", "value": "Admins (group)"},
        "starttime": {"name": "Start time", "value": 1_700_000_000},
        "endtime": {"name": "End time", "value": null},
        "is_deleted": {"name": "Deleted", "value": false},
        "opt_7": {"name": "Business unit", "value": "EMEA"}
    })
}

#[test]
fn the_base_url_is_required_and_must_be_https() {
    let error = Client::builder().auth(Auth::bearer(JWT)).build().unwrap_err();
    assert!(
        matches!(&error, Error::Config(message) if message.contains("cloud-soar has no default base URL")),
        "{error}"
    );
    let error = Client::builder().base_url("http://soar.example.com/incmansuite_ng/api/v3").build().unwrap_err();
    assert!(error.to_string().contains("is not https"), "{error}");
    assert!(Client::builder().base_url("https://soar.example.com/incmansuite_ng/api/v3").build().is_ok());
    assert!(Client::builder().base_url("http://127.0.0.1:9/incmansuite_ng/api/v3").allow_http().build().is_ok());
}

#[tokio::test]
async fn get_incident_sends_the_jwt_and_decodes_field_wrapped_values() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/incmansuite_ng/api/v3/incidents/8508/"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(incident(json!(8508))))
        .expect(1)
        .mount(&server)
        .await;
    let incident = client(&server).get_incident(8508).await.unwrap().into_inner();
    assert_eq!(incident.id, Some(IncidentId::Integer(8508)));
    assert_eq!(incident.status.as_ref().and_then(Field::as_str), Some("Identification"));
    assert_eq!(incident.tags.as_ref().and_then(Field::as_strings), Some(vec!["phishing", "vip"]));
    assert_eq!(incident.starttime.as_ref().and_then(Field::as_datetime).unwrap().to_string(), "2023-11-14T22:13:20Z");
    assert_eq!(incident.endtime.as_ref().unwrap().value, Value::Null);
    assert_eq!(incident.additional_properties["opt_7"].as_str(), Some("EMEA"), "tenant fields are kept");
    assert_eq!(serde_json::to_value(&incident).unwrap(), self::incident(json!(8508)), "nothing is lost");
}

#[tokio::test]
async fn the_incident_list_decodes_as_a_bare_array_or_in_data() {
    for (body, wrapped) in [
        (json!([incident(json!(1)), incident(json!({"name": "ID", "value": 2}))]), false),
        (json!({"data": [incident(json!(1)), incident(json!(2))], "total": 2}), true),
    ] {
        let server = MockServer::start().await;
        Mock::given(path("/incmansuite_ng/api/v3/incidents/"))
            .and(query_param("only_involved", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let list = client(&server)
            .list_incidents(&ListIncidentsParams { only_involved: Some(true) })
            .await
            .unwrap()
            .into_inner();
        let incidents = match list {
            IncidentList::Array(incidents) => {
                assert!(!wrapped);
                assert_eq!(
                    incidents[1].id,
                    Some(IncidentId::Field(Field { name: Some("ID".into()), value: json!(2) }))
                );
                incidents
            }
            IncidentList::Object(page) => {
                assert!(wrapped);
                page.data
            }
        };
        assert_eq!(incidents.len(), 2);
    }
}

#[tokio::test]
async fn an_update_sends_only_the_changed_fields() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/incmansuite_ng/api/v3/incidents/8508/"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"status": "Closed", "endtime": null, "tags": ["phishing"]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(incident(json!(8508))))
        .expect(1)
        .mount(&server)
        .await;
    let update = IncidentInputUpdate {
        status: Patch::Set("Closed".into()),
        endtime: Patch::Unset,
        tags: Patch::Set(vec!["phishing".into()]),
        ..Default::default()
    };
    client(&server).update_incident(8508, &update).await.unwrap();
}

#[tokio::test]
async fn create_posts_plain_values() {
    let server = MockServer::start().await;
    let created = incident(json!(8509));
    Mock::given(method("POST"))
        .and(path("/incmansuite_ng/api/v3/incidents/"))
        .and(body_json(json!({"description": "Phishing wave", "status": "Identification", "owner": "Admins (group)",
                              "type": ["CSE"], "starttime": 1_700_000_000, "opt_7": "EMEA"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(created))
        .expect(1)
        .mount(&server)
        .await;
    let mut extra = std::collections::BTreeMap::new();
    extra.insert("opt_7".to_owned(), json!("EMEA"));
    let input = IncidentInput {
        description: Some("Phishing wave".into()),
        status: Some("Identification".into()),
        owner: Some("Admins (group)".into()),
        r#type: Some(vec!["CSE".into()]),
        starttime: Some(1_700_000_000),
        additional_properties: extra,
        ..Default::default()
    };
    let response = client(&server).create_incident(&input).await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.id, Some(IncidentId::Integer(8509)));
}

#[tokio::test]
async fn timeline_alerts_and_entities_decode() {
    let server = MockServer::start().await;
    Mock::given(path("/incmansuite_ng/api/v3/incidents/8508/timeline/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 91, "starttime": {"value": 1_700_000_100}, "category": {"value": "Note"}, "title": {"value": "Escalated to tier 2"},
             "created_by": {"value": "analyst1"}, "is_locked": {"value": false}}
        ])))
        .mount(&server)
        .await;
    Mock::given(path("/incmansuite_ng/api/v3/incidents/8508/external_alerts/77/"))
        .and(query_param("type", "Cloud SIEM Enterprise"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": {"name": "ID", "value": 77}, "type": {"name": "Type", "value": "Cloud SIEM Enterprise"},
            "sha256_hash": {"name": "SHA256", "value": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/incmansuite_ng/api/v3/entities/search/"))
        .and(body_json(json!({"page_number": 1, "page_size": 150, "filter": "value:\"10.0.0.1\""})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 4101, "resource": "10.0.0.1", "type": "ip", "tag": [{"value": "scanner"}], "related_incidents": [8508], "has_attachment": false}
        ])))
        .mount(&server)
        .await;

    let client = client(&server);
    let timeline = client.get_incident_timeline(8508).await.unwrap().into_inner();
    assert_eq!(timeline[0].title.as_ref().and_then(Field::as_str), Some("Escalated to tier 2"));
    let alert = client.get_external_alert(8508, 77, "Cloud SIEM Enterprise").await.unwrap().into_inner();
    assert_eq!(alert.id.as_ref().and_then(Field::as_i64), Some(77));
    let search =
        SearchEntitiesBody { page_number: Some(1), page_size: Some(150), filter: Some("value:\"10.0.0.1\"".into()) };
    let entities = client.search_entities(&search).await.unwrap().into_inner();
    assert_eq!(entities[0].id, 4101);
    assert_eq!(entities[0].tag.as_ref().unwrap()[0].value.as_deref(), Some("scanner"));
}

#[tokio::test]
async fn errors_are_typed_and_plain_text_errors_keep_their_text() {
    let server = MockServer::start().await;
    Mock::given(path("/incmansuite_ng/api/v3/incidents/1/"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": "Not found", "description": "Incident 1 does not exist"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/incmansuite_ng/api/v3/incidents/2/"))
        .respond_with(ResponseTemplate::new(500).set_body_raw("Internal error, see server log", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.get_incident(1).await.unwrap_err();
    let Some(body) = error.error_body::<GenericErrorBody>() else { panic!("{error:?}") };
    assert_eq!(body.description.as_deref(), Some("Incident 1 does not exist"));
    assert!(
        error.to_string().contains("getIncident: HTTP 404 Not Found: Not found: Incident 1 does not exist"),
        "{error}"
    );
    assert!(!format!("{error:?} {error}").contains(JWT));

    let error = client.get_incident(2).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(error.vendor_error().is_none());
    assert!(error.to_string().contains("Internal error, see server log"), "{error}");
}

/// The upload as the [SC] "Screenshot Webpage" action sends it: the file part
/// `attachment`, then `file_name`, `additional_info` and `reference` as text.
#[tokio::test]
async fn an_attachment_is_uploaded_as_multipart_form_data_with_its_file_name() {
    let server = MockServer::start().await;
    // SYNTHETIC: the fields the [SC] action reads from the reply.
    let stored = json!({"id": 12, "file_name": "page.png", "file_size": 4, "uploader": "api"});
    Mock::given(method("POST"))
        .and(path("/incmansuite_ng/api/v3/incidents/42/attachments/"))
        .and(header("authorization", format!("Bearer {JWT}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(&stored))
        .mount(&server)
        .await;
    let body = AddIncidentAttachmentBody {
        attachment: Some(cloud_soar::FilePart::bytes(&b"\x89PNG"[..]).file_name("page.png")),
        file_name: Some("page.png".to_owned()),
        additional_info: Some("Screenshot of https://example.com".to_owned()),
        reference: Some("00".to_owned()),
    };
    let attachment = client(&server).add_incident_attachment(42, &body).await.unwrap().into_inner();
    assert_eq!(attachment.id, Some(json!(12)));

    let request = server.received_requests().await.unwrap().remove(0);
    let content_type = request.headers.get("content-type").unwrap().to_str().unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let sent = String::from_utf8_lossy(&request.body).replace(boundary, "B");
    let expected = "--B\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"page.png\"\r\n\
        Content-Type: application/octet-stream\r\n\r\n\u{FFFD}PNG\r\n\
        --B\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\npage.png\r\n\
        --B\r\nContent-Disposition: form-data; name=\"additional_info\"\r\n\r\nScreenshot of https://example.com\r\n\
        --B\r\nContent-Disposition: form-data; name=\"reference\"\r\n\r\n00\r\n--B--\r\n";
    assert_eq!(sent, expected);
}
