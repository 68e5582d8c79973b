//! Replays every input the fuzzers kept (`fuzz/corpus/<target>/`) and every
//! crash they found (`fuzz/regressions/<target>/`) through the same checks
//! the fuzz targets run (`marginscope::fuzz_targets`). A quick replay, not a
//! fuzz: `scripts/fuzz` is the long run.
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::sample;
use marginscope::fuzz_targets;
use marginscope::presets;
use marginscope::share::Snapshot;
use std::fs;
use std::path::{Path, PathBuf};

/// A target's name (its folder) and what it checks.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 4] = [
    ("scenario_file", fuzz_targets::scenario_file),
    ("link_fragment", fuzz_targets::link_fragment),
    ("evaluate", fuzz_targets::evaluate),
    ("import_account", fuzz_targets::import_account),
];

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"));
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let mut count = 0;
    for (target, run) in TARGETS {
        for file in inputs(kind, target) {
            let data = fs::read(&file).expect("readable corpus file");
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", file.display());
            count += 1;
        }
    }
    count
}

#[test]
fn every_kept_fuzz_input_still_passes() {
    let n = replay("corpus");
    // The corpus is committed: an empty one means the replay tests nothing.
    assert!(n >= 100, "only {n} corpus inputs found under fuzz/corpus");
    eprintln!("replayed {n} corpus inputs");
}

#[test]
fn every_input_that_once_broke_something_stays_fixed() {
    let n = replay("regressions");
    // fuzz/regressions/README.md says where each came from.
    assert!(
        n >= 2,
        "only {n} regression inputs found under fuzz/regressions"
    );
    eprintln!("replayed {n} regression inputs");
}

/// Writes the seed inputs (the lessons and sample portfolios, as files and
/// as links; every venue's documented responses, alone and together) into
/// `fuzz/corpus/`; run by `scripts/fuzz` before fuzzing.
#[test]
#[ignore = "writes the fuzzers' seeds; run by scripts/fuzz"]
fn write_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut scenarios: Vec<_> = presets::LESSONS.iter().map(|l| l.scenario()).collect();
    scenarios.push(presets::opening());
    scenarios.extend([1, 3, 12].map(sample::portfolio));
    for (i, s) in scenarios.iter().enumerate() {
        let write = |target: &str, data: &[u8]| {
            let dir = root.join(target);
            fs::create_dir_all(&dir).expect("corpus folder");
            fs::write(dir.join(format!("seed-{i}")), data).expect("seed written");
        };
        write("scenario_file", s.to_json().as_bytes());
        write(
            "link_fragment",
            Snapshot::new(s.clone()).to_fragment().as_bytes(),
        );
    }
    let venues = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/venues");
    let dir = root.join("import_account");
    fs::create_dir_all(&dir).expect("corpus folder");
    for venue in ["binance", "bybit", "okx", "hyperliquid"] {
        let mut all = Vec::new();
        for file in inputs_in(&venues.join(venue)) {
            let text = fs::read(&file).expect("a fixture");
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("x");
            fs::write(dir.join(format!("seed-{venue}-{name}")), &text).expect("seed written");
            all.push(text);
        }
        fs::write(dir.join(format!("seed-{venue}-all")), all.join(&0x1e_u8)).expect("seed written");
    }
}

fn inputs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}
