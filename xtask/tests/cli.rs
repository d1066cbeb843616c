//! The command line a newcomer meets: `--help` for the tool and every command,
//! and argument errors in the usual form with a hint.

use std::process::{Command, Output};

const COMMANDS: &[&str] = &["regen", "fetch", "check", "diff", "corpus", "bench", "test"];

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap()
}

#[test]
fn help_lists_every_command() {
    let output = xtask(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for command in COMMANDS {
        assert!(help.contains(&format!("  {command} ")), "`{command}` missing from:\n{help}");
    }
    assert!(help.contains("SPEC_MIRROR"), "{help}");
}

#[test]
fn every_command_has_help() {
    for command in COMMANDS {
        let output = xtask(&[command, "--help"]);
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{command} --help: {}", String::from_utf8_lossy(&output.stderr));
        assert!(help.contains(&format!("Usage: cargo xtask {command}")), "{command}:\n{help}");
    }
}

#[test]
fn argument_errors_say_what_is_wrong_and_hint() {
    let output = xtask(&["regn"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("unrecognized subcommand 'regn'") && error.contains("'regen'"), "{error}");
    let output = xtask(&["diff", "sophos-factory", "--old", "a.json"]);
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("--new"), "{error}");
}
