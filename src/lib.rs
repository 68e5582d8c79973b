//! Marginscope: an exact margin calculator.
//!
//! - [`engine`]: the pure margin engine (native and wasm), no web dependencies.
//! - [`share`]: a scenario as a link fragment or a saved copy, read strictly.
//! - `ui`: the Yew app (wasm only).
//! - `api`: the JS API (wasm, feature `js-api`).
pub mod engine;
pub mod presets;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
pub mod api;
