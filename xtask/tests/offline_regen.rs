//! `cargo xtask regen` on a fresh clone without network: a fetched spec that is
//! neither cached nor reachable keeps the committed crate when that crate was
//! generated from the spec `spec.lock` pins; a vendor spec that differs from the
//! lock keeps it too and names the next two commands.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("offline-regen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `xtask regen sophos-factory` with the given cache and mirror, and every
/// proxy pointed at a closed loopback port, so nothing leaves the machine.
fn regen(cache: &Path, mirror: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["regen", "sophos-factory"]).env("SPEC_CACHE", cache).env_remove("SPEC_MIRROR");
    for proxy in ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        command.env(proxy, "http://127.0.0.1:9");
    }
    command.env_remove("NO_PROXY").env_remove("no_proxy");
    if let Some(mirror) = mirror {
        command.env("SPEC_MIRROR", mirror);
    }
    command.output().unwrap()
}

#[test]
fn an_unreachable_spec_keeps_the_committed_crate() {
    let cache = scratch("empty-cache");
    let output = regen(&cache, None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("sophos-factory: kept generated/sophos-factory as committed"), "{stderr}");
    assert!(stderr.contains("not cached and could not be fetched"), "{stderr}");
    assert!(std::fs::read_dir(&cache).unwrap().next().is_none(), "nothing was cached");
}

#[test]
fn a_changed_vendor_spec_keeps_the_committed_crate_and_names_fetch_then_diff() {
    let cache = scratch("changed-cache");
    let mirror = scratch("changed-mirror");
    std::fs::create_dir_all(mirror.join("sophos-factory")).unwrap();
    let changed = br#"{"openapi":"3.0.3","info":{"title":"Changed","version":"2"},"paths":{}}"#;
    std::fs::write(mirror.join("sophos-factory/api.json"), changed).unwrap();
    let output = regen(&cache, Some(&mirror));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("kept generated/sophos-factory as committed"), "{stderr}");
    assert!(stderr.contains("`cargo xtask fetch sophos-factory` then `cargo xtask diff sophos-factory`"), "{stderr}");
    assert!(std::fs::read_dir(&cache).unwrap().next().is_none(), "the unlocked spec was not cached");
}
