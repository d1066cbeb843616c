//! `cargo xtask verify` against a small collection written for the test: each
//! kind of gap is found, and a spec that agrees with its evidence has none.

mod support;

use xtask::apis::Api;
use xtask::postman;

/// Alerts: one list, one get. `count` is an integer and `owner` is declared.
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Alerts, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /alerts:
    get:
      operationId: listAlerts
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Alert"}}
  /alerts/{id}:
    get:
      operationId: getAlert
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Alert"}
components:
  schemas:
    Alert:
      type: object
      properties:
        id: {type: string}
        count: {type: integer}
        owner: {type: string}
"##;

/// The vendor's collection: what the spec gets right, and one of each gap.
const COLLECTION: &str = r##"{
  "info": {"name": "Alerts", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [
    {"name": "Alerts", "item": [
      {"name": "List alerts",
       "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/v1/alerts?limit=10&sort=desc",
         "host": ["{{baseUrl}}"], "path": ["v1", "alerts"],
         "query": [{"key": "limit", "value": "10"}, {"key": "sort", "value": "desc"}]},
         "header": [{"key": "X-Request-Source", "value": "postman"}, {"key": "Accept", "value": "application/json"}]},
       "response": [{"name": "OK", "code": 200, "body": "{\"items\": [{\"id\": \"a1\", \"owner\": \"soc\", \"severity\": \"high\"}]}"}]},
      {"name": "Get alert",
       "request": {"method": "GET", "url": "https://{{host}}/v1/alerts/:id"},
       "response": [{"name": "OK", "code": 200, "body": "{\"id\": \"a1\", \"count\": \"2\"}"}]},
      {"name": "Delete alert",
       "request": {"method": "DELETE", "url": "https://{{host}}/v1/alerts/{{alert_id}}"}},
      {"name": "Token", "request": {"method": "POST", "url": "https://id.example.com/oauth2/token"}}
    ]}
  ]
}"##;

fn api(name: &str) -> Api {
    support::alerts_api(name, "Alerts / Token")
}

#[test]
fn every_kind_of_gap_is_found_and_excluded_requests_are_counted_apart() {
    let api = api("verify-alerts");
    let generated = secgen_codegen::generate("spec.yaml", SPEC.as_bytes(), &api.config).unwrap();
    let requests = postman::parse("alerts.postman_collection.json", COLLECTION).unwrap();
    let report = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    assert_eq!((report.requests, report.matched, report.excluded), (4, 2, 1), "{report:#?}");
    let expected = [
        "Alerts / List alerts: query parameter `sort` is not declared by `listAlerts`",
        "Alerts / List alerts: header `X-Request-Source` is not declared by `listAlerts`",
        "Alerts / Delete alert: no operation for DELETE /alerts/{{alert_id}}",
        "Alerts / List alerts: 200 response `OK`: `verify_alerts::types::ListAlertsResponse` drops `items[0].severity`",
        "Alerts / Get alert: 200 response `OK`: does not decode as `verify_alerts::types::Alert`: at `count`: invalid type: string \"2\", expected i64 at line 1 column 25",
    ];
    let mut gaps = report.gaps.clone();
    gaps.sort();
    let mut expected: Vec<String> = expected.iter().map(|gap| (*gap).to_owned()).collect();
    expected.sort();
    assert_eq!(gaps, expected);
    assert!(
        report
            .render("verify-alerts")
            .ends_with("verify verify-alerts: 4 evidence requests, 2 matched, 1 excluded; 5 gaps\n")
    );
}

#[test]
fn a_spec_that_agrees_with_its_evidence_has_no_gap() {
    let api = api("verify-alerts-fixed");
    let fixed = SPEC.replace("        owner: {type: string}", "        owner: {type: string}\n        severity: {type: string}")
        .replace("        count: {type: integer}", "        count: {type: string}")
        .replace("        - {name: limit, in: query, schema: {type: integer}}", "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: sort, in: query, schema: {type: string}}\n        - {name: X-Request-Source, in: header, schema: {type: string}}");
    let generated = secgen_codegen::generate("spec.yaml", fixed.as_bytes(), &api.config).unwrap();
    let requests: Vec<_> = postman::parse("alerts.postman_collection.json", COLLECTION)
        .unwrap()
        .into_iter()
        .filter(|request| request.method != "DELETE")
        .collect();
    let report = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    assert_eq!(report.gaps, Vec::<String>::new());
}

#[test]
fn exclusions_of_every_parameter_or_of_one_status_leave_the_rest_checked() {
    let mut api = api("verify-alerts-excluded");
    let exclusion = |request: &str, parameter: Option<&str>, response: Option<u16>| xtask::apis::Exclusion {
        request: Some(request.to_owned()),
        path_prefix: None,
        parameter: parameter.map(str::to_owned),
        response,
        reason: "written for the test".to_owned(),
    };
    api.evidence.exclude.push(exclusion("Alerts / List alerts", Some("*"), None));
    api.evidence.exclude.push(exclusion("Alerts / Get alert", None, Some(200)));
    let generated = secgen_codegen::generate("spec.yaml", SPEC.as_bytes(), &api.config).unwrap();
    let requests = postman::parse("alerts.postman_collection.json", COLLECTION).unwrap();
    let report = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    // Matched as before; only the excluded parameters and the excluded status's body are spared.
    assert_eq!((report.requests, report.matched, report.excluded), (4, 2, 1), "{report:#?}");
    let mut gaps = report.gaps.clone();
    gaps.sort();
    assert_eq!(
        gaps,
        [
            "Alerts / Delete alert: no operation for DELETE /alerts/{{alert_id}}",
            "Alerts / List alerts: 200 response `OK`: `verify_alerts_excluded::types::ListAlertsResponse` drops `items[0].severity`",
        ]
    );
}

#[test]
fn examples_in_the_spec_itself_are_decoded_like_collection_examples() {
    let api = api("verify-spec-examples");
    let with_examples = SPEC
        .replace(
            "              schema: {$ref: \"#/components/schemas/Alert\"}",
            "              schema: {$ref: \"#/components/schemas/Alert\"}\n              examples:\n                fits: {value: {id: a1, count: 2}}\n                wrong: {$ref: \"#/components/examples/WrongCount\"}",
        )
        .replace(
            "components:\n",
            "components:\n  examples:\n    WrongCount: {value: {id: a2, count: \"2\", colour: red}}\n",
        );
    let document: serde_json::Value = yaml_serde::from_str(&with_examples).unwrap();
    let requests = xtask::spec_examples::requests(&document, &api.evidence.server_path);
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let generated = secgen_codegen::generate("spec.yaml", with_examples.as_bytes(), &api.config).unwrap();
    let report = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    assert_eq!((report.requests, report.matched), (1, 1));
    assert_eq!(
        report.gaps,
        [
            "spec examples / getAlert: 200 response `wrong`: does not decode as `verify_spec_examples::types::Alert`: at `count`: invalid type: string \"2\", expected i64 at line 1 column 27"
        ]
    );
}

#[test]
fn a_collection_of_placeholder_values_is_checked_for_shapes_not_formats() {
    let api = api("verify-placeholders");
    let dated = SPEC.replace(
        "        owner: {type: string}",
        "        owner: {type: string}\n        seenAt: {type: string, format: date-time}\n        day: {type: string, format: date}",
    );
    // Lorem ipsum in both formatted fields; a wrong type (`count`) in the second alert.
    let collection = COLLECTION
        .replace(
            r#"\"owner\": \"soc\", \"severity\": \"high\"}"#,
            r#"\"owner\": \"soc\", \"severity\": \"high\", \"seenAt\": \"ad do\", \"day\": \"quis\"}"#,
        )
        .replace(
            r#"{\"id\": \"a1\", \"count\": \"2\"}"#,
            r#"{\"id\": \"a1\", \"count\": \"2\", \"seenAt\": \"ad do\"}"#,
        );
    let generated = secgen_codegen::generate("spec.yaml", dated.as_bytes(), &api.config).unwrap();
    let mut requests = postman::parse("alerts.postman_collection.json", &collection).unwrap();
    requests.retain(|request| request.method == "GET");

    let checked = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    let format_gaps: Vec<&String> = checked.gaps.iter().filter(|gap| gap.contains("RFC 3339")).collect();
    assert_eq!(format_gaps.len(), 1, "{:#?}", checked.gaps);
    assert_eq!(checked.placeholders, 0);

    for request in &mut requests {
        request.formats_checked = false;
        request.collection = Some("alerts.2023".to_owned());
    }
    let unchecked = xtask::verify::verify_requests(&api, &generated, &requests).unwrap();
    let mut gaps: Vec<&String> = unchecked.gaps.iter().filter(|gap| gap.contains(" response ")).collect();
    gaps.sort();
    assert_eq!(
        gaps,
        [
            "alerts.2023: Alerts / Get alert: 200 response `OK`: does not decode as `verify_placeholders::types::Alert`: at `count`: invalid type: string \"2\", expected i64 at line 1 column 25",
            "alerts.2023: Alerts / List alerts: 200 response `OK`: `verify_placeholders::types::ListAlertsResponse` drops `items[0].severity`",
        ]
    );
    // `seenAt` and `day` of the list; the get fails on `count` after its `seenAt` was read as text.
    assert_eq!(unchecked.placeholders, 2, "{unchecked:#?}");
    assert!(
        unchecked.render("verify-placeholders").contains("(2 placeholder values in formatted fields read as text)")
    );
}

#[test]
fn a_request_the_newest_collection_no_longer_has_is_reported_removed_not_as_a_gap() {
    let api = api("verify-removed");
    let generated = secgen_codegen::generate("spec.yaml", SPEC.as_bytes(), &api.config).unwrap();
    let newest = postman::parse("alerts.2026.postman_collection.json", COLLECTION).unwrap();
    // The older collection also had an archive request (its id written `{{id}}`, not `:id`).
    let older_text = COLLECTION.replace(
        r#"{"name": "Delete alert","#,
        r#"{"name": "Archive alert", "request": {"method": "POST", "url": "https://{{host}}/v1/alerts/{{id}}/archive"}},
      {"name": "Delete alert","#,
    );
    let mut older = postman::parse("alerts.2023.postman_collection.json", &older_text).unwrap();
    xtask::verify::mark_removed(&newest, &mut older, "alerts.2026", &api.evidence.server_path);
    let marked: Vec<&str> =
        older.iter().filter(|request| request.removed_since.is_some()).map(|request| request.name.as_str()).collect();
    assert_eq!(marked, ["Alerts / Archive alert"]);

    let report = xtask::verify::verify_requests(&api, &generated, &older).unwrap();
    assert_eq!(report.removed, ["Alerts / Archive alert: POST /alerts/{{id}}/archive is not in alerts.2026"]);
    // Still in the newest collection and matched by no operation: a gap, as before.
    assert!(report.gaps.contains(&"Alerts / Delete alert: no operation for DELETE /alerts/{{alert_id}}".to_owned()));
    assert!(report.render("verify-removed").contains("2 matched, 1 excluded, 1 removed by the vendor; "));
}
