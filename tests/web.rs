//! Component tests, compiled to wasm and run in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use yew::platform::time::sleep;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root
}

async fn settle() {
    sleep(std::time::Duration::from_millis(20)).await;
}

#[wasm_bindgen_test]
async fn app_shows_the_engines_equity_and_liquidation_price() {
    let root = mount();
    yew::Renderer::<marginscope::ui::App>::with_root(root.clone()).render();
    settle().await;
    let text = root.text_content().unwrap_or_default();
    // 1 BTC long from 60,000 at 10x in a 10,000 USD wallet: equity 10,000 at the mark;
    // the engine's liquidation price for this scenario, rounded to cents.
    let report = marginscope::engine::evaluate(&marginscope::ui::demo_scenario()).expect("report");
    let liq = report.as_given.positions[0]
        .liquidation_price
        .expect("liq")
        .round_dp(2)
        .to_string();
    let equity = report
        .as_given
        .pool("cross")
        .expect("cross pool")
        .equity
        .round_dp(2)
        .to_string();
    assert_eq!(equity, "10000");
    assert!(text.contains(&equity), "wanted {equity} in {text}");
    assert!(text.contains(&liq), "wanted {liq} in {text}");
}
