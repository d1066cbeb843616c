//! `cargo xtask <command>`: the commands people run in this workspace.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use xtask::diff::Against;
use xtask::{apis, check, corpus, regen, spec_source};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [API]                      regenerate generated/ from specs/ (all APIs, or one)
  fetch API [--from PATH|URL]      download a vendor spec into the cache and update its spec.lock
  check                            fail if generated/ is not what regen writes, or a cached spec
                                   does not match its lock
  diff API [--against REV]         what changed for users of API's crate, from the API surface
                                   committed at REV (default HEAD) to what the spec gives now
  diff API --old SPEC --new SPEC   the same between two spec files
                                   (both forms exit with status 2 when anything breaks callers
                                   or decoding, 0 otherwise)
  corpus [--config YAML] DIR|FILE...
                                   generate every spec found into a scratch crate (with a default
                                   config, or the `generate:` fields of YAML) and compile it; one
                                   line per spec and a total (fails if an OpenAPI 3.0 one fails)
  bench                            speed and scale figures: regen, codegen (Factory, GitHub), cargo check
                                   of generated crates, streaming vs a hand-written loop (release builds)
  test                             every check CI runs: installs the spec corpus (scripts/install-corpus.sh),
                                   then rustfmt, clippy (warnings denied), all tests

environment:
  SPEC_MIRROR=DIR                  read fetched specs from DIR (laid out like ../shared/specs)
                                   instead of the network
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["regen"] => regen_all(None),
        ["regen", api] => regen_all(Some(api)),
        ["fetch", api] => fetch(api, None),
        ["fetch", api, "--from", from] => fetch(api, Some(from)),
        ["check"] => check(),
        ["diff", api] => diff(api, Against::Revision("HEAD".to_owned())),
        ["diff", api, "--against", revision] => diff(api, Against::Revision((*revision).to_owned())),
        ["diff", api, "--old", old, "--new", new] => {
            diff(api, Against::Specs { old: (*old).to_owned(), new: (*new).to_owned() })
        }
        ["corpus", "--config", config, paths @ ..] if !paths.is_empty() => corpus(Some(config), paths),
        ["corpus", paths @ ..] if !paths.is_empty() => corpus(None, paths),
        ["bench"] => {
            xtask::bench::run()?;
            Ok(ExitCode::SUCCESS)
        }
        ["test"] => test(),
        ["help" | "--help" | "-h"] | [] => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("unknown command `{}`\n\n{USAGE}", args.join(" ")),
    }
}

fn corpus(config: Option<&str>, paths: &[&str]) -> Result<ExitCode> {
    let config = match config {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
            serde_yaml::from_str(&text).with_context(|| format!("{path}: not a generator config"))?
        }
        None => corpus::default_config(),
    };
    let paths: Vec<std::path::PathBuf> = paths.iter().map(std::path::PathBuf::from).collect();
    let entries = corpus::run("corpus", &paths, &config)?;
    Ok(if corpus::report(&entries) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
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
    let steps: [&[&str]; 3] = [
        &["fmt", "--all", "--check"],
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
        &["test", "--workspace"],
    ];
    for args in steps {
        eprintln!("==> cargo {}", args.join(" "));
        let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(args)
            .current_dir(xtask::workspace::root())
            .status()?;
        if !status.success() {
            eprintln!("==> failed: cargo {}", args.join(" "));
            return Ok(ExitCode::FAILURE);
        }
    }
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
