//! `cargo xtask <command>`: the commands people run in this workspace.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use xtask::diff::Against;
use xtask::{apis, check, corpus, regen, spec_source};

/// The commands of the secgen workspace: vendor OpenAPI specs into typed Rust client crates.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about, long_about = None)]
#[command(
    after_help = "Environment:\n  SPEC_MIRROR=DIR  read fetched specs from DIR (laid out like ../shared/specs) instead of the network\n  SPEC_CACHE=DIR   keep fetched specs in DIR instead of .cache/specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/ from specs/ (every API, or one).
    ///
    /// A fetched spec that is neither cached nor reachable keeps the committed crate
    /// when that crate was generated from the spec spec.lock pins.
    Regen {
        /// The API (a folder under specs/); all of them when left out.
        api: Option<String>,
    },
    /// Download a vendor spec into the cache and update its spec.lock.
    Fetch {
        /// The API (a folder under specs/).
        api: String,
        /// Read the spec from this file or URL instead of the vendor's.
        #[arg(long, value_name = "PATH|URL")]
        from: Option<String>,
    },
    /// Fail if generated/ is not what regen writes, or a cached spec does not match its lock.
    Check,
    /// What changed for users of an API's crate; exits with status 2 when anything breaks callers
    /// or decoding.
    ///
    /// Compares the API surface committed at REV (default HEAD) with what the spec gives now, or
    /// two spec files with --old and --new.
    Diff {
        /// The API (a folder under specs/).
        api: String,
        /// The revision whose committed surface is the old side.
        #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
        against: Option<String>,
        /// The old spec file.
        #[arg(long, value_name = "SPEC", requires = "new")]
        old: Option<String>,
        /// The new spec file.
        #[arg(long, value_name = "SPEC", requires = "old")]
        new: Option<String>,
    },
    /// Generate every spec found into a scratch crate and compile it; one line per spec and a
    /// total (fails if an OpenAPI 3.0 one fails).
    Corpus {
        /// Generate with the `generate:` fields of this YAML instead of a default config.
        #[arg(long, value_name = "YAML")]
        config: Option<PathBuf>,
        /// Spec files, or folders searched for specs.
        #[arg(required = true, value_name = "DIR|FILE")]
        paths: Vec<PathBuf>,
    },
    /// Hold hand-written specs against the vendor's own evidence (Postman collections named in
    /// api.yaml): coverage, parameters, and every example body decoded with the crate's types.
    ///
    /// Exits with status 1 on any gap not excluded in api.yaml. APIs without evidence are skipped.
    Verify {
        /// The API (a folder under specs/); all of them when left out.
        api: Option<String>,
    },
    /// Draft, into a hand-written spec, an operation for every request of a Postman collection
    /// that no operation matches (schemas inferred from its examples, marked as inferred).
    Import {
        /// The API (a folder under specs/ with a hand-written spec).
        api: String,
        /// The Postman collection (v2.0 or v2.1).
        #[arg(long, value_name = "COLLECTION")]
        from: PathBuf,
    },
    /// Speed and scale figures: regen, codegen (Factory, GitHub), cargo check of generated
    /// crates, streaming vs a hand-written loop (release builds).
    Bench,
    /// Every check CI runs: installs the spec corpus, then rustfmt, clippy (warnings denied),
    /// rustdoc (warnings denied), all tests.
    Test,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Regen { api } => regen_all(api.as_deref()),
        Command::Fetch { api, from } => fetch(&api, from.as_deref()),
        Command::Check => check(),
        Command::Diff { api, against, old, new } => {
            let against = match (old, new) {
                (Some(old), Some(new)) => Against::Specs { old, new },
                _ => Against::Revision(against.unwrap_or_else(|| "HEAD".to_owned())),
            };
            diff(&api, against)
        }
        Command::Corpus { config, paths } => corpus(config.as_deref(), &paths),
        Command::Verify { api } => verify(api.as_deref()),
        Command::Import { api, from } => import(&api, &from),
        Command::Bench => {
            xtask::bench::run()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Test => test(),
    }
}

fn corpus(config: Option<&std::path::Path>, paths: &[PathBuf]) -> Result<ExitCode> {
    let config = match config {
        Some(path) => {
            let path = path.display();
            let text = std::fs::read_to_string(path.to_string()).with_context(|| format!("reading {path}"))?;
            yaml_serde::from_str(&text).with_context(|| format!("{path}: not a generator config"))?
        }
        None => corpus::default_config(),
    };
    let entries = corpus::run("corpus", paths, &config)?;
    Ok(if corpus::report(&entries) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn verify(api: Option<&str>) -> Result<ExitCode> {
    let mut clean = true;
    for api in apis::selected(api)? {
        let report = xtask::verify::verify(&api)?;
        print!("{}", report.render(&api.name));
        clean &= report.gaps.is_empty();
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn import(api: &str, collection: &std::path::Path) -> Result<ExitCode> {
    let api = apis::selected(Some(api))?.remove(0);
    let (spec_path, added) = xtask::import::import(&api, collection)?;
    for added in &added {
        println!("drafted: {added}");
    }
    println!(
        "{}: {} operations drafted into {}; review them, then `cargo xtask regen {}` and `cargo xtask verify {}`",
        api.name,
        added.len(),
        xtask::workspace::display(&spec_path),
        api.name,
        api.name
    );
    Ok(ExitCode::SUCCESS)
}

fn regen_all(api: Option<&str>) -> Result<ExitCode> {
    for api in apis::selected(api)? {
        regen::regen(&api)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn fetch(api: &str, from: Option<&str>) -> Result<ExitCode> {
    let api = apis::selected(Some(api))?.remove(0);
    let lock = spec_source::fetch(&api, from)?;
    eprintln!("{}: fetched {} bytes, sha256 {} (from {})", api.name, lock.size, lock.sha256, lock.source);
    Ok(ExitCode::SUCCESS)
}

/// What CI runs (`.ci/run`), in order, stopping at the first failure.
fn test() -> Result<ExitCode> {
    eprintln!("==> scripts/install-corpus.sh");
    if let Err(error) = corpus::install() {
        eprintln!("==> failed: {error:#}");
        return Ok(ExitCode::FAILURE);
    }
    let steps: [&[&str]; 4] = [
        &["fmt", "--all", "--check"],
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
        // Rustdoc warnings (broken links, unclosed tags) fail like compiler warnings.
        &["doc", "--workspace", "--no-deps"],
        &["test", "--workspace"],
    ];
    let mut progress = xtask::progress::Progress::new("test", steps.len());
    for args in steps {
        progress.step(format!("cargo {}", args.join(" ")));
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .envs((args[0] == "doc").then_some(("RUSTDOCFLAGS", "-D warnings")))
            .current_dir(xtask::workspace::root())
            .status()?;
        if !status.success() {
            progress.finish();
            eprintln!("==> failed: cargo {}", args.join(" "));
            return Ok(ExitCode::FAILURE);
        }
    }
    progress.finish();
    eprintln!("==> all checks passed");
    Ok(ExitCode::SUCCESS)
}

fn diff(api: &str, against: Against) -> Result<ExitCode> {
    let api = apis::selected(Some(api))?.remove(0);
    let breaking = xtask::diff::report(&api, &against)?;
    Ok(if breaking { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn check() -> Result<ExitCode> {
    let problems = check::problems(&apis::all()?)?;
    if problems.is_empty() {
        eprintln!("generated/ is current and every cached spec matches its lock");
        return Ok(ExitCode::SUCCESS);
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    eprintln!("{} problem(s); run `cargo xtask regen` (or `cargo xtask fetch <api>`)", problems.len());
    Ok(ExitCode::FAILURE)
}
