//! The layers of docs/architecture.md, checked on the source: dependencies point one way
//! (`cli → output → analysis → sim → {model, rules}`, `scenario → {model, rules}`), nothing
//! below `cli` uses clap, and code inside the crate names modules by their layered paths (the
//! old flat paths are re-exports for users of the library only).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers a layer may use (besides itself and the crate-wide `error`).
fn allowed(layer: &str) -> &'static [&'static str] {
    match layer {
        "model" => &[],
        "rules" => &["model"],
        "scenario" => &["model", "rules"],
        "sim" => &["model", "rules"],
        "analysis" => &["sim", "model", "rules"],
        "output" => &["analysis", "sim", "model", "rules"],
        "cli" => &["output", "analysis", "sim", "scenario", "model", "rules"],
        "error" => &[],
        other => {
            panic!("src/{other} is not a layer of docs/architecture.md; add it there and here")
        }
    }
}

const LAYERS: [&str; 8] = [
    "model", "rules", "scenario", "sim", "analysis", "output", "cli", "error",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The layer a file belongs to: its folder under src/, or its name for error.rs; None for the
/// crate root (lib.rs, main.rs), which may name everything.
fn layer_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string());
    let first = parts.next().unwrap();
    if rel.components().count() > 1 {
        Some(first)
    } else {
        match first.as_str() {
            "lib.rs" | "main.rs" => None,
            f => Some(f.trim_end_matches(".rs").to_string()),
        }
    }
}

/// Every `crate::NAME` in the text (code, doc links and comments alike: a doc link upwards is
/// a dependency a reader follows too), with its line.
fn crate_refs(text: &str) -> Vec<(usize, String)> {
    let mut refs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break; // unit tests may use any layer to build their inputs
        }
        let mut rest = line;
        while let Some(pos) = rest.find("crate::") {
            let after = &rest[pos + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let boundary_ok = pos == 0 || {
                let prev = rest.as_bytes()[pos - 1];
                !(prev.is_ascii_alphanumeric() || prev == b'_')
            };
            let is_macro = after[name.len()..].starts_with('!');
            if boundary_ok && !name.is_empty() && !is_macro {
                refs.push((i + 1, name));
            }
            rest = after;
        }
    }
    refs
}

#[test]
fn dependencies_point_one_way_and_use_layered_paths() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for f in &files {
        let Some(layer) = layer_of(&src, f) else {
            continue;
        };
        let ok: BTreeSet<&str> = allowed(&layer).iter().copied().collect();
        let text = std::fs::read_to_string(f).unwrap();
        for (line, name) in crate_refs(&text) {
            let rel = f.strip_prefix(&src).unwrap().display().to_string();
            // `crate::tr`: the output language's macro, exported at the crate root (a
            // `#[macro_export]` macro has no other path) and re-exported by output::lang.
            if name == layer
                || name == "error"
                || name == "Error"
                || name == "Result"
                || name == "tr"
            {
                continue;
            }
            if !LAYERS.contains(&name.as_str()) {
                problems.push(format!(
                    "src/{rel}:{line}: `crate::{name}` is an old flat path; name the layer (e.g. crate::sim::engine)"
                ));
            } else if !ok.contains(name.as_str()) {
                problems.push(format!(
                    "src/{rel}:{line}: layer `{layer}` must not use `crate::{name}` (allowed: {:?})",
                    allowed(&layer)
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} layering problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn clap_lives_only_under_cli() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for f in &files {
        if layer_of(&src, f).as_deref() == Some("cli") || layer_of(&src, f).is_none() {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains("clap::")
                || line.contains("clap_complete")
                || line.contains("#[arg(")
                || line.contains("#[command(")
                || line.contains("ValueEnum")
            {
                problems.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "clap outside src/cli/:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_a_violation() {
    // The scanner itself: a reference upwards and an old flat path are both found.
    let refs = crate_refs("use crate::cli::args;\n/// see [`crate::engine::run`] and mycrate::x\n");
    assert_eq!(
        refs,
        vec![(1, "cli".to_string()), (2, "engine".to_string())]
    );
    assert!(!allowed("sim").contains(&"cli"));
}
