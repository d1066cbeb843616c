//! The hand-written specs held against the vendors' evidence in ../shared:
//! those whose `cargo xtask verify` is clean must stay clean.

/// APIs whose spec answers every evidence request (or excludes it with a reason).
const CLEAN: &[&str] = &["cisco-amp", "sophos-central"];

#[test]
fn clean_apis_have_no_verify_gap() {
    for name in CLEAN {
        let api = xtask::apis::selected(Some(name)).unwrap().remove(0);
        let report = xtask::verify::verify(&api).unwrap();
        assert!(report.gaps.is_empty(), "{}", report.render(name));
        assert!(report.matched > 0, "{}", report.render(name));
    }
}
