//! Marginscope: an exact margin calculator.
//!
//! - [`engine`]: the pure margin engine (native and wasm), no web dependencies.
//! - [`share`]: a scenario as a link fragment or a saved copy, read strictly.
//! - [`import`]: a venue's API responses, pasted, read into a scenario and
//!   held against the venue's own figures.
//! - `fuzz_targets`: what `fuzz/` checks, replayed by `tests/fuzz_corpus.rs`.
//! - [`ui`]: the Yew app; its state and page parameters are plain data,
//!   native too, and its components are wasm only.
//! - `api`: the JS API (wasm, feature `js-api`).
// A panic in wasm stops the whole page: none is written outside tests (a
// crash is still caught and shown: `ui::crash`). A `Decimal` operator
// panics on overflow, so none is used: `arithmetic_side_effects` is held to
// decimals by `clippy.toml`, and money goes through `engine::num`.
#![deny(
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

pub mod engine;
pub mod import;
pub mod presets;
pub mod share;

/// What the fuzz targets check; native only (the fuzzer and the corpus replay).
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub mod fuzz_targets;

pub mod ui;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod api;
