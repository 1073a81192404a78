//! The layer order of `src/lib.rs` ("# Layers"), enforced: every `crate::` path in the library's
//! sources (outside test modules) must name a module of the same or a lower layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Module name -> layer number, from the table in lib.rs's documentation.
fn layers() -> BTreeMap<String, u32> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut map = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//! | ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Ok(layer) = cells[0].parse::<u32>() else {
            continue;
        };
        for module in cells[2].split(',').map(str::trim) {
            assert!(
                map.insert(module.to_string(), layer).is_none(),
                "{module} listed twice"
            );
        }
    }
    assert!(map.len() >= 10, "the layer table in lib.rs was not found");
    map
}

/// The code of a file without its `#[cfg(test)] mod ...` blocks (test modules are last) and
/// without comments (documentation may point anywhere).
fn production_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod ") {
        Some(i) => &text[..i],
        None => text,
    };
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`, including `crate::{a, b}`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let before_ok = i == 0
            || !rest[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if before_ok {
            if let Some(group) = after.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

/// The layer violations of `code` in module `module`: (imported module, its layer).
fn upward(module: &str, code: &str, layers: &BTreeMap<String, u32>) -> Vec<(String, u32)> {
    let own = layers[module];
    crate_paths(&production_code(code))
        .into_iter()
        .filter_map(|m| layers.get(&m).map(|&l| (m, l)))
        .filter(|&(_, l)| l > own)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let layers = layers();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(src()).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" || rel.ends_with("tests.rs") {
            continue;
        }
        let own = *layers
            .get(&module)
            .unwrap_or_else(|| panic!("src/{module} is in no layer of lib.rs's table"));
        let text = std::fs::read_to_string(file).unwrap();
        for (target, layer) in upward(&module, &text, &layers) {
            violations.push(format!(
                "src/{}: {module} (layer {own}) imports crate::{target} (layer {layer})",
                rel.display()
            ));
        }
    }
    violations.sort();
    violations.dedup();
    assert!(
        violations.is_empty(),
        "imports from a layer above:\n{}",
        violations.join("\n")
    );
}

#[test]
fn an_upward_import_is_caught() {
    let layers = layers();
    let code = "use crate::error::Result;\nuse crate::{tlv, reader::Session};\nfn f() { crate::emulator::x(); }\n#[cfg(test)]\nmod tests { use crate::cli; }\n";
    let found = upward("pki", code, &layers);
    let names: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(names, ["reader", "emulator"]);
    assert!(upward("cli", code, &layers).is_empty());
}
