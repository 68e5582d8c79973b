//! The crate's layout, as rules a test keeps rather than prose:
//! - no import cycle between modules (sibling modules, or a module and the
//!   siblings of its ancestors: `engine::market` ↔ `engine::model` would be one);
//! - the engine knows nothing of the page: it imports neither the UI nor
//!   any web crate, and compiles natively.
//!
//! The graph is read from the sources: every `use` path and every
//! `crate::…` or `super::…` path in code (a module's own tests, at the end
//! of its file, are left out: a test may reach anywhere).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path: `["engine", "margin", "pools"]`; the crate root is `[]`.
type Module = Vec<String>;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Module = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, string literals and its trailing
/// test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every path a file names, as segments: `use a::{b, c::d}` gives `a::b`
/// and `a::c::d`; `crate::x::y(…)` in code gives `crate::x::y`.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    // `use` trees, braces expanded.
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let before = rest[..i].chars().last();
        rest = &rest[i + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        expand(&rest[..end], &mut Vec::new(), &mut out);
    }
    // `crate::…` and `super::…` anywhere else in code.
    let text = code;
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let tail: String = text[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(
                tail.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            );
        }
    }
    out
}

fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        // Split on commas at depth 0.
        let (mut depth, mut last) = (0, 0);
        let mut parts = Vec::new();
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&inner[last..i]);
                    last = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&inner[last..]);
        let n = prefix.len();
        prefix.extend(head);
        for part in parts {
            if !part.trim().is_empty() {
                expand(part, prefix, out);
            }
        }
        prefix.truncate(n);
    } else {
        let mut path = prefix.clone();
        let plain = tree.split(" as ").next().unwrap_or(tree);
        path.extend(
            plain
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "self" && *s != "*")
                .map(str::to_string),
        );
        out.push(path);
    }
}

/// The module a path names from `from`, or `None` when it names another crate.
fn target(path: &[String], from: &Module, known: &BTreeSet<Module>) -> Option<Module> {
    let mut segments = path.iter().peekable();
    let mut base: Module = match segments.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segments.next();
            Vec::new()
        }
        Some("super") => {
            // `super` in `a/b.rs` (module `a::b`) is `a`; in `a/mod.rs`
            // (module `a`) it is the crate root.
            let mut base = from.clone();
            while segments.peek().map(|s| s.as_str()) == Some("super") {
                segments.next();
                base.pop();
            }
            base
        }
        Some("self") => {
            segments.next();
            from.clone()
        }
        // A path relative to the module: a child module, or another crate.
        Some(first) => {
            let mut child = from.clone();
            child.push(first.to_string());
            if !known.contains(&child) {
                return None;
            }
            from.clone()
        }
        None => return None,
    };
    for s in segments {
        let mut next = base.clone();
        next.push(s.clone());
        if known.contains(&next) {
            base = next;
        } else {
            break;
        }
    }
    Some(base)
}

struct Graph {
    /// Module → the modules it names, each with a file that names it.
    edges: BTreeMap<Module, BTreeSet<Module>>,
    /// Module → every external crate path's first segment it names.
    externals: BTreeMap<Module, BTreeSet<String>>,
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let known: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let mut externals: BTreeMap<Module, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("readable source");
        for path in paths(&code(&text)) {
            match target(&path, &from, &known) {
                Some(to) if to != from => {
                    edges.entry(from.clone()).or_default().insert(to);
                }
                Some(_) => {}
                None => {
                    if let Some(first) = path.first() {
                        externals
                            .entry(from.clone())
                            .or_default()
                            .insert(first.clone());
                    }
                }
            }
        }
    }
    Graph { edges, externals }
}

/// An edge between two modules, lifted to the children of their nearest
/// common ancestor: `engine::margin::pools → engine::market` is
/// `engine::margin → engine::market`. A module and its own ancestor or
/// descendant (a parent re-exporting its child, a child using its parent's
/// helpers) are one room, not two.
fn lifted(from: &Module, to: &Module) -> Option<(Module, Module)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None;
    }
    Some((from[..=common].to_vec(), to[..=common].to_vec()))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph();
    let mut lifted_edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (from, tos) in &g.edges {
        for to in tos {
            if let Some((a, b)) = lifted(from, to) {
                lifted_edges.entry(a).or_default().insert(b);
            }
        }
    }
    assert!(
        lifted_edges.len() > 20,
        "the graph was not read: {lifted_edges:?}"
    );
    // Depth-first search for a back edge.
    fn visit(
        m: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        state: &mut BTreeMap<Module, u8>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        match state.get(m) {
            Some(1) => {
                let start = stack.iter().position(|x| x == m).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(m.clone());
                return Some(cycle);
            }
            Some(_) => return None,
            None => {}
        }
        state.insert(m.clone(), 1);
        stack.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(m.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in lifted_edges.keys() {
        if let Some(cycle) = visit(m, &lifted_edges, &mut state, &mut Vec::new()) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("an import cycle: {}", names.join(" → "));
        }
    }
}

#[test]
fn the_engine_knows_nothing_of_the_page() {
    let g = graph();
    let web = [
        "yew",
        "web_sys",
        "wasm_bindgen",
        "js_sys",
        "gloo",
        "serde_wasm_bindgen",
    ];
    let engine_modules: Vec<&Module> = g
        .edges
        .keys()
        .filter(|m| m.first().is_some_and(|s| s == "engine"))
        .collect();
    assert!(engine_modules.len() > 15, "{engine_modules:?}");
    for (from, tos) in &g.edges {
        if from.first().is_some_and(|s| s == "engine") {
            for to in tos {
                assert!(
                    to.first().is_some_and(|s| s == "engine"),
                    "{} imports {}",
                    from.join("::"),
                    to.join("::")
                );
            }
        }
    }
    for (from, crates) in &g.externals {
        if from.first().is_some_and(|s| s == "engine") {
            for c in crates {
                assert!(!web.contains(&c.as_str()), "{} uses {c}", from.join("::"));
            }
        }
    }
}

#[test]
fn the_layout_reader_finds_a_cycle_when_there_is_one() {
    // The reader itself, on a made-up pair of files: a test of the test.
    let a = paths(&code("use super::b::Thing;\nfn f() { crate::c::g(); }"));
    assert!(a.contains(&vec!["super".into(), "b".into(), "Thing".into()]));
    assert!(a.contains(&vec!["crate".into(), "c".into(), "g".into()]));
    let known: BTreeSet<Module> = [
        vec![],
        vec!["x".into()],
        vec!["x".into(), "a".into()],
        vec!["x".into(), "b".into()],
    ]
    .into_iter()
    .collect();
    let from = vec!["x".to_string(), "a".to_string()];
    assert_eq!(
        target(&["super".into(), "b".into(), "Thing".into()], &from, &known),
        Some(vec!["x".to_string(), "b".to_string()])
    );
    assert_eq!(
        lifted(&from, &vec!["x".to_string(), "b".to_string()]),
        Some((from.clone(), vec!["x".to_string(), "b".to_string()]))
    );
    assert_eq!(lifted(&from, &vec!["x".to_string()]), None);
    let nested = paths(&code(
        "use crate::engine::{self, margin::{Prepared, View}, Error};",
    ));
    assert!(nested.contains(&vec![
        "crate".into(),
        "engine".into(),
        "margin".into(),
        "View".into()
    ]));
}
