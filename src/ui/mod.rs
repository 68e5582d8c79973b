//! The Yew UI. It holds no margin math and no domain rule: it edits a
//! `Scenario` (in `state`), asks the engine for its figures and shows them.
//!
//! `state`, `config`, `glossary` and `labels` are plain data and pure
//! functions, compiled and tested natively too; the components and the browser's edges are wasm only.
//! Components take data and callbacks; only `app` holds the reducer.

pub mod config;
pub mod glossary;
pub mod labels;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod account_import;
#[cfg(target_arch = "wasm32")]
mod answers;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod boundary;
#[cfg(target_arch = "wasm32")]
mod by_ptr;
#[cfg(target_arch = "wasm32")]
mod chart;
#[cfg(target_arch = "wasm32")]
pub mod crash;
#[cfg(target_arch = "wasm32")]
mod editor;
#[cfg(target_arch = "wasm32")]
mod field;
#[cfg(target_arch = "wasm32")]
mod format;
#[cfg(target_arch = "wasm32")]
mod holding;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod panels;
#[cfg(target_arch = "wasm32")]
mod portfolio_params;
#[cfg(target_arch = "wasm32")]
mod prices;
#[cfg(target_arch = "wasm32")]
mod results;
#[cfg(target_arch = "wasm32")]
pub mod session;
#[cfg(target_arch = "wasm32")]
mod share_bar;
#[cfg(target_arch = "wasm32")]
mod stage;
#[cfg(target_arch = "wasm32")]
mod summary;
#[cfg(target_arch = "wasm32")]
mod table_scroll;
#[cfg(target_arch = "wasm32")]
mod tiers;
#[cfg(target_arch = "wasm32")]
mod why;

pub use crate::presets::opening as demo_scenario;
#[cfg(target_arch = "wasm32")]
pub use app::App;
pub use state::field_name;
