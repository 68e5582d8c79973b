//! Marginscope: an exact margin calculator.
//!
//! - [`engine`]: the pure margin engine (native and wasm), no web dependencies.
//! - `ui`: the Yew app (wasm only).
pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod ui;
