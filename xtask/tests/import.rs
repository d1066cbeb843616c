//! `cargo xtask import`: drafting what a spec lacks from a collection written
//! for the test; the drafts leave every written line alone, generate, and hold
//! up under `verify`.

mod support;

use xtask::apis::Api;
use xtask::postman;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Alerts, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  # Written by a person; the importer must not touch it.
  /alerts:
    get:
      operationId: listAlerts
      responses:
        "200":
          description: OK
components:
  schemas:
    Unused: {type: string}
"##;

const COLLECTION: &str = r##"{
  "info": {"name": "Alerts"},
  "item": [
    {"name": "Alerts API", "item": [
      {"name": "List alerts", "request": {"method": "GET", "url": "https://{{host}}/v1/alerts"}},
      {"name": "Get alert",
       "request": {"method": "GET", "url": {"raw": "https://{{host}}/v1/alerts/:alertId?fields=all&limit=5",
         "path": ["v1", "alerts", ":alertId"],
         "query": [{"key": "fields", "value": "all", "description": "Which fields to return."}, {"key": "limit", "value": "5"}]},
         "header": [{"key": "X-Tenant-ID", "value": "{{tenant}}", "description": "Tenant ID."}]},
       "response": [
         {"name": "OK", "code": 200, "body": "{\"id\": \"0afef0e6-5df7-4cc0-b8d4-068cfd6820d1\", \"raisedAt\": \"2026-01-08T10:00:00.000Z\", \"owner\": {\"email\": \"soc@example.com\", \"name\": \"SOC\"}, \"tags\": [\"a\", \"b\"], \"count\": 3, \"score\": 0.5, \"note\": null, \"meta\": {}}"},
         {"name": "Not found", "code": 404, "body": "{\"error\": \"notFound\", \"message\": \"No such alert\"}"}
       ]},
      {"name": "Acknowledge alert",
       "request": {"method": "POST", "url": "https://{{host}}/v1/alerts/{{alertId}}/actions",
         "body": {"mode": "raw", "raw": "{\"action\": \"acknowledge\", \"message\": \"seen\"}"}},
       "response": [{"name": "Accepted", "code": 201, "body": "{\"id\": \"x1\", \"result\": \"success\", \"owner\": {\"email\": \"soc@example.com\", \"name\": \"SOC\"}}"}]},
      {"name": "Token", "request": {"method": "POST", "url": "https://id.example.com/oauth2/token"}}
    ]}
  ]
}"##;

fn api(name: &str) -> Api {
    support::alerts_api(name, "Alerts API / Token")
}

#[test]
fn drafts_keep_every_written_line_generate_and_pass_verify() {
    let api = api("import-alerts");
    let generated = secgen_codegen::generate("spec.yaml", SPEC.as_bytes(), &api.config).unwrap();
    let requests = postman::parse("alerts.json", COLLECTION).unwrap();
    let drafts = xtask::import::draft(&api, SPEC, &generated, &requests, "`alerts.json`").unwrap();
    assert_eq!(
        drafts.added,
        [
            "GET /alerts/{alertId} (Alerts API / Get alert)",
            "POST /alerts/{alertId}/actions (Alerts API / Acknowledge alert)"
        ]
    );

    // The written lines, comment included, stand as they were, in order.
    let mut new_lines = drafts.spec.lines();
    for line in SPEC.lines() {
        assert!(new_lines.any(|new| new == line), "`{line}` was changed or moved:\n{}", drafts.spec);
    }
    assert!(drafts.spec.contains("x-secgen-inferred: true"), "{}", drafts.spec);
    assert!(
        drafts.spec.contains("format: uuid")
            && drafts.spec.contains("format: date-time")
            && drafts.spec.contains("format: email")
    );
    assert!(drafts.spec.contains("description: Which fields to return."));
    // An empty object in the examples leaves the value open.
    assert!(drafts.spec.contains("                  meta: {}\n"), "{}", drafts.spec);
    // The owner shape recurs in two responses: one component, referred to twice.
    assert_eq!(drafts.spec.matches("$ref: '#/components/schemas/Owner'").count(), 2, "{}", drafts.spec);
    assert!(drafts.spec.contains("    Owner:\n"), "{}", drafts.spec);

    let regenerated = secgen_codegen::generate("spec.yaml", drafts.spec.as_bytes(), &api.config)
        .unwrap_or_else(|error| panic!("{error}\n{}", drafts.spec));
    let methods: Vec<&str> = regenerated.surface.operations.values().map(|op| op.operation_id.as_str()).collect();
    assert!(methods.contains(&"getAlert") && methods.contains(&"acknowledgeAlert"), "{methods:?}");
    let report = xtask::verify::verify_requests(&api, &regenerated, &requests).unwrap();
    assert_eq!(report.gaps, Vec::<String>::new(), "{}", drafts.spec);
    assert_eq!((report.matched, report.excluded), (3, 1));
}

#[test]
fn importing_twice_adds_nothing_the_second_time() {
    let api = api("import-twice");
    let requests = postman::parse("alerts.json", COLLECTION).unwrap();
    let generated = secgen_codegen::generate("spec.yaml", SPEC.as_bytes(), &api.config).unwrap();
    let once = xtask::import::draft(&api, SPEC, &generated, &requests, "`alerts.json`").unwrap();
    let generated = secgen_codegen::generate("spec.yaml", once.spec.as_bytes(), &api.config).unwrap();
    let twice = xtask::import::draft(&api, &once.spec, &generated, &requests, "`alerts.json`").unwrap();
    assert!(twice.added.is_empty(), "{:?}", twice.added);
    assert_eq!(twice.spec, once.spec);
}

const WRITTEN_SHAPES: &str = r##"openapi: 3.0.3
info: {title: Alerts, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
paths:
  /health:
    get:
      operationId: health
      responses:
        "200": {description: OK}
components:
  parameters:
    TenantId: {name: X-Tenant-ID, in: header, required: true, schema: {type: string}}
  schemas:
    Error:
      type: object
      required: [error, message]
      properties:
        error: {type: string}
        message: {type: string}
        requestId: {type: string}
    Pages:
      type: object
      properties:
        current: {type: integer}
        total: {type: integer}
        size: {type: integer}
"##;

const TWO_GROUPS: &str = r##"{
  "info": {"name": "Two groups"},
  "item": [
    {"name": "Rules API", "item": [
      {"name": "List policies", "request": {"method": "GET", "url": "https://{{host}}/v1/rules/policies",
         "description": "Lists the tenant's rule policies.", "header": [{"key": "X-Tenant-ID", "value": "{{tenant}}"}]},
       "response": [
         {"code": 200, "body": "{\"items\": [{\"id\": \"p1\", \"name\": \"Base\"}, {\"id\": \"p2\", \"name\": \"Strict\"}], \"pages\": {\"current\": 1, \"total\": 1}}"},
         {"code": 400, "body": "{\"error\": \"badRequest\", \"message\": \"No\"}"}
       ]}
    ]},
    {"name": "Firewall API", "item": [
      {"name": "List policies", "request": {"method": "GET", "url": "https://{{host}}/v1/firewall/policies"},
       "response": [
         {"code": 200, "body": "{\"items\": [{\"id\": \"f1\", \"name\": \"Edge\"}]}"},
         {"code": 500, "body": "{\"error\": \"internal\", \"message\": \"Oops\", \"requestId\": \"r1\"}"}
       ]}
    ]}
  ]
}"##;

#[test]
fn drafts_reuse_written_components_and_take_names_from_groups_and_nouns() {
    let mut api = api("import-shapes");
    api.config.client.managed_headers.push("X-Tenant-ID".to_owned());
    let generated = secgen_codegen::generate("spec.yaml", WRITTEN_SHAPES.as_bytes(), &api.config).unwrap();
    let requests = postman::parse("two-groups.json", TWO_GROUPS).unwrap();
    let drafts = xtask::import::draft(&api, WRITTEN_SHAPES, &generated, &requests, "`two-groups.json`").unwrap();
    let spec = &drafts.spec;
    // The same request name in a second group: prefixed with the group, not numbered.
    assert!(
        spec.contains("operationId: listPolicies\n") && spec.contains("operationId: firewallListPolicies\n"),
        "{spec}"
    );
    // The collection's description leads; a managed id header refers to the written parameter.
    assert!(spec.contains("description: |-\n        Lists the tenant's rule policies.\n"), "{spec}");
    assert_eq!(spec.matches("$ref: '#/components/parameters/TenantId'").count(), 1, "{spec}");
    // Shapes the written spec already has are referred to, not inferred again.
    assert_eq!(spec.matches("$ref: '#/components/schemas/Error'").count(), 2, "{spec}");
    assert_eq!(spec.matches("$ref: '#/components/schemas/Pages'").count(), 1, "{spec}");
    assert!(!spec.contains("    Error2:") && !spec.contains("    Pages2:"), "{spec}");
    // The recurring list item is named after the operation's noun, in the singular.
    assert!(spec.contains("    Policy:\n"), "{spec}");
    let regenerated = secgen_codegen::generate("spec.yaml", spec.as_bytes(), &api.config)
        .unwrap_or_else(|error| panic!("{error}\n{spec}"));
    let report = xtask::verify::verify_requests(&api, &regenerated, &requests).unwrap();
    assert_eq!(report.gaps, Vec::<String>::new(), "{spec}");
}
