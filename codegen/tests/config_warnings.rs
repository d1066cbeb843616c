//! A config setting that applies to nothing in the spec is a warning naming its
//! key: one test per kind of setting.

use secgen_codegen::{ApiConfig, generate};

/// A list of items with `limit`/`offset`, an array parameter, a header and an
/// update operation.
const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Items, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: fields, in: query, schema: {type: array, items: {type: string}}}
        - {name: X-Tenant-ID, in: header, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {type: string}}
                  next: {type: string}
  /items/{id}:
    post:
      operationId: updateItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "204": {description: Done}
"##;

fn warnings(settings: &str) -> Vec<String> {
    let yaml = format!("crate_name: items\nversion: 0.1.0\ndescription: Items\n{settings}");
    let config: ApiConfig = yaml_serde::from_str(&yaml).unwrap();
    let generated = generate("items.yaml", SPEC.as_bytes(), &config).unwrap();
    generated.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn settings_that_apply_give_no_warning() {
    let settings = "\
pagination:
  - {style: limit_offset, limit: limit, offset: offset, default_page_size: 10}
array_style_overrides: {fields: comma}
partial_updates: {operation_id_prefixes: [update]}
client: {managed_headers: [X-Tenant-ID]}
";
    assert_eq!(warnings(settings), Vec::<String>::new());
}

#[test]
fn a_page_style_whose_parameters_no_operation_has() {
    let found = warnings(
        "pagination:\n  - {style: page_key, key: pageFromKey, next_key: pages.nextKey, default_page_size: 10}\n",
    );
    assert_eq!(found, ["generate.pagination[0]: no list operation has the query parameters `pageFromKey`"]);
}

#[test]
fn a_page_style_whose_response_fields_are_missing() {
    let found =
        warnings("pagination:\n  - {style: page_key, key: offset, next_key: pages.nextKey, default_page_size: 10}\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("generate.pagination[0]: operations have `offset` but none pages with this style"),
        "{found:?}"
    );
    assert!(found[0].contains("no field `pages.nextKey`"), "{found:?}");
}

#[test]
fn an_array_style_override_that_matches_no_parameter() {
    let found = warnings("array_style_overrides: {field: comma}\n");
    assert_eq!(found, ["generate.array_style_overrides.field: no operation has an array query parameter `field`"]);
}

#[test]
fn an_operation_id_prefix_that_matches_no_operation() {
    let found = warnings("partial_updates: {operation_id_prefixes: [patch]}\n");
    assert_eq!(
        found,
        [
            "generate.partial_updates.operation_id_prefixes[0]: no operation with a request body has an operationId starting with `patch`"
        ]
    );
}

#[test]
fn a_managed_header_no_operation_has() {
    let found = warnings("client: {managed_headers: [X-Partner-ID]}\n");
    assert_eq!(found, ["generate.client.managed_headers[0]: no operation has a header parameter `X-Partner-ID`"]);
}

#[test]
fn a_type_override_for_a_schema_the_spec_lacks() {
    let found = warnings("type_overrides: {Field: secgen_vendors::example::Field}\n");
    assert_eq!(found, ["generate.type_overrides.Field: the spec has no component schema `Field`"]);
}

#[test]
fn an_envelope_no_body_comes_in() {
    let found = warnings("client: {envelope: {type: secgen_vendors::example::Envelope, data: data}}\n");
    assert_eq!(
        found,
        [
            "generate.client.envelope.data: no JSON success body has a `data` property, so no operation returns the envelope"
        ]
    );
}

#[test]
fn a_type_path_that_is_not_a_path_is_refused_when_the_config_is_read() {
    let yaml = "crate_name: items\nversion: 0.1.0\ndescription: Items\nclient: {error_body: \"not a path\"}\n";
    let error = yaml_serde::from_str::<ApiConfig>(yaml).unwrap_err().to_string();
    assert!(error.contains("`not a path` is not a Rust path"), "{error}");
}

#[test]
fn an_envelope_without_the_fields_its_page_style_needs() {
    let spec = r##"
openapi: 3.0.3
info: {title: Events, version: "1"}
paths:
  /events:
    get:
      operationId: listEvents
      parameters:
        - {name: pageFromKey, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  metadata: {type: object, properties: {nextKey: {type: string}}}
"##;
    let yaml = "crate_name: events\nversion: 0.1.0\ndescription: Events\n\
        client: {envelope: {type: secgen_vendors::example::Envelope, data: data, next_link: metadata.next}}\n\
        pagination:\n  - {style: page_key, key: pageFromKey, next_key: metadata.nextKey, default_page_size: 10}\n";
    let config: ApiConfig = yaml_serde::from_str(yaml).unwrap();
    let generated = generate("events.yaml", spec.as_bytes(), &config).unwrap();
    let found: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("the envelope `secgen_vendors::example::Envelope` hands out no `next_key`"), "{found:?}");
    assert_eq!(
        found[1],
        "generate.client.envelope.next_link: an enveloped response has no such field: metadata.next (listEvents)"
    );
}

/// Warnings for the `jobs` construct spec with its config's job replaced by `job`.
fn job_warnings(job: &str, pagination: bool) -> Vec<String> {
    let dir = format!("{}/tests/specs", env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read(format!("{dir}/jobs.yaml")).unwrap();
    let paging =
        "pagination:\n  - {style: page_key, key: pageFromKey, next_key: pages.nextKey, default_page_size: 10}\n";
    let yaml = format!(
        "crate_name: jobs\nversion: 0.1.0\ndescription: Jobs\n{}jobs:\n  - {job}\n",
        if pagination { paging } else { "" }
    );
    let config: ApiConfig = yaml_serde::from_str(&yaml).unwrap();
    let generated = generate("jobs.yaml", &spec, &config).unwrap();
    generated.warnings.iter().map(ToString::to_string).collect()
}

const QUERY_JOB: &str = "{start: runQuery, status: getQueryRun, results: getQueryResults, id: id, state: status, \
                         finished: [finished], outcome: result, succeeded: [succeeded]}";

#[test]
fn a_job_that_fits_the_spec_gives_no_warning() {
    assert_eq!(job_warnings(QUERY_JOB, true), Vec::<String>::new());
}

#[test]
fn a_job_naming_an_operation_the_spec_lacks() {
    let found = job_warnings(&QUERY_JOB.replace("getQueryRun", "getRun"), true);
    assert_eq!(found, ["generate.jobs[0]: the spec has no operation `getRun`"]);
}

#[test]
fn a_job_state_field_the_responses_lack() {
    let found = job_warnings(&QUERY_JOB.replace("state: status", "state: phase"), true);
    assert_eq!(found, ["generate.jobs[0]: `runQuery`'s response `QueryRun` has no field `phase`"]);
}

#[test]
fn a_job_whose_results_are_not_paged() {
    let found = job_warnings(QUERY_JOB, false);
    assert_eq!(found, ["generate.jobs[0]: `getQueryResults` is not a paged list operation"]);
}

#[test]
fn a_job_polled_by_an_operation_that_needs_more_than_the_id() {
    let found = job_warnings(&QUERY_JOB.replace("status: getQueryRun", "status: runQuery"), true);
    assert_eq!(
        found,
        [
            "generate.jobs[0]: `runQuery` must take exactly one required parameter, the job's id as a string, and no body"
        ]
    );
}

#[test]
fn a_secret_name_no_string_property_or_parameter_has() {
    // `next` is a string property (used); `limit` is an integer parameter, never a secret.
    assert_eq!(warnings("secrets: [next]\n"), Vec::<String>::new());
    assert_eq!(
        warnings("secrets: [next, limit, password]\n"),
        [
            "generate.secrets.limit: no string property or parameter is named `limit`",
            "generate.secrets.password: no string property or parameter is named `password`",
        ]
    );
}
