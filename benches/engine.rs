//! `cargo bench --bench engine`: the engine natively, on generated portfolios
//! (`engine::sample`): the full report (as given, all-cross, all-isolated, with
//! every liquidation price, threshold and sweep), the uniform-move
//! thresholds alone, and the parts of an `evaluate` of 1,000 positions.

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use marginscope::engine::{self, sample, Prepared, View};
use std::hint::black_box;

fn evaluate(c: &mut Criterion) {
    let mut g = c.benchmark_group("evaluate");
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let s = sample::portfolio(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &s, |b, s| {
            b.iter(|| engine::evaluate(black_box(s)).expect("valid"))
        });
    }
    g.finish();
}

fn evaluate_validated(c: &mut Criterion) {
    // What a slider tick costs once the scenario is validated: one view.
    let mut g = c.benchmark_group("evaluate_view_as_given");
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let model = engine::validate(&sample::portfolio(n)).expect("valid");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, m| {
            // The model's copy is made outside the timing; preparing it
            // (each position's figures) and the view are timed.
            b.iter_batched(
                || m.clone(),
                |m| {
                    Prepared::new(black_box(m))
                        .view(View::AsGiven)
                        .expect("valid")
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn thresholds(c: &mut Criterion) {
    let mut g = c.benchmark_group("uniform_move_threshold");
    for n in [1usize, 10, 100, 1_000, 10_000] {
        let model = engine::validate(&sample::portfolio(n)).expect("valid");
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &model, |b, m| {
            b.iter_batched(
                || m.clone(),
                |m| {
                    let prepared = Prepared::new(black_box(m));
                    black_box(prepared.thresholds(View::AllCross).expect("valid"));
                    prepared
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn evaluate_parts(c: &mut Criterion) {
    // Where `evaluate` of 1,000 positions goes: reading and checking the
    // scenario, each position's figures, each view alone, and the report
    // (the four views sharing their common work).
    let mut g = c.benchmark_group("evaluate_parts");
    let s = sample::portfolio(1_000);
    let model = engine::validate(&s).expect("valid");
    g.bench_function("validate", |b| {
        b.iter(|| engine::validate(black_box(&s)).expect("valid"))
    });
    g.bench_function("prepare", |b| {
        b.iter_batched(
            || model.clone(),
            |m| Prepared::new(black_box(m)),
            BatchSize::PerIteration,
        )
    });
    let prepared = Prepared::new(model);
    for (name, view) in [
        ("as_given", View::AsGiven),
        ("all_cross", View::AllCross),
        ("all_isolated", View::AllIsolated),
        ("all_portfolio", View::AllPortfolio),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| prepared.view(black_box(view)).expect("valid"))
        });
    }
    g.bench_function("report", |b| b.iter(|| prepared.report().expect("valid")));
    g.finish();
}

criterion_group!(
    benches,
    evaluate,
    evaluate_validated,
    thresholds,
    evaluate_parts
);
criterion_main!(benches);
