//! Every spec held against its evidence in ../shared (the vendors' collections
//! its api.yaml names, and the examples in the spec itself): no gap may stand
//! that api.yaml does not exclude with a reason.

#[test]
fn every_api_answers_its_evidence() {
    for api in xtask::apis::all().unwrap() {
        let report = xtask::verify::verify(&api).unwrap();
        assert!(report.gaps.is_empty(), "{}", report.render(&api.name));
        if !api.evidence.collections.is_empty() {
            assert!(report.matched > 0, "{}", report.render(&api.name));
        }
    }
}
