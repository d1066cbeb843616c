//! What the verify and import tests share.

use secgen_codegen::ApiConfig;
use xtask::apis::{Api, Evidence, Exclusion, Source};

/// An API named `name` (each test its own, since each builds its decoder in a
/// folder of that name) whose requests live under `/v1` and whose request
/// `excluded` is left out.
pub fn alerts_api(name: &str, excluded: &str) -> Api {
    let config: ApiConfig =
        yaml_serde::from_str(&format!("crate_name: {name}\nversion: 0.1.0\ndescription: Alerts\n")).unwrap();
    let exclude = vec![Exclusion {
        request: Some(excluded.to_owned()),
        path_prefix: None,
        parameter: None,
        response: None,
        reason: "the identity service, not this API".to_owned(),
    }];
    Api {
        name: name.to_owned(),
        dir: std::env::temp_dir(),
        source: Source::File("spec.yaml".to_owned()),
        config,
        evidence: Evidence { collections: Vec::new(), server_path: "/v1".to_owned(), exclude },
    }
}
