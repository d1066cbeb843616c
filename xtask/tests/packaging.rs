//! Crates a user can depend on from their own project: the publishable crates
//! package cleanly, and a crate outside this workspace builds against a
//! generated client by path, as the README shows.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every crate meant for users: the runtime, the vendor pieces, the generator
/// and each generated client.
const PUBLISHABLE: &[&str] = &[
    "secgen-runtime",
    "secgen-vendors",
    "secgen-codegen",
    "sophos-factory",
    "sophos-factory-auth",
    "sophos-central",
    "cisco-amp",
    "cloud-soar",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

#[test]
fn every_user_facing_crate_packages() {
    let mut command = cargo();
    command.args(["package", "--no-verify", "--allow-dirty", "--quiet"]).current_dir(root());
    for name in PUBLISHABLE {
        command.args(["-p", name]);
    }
    command.env("CARGO_TARGET_DIR", root().join("target/package-check"));
    let output = command.output().unwrap();
    assert!(output.status.success(), "cargo package failed:\n{}", String::from_utf8_lossy(&output.stderr));
    for name in PUBLISHABLE {
        let packaged = std::fs::read_dir(root().join("target/package-check/package"))
            .unwrap()
            .filter_map(Result::ok)
            .any(|entry| entry.file_name().to_string_lossy().starts_with(&format!("{name}-")));
        assert!(packaged, "{name} was not packaged");
    }
}

#[test]
fn a_crate_outside_the_workspace_builds_against_a_generated_client() {
    let dir = root().join("target/outside");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"my-pipeline\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n\
         sophos-factory = {{ path = {:?} }}\n\n[workspace]\n",
        root().join("generated/sophos-factory").display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let main = r#"use sophos_factory::{Client, Region, runtime::Auth};

fn main() -> sophos_factory::Result<()> {
    let client = Client::builder().base_url(Region::EuWest1).auth(Auth::bearer("token")).build()?;
    println!("{}", client.api_client().base_url());
    Ok(())
}
"#;
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    // The workspace's lock pins the same versions, so the build stays offline-friendly and quick.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let output = cargo().args(["run", "--quiet", "--offline"]).current_dir(&dir).output().unwrap();
    assert!(output.status.success(), "the outside crate did not build:\n{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "https://api.eu-west-1.factory.sophos.com/v1");

    // Without the `fake` feature, no mock server is compiled; with it, wiremock is there.
    let tree = |features: &[&str]| {
        let output =
            cargo().args(["tree", "--offline", "-e", "normal"]).args(features).current_dir(&dir).output().unwrap();
        assert!(output.status.success(), "cargo tree failed:\n{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(!tree(&[]).contains("wiremock"), "a normal build depends on the mock server");
    assert!(tree(&["--features", "sophos-factory/fake"]).contains("wiremock"));
}
