//! Component tests, compiled to wasm and run in headless Chromium.
#![cfg(target_arch = "wasm32")]

use marginscope::engine::{self, display};
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::platform::time::sleep;

wasm_bindgen_test_configure!(run_in_browser);

/// The app, mounted on a fresh root of the test page; dropped, it is
/// destroyed and its root removed, so that no app of an earlier test keeps
/// running (or saving) beside the next one.
struct Mounted {
    root: web_sys::Element,
    app: Option<yew::AppHandle<marginscope::ui::App>>,
}

impl std::ops::Deref for Mounted {
    type Target = web_sys::Element;
    fn deref(&self) -> &web_sys::Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts the app as a first visit opens it: nothing saved in this
/// browser, no link in the address.
fn mount() -> Mounted {
    mount_with("")
}

/// [`mount`], with page parameters (`?preset=hedged-pair`).
fn mount_with(query: &str) -> Mounted {
    let window = gloo::utils::window();
    if let Ok(Some(storage)) = window.local_storage() {
        storage.clear().expect("storage cleared");
    }
    let path = window.location().pathname().expect("path");
    let _ = window.history().expect("history").replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&format!("{path}{query}")),
    );
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let app = yew::Renderer::<marginscope::ui::App>::with_root(root.clone()).render();
    Mounted {
        root,
        app: Some(app),
    }
}

async fn settle() {
    sleep(std::time::Duration::from_millis(30)).await;
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_else(|| panic!("nothing at {selector}"))
}

/// Opens every tier table, as a click on its summary would (the browser
/// fires `toggle`, and only then are the fields drawn).
async fn open_tier_tables(root: &web_sys::Element) {
    let all = root.query_selector_all("details.tiers").expect("query");
    for i in 0..all.length() {
        let d: web_sys::Element = all.item(i).expect("node").dyn_into().expect("element");
        d.set_attribute("open", "").expect("open");
    }
    settle().await;
}

fn type_into(root: &web_sys::Element, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .ok()
        .flatten()
        .expect("input")
        .dyn_into()
        .expect("an input");
    input.set_value(value);
    let event = web_sys::InputEvent::new("input").expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn the_panels_show_the_engines_numbers() {
    let root = mount();
    settle().await;
    let report = engine::evaluate(&marginscope::ui::demo_scenario()).expect("report");
    let cross = report.all_cross.pool("cross").expect("cross pool");
    assert_eq!(
        text(&root, "#cross [data-pool=cross] [data-k=equity]"),
        display::grouped(cross.equity, 2)
    );
    assert_eq!(
        text(&root, "#cross [data-pool=cross] [data-k=mm]"),
        display::grouped(cross.maintenance_margin, 2)
    );
    let sol = report.all_isolated.position("SOLUSDT").expect("SOL");
    let liq = sol.liquidation_price.expect("liq");
    let shown = text(&root, "#isolated [data-position=SOLUSDT] [data-k=liq]");
    assert_eq!(
        shown,
        display::grouped(display::round_toward(liq, sol.mark_price, 2), 2)
    );
    assert!(text(&root, "#cross [data-k=headline]").starts_with("Healthy"));
}

#[wasm_bindgen_test]
async fn a_bad_value_shows_the_message_beside_its_field_and_keeps_the_rest() {
    let root = mount();
    settle().await;
    let before = text(&root, "#cross [data-pool=cross] [data-k=equity]");
    type_into(&root, "#f-positions-0--qty", "1,5");
    settle().await;
    assert_eq!(
        text(&root, "#f-positions-0--qty-error"),
        "\"1,5\" is not a number"
    );
    assert_eq!(
        text(&root, "#cross [data-pool=cross] [data-k=equity]"),
        before
    );
    // A number, but beyond a decimal: said so, not that it is no number.
    type_into(&root, "#f-positions-0--qty", "1e999");
    settle().await;
    assert_eq!(
        text(&root, "#f-positions-0--qty-error"),
        format!(
            "\"1e999\" is {}",
            marginscope::engine::decimal_text::BEYOND_DECIMAL
        )
    );
    // A number the engine refuses: its message, next to the field.
    type_into(&root, "#f-positions-0--qty", "-2");
    settle().await;
    assert_eq!(
        text(&root, "#f-positions-0--qty-error"),
        "must be greater than 0"
    );
    // Above the figures, far from the field: which value, by the name the
    // editor gives it, and what is wrong with it.
    let id = marginscope::ui::demo_scenario().position_id(0);
    assert_eq!(
        text(&root, ".stale-note .problems li"),
        format!("Position 1 ({id}), size (contracts): must be greater than 0")
    );
    type_into(&root, "#f-positions-0--qty", "0.5");
    settle().await;
    assert_eq!(text(&root, "#f-positions-0--qty-error"), "");
    assert!(root.query_selector(".stale-note").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn quick_answers_come_from_the_engines_questions() {
    let root = mount();
    settle().await;
    // The opening scenario selects its last position: 150 SOL long from 150 at 10x.
    type_into(&root, "#q-exit", "180");
    settle().await;
    let exit =
        engine::questions::pnl_at_exit(&marginscope::ui::demo_scenario(), "SOLUSDT", 180.into())
            .expect("answer");
    assert_eq!(exit.pnl, rust_decimal::Decimal::from(4500));
    let shown = root.query_selector_all(".answers output").expect("outputs");
    let texts: Vec<String> = (0..shown.length())
        .filter_map(|i| shown.item(i))
        .filter_map(|n| n.text_content())
        .collect();
    assert!(
        texts.iter().any(|t| t == "PnL 4,500.00 (ROE +200.00 %)"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("exit at ")), "{texts:?}");
}

#[wasm_bindgen_test]
async fn the_why_shows_the_engines_liquidation_prices_for_both_modes() {
    let root = mount();
    settle().await;
    let report = engine::evaluate(&marginscope::ui::demo_scenario()).expect("report");
    let why = text(&root, "details.why");
    for (mode, panel, eval) in [
        ("Cross", "cross", &report.all_cross),
        ("Isolated", "isolated", &report.all_isolated),
    ] {
        let sol = eval.position("SOLUSDT").expect("SOLUSDT");
        let liq = sol.liquidation_price.expect("liq");
        // Rounded toward the mark, never past the true price, as the panels round it.
        let places = display::price_places(liq);
        let shown = display::grouped(display::round_toward(liq, sol.mark_price, places), places);
        assert!(
            why.contains(&format!("{mode}: liquidated at SOL = {shown}")),
            "{mode} {shown} in {why}"
        );
        assert_eq!(
            text(
                &root,
                &format!("#{panel} tr[data-position=SOLUSDT] [data-k=liq]")
            ),
            shown
        );
    }
}

#[wasm_bindgen_test]
async fn the_cross_panel_states_the_whole_market_move_that_liquidates_it() {
    let root = mount();
    settle().await;
    let report = engine::evaluate(&marginscope::ui::demo_scenario()).expect("report");
    let t = &report.all_cross.account.thresholds[0];
    let percent = |d: Decimal| {
        // Toward zero: the move shown is never past the true one.
        let d = display::round_toward(d, Decimal::ZERO, 4).abs() * Decimal::ONE_HUNDRED;
        format!("{} %", display::grouped(d, 2))
    };
    let words = text(&root, "#cross [data-k=threshold]");
    let down = percent(t.down.expect("a fall liquidates the demo's cross pool"));
    assert!(
        words.contains(&format!("falls {down}")),
        "{down} in {words}"
    );
    if let Some(up) = t.up {
        assert!(words.contains(&format!("rises {}", percent(up))), "{words}");
    }
    // All isolated, there is no cross pool to move.
    assert!(root
        .query_selector("#isolated [data-k=threshold]")
        .ok()
        .flatten()
        .is_none());
}

fn click(root: &web_sys::Element, selector: &str) {
    let el: web_sys::HtmlElement = root
        .query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing at {selector}"))
        .dyn_into()
        .expect("an element");
    el.click();
}

#[wasm_bindgen_test]
async fn editing_a_tier_table_changes_the_requirement_and_the_engine_checks_it() {
    let root = mount();
    settle().await;
    let mm = |root: &web_sys::Element| text(root, "#isolated [data-pool=SOLUSDT] [data-k=mm]");
    // SOL 150 × 150 = 22,500 of notional: tier 2 at 2 %, amount derived as 20,000 × (2 % − 1 %) = 200.
    assert_eq!(mm(&root), "250.00");
    open_tier_tables(&root).await;
    type_into(&root, "#f-markets-SOLUSDT-tiers-1--mmr", "0.03");
    settle().await;
    // 22,500 × 3 % − 20,000 × (3 % − 1 %) = 275.
    assert_eq!(mm(&root), "275.00");
    assert!(text(&root, ".editor")
        .contains("SOLUSDT tiers: Example in the style of Bybit risk limits (2024) (edited here)"));
    // A gap in the table: the engine's message beside the floor, the rest kept.
    type_into(&root, "#f-markets-SOLUSDT-tiers-1--notional_floor", "25000");
    settle().await;
    assert_eq!(
        text(&root, "#f-markets-SOLUSDT-tiers-1--notional_floor-error"),
        "must equal the previous tier's cap (20000): tiers must be ascending and contiguous"
    );
    assert_eq!(mm(&root), "275.00");
    type_into(&root, "#f-markets-SOLUSDT-tiers-1--notional_floor", "20000");
    settle().await;
    assert_eq!(
        text(&root, "#f-markets-SOLUSDT-tiers-1--notional_floor-error"),
        ""
    );
}

#[wasm_bindgen_test]
async fn the_why_beside_a_liquidation_price_explains_that_position() {
    let root = mount();
    settle().await;
    assert!(text(&root, "details.why summary").contains("SOLUSDT"));
    click(&root, "#cross [data-position=BTCUSDT] .why-link");
    settle().await;
    assert!(
        text(&root, "details.why summary").contains("BTCUSDT"),
        "{}",
        text(&root, "details.why summary")
    );
    // Every term in the panels carries its explanation.
    assert!(text(&root, "#cross [data-pool=cross] dt").contains("unrealised PnL"));
}

#[wasm_bindgen_test]
fn a_crash_shows_a_reload_link_and_its_detail_as_text() {
    marginscope::ui::crash::show("panicked at <img src=x id=hostile>", Some(true));
    let document = gloo::utils::document();
    let crash = document
        .get_element_by_id("crash")
        .expect("the crash message");
    let words = crash.text_content().unwrap_or_default();
    assert!(words.contains("saved in this browser just now"), "{words}");
    assert!(
        words.contains("panicked at <img src=x id=hostile>"),
        "{words}"
    );
    assert!(
        document.get_element_by_id("hostile").is_none(),
        "the detail is text, not HTML"
    );
    let link = crash
        .query_selector("a.button")
        .ok()
        .flatten()
        .expect("reload link");
    assert!(link
        .get_attribute("href")
        .is_some_and(|h| h.starts_with("http")));
    crash.remove();
}

/// Another asset's price moves the cross pool's curve on the charted asset,
/// not the isolated ones (each holds only its own position there); the
/// value axis stays still, so the isolated curves are not drawn again.
#[wasm_bindgen_test]
async fn another_assets_price_moves_the_cross_curve_along_a_still_axis() {
    let root = mount();
    settle().await;
    let charted = text(&root, ".chart .now-label");
    let other = ["BTC", "ETH", "SOL"]
        .into_iter()
        .find(|a| !charted.starts_with(a))
        .expect("an asset not charted");
    let points = |selector: &str| -> Vec<String> {
        let all = root.query_selector_all(selector).expect("query");
        (0..all.length())
            .filter_map(|i| all.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .filter_map(|e| e.get_attribute("points"))
            .collect()
    };
    let cross = points(".chart .curve.cross polyline");
    let isolated = points(".chart .curve.isolated polyline");
    // The value axis: its tick labels, top to bottom.
    let ticks = || -> Vec<String> {
        let all = root
            .query_selector_all(".chart .tick.value")
            .expect("query");
        (0..all.length())
            .filter_map(|i| all.item(i)?.text_content())
            .collect()
    };
    let axis = ticks();
    assert!(axis.len() >= 3, "{axis:?}");
    assert!(!cross.is_empty() && !isolated.is_empty(), "{charted}");
    let box_ = format!("#price-box-{other}");
    let input: web_sys::HtmlInputElement = root
        .query_selector(&box_)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("price box");
    let now: Decimal = input.value().replace(',', "").parse().expect("a price");
    type_into(&root, &box_, &(now * Decimal::new(1005, 3)).to_string());
    settle().await;
    assert_ne!(points(".chart .curve.cross polyline"), cross);
    assert_eq!(points(".chart .curve.isolated polyline"), isolated);
    assert_eq!(ticks(), axis);
}

/// An axis labels its two ends to the same places (those its larger end
/// needs): the chart's price axis and both of the map's.
#[wasm_bindgen_test]
async fn an_axis_labels_both_its_ends_to_the_same_places() {
    let root = mount();
    settle().await;
    let places = |t: &str| t.rsplit_once('.').map_or(0, |(_, f)| f.len());
    for (figure, ends) in [
        (".chart", &[("x-lo", "x-hi")][..]),
        (".boundary", &[("x-lo", "x-hi"), ("y-lo", "y-hi")][..]),
    ] {
        for (lo, hi) in ends {
            let lo = text(&root, &format!("{figure} .{lo}"));
            let hi = text(&root, &format!("{figure} .{hi}"));
            assert!(places(&hi) >= 2, "{figure}: {hi}");
            assert_eq!(places(&lo), places(&hi), "{figure}: {lo} and {hi}");
        }
    }
}

/// The why's liquidation price is rounded toward the pool's safe side, so
/// it stays the same when the mark crosses it (rounded toward the mark, an
/// isolated long's 136.394… read 136.40 above it and 136.39 below).
#[wasm_bindgen_test]
async fn the_whys_liquidation_price_stays_put_when_the_mark_crosses_it() {
    let root = mount();
    settle().await;
    let isolated = |root: &web_sys::Element| -> String {
        let heads = root.query_selector_all("details.why h3").expect("query");
        (0..heads.length())
            .filter_map(|i| heads.item(i)?.text_content())
            .find_map(|h| {
                Some(
                    h.strip_prefix("Isolated: liquidated at SOL = ")?
                        .to_string(),
                )
            })
            .expect("the isolated price")
    };
    let before = isolated(&root);
    let liq: Decimal = before.replace(',', "").parse().expect("a price");
    type_into(
        &root,
        "#price-box-SOL",
        &(liq * Decimal::new(9, 1)).to_string(),
    );
    settle().await;
    assert_eq!(
        text(&root, "#isolated tr[data-position=SOLUSDT] [data-k=liq]"),
        "now",
        "SOL has crossed its isolated liquidation price"
    );
    assert_eq!(isolated(&root), before);
}

/// Every price the page shows for a lesson (liquidation prices in the
/// panels, liquidation and bankruptcy prices and tier breakpoints on the
/// chart), typed into its asset's price box, gives figures: never a
/// problem, never a refused evaluation.
#[wasm_bindgen_test]
async fn every_price_the_page_shows_can_be_typed_back() {
    for lesson in marginscope::presets::LESSONS {
        let root = mount_with(&format!("?preset={}", lesson.id));
        settle().await;
        let report = engine::evaluate(&lesson.scenario()).expect("the lesson evaluates");
        let asset_of = |id: &str| report.as_given.position(id).map(|p| p.asset.to_string());
        // (asset, price as shown)
        let mut shown: Vec<(String, String)> = Vec::new();
        let all = |selector: &str| {
            let nodes = root.query_selector_all(selector).expect("query");
            (0..nodes.length())
                .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::Element>().ok())
                .collect::<Vec<_>>()
        };
        for row in all("tr[data-position]") {
            let (Some(id), Some(liq)) = (
                row.get_attribute("data-position"),
                row.query_selector("[data-k=liq]").ok().flatten(),
            ) else {
                continue;
            };
            let text = liq.text_content().unwrap_or_default();
            if let (Some(asset), true) = (
                asset_of(&id),
                text.chars().next().is_some_and(|c| c.is_ascii_digit()),
            ) {
                shown.push((asset, text));
            }
        }
        // The chart's marks and points: "… price 1,234.56" and "… at 1,234.56: …".
        let charted = text(&root, ".chart .now-label");
        let asset = charted.split(' ').next().unwrap_or_default().to_string();
        for el in all(".chart .mark, .chart circle") {
            let label = el.get_attribute("aria-label").unwrap_or_default();
            let price = label
                .split(" price ")
                .nth(1)
                .or_else(|| label.split(" at ").nth(1).and_then(|t| t.split(':').next()))
                .map(str::to_string);
            if let Some(price) = price {
                shown.push((asset.clone(), price));
            }
        }
        assert!(shown.len() >= 3, "{}: {shown:?}", lesson.id);
        for (asset, price) in shown {
            let typed = price.replace(',', "");
            type_into(&root, &format!("#price-box-{asset}"), &typed);
            settle().await;
            assert!(
                root.query_selector(".stale-note").ok().flatten().is_none(),
                "{}: {asset} at {typed}: {}",
                lesson.id,
                text(&root, ".stale-note")
            );
            assert!(
                root.query_selector("#cross [data-k=headline]")
                    .ok()
                    .flatten()
                    .is_some(),
                "{}: {asset} at {typed}",
                lesson.id
            );
        }
    }
}

/// Every figure of the portfolio panel, its pool's and its units', and the
/// comparison table's, is the engine's; "Why?" explains the portfolio price.
#[wasm_bindgen_test]
async fn the_portfolio_panel_and_its_units_show_the_engines_numbers() {
    let root = mount_with("?preset=hedged-future");
    settle().await;
    let lesson = marginscope::presets::lesson("hedged-future").expect("lesson");
    let report = engine::evaluate(&lesson.scenario()).expect("report");
    let pm = report.all_portfolio.as_ref().expect("the portfolio view");
    let pool = pm.pool("portfolio").expect("the portfolio pool");
    let money = |d: Decimal| display::grouped(d, 2);
    let at = |k: &str| {
        text(
            &root,
            &format!("#portfolio [data-pool=portfolio] [data-k={k}]"),
        )
    };
    assert_eq!(at("equity"), money(pool.equity));
    assert_eq!(at("mm"), money(pool.maintenance_margin));
    assert_eq!(at("im"), money(pool.initial_margin));
    assert_eq!(at("free"), money(pool.free_margin));
    let unit = &pool.units[0];
    let u = |k: &str| text(&root, &format!("#portfolio [data-unit=BTC] [data-k={k}]"));
    for (k, v) in [
        ("worst-loss", unit.worst_loss),
        ("roll", unit.roll_charge),
        ("basis", unit.basis_charge),
        ("floor", unit.floor_charge),
        ("requirement", unit.requirement),
        ("unit-mm", unit.maintenance_margin),
        ("unit-im", unit.initial_margin),
    ] {
        assert_eq!(u(k), money(v), "{k}");
    }
    assert_eq!(u("worst-scenario"), "up +12.00 %");
    // The three modes side by side, each the sum of its pools.
    for (mode, e) in [
        ("isolated", &report.all_isolated),
        ("cross", &report.all_cross),
        ("portfolio", pm),
    ] {
        let need = &e.requirements()[0];
        let cell = |k: &str| {
            text(
                &root,
                &format!(".needs-table [data-mode={mode}][data-k={k}]"),
            )
        };
        assert_eq!(
            cell("im"),
            money(need.initial_margin.expect("a sum")),
            "{mode}"
        );
        assert_eq!(
            cell("mm"),
            money(need.maintenance_margin.expect("a sum")),
            "{mode}"
        );
    }
    // Each position's row, and the explanation of its liquidation price.
    let why = text(&root, "details.why");
    for p in &pm.positions {
        let liq = p.liquidation_price.expect("a liquidation price");
        let places = display::price_places(liq);
        let shown = display::grouped(display::round_toward(liq, p.mark_price, places), places);
        assert_eq!(
            text(
                &root,
                &format!("#portfolio tr[data-position=\"{}\"] [data-k=liq]", p.id)
            ),
            shown
        );
    }
    assert!(why.contains("Portfolio: liquidated at BTC = "), "{why}");
    assert!(why.contains("the BTC unit"), "{why}");
    // The chart draws the portfolio pool beside the others.
    assert!(root
        .query_selector(".chart .curve.portfolio")
        .ok()
        .flatten()
        .is_some());
}

/// A book whose assets have no portfolio parameters (a file from before
/// portfolio margin) shows, in the panel's place, what is missing and the
/// published sets; one click prices it, and the editor shows the set's values.
#[wasm_bindgen_test]
async fn a_book_without_portfolio_parameters_is_priced_by_one_click() {
    let mut s = marginscope::ui::demo_scenario();
    s.portfolio_margin.clear();
    let link = marginscope::share::Snapshot::new(s).to_fragment();
    let root = mount_with(&format!("#{link}"));
    settle().await;
    assert!(
        text(&root, "#portfolio [data-k=headline]").contains("BTC, ETH, SOL"),
        "{}",
        text(&root, "#portfolio [data-k=headline]")
    );
    assert!(root
        .query_selector("#portfolio [data-pool]")
        .ok()
        .flatten()
        .is_none());
    click(&root, "#portfolio button[data-set=okx-2025-01]");
    settle().await;
    assert!(root
        .query_selector("#portfolio [data-pool=portfolio] [data-unit=SOL]")
        .ok()
        .flatten()
        .is_some());
    let shocks: web_sys::HtmlInputElement = root
        .query_selector("#f-portfolio_margin-BTC-shocks")
        .ok()
        .flatten()
        .expect("the BTC scenarios' box")
        .dyn_into()
        .expect("an input");
    assert_eq!(shocks.value(), "-0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12");
    // Scenarios out of order: the message beside the box names the scenario,
    // the panels keep the last valid figures.
    type_into(&root, "#f-portfolio_margin-BTC-shocks", "-0.1, 0.2, 0.1");
    settle().await;
    let message = text(&root, "#f-portfolio_margin-BTC-shocks-error");
    assert!(
        message.starts_with("scenario 3: must be greater"),
        "{message}"
    );
    assert!(text(&root, ".stale-note").contains("Portfolio margin (BTC), price scenario 3"));
}

/// The cost table's cell for `row` in the isolated column (its first).
fn isolated_cell(root: &web_sys::Element, row: &str) -> String {
    text(root, &format!(".cost-table [data-k={row}] td"))
}

#[wasm_bindgen_test]
async fn the_holding_period_moves_the_liquidation_price_after_costs() {
    let root = mount_with("?preset=funding-eats-isolated");
    settle().await;
    let lesson = marginscope::presets::lesson("funding-eats-isolated")
        .expect("lesson")
        .scenario();
    let after = |s: &engine::Scenario| {
        let r = engine::evaluate(s).expect("report");
        let p = r
            .all_isolated
            .position("ETHUSDT")
            .expect("the long")
            .clone();
        let l = p
            .costs
            .as_ref()
            .and_then(|c| c.liquidation_price)
            .expect("a price");
        let places = display::price_places(l);
        display::grouped(display::round_toward(l, p.mark_price, places), places)
    };
    // 30 days, as the lesson opens.
    assert_eq!(isolated_cell(&root, "liq-after"), after(&lesson));
    assert_eq!(
        text(
            &root,
            "#isolated [data-position=ETHUSDT] [data-k=liq-after] .num"
        ),
        after(&lesson)
    );
    // 50 days: past today's price.
    type_into(&root, "#holding-box", "50");
    settle().await;
    let mut held = lesson.clone();
    held.holding_hours = Some(engine::scenario::Num(1200.into()));
    assert_eq!(isolated_cell(&root, "liq-after"), after(&held));
    assert_ne!(after(&held), after(&lesson));
    // A period that is not one: the message beside the box, the figures kept.
    type_into(&root, "#holding-box", "-3");
    settle().await;
    assert!(
        text(&root, "section.holding .field-error").contains("from 0 to 36500"),
        "{}",
        text(&root, "section.holding .field-error")
    );
    let input: web_sys::HtmlInputElement = root
        .query_selector("#holding-box")
        .ok()
        .flatten()
        .expect("the box")
        .dyn_into()
        .expect("an input");
    assert_eq!(input.value(), "-3");
    assert_eq!(isolated_cell(&root, "liq-after"), after(&held));
    // The slider sets it too.
    type_into(&root, "#holding-days", "0");
    settle().await;
    let mut none = lesson.clone();
    none.holding_hours = None;
    assert_eq!(isolated_cell(&root, "liq-after"), after(&none));
    assert!(root
        .query_selector("section.holding .field-error")
        .ok()
        .flatten()
        .is_none());
}

#[wasm_bindgen_test]
async fn a_markets_fees_are_edited_beside_its_tiers_and_checked() {
    let root = mount();
    settle().await;
    // The opening lesson sets no costs: the holding card says how to.
    assert!(text(&root, "section.holding .hint").contains("fees or funding"));
    open_tier_tables(&root).await;
    type_into(&root, "#f-markets-SOLUSDT-fees-taker", "0.0005");
    settle().await;
    assert!(root.query_selector(".cost-table").ok().flatten().is_some());
    // 150 SOL at 150: a fee to close of 11.25 in the isolated pool's figures.
    assert!(
        text(&root, "#isolated [data-pool=SOLUSDT] [data-k=pool-costs]").ends_with("11.25"),
        "{}",
        text(&root, "#isolated [data-pool=SOLUSDT] [data-k=pool-costs]")
    );
    type_into(&root, "#f-markets-SOLUSDT-fees-taker", "2");
    settle().await;
    let message = text(&root, "#f-markets-SOLUSDT-fees-taker-error");
    assert!(message.contains("from -1 to 1"), "{message}");
    assert!(text(&root, ".stale-note").contains("SOLUSDT, taker fee"));
}

fn key(root: &web_sys::Element, selector: &str, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing at {selector}"))
        .dispatch_event(&event)
        .expect("dispatch");
}

fn pointer(root: &web_sys::Element, selector: &str, kind: &str, x: f64, y: f64) {
    let init = web_sys::PointerEventInit::new();
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    init.set_bubbles(true);
    init.set_pointer_id(1);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing at {selector}"))
        .dispatch_event(&event)
        .expect("dispatch");
}

fn input_value(root: &web_sys::Element, selector: &str) -> String {
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing at {selector}"))
        .dyn_into()
        .expect("an input");
    input.value()
}

#[wasm_bindgen_test]
async fn the_charts_readout_is_the_engines_curve_at_that_price() {
    let root = mount();
    settle().await;
    // The chart is of the selected position's asset, SOL at 150; its
    // slider's step is 0.01. Focused, the arrow keys move the readout.
    key(&root, "figure.chart svg", "ArrowRight");
    key(&root, "figure.chart svg", "ArrowRight");
    settle().await;
    assert_eq!(text(&root, "[data-k=readout-price]"), "At SOL 150.02:");
    let prepared =
        engine::Prepared::new(engine::validate(&marginscope::ui::demo_scenario()).expect("valid"));
    let at: rust_decimal::Decimal = "150.02".parse().expect("price");
    let sol = prepared
        .model()
        .assets
        .iter()
        .position(|a| &*a.name == "SOL")
        .expect("SOL");
    let rows = root.query_selector_all(".readout-row").expect("rows");
    let mut checked = 0;
    for (view, mode) in [
        (engine::View::AllIsolated, "isolated"),
        (engine::View::AllCross, "cross"),
        (engine::View::AllPortfolio, "portfolio"),
    ] {
        for c in prepared.curves(view, sol, at, at, 0).expect("curves") {
            let pt = &c.points[0];
            let row = (0..rows.length())
                .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
                .find(|r| {
                    r.get_attribute("data-mode").as_deref() == Some(mode)
                        && r.get_attribute("data-pool").as_deref() == Some(c.pool.as_str())
                })
                .unwrap_or_else(|| panic!("no row for {mode} {}", c.pool));
            assert_eq!(
                text(&row, "[data-k=readout-equity]"),
                display::grouped(pt.equity, 2),
                "{mode} {}",
                c.pool
            );
            assert_eq!(
                text(&row, "[data-k=readout-mm]"),
                display::grouped(pt.maintenance_margin, 2)
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked}");
}

#[wasm_bindgen_test]
async fn a_key_on_the_charts_now_line_steps_the_price_and_a_drag_sets_it() {
    let root = mount();
    settle().await;
    // Every slider says its value with its unit.
    let said = |selector: &str| {
        root.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("aria-valuetext"))
            .unwrap_or_else(|| panic!("no value text at {selector}"))
    };
    assert_eq!(said("#price-SOL"), "SOL 150.00 USD");
    assert_eq!(said(".now-handle"), "SOL 150.00 USD");
    assert_eq!(said("#market-move"), "0 percent");
    assert_eq!(said("#holding-days"), "0 days");
    // SOL, at 150, steps by 0.01.
    key(&root, ".now-handle", "ArrowRight");
    settle().await;
    assert_eq!(input_value(&root, "#price-box-SOL"), "150.01");
    key(&root, ".now-handle", "PageUp");
    settle().await;
    assert_eq!(input_value(&root, "#price-box-SOL"), "150.11");
    key(&root, ".now-handle", "ArrowDown");
    settle().await;
    assert_eq!(input_value(&root, "#price-box-SOL"), "150.1");
    // Press on the line, move left by a sixth of the drawing, let go: the
    // price is where the pointer stopped, on the slider's steps, and the
    // slider shows it.
    let line = root
        .query_selector(".now-handle .now")
        .ok()
        .flatten()
        .expect("the now line")
        .get_bounding_client_rect();
    let svg = root
        .query_selector("figure.chart svg")
        .ok()
        .flatten()
        .expect("the chart")
        .get_bounding_client_rect();
    let (x, y) = (
        line.left() + line.width() / 2.0,
        line.top() + line.height() / 2.0,
    );
    pointer(&root, "figure.chart svg", "pointerdown", x, y);
    pointer(
        &root,
        "figure.chart svg",
        "pointermove",
        x - svg.width() / 6.0,
        y,
    );
    pointer(
        &root,
        "figure.chart svg",
        "pointerup",
        x - svg.width() / 6.0,
        y,
    );
    settle().await;
    let moved = input_value(&root, "#price-box-SOL");
    let price: rust_decimal::Decimal = moved.parse().expect("a price");
    assert!(price < "140".parse().expect("d"), "{moved}");
    assert_eq!(price.round_dp(2), price, "on the steps");
    assert_eq!(
        input_value(&root, "#price-SOL"),
        moved,
        "the slider shows it"
    );
    assert!(text(&root, ".chart .now-label").ends_with(&display::grouped(price, 2)));
}

#[wasm_bindgen_test]
async fn the_liquidation_sequence_is_told_under_the_chart() {
    let root = mount_with("?preset=one-bad-trade");
    settle().await;
    // The chart is of the selected position's asset, SOL.
    let report = engine::evaluate(&marginscope::presets::opening()).expect("report");
    let sol = report
        .all_cross
        .account
        .sweeps
        .iter()
        .find(|s| &*s.asset == "SOL")
        .expect("SOL's sweep");
    assert!(!sol.down.is_empty());
    let told = text(&root, ".sweeps li[data-mode=cross]");
    for hit in &sol.down {
        let pool = report.all_cross.pool(&hit.pool).expect("pool");
        assert!(
            told.contains(&format!("the cross pool ({}) at", pool.currency)),
            "{told}"
        );
    }
    assert!(told.starts_with("Cross: as SOL falls"), "{told}");
    // The isolated SOLUSDT pool first, as the story of the opening lesson says.
    let isolated = text(&root, ".sweeps li[data-mode=isolated]");
    assert!(
        isolated
            .starts_with("Isolated: as SOL falls: the isolated SOLUSDT pool at 136.40 (−9.07 %)"),
        "{isolated}"
    );
    // The portfolio pool is liquidated as the lesson opens: said so, not
    // told as a step.
    let portfolio = text(&root, ".sweeps li[data-mode=portfolio]");
    assert!(
        portfolio.starts_with("Portfolio: the portfolio pool (USD) is liquidated now; "),
        "{portfolio}"
    );
    // Each step is marked on the price axis (SOL's slider spans 75 to 225).
    let (lo, hi): (Decimal, Decimal) = ("75".parse().expect("d"), "225".parse().expect("d"));
    let steps = [&report.all_isolated, &report.all_cross]
        .into_iter()
        .chain(report.all_portfolio.as_ref())
        .filter_map(|e| Some((e, e.account.sweeps.iter().find(|s| &*s.asset == "SOL")?)))
        .flat_map(|(e, s)| {
            s.down.iter().chain(&s.up).filter(move |h| {
                e.pool(&h.pool).map(|p| p.status) != Some(engine::report::Status::Liquidated)
            })
        })
        .filter(|h| h.price >= lo && h.price <= hi)
        .count();
    assert!(steps >= 2, "{steps}");
    assert_eq!(
        root.query_selector_all(".chart .sweep-mark")
            .expect("marks")
            .length() as usize,
        steps
    );
}
