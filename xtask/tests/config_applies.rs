//! Every setting in every `specs/<api>/api.yaml` applies to something in its
//! spec: `regen` would print no warning.

#[test]
fn no_api_config_has_a_setting_that_matches_nothing() {
    let apis = xtask::apis::all().unwrap();
    assert!(!apis.is_empty(), "no APIs under specs/");
    let mut warnings = Vec::new();
    for api in &apis {
        warnings.extend(xtask::regen::plan(api).unwrap().warnings);
    }
    assert!(warnings.is_empty(), "fix these settings:\n{}", warnings.join("\n"));
}
