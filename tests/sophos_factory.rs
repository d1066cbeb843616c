//! The generated Sophos Factory client against a loopback HTTP server: the exact
//! requests it sends, the responses it decodes, its errors and its pagination.
//!
//! Sophos publishes no Factory response samples (see the reference notes), so the
//! bodies here are written from the spec's schemas with realistic values.

use futures::{StreamExt, TryStreamExt};
use secgen_runtime::{Auth, Error, Patch};
use serde_json::{Value, json};
use sophos_factory::Client;
use sophos_factory::types::*;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "fct_0123456789abcdef";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(format!("{}/v1", server.uri())).auth(Auth::bearer(TOKEN)).build().unwrap()
}

fn pipeline_json(id: &str, name: &str) -> Value {
    json!({
        "_id": id,
        "created": "2023-11-02T10:15:30.123Z",
        "modified": "2023-12-01T08:00:00Z",
        "public": false,
        "pinned": true,
        "name": name,
        "summary": null,
        "description": "Runs the nightly compliance checks",
        "tags": ["compliance", "nightly"],
        "revision_count": 4,
        "step_count": 12
    })
}

fn only_request(requests: &[Request]) -> &Request {
    assert_eq!(requests.len(), 1, "expected one request");
    &requests[0]
}

#[tokio::test]
async fn a_create_sends_the_body_without_read_only_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projects/6570a1b2c3d4e5f601234567/pipelines"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"pinned": false, "name": "nightly", "tags": ["compliance"]})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"_id": "6571f0e1d2c3b4a596877665"})))
        .expect(1)
        .mount(&server)
        .await;

    let body = PipelineRequest {
        pinned: Some(false),
        name: Some("nightly".into()),
        tags: Some(vec!["compliance".into()]),
        ..Default::default()
    };
    let created = client(&server).create_pipeline("6570a1b2c3d4e5f601234567", &body).await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.id.as_deref(), Some("6571f0e1d2c3b4a596877665"));
}

#[tokio::test]
async fn an_update_sends_only_what_changes_and_null_for_an_unset_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/projects/p1/pipelines/pl1"))
        .and(body_json(json!({"name": "nightly-v2", "summary": null})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let update = PipelineUpdate { name: Patch::Set("nightly-v2".into()), summary: Patch::Unset, ..Default::default() };
    client(&server).update_pipeline("p1", "pl1", &update).await.unwrap();
    let request = only_request(&server.received_requests().await.unwrap()).clone();
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, json!({"name": "nightly-v2", "summary": null}), "fields left as Patch::Leave are not sent");
}

#[tokio::test]
async fn query_parameters_go_out_in_the_declared_styles() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/pipelines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pipelines": []})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/runs/r1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"_id": "r1"})))
        .mount(&server)
        .await;

    let client = client(&server);
    let params = ListPipelinesParams {
        sort: Some(Sort::NameAsc),
        limit: Some(25),
        search: Some("nightly scan".into()),
        tags: Some(vec!["a".into(), "b".into()]),
        ..Default::default()
    };
    client.list_pipelines("p1", &params).await.unwrap();
    let fields = GetRunParams { fields: Some(vec![GetRunFieldsItem::Events, GetRunFieldsItem::Operations]) };
    client.get_run("p1", "r1", &fields).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    // Arrays repeat the key (the OpenAPI default); `fields` is comma-joined as the
    // official Factory client sends it.
    assert_eq!(requests[0].url.query(), Some("sort=name_asc&limit=25&search=nightly+scan&tags=a&tags=b"));
    assert_eq!(requests[1].url.query(), Some("fields=events%2Coperations"));
}

#[tokio::test]
async fn responses_decode_into_typed_values_with_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/pipelines/pl1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-42")
                .set_body_json(pipeline_json("pl1", "nightly")),
        )
        .mount(&server)
        .await;

    let response = client(&server).get_pipeline("p1", "pl1").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-request-id"], "req-42");
    let pipeline = response.into_inner();
    assert_eq!(pipeline.id.as_deref(), Some("pl1"));
    assert_eq!(pipeline.created.unwrap().to_rfc3339(), "2023-11-02T10:15:30.123+00:00");
    assert_eq!(pipeline.summary, None);
    assert_eq!(pipeline.tags, Some(vec!["compliance".to_owned(), "nightly".to_owned()]));
    assert_eq!(pipeline.step_count, Some(12));
}

async fn error_for(status: u16, body: &str) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/pipelines/missing"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    client(&server).get_pipeline("p1", "missing").await.unwrap_err()
}

#[tokio::test]
async fn factory_error_bodies_are_parsed_and_kept() {
    for (status, code, message) in [
        (400, "validation_error", "\"name\" is required"),
        (401, "unauthorized", "Invalid API token"),
        (404, "not_found", "Pipeline not found"),
    ] {
        let body = json!({"status": status, "errors": [{"code": code, "message": message}]}).to_string();
        let error = error_for(status, &body).await;
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.operation(), Some("getPipeline"));
        let Some(parsed) = error.error_body::<sophos_factory::vendor::ErrorBody>() else {
            panic!("no Factory body: {error:?}")
        };
        assert_eq!(parsed.errors[0].code.as_deref(), Some(code));
        assert_eq!(parsed.errors[0].message.as_deref(), Some(message));
        assert_eq!(error.api_error().unwrap().body(), body.as_bytes());
        assert!(error.to_string().contains(&format!("getPipeline: HTTP {status}")), "{error}");
        assert!(error.to_string().contains(message), "{error}");
    }
}

#[tokio::test]
async fn an_error_body_of_another_shape_still_gives_status_and_excerpt() {
    let error = error_for(502, "<html><body>Bad gateway</body></html>").await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.vendor_error().is_none());
    assert!(error.to_string().contains("<html><body>Bad gateway"), "{error}");
}

#[tokio::test]
async fn the_token_never_shows_in_debug_or_errors() {
    let server = MockServer::start().await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(TOKEN));
    let error = error_for(401, r#"{"errors":[{"code":"unauthorized","message":"Invalid API token"}]}"#).await;
    assert!(!format!("{error:?} {error}").contains(TOKEN));
}

#[tokio::test]
async fn the_stream_pages_with_limit_and_offset_and_yields_every_item_once() {
    let server = MockServer::start().await;
    let pages = [(0, vec!["a", "b"]), (2, vec!["c", "d"]), (4, vec!["e"])];
    for (offset, ids) in pages {
        let items: Vec<Value> = ids.iter().map(|id| pipeline_json(id, &format!("pipeline {id}"))).collect();
        Mock::given(method("GET"))
            .and(path("/v1/projects/p1/pipelines"))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset.to_string().as_str()))
            .and(query_param("sort", "name_asc"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pipelines": items})))
            .expect(1)
            .mount(&server)
            .await;
    }

    let params = ListPipelinesParams { limit: Some(2), sort: Some(Sort::NameAsc), ..Default::default() };
    let pager = client(&server).list_pipelines_stream("p1", &params);
    let checkpoint = pager.checkpoint();
    let ids: Vec<String> = pager.map_ok(|pipeline| pipeline.id.unwrap()).try_collect().await.unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        checkpoint.get(),
        Some(secgen_runtime::PagePosition::Offset(5)),
        "a later listing resumes after the last item"
    );
}

#[tokio::test]
async fn without_a_limit_the_stream_asks_for_the_largest_page_the_spec_allows() {
    let server = MockServer::start().await;
    // getPipelineRevisions declares `maximum: 200`.
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/pipelines/pl1/revisions"))
        .and(query_param("limit", "200"))
        .and(query_param("offset", "0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"pipeline_revisions": [{"_id": "rev1", "revision": 1}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    // listPipelines declares no maximum: the config's default page size applies.
    Mock::given(method("GET"))
        .and(path("/v1/projects/p1/pipelines"))
        .and(query_param("limit", "100"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"pipelines": [pipeline_json("a", "only")]})))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let pages: Vec<_> = client.get_pipeline_revisions_stream("p1", "pl1", &Default::default()).pages().collect().await;
    assert_eq!(pages.len(), 1);
    let page = pages.into_iter().next().unwrap().unwrap();
    assert_eq!(page.items()[0].revision, Some(1));
    assert_eq!(page.next(), None, "a short page is the last");
    let pipelines: Vec<_> = client.list_pipelines_stream("p1", &Default::default()).try_collect().await.unwrap();
    assert_eq!(pipelines.len(), 1);
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error_and_a_resume_point() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("offset", "0"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"pipelines": [pipeline_json("a", "a"), pipeline_json("b", "b")]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("offset", "2"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"errors": [{"code": "forbidden", "message": "No access"}]})),
        )
        .mount(&server)
        .await;

    let params = ListPipelinesParams { limit: Some(2), ..Default::default() };
    let mut pager = client(&server).list_pipelines_stream("p1", &params);
    let checkpoint = pager.checkpoint();
    assert!(pager.next().await.unwrap().is_ok());
    assert!(pager.next().await.unwrap().is_ok());
    let error = pager.next().await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(pager.next().await.is_none(), "the stream ends after the error");
    assert_eq!(checkpoint.get(), Some(secgen_runtime::PagePosition::Offset(2)));
}

/// The traps of the real spec that other generators stumble on.
mod spec_traps {
    use super::*;

    #[test]
    fn pipeline_revision_id_keeps_latest_apart_from_real_ids() {
        let job: Job = serde_json::from_value(json!({
            "pipeline_id": "p", "name": "n", "trigger_type": "manual", "pipeline_revision_id": "latest"
        }))
        .unwrap();
        assert_eq!(job.pipeline_revision_id, Some(RevisionId::Latest));
        let job: Job = serde_json::from_value(json!({
            "pipeline_id": "p", "name": "n", "trigger_type": "manual", "pipeline_revision_id": "6571f0e1d2c3b4a596877665"
        }))
        .unwrap();
        assert_eq!(job.pipeline_revision_id, Some(RevisionId::ResourceId("6571f0e1d2c3b4a596877665".into())));
    }

    #[test]
    fn enum_values_the_server_adds_later_decode_and_round_trip() {
        // listProjectRuns filters on statuses the Run schema does not list.
        let run: Run = serde_json::from_value(json!({"_id": "r1", "status": "Canceled", "verbosity": "info"})).unwrap();
        assert_eq!(run.status, Some(RunStatus::Unknown("Canceled".into())));
        assert_eq!(serde_json::to_value(&run).unwrap()["status"], "Canceled");
        assert_eq!(run.verbosity, Some(RunVerbosity::Info));
    }

    #[test]
    fn credential_keeps_both_underscore_id_and_id() {
        let credential: Credential =
            serde_json::from_value(json!({"_id": "db-id", "id": "user-id", "type": "api_token"})).unwrap();
        assert_eq!((credential._id.as_deref(), credential.id.as_deref()), (Some("db-id"), Some("user-id")));
        assert_eq!(credential.r#type, Some(CredentialType::ApiToken));
        assert_eq!(
            serde_json::to_value(&credential).unwrap(),
            json!({"_id": "db-id", "id": "user-id", "type": "api_token"})
        );
    }

    #[test]
    fn provider_config_decodes_as_the_config_its_fields_describe() {
        let options: RunnerManagerOptions = serde_json::from_value(json!({
            "provider": "local_docker", "providerConfig": {"address": "10.0.0.5", "port": "2375"}
        }))
        .unwrap();
        let Some(RunnerManagerOptionsProviderConfig::LocalDocker(docker)) = options.provider_config else {
            panic!("{:?}", options.provider_config)
        };
        assert_eq!((docker.address.as_deref(), docker.port.as_deref()), (Some("10.0.0.5"), Some("2375")));
        let options: RunnerManagerOptions =
            serde_json::from_value(json!({"providerConfig": {"instanceType": "t3.small", "autoLatest": true}}))
                .unwrap();
        assert!(matches!(options.provider_config, Some(RunnerManagerOptionsProviderConfig::CloudFormationEc2(_))));
        let options: RunnerManagerOptions = serde_json::from_value(json!({"providerConfig": "opaque"})).unwrap();
        assert_eq!(options.provider_config, Some(RunnerManagerOptionsProviderConfig::Other(json!("opaque"))));
    }

    #[test]
    fn fields_added_to_closed_schemas_do_not_break_decoding() {
        // Pipeline is `additionalProperties: false` in the spec.
        let mut body = pipeline_json("pl1", "nightly");
        body["added_in_2025"] = json!({"anything": true});
        let pipeline: Pipeline = serde_json::from_value(body).unwrap();
        assert_eq!(pipeline.name.as_deref(), Some("nightly"));
    }

    #[test]
    fn a_create_type_cannot_carry_read_only_fields() {
        // `_id`, `created`, `modified`, `public`, `revision_count`, `step_count` are
        // readOnly: PipelineRequest has no such fields, so they can never be sent.
        let request = serde_json::to_value(PipelineRequest { name: Some("x".into()), ..Default::default() }).unwrap();
        assert_eq!(request, json!({"name": "x"}));
    }
}
