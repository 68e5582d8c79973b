//! One engine operation, called `calls` times on a generated portfolio of
//! `positions`: what `scripts/instructions` counts under callgrind, for an
//! A/B of an engine change on a host whose wall time is too noisy to tell
//! a few per cent apart (the count is the same from run to run).
//!
//! `cargo run --profile bench --example instructions -- <what> [positions] [calls]`,
//! `<what>` one of `evaluate`, `report`, `compare`, `validate` or a view
//! (`as-given`, `all-cross`, `all-isolated`, `all-portfolio`).

use marginscope::engine::{self, sample, Prepared, View};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map_or("evaluate", String::as_str);
    let number = |i: usize, default: usize| {
        args.get(i)
            .map_or(Some(default), |s| s.parse::<usize>().ok())
    };
    let (Some(n), Some(calls)) = (number(1, 1_000), number(2, 10)) else {
        eprintln!("positions and calls are whole numbers");
        return ExitCode::FAILURE;
    };
    let s = sample::portfolio(n);
    let Ok(model) = engine::validate(&s) else {
        eprintln!("the generated portfolio does not validate");
        return ExitCode::FAILURE;
    };
    let p = Prepared::new(model);
    let view = |v: View| black_box(p.view(v)).is_ok();
    for _ in 0..calls {
        let ok = match what {
            "evaluate" => black_box(engine::evaluate(&s)).is_ok(),
            "report" => black_box(p.report()).is_ok(),
            "compare" => black_box(p.compare(None)).is_ok(),
            "validate" => black_box(engine::validate(&s)).is_ok(),
            "as-given" => view(View::AsGiven),
            "all-cross" => view(View::AllCross),
            "all-isolated" => view(View::AllIsolated),
            "all-portfolio" => view(View::AllPortfolio),
            _ => {
                eprintln!("unknown operation {what}");
                return ExitCode::FAILURE;
            }
        };
        if !ok {
            eprintln!("{what} failed");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
