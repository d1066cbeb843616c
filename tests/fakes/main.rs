//! Each API's fake (cargo feature `fake`), used the way a user of the crates
//! tests their own integration code: a small function that pulls data out of the
//! API, run against the fake, including a 429 in the middle of a listing and
//! expired credentials. The fakes' own behaviour (every default body decodes,
//! unexpected requests fail the test) is checked here too.

mod cisco_amp;
mod cloud_soar;
mod sophos_central;
mod sophos_factory;

/// Every operation's default body decodes with its crate's own types, in every API.
#[tokio::test]
async fn every_default_body_decodes() {
    let problems = [
        ("cisco-amp", ::cisco_amp::fake::Fake::start().await.default_body_problems()),
        ("cloud-soar", ::cloud_soar::fake::Fake::start().await.default_body_problems()),
        ("sophos-central", ::sophos_central::fake::Fake::start().await.default_body_problems()),
        ("sophos-factory", ::sophos_factory::fake::Fake::start().await.default_body_problems()),
        ("sophos-factory-auth", ::sophos_factory_auth::fake::Fake::start().await.default_body_problems()),
    ];
    for (api, problems) in problems {
        assert!(problems.is_empty(), "{api}:\n{}", problems.join("\n"));
    }
}
