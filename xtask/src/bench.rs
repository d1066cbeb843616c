//! `cargo xtask bench`: speed and scale figures on the machine it runs on,
//! printed, never asserted. The timed code runs in release builds
//! (`target/release/xtask` and `secgen-bench`); see `bench/src/main.rs`.
//!
//! - regen of every API (release `xtask regen`, median of 5);
//! - codegen alone for the Factory spec (also declared 3.1, so read through the
//!   conversion to 3.0 form) and GitHub's (median of 5);
//! - `cargo check` of the generated Factory and GitHub crates, touched and
//!   re-checked after their dependencies are built;
//! - `cargo check` of the generated Central crate with every API group and with
//!   one (its per-tag features), touched and re-checked;
//! - 10,000 and 100,000 AMP events in pages of 500 from a loopback server,
//!   streamed through the generated client and through a hand-written reqwest +
//!   serde loop: time (median of 5) and peak memory of each client process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::scratch::{self, Candidate, Outcome};
use crate::{apis, corpus, spec_source, workspace};

const RUNS: usize = 5;
const GITHUB_SPEC: &str = "@octokit/openapi/generated/api.github.com.json";

pub fn run() -> Result<()> {
    corpus::install()?;
    cargo(&["build", "--release", "--quiet", "-p", "xtask", "-p", "secgen-bench"])?;
    let factory = apis::selected(Some("sophos-factory"))?.remove(0);
    let factory_spec = spec_source::load(&factory)?;
    let github = corpus::installed_dir().join(GITHUB_SPEC);
    let github_config = write_github_configs()?;
    // The binary reads the spec from a file; the one regen uses, wherever it is cached.
    let factory_spec_path = workspace::root().join("target/bench/sophos-factory.json");
    std::fs::write(&factory_spec_path, &factory_spec.bytes)?;
    // The same document declared 3.1: read through the conversion to 3.0 form.
    let mut declared_31: serde_json::Value = serde_json::from_slice(&factory_spec.bytes)?;
    declared_31["openapi"] = "3.1.0".into();
    let factory_31_path = workspace::root().join("target/bench/sophos-factory-3.1.json");
    std::fs::write(&factory_31_path, serde_json::to_vec(&declared_31)?)?;

    println!("machine: {} cores", std::thread::available_parallelism().map_or(0, usize::from));
    println!("\n## Generation (release build, median of {RUNS})\n");
    println!("regen, all {} APIs: {:.3} s", apis::all()?.len(), median_seconds(RUNS, regen_once)?);
    for (label, config, spec) in [
        ("Sophos Factory spec", factory.dir.join("api.yaml"), factory_spec_path.clone()),
        ("Sophos Factory spec declared OpenAPI 3.1 (converted)", factory.dir.join("api.yaml"), factory_31_path),
        ("GitHub spec, every component schema", github_config[0].clone(), github.clone()),
        ("GitHub spec, schemas operations use", github_config[1].clone(), github.clone()),
    ] {
        let figures = bench_output(&["codegen", &RUNS.to_string(), &path_text(&config), &path_text(&spec)])?;
        println!("codegen, {label} ({:.1} MB): {figures} (seconds)", file_megabytes(&spec));
    }

    println!("\n## cargo check of one generated crate, dependencies built (touch, re-check)\n");
    let candidates = vec![
        Candidate {
            label: "factory".into(),
            file_name: factory_spec.file_name.clone(),
            bytes: factory_spec.bytes.clone(),
            config: factory.config.clone(),
        },
        github_candidate("github-all", &github, &github_config[0])?,
        github_candidate("github-used", &github, &github_config[1])?,
    ];
    let outcomes = scratch::check("bench", candidates)?;
    for (label, name) in
        [("factory", "Sophos Factory"), ("github-all", "GitHub, every schema"), ("github-used", "GitHub, used schemas")]
    {
        if outcomes.get(label) != Some(&Outcome::Compiled) {
            bail!("{label} did not compile: {:?}", outcomes.get(label));
        }
        let lines = rust_lines(&workspace::root().join("target/scratch/bench").join(label))?;
        let seconds = scratch::recheck("bench", label)?.as_secs_f64();
        println!("{name}: {seconds:.1} s ({lines} lines of Rust)");
    }

    println!("\n## cargo check of Sophos Central, whole and one API group (features), dependencies built\n");
    for (label, features) in
        [("every group (default features)", None), ("SIEM Integration API only", Some("siem-integration-api"))]
    {
        println!("{label}: {:.1} s", central_check_seconds(features)?);
    }

    println!("\n## Streaming AMP events, pages of 500, loopback (median of {RUNS}; peak RSS of the client process)\n");
    for items in [10_000, 100_000] {
        stream_figures(items)?;
    }
    Ok(())
}

/// `cargo check` of the generated Central crate after touching it (its
/// dependencies and the crate built once before), with only `features` if given.
fn central_check_seconds(features: Option<&str>) -> Result<f64> {
    let mut args = vec!["check", "--quiet", "-p", "sophos-central"];
    if let Some(features) = features {
        args.extend(["--no-default-features", "--features", features]);
    }
    let check = || {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(&args)
            .current_dir(workspace::root())
            .env("CARGO_TARGET_DIR", workspace::root().join("target/bench-target"))
            .status()
            .context("running cargo check")?;
        if !status.success() {
            bail!("cargo {} failed", args.join(" "));
        }
        Ok(())
    };
    check()?;
    let lib = workspace::root().join("generated/sophos-central/src/lib.rs");
    std::fs::File::options().append(true).open(&lib)?.set_modified(std::time::SystemTime::now())?;
    let start = Instant::now();
    check()?;
    Ok(start.elapsed().as_secs_f64())
}

fn cargo(args: &[&str]) -> Result<()> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(workspace::root())
        .status()?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

fn release_binary(name: &str) -> PathBuf {
    workspace::root().join("target/release").join(name)
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

fn file_megabytes(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |metadata| metadata.len() as f64 / 1_000_000.0)
}

/// The GitHub configs: every component schema, and only those operations use.
fn write_github_configs() -> Result<[PathBuf; 2]> {
    let dir = workspace::root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let base = "crate_name: github\nversion: 0.1.0\ndescription: GitHub REST API\n";
    let all = dir.join("github-all.yaml");
    let used = dir.join("github-used.yaml");
    std::fs::write(&all, base)?;
    std::fs::write(&used, format!("{base}component_schemas: used\n"))?;
    Ok([all, used])
}

fn github_candidate(label: &str, spec: &Path, config: &Path) -> Result<Candidate> {
    Ok(Candidate {
        label: label.to_owned(),
        file_name: path_text(spec),
        bytes: std::fs::read(spec).with_context(|| format!("reading {}", spec.display()))?,
        config: yaml_serde::from_str(&std::fs::read_to_string(config)?)?,
    })
}

fn regen_once() -> Result<Duration> {
    let started = Instant::now();
    let output = Command::new(release_binary("xtask")).arg("regen").current_dir(workspace::root()).output()?;
    if !output.status.success() {
        bail!("xtask regen failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(started.elapsed())
}

fn median_seconds(runs: usize, mut once: impl FnMut() -> Result<Duration>) -> Result<f64> {
    let mut times = (0..runs).map(|_| once()).collect::<Result<Vec<_>>>()?;
    times.sort();
    Ok(times[runs / 2].as_secs_f64())
}

/// Runs `secgen-bench` and returns its one line of output.
fn bench_output(args: &[&str]) -> Result<String> {
    let output = Command::new(release_binary("secgen-bench")).args(args).output()?;
    if !output.status.success() {
        bail!("secgen-bench {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn rust_lines(dir: &Path) -> Result<usize> {
    let mut lines = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            lines += rust_lines(&path)?;
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            lines += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(lines)
}

/// One `stream` run: seconds and peak RSS in KiB.
fn stream_once(client: &str, url: &str, items: usize) -> Result<(f64, u64)> {
    let line = bench_output(&["stream", client, url])?;
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(name))
            .with_context(|| format!("no {name} in `{line}`"))
    };
    if field("items=")? != items.to_string() {
        bail!("{client} streamed the wrong number of items: {line}");
    }
    Ok((field("seconds=")?.parse()?, field("peak_rss_kib=")?.parse()?))
}

fn stream_figures(items: usize) -> Result<()> {
    let mut server = Command::new(release_binary("secgen-bench"))
        .args(["serve", &items.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut url = String::new();
    BufReader::new(server.stdout.take().context("the server's output")?).read_line(&mut url)?;
    let url = url.trim().to_owned();
    let mut figures = Vec::new();
    for client in ["generated", "handwritten"] {
        let mut runs = (0..RUNS).map(|_| stream_once(client, &url, items)).collect::<Result<Vec<_>>>()?;
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let peak = runs.iter().map(|run| run.1).max().unwrap_or(0);
        figures.push((runs[RUNS / 2].0, peak));
    }
    drop(server.stdin.take());
    server.wait()?;
    let [(generated, generated_peak), (handwritten, handwritten_peak)] = figures[..] else { unreachable!() };
    println!(
        "{items} items: generated client {generated:.3} s, {:.1} MiB; hand-written loop {handwritten:.3} s, {:.1} MiB; time ratio {:.2}",
        generated_peak as f64 / 1024.0,
        handwritten_peak as f64 / 1024.0,
        generated / handwritten
    );
    Ok(())
}
