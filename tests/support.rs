//! Helpers shared by the integration tests.

use std::path::PathBuf;

use serde_json::{Value, json};

/// `../shared/fixtures/<vendor>/<file>` beside the workspace: public vendor
/// response bodies, read in place and never copied into the repository.
pub fn fixture(vendor: &str, file: &str) -> String {
    let path = shared().join("fixtures").join(vendor).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The `../shared` folder beside the workspace.
pub fn shared() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf();
    root.parent().expect("the workspace has a parent").join("shared")
}

/// One AMP event with the field types AMP really sends (the fixtures' values
/// are placeholders): an int64 id beyond 2^53, Unix timestamps, nested computer
/// and file objects, and a field the spec does not declare (`cloud_ioc`).
pub fn amp_event(id: i64, offset_seconds: i64) -> Value {
    json!({
        "id": id,
        "timestamp": 1_718_000_000 + offset_seconds,
        "timestamp_nanoseconds": 123_000_000,
        "date": "2024-06-10T06:13:20+00:00",
        "event_type": "Threat Detected",
        "event_type_id": 1_090_519_054,
        "detection": "W32.EICAR.Test",
        "detection_id": "6815440342926950405",
        "connector_guid": "af3c0a45-1a5e-4a6d-9a9e-3c2f1d0c5b7e",
        "group_guids": ["b077d6bc-bbdf-42f7-8838-a06053fbd98a"],
        "severity": "Medium",
        "computer": {
            "connector_guid": "af3c0a45-1a5e-4a6d-9a9e-3c2f1d0c5b7e",
            "hostname": "WIN-ENG-042",
            "external_ip": "203.0.113.7",
            "active": true,
            "network_addresses": [{"ip": "10.0.4.42", "mac": "00:50:56:a1:b2:c3"}],
            "links": {"computer": "https://api.amp.cisco.com/v1/computers/af3c0a45-1a5e-4a6d-9a9e-3c2f1d0c5b7e"}
        },
        "file": {
            "disposition": "Malicious",
            "file_name": "eicar.com",
            "file_path": "/C:/Users/alice/Downloads/eicar.com",
            "identity": {"sha256": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"},
            "parent": {"process_id": 4242, "disposition": "Clean", "file_name": "explorer.exe", "identity": {"sha256": "0d6e3c"}}
        },
        "cloud_ioc": {"description": "not in the spec", "short_description": "W32.Example"}
    })
}

/// The example body of one response in Sophos' 2026-01-08 Central collection:
/// the request by its path of item names (`XDR Query API / Query Runs / Run query`)
/// and the response by status code.
pub fn central_collection_example(request: &str, status: u16) -> Value {
    let path = shared().join("evidence/sophos-central/central-apis.2026-01-08.postman_collection.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let collection: Value = serde_json::from_str(&text).expect("the collection is JSON");
    let mut item = &collection;
    for name in request.split(" / ") {
        let children = item["item"].as_array().unwrap_or_else(|| panic!("`{request}`: no items above `{name}`"));
        item =
            children.iter().find(|child| child["name"] == name).unwrap_or_else(|| panic!("`{request}`: no `{name}`"));
    }
    let responses = item["response"].as_array().unwrap_or_else(|| panic!("`{request}` has no responses"));
    let response = responses.iter().find(|response| response["code"] == status);
    let body =
        response.and_then(|response| response["body"].as_str()).unwrap_or_else(|| panic!("`{request}`: no {status}"));
    serde_json::from_str(body).unwrap_or_else(|error| panic!("`{request}` {status}: {error}"))
}
