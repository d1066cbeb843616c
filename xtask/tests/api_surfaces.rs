//! One snapshot of each generated crate's public surface (operations, types,
//! enum values). When a spec changes, `cargo insta review` shows the change as
//! a short surface diff, and accepting it is the review.

#[test]
fn api_surfaces() {
    for api in xtask::apis::all().unwrap() {
        let spec = xtask::spec_source::load(&api).unwrap();
        let generated = secgen_codegen::generate(&spec.file_name, &spec.bytes, &api.config).unwrap();
        insta::assert_snapshot!(api.name.as_str(), generated.surface.render(&api.config.crate_name));
    }
}
