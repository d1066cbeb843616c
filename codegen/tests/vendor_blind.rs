//! The generator and the runtime core name no vendor: what a vendor does
//! differently lives in its `secgen-vendors` module and its `specs/<api>/`
//! folder, so adding an API never means editing either.

use std::path::Path;

/// Words that name one of the vendors (or products) this workspace generates for.
const VENDOR_WORDS: &[&str] = &["sophos", "cisco", "amp", "sumo", "soar", "factory", "central", "xdr"];

fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// Each `file:line: word` where a vendor word stands as a word of its own.
fn vendor_mentions(dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let mut mentions = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let words = line.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_ascii_lowercase);
            for word in words.filter(|word| VENDOR_WORDS.contains(&word.as_str())) {
                mentions.push(format!("{}:{}: {word}", file.display(), number + 1));
            }
        }
    }
    mentions
}

#[test]
fn codegen_names_no_vendor() {
    let mentions = vendor_mentions(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(mentions.is_empty(), "vendor names in codegen/src:\n{}", mentions.join("\n"));
}

#[test]
fn the_runtime_core_names_no_vendor() {
    let mentions = vendor_mentions(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src"));
    assert!(mentions.is_empty(), "vendor names in runtime/src:\n{}", mentions.join("\n"));
}

#[test]
fn the_check_finds_a_vendor_name() {
    let dir = std::env::temp_dir().join(format!("vendor-blind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lib.rs"), "// Sends the Cisco AMP envelope.\nfn example() {}\n").unwrap();
    let mentions = vendor_mentions(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(mentions.len(), 2, "{mentions:?}");
}
