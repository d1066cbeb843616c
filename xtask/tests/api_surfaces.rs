//! One snapshot of each generated crate's public surface (operations, types,
//! enum values). When a spec changes, `cargo insta review` shows the change as
//! a short surface diff, and accepting it is the review.

#[test]
fn api_surfaces() {
    let mut changed = Vec::new();
    for api in xtask::apis::all().unwrap() {
        let spec = xtask::spec_source::load(&api).unwrap();
        let generated = secgen_codegen::generate(&spec.file_name, &spec.bytes, &api.config).unwrap();
        let surface = generated.surface.render(&api.config.crate_name);
        // Every API is compared, so one review shows every pending change.
        let compared = std::panic::catch_unwind(|| insta::assert_snapshot!(api.name.as_str(), surface));
        if compared.is_err() {
            changed.push(api.name);
        }
    }
    assert!(changed.is_empty(), "API surfaces changed: {}; review with `cargo insta review`", changed.join(", "));
}
