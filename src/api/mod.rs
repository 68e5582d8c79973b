//! The JS API: the engine for a page (or Node) without the UI.
//!
//! A thin translation and no math: JS objects in (decimals as strings, or
//! numbers read from their shortest text), JS objects out (decimals as
//! strings), and every engine error thrown as a JS `Error` whose message is the
//! engine's sentence, with `kind` and `path` properties. Built by
//! `scripts/build-js-api` into `pkg/` as an ES module.

use crate::engine::{self, questions, scenario::Side, Error, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod wire;

#[wasm_bindgen(module = "/src/api/glue.js")]
extern "C" {
    /// A scenario's JSON text, `None` when it has none.
    #[wasm_bindgen(js_name = scenarioText)]
    fn scenario_text(value: &JsValue) -> Option<js_sys::JsString>;
    /// Writes `text` as UTF-8 into `into` (at least three bytes per UTF-16
    /// unit, so that it fits); the bytes written.
    #[wasm_bindgen(js_name = encodeInto)]
    fn encode_into(text: &js_sys::JsString, into: &mut [u8]) -> u32;
    /// The report's wire form (see [`wire`]) back into the documented `Report`.
    fn assemble(text: &[u8], ends: &[u32], ints: &[u32]) -> JsValue;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("api.d.ts");

fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let obj: &JsValue = err.as_ref();
    let kind = serde_wasm_bindgen::to_value(&e.kind).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(obj, &"kind".into(), &kind);
    let _ = js_sys::Reflect::set(obj, &"path".into(), &e.path.as_str().into());
    err.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value
        .serialize(&s)
        .map_err(|e| js_error(&Error::new(engine::ErrorKind::Format, "", e.to_string())))
}

/// Reads a scenario through its JSON text, so that it is held to exactly the
/// documented format: serde-wasm-bindgen reads only the fields it knows and
/// would let a misspelt field pass silently. Numbers keep their shortest text.
fn scenario(value: JsValue) -> Result<Scenario, JsValue> {
    let text = scenario_text(&value).ok_or_else(|| {
        js_error(&Error::new(
            engine::ErrorKind::Format,
            "",
            "the scenario is not a JSON object",
        ))
    })?;
    Scenario::from_json(&utf8(&text)).map_err(|e| js_error(&e))
}

/// A JS string as Rust's: TextEncoder writes it straight into wasm memory
/// (what wasm-bindgen does for a `String` argument is a JS loop per
/// character, 3 ns each: a sixth of a 100-position evaluation).
fn utf8(text: &js_sys::JsString) -> String {
    let mut bytes = vec![0; (text.length() as usize).saturating_mul(3)];
    let written = encode_into(text, &mut bytes) as usize;
    bytes.truncate(written);
    // TextEncoder writes only UTF-8 (a lone surrogate as U+FFFD).
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn decimal(name: &str, value: JsValue) -> Result<Decimal, JsValue> {
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde::Deserialize::deserialize(de)
        .map(|n: engine::scenario::Num| n.0)
        .map_err(|e| {
            js_error(&Error::new(
                engine::ErrorKind::Format,
                format!("question.{name}"),
                e.to_string(),
            ))
        })
}

fn side(value: &str) -> Result<Side, JsValue> {
    match value {
        "long" => Ok(Side::Long),
        "short" => Ok(Side::Short),
        _ => Err(js_error(&Error::invalid(
            "question.side",
            format!("\"{value}\" is not one of long, short"),
        ))),
    }
}

/// The version of the scenario format this build reads.
#[wasm_bindgen(js_name = formatVersion)]
pub fn format_version() -> String {
    engine::FORMAT.to_string()
}

/// The portfolio as given, all-cross and all-isolated.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    Ok(report_to_js(
        &engine::evaluate(&s).map_err(|e| js_error(&e))?,
    ))
}

/// A scenario validated and built once (`prepare`): its report at the
/// scenario's own prices or at others, without reading or checking the
/// scenario again. `free()` releases it.
#[wasm_bindgen(js_name = PreparedScenario)]
pub struct PreparedScenario {
    prepared: engine::Prepared,
}

/// Validates and builds a scenario once, for many evaluations at new prices.
#[wasm_bindgen]
pub fn prepare(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
) -> Result<PreparedScenario, JsValue> {
    let s = scenario(s)?;
    let model = engine::validate(&s).map_err(|e| js_error(&e))?;
    Ok(PreparedScenario {
        prepared: engine::Prepared::new(model),
    })
}

#[wasm_bindgen(js_class = PreparedScenario)]
impl PreparedScenario {
    /// The report at `prices` (every asset's, by name), or at the
    /// scenario's own when none are given: the same report `evaluate` gives
    /// for the scenario with those prices.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, Decimal> | null | undefined")]
        prices: JsValue,
    ) -> Result<JsValue, JsValue> {
        if prices.is_undefined() || prices.is_null() {
            return Ok(report_to_js(
                &self.prepared.report().map_err(|e| js_error(&e))?,
            ));
        }
        let moved = engine::Prepared::new(self.moved(&prices)?);
        Ok(report_to_js(&moved.report().map_err(|e| js_error(&e))?))
    }
}

impl PreparedScenario {
    /// The model at `prices`, or the error that names what is wrong with them.
    fn moved(&self, prices: &JsValue) -> Result<engine::Model, JsValue> {
        let bad = |path: String, message: String| {
            js_error(&Error::new(engine::ErrorKind::Invalid, path, message))
        };
        let text = scenario_text(prices)
            .ok_or_else(|| bad("prices".into(), "not a JSON object".into()))?;
        let map: std::collections::BTreeMap<String, engine::scenario::Num> =
            serde_json::from_str(&utf8(&text)).map_err(|e| {
                bad(
                    "prices".into(),
                    format!("each price is a decimal by asset: {e}"),
                )
            })?;
        let model = self.prepared.model();
        if let Some(m) = model.with_prices(&map) {
            return Ok(m);
        }
        if let Some((asset, _)) = map.iter().find(|(_, p)| p.0 <= Decimal::ZERO) {
            return Err(bad(
                format!("prices.{asset}"),
                "must be greater than 0".into(),
            ));
        }
        let names: Vec<&str> = model.assets.iter().map(|a| &*a.name).collect();
        Err(bad(
            "prices".into(),
            format!(
                "give a price for each of the scenario's assets ({}) and no other",
                names.join(", ")
            ),
        ))
    }
}

/// A report as `evaluate` hands it to JS: the documented `Report`, whose
/// `JSON.stringify` is the report's serde JSON, key for key.
pub fn report_to_js(report: &engine::Report) -> JsValue {
    // One text across the boundary, not a JS call per field and per decimal;
    // and not the report's own JSON, which is mostly keys and repeats (`wire`).
    let wire = wire::Wire::of(report);
    assemble(&wire.text, &wire.ends, &wire.ints)
}

/// A generated one-way portfolio of `n` positions (the benchmarks' inputs,
/// the same on every platform), capped at the documented position limit.
#[wasm_bindgen(js_name = samplePortfolio, unchecked_return_type = "Scenario")]
pub fn sample_portfolio(n: usize) -> Result<JsValue, JsValue> {
    to_js(&engine::sample::portfolio(
        n.min(engine::scenario::limits::MAX_POSITIONS),
    ))
}

/// Every problem in a scenario (empty when it is valid).
#[wasm_bindgen(unchecked_return_type = "EngineError[]")]
pub fn problems(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    to_js(&engine::problems(&s))
}

#[wasm_bindgen(js_name = pnlAtExit, unchecked_return_type = "ExitOutcome")]
pub fn pnl_at_exit(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
    position: &str,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] exit_price: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    let price = decimal("exit_price", exit_price)?;
    to_js(&questions::pnl_at_exit(&s, position, price).map_err(|e| js_error(&e))?)
}

#[wasm_bindgen(js_name = exitPriceForRoe, unchecked_return_type = "ExitOutcome | null")]
pub fn exit_price_for_roe(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
    position: &str,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] roe: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    let roe = decimal("roe", roe)?;
    to_js(&questions::exit_price_for_roe(&s, position, roe).map_err(|e| js_error(&e))?)
}

#[wasm_bindgen(js_name = maxOpen, unchecked_return_type = "MaxOpen")]
pub fn max_open(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
    market: &str,
    #[wasm_bindgen(unchecked_param_type = "Side")] side_: &str,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] leverage: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    let leverage = decimal("leverage", leverage)?;
    to_js(&questions::max_open(&s, market, side(side_)?, leverage).map_err(|e| js_error(&e))?)
}

#[wasm_bindgen(js_name = applyFill, unchecked_return_type = "FillOutcome")]
pub fn apply_fill(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] s: JsValue,
    position: &str,
    #[wasm_bindgen(unchecked_param_type = "Side")] side_: &str,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] qty: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Decimal")] price: JsValue,
) -> Result<JsValue, JsValue> {
    let s = scenario(s)?;
    let qty = decimal("qty", qty)?;
    let price = decimal("price", price)?;
    to_js(&questions::apply_fill(&s, position, side(side_)?, qty, price).map_err(|e| js_error(&e))?)
}

/// A trader's account from the responses their venue's API returned (each
/// text one response, any order): the scenario, what each text was, what is
/// missing and how to fetch it, and each position held against the venue's
/// own figures. Never throws for a text that is not a response: each says
/// why in `sources[i].problem`.
#[wasm_bindgen(js_name = importAccount, unchecked_return_type = "AccountImport")]
pub fn import_account(
    #[wasm_bindgen(unchecked_param_type = "string[]")] texts: Vec<js_sys::JsString>,
) -> Result<JsValue, JsValue> {
    let texts: Vec<String> = texts.iter().map(utf8).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let imported = crate::import::import_account(&refs);
    let summary = imported.summary();
    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(flatten)]
        imported: &'a crate::import::Imported,
        summary: String,
    }
    to_js(&Out {
        imported: &imported,
        summary,
    })
}
