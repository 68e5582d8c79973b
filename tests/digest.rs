//! A digest of every answer the engine gives over the generated portfolios
//! and the fuzz corpora: the report three ways, the comparison the app
//! draws, each view's curves, explanations, thresholds and two-asset
//! boundaries, and the calculator's questions. A change that must leave
//! every figure as it is (a restructuring, a faster path) prints the same
//! digest before and after:
//!
//! ```sh
//! cargo test --release --test digest -- --ignored --nocapture
//! ```
//!
//! `DIGEST_CORPUS=<dir>` reads the corpora from another folder (a copy kept
//! from before the corpus was minimised, say).
#![cfg(not(target_arch = "wasm32"))]

use marginscope::engine::{self, questions, sample, Prepared, Scenario, View};
use marginscope::fuzz_targets::scenario_from_bytes;
use marginscope::share::Snapshot;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: stable across platforms and runs, no dependency.
struct Digest(u64);

impl Digest {
    fn add(&mut self, text: &str) {
        for b in text.bytes().chain([0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn said<T: serde::Serialize>(r: Result<T, engine::Error>) -> String {
    match r {
        Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
        Err(e) => format!("error {e}"),
    }
}

/// Every answer for one scenario, as text.
fn answers(s: &Scenario) -> String {
    let mut out = String::new();
    out.push_str(&said(engine::evaluate(s)));
    let Ok(model) = engine::validate(s) else {
        return out;
    };
    let prepared = Prepared::new(model.clone());
    let pair = prepared
        .compare(None)
        .map(|c| (c.all_cross.clone(), c.all_isolated.clone()));
    out.push_str(&said(pair));
    let views = [View::AsGiven, View::AllCross, View::AllIsolated];
    for view in views {
        out.push_str(&said(prepared.thresholds(view)));
        for (a, asset) in model.assets.iter().enumerate() {
            let (lo, hi) = (
                asset.price / Decimal::TWO,
                asset.price.checked_mul(Decimal::TWO).unwrap_or(asset.price),
            );
            out.push_str(&said(prepared.curves(view, a, lo, hi, 8)));
            for b in 0..model.assets.len() {
                if b != a {
                    out.push_str(&said(prepared.liquidation_boundary(
                        view,
                        (a, b),
                        lo,
                        hi,
                        6,
                    )));
                }
            }
        }
        for i in 0..model.positions.len() {
            out.push_str(&said(prepared.explain_liquidation(view, i)));
        }
    }
    for (i, p) in model.positions.iter().enumerate().take(4) {
        let id = s.position_id(i);
        let _ = write!(
            out,
            "{}{}{}{}",
            said(questions::pnl_at_exit(s, &id, p.entry_price)),
            said(questions::exit_price_for_roe(s, &id, Decimal::new(5, 1))),
            said(questions::max_open(
                s,
                &s.positions[i].market,
                p.side,
                Decimal::TEN
            )),
            said(questions::apply_fill(
                s,
                &id,
                p.side.opposite(),
                p.qty / Decimal::TWO,
                p.entry_price
            )),
        );
    }
    out
}

fn files(root: &Path, target: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root.join(target))
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.is_file());
    v.sort();
    v
}

#[test]
#[ignore = "prints a digest to compare across a change; see the module's comment"]
fn digest_of_every_answer() {
    let mut generated = Digest(0xcbf2_9ce4_8422_2325);
    let mut count = 0;
    for n in [1, 2, 3, 5, 10, 25, 50, 100, 200] {
        generated.add(&answers(&sample::portfolio(n)));
        count += 1;
    }
    for lesson in marginscope::presets::LESSONS {
        generated.add(&answers(&lesson.scenario()));
        count += 1;
    }
    let root = std::env::var("DIGEST_CORPUS").map_or_else(
        |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus"),
        PathBuf::from,
    );
    let mut corpus = Digest(0xcbf2_9ce4_8422_2325);
    let mut inputs = 0;
    for file in files(&root, "evaluate") {
        let data = std::fs::read(&file).unwrap_or_default();
        corpus.add(&answers(&scenario_from_bytes(&data)));
        inputs += 1;
    }
    for file in files(&root, "scenario_file") {
        let data = std::fs::read(&file).unwrap_or_default();
        if let Ok(s) = Scenario::from_json(&String::from_utf8_lossy(&data)) {
            corpus.add(&answers(&s));
        }
        inputs += 1;
    }
    for file in files(&root, "link_fragment") {
        let data = std::fs::read(&file).unwrap_or_default();
        if let Ok(shared) = Snapshot::from_fragment(&String::from_utf8_lossy(&data)) {
            corpus.add(&answers(&shared.scenario));
        }
        inputs += 1;
    }
    println!(
        "digest: generated and lessons ({count} scenarios) {:016x}; fuzz corpora ({inputs} inputs) {:016x}",
        generated.0, corpus.0
    );
}
