//! `generated/` is exactly what `cargo xtask regen` writes (as rust-analyzer
//! checks its own generated code): regenerates in memory and compares.

#[test]
fn generated_crates_are_what_regen_writes() {
    let apis = xtask::apis::all().unwrap();
    assert!(!apis.is_empty(), "no APIs under specs/");
    let problems = xtask::check::problems(&apis).unwrap();
    assert!(problems.is_empty(), "run `cargo xtask regen`:\n{}", problems.join("\n"));
}
