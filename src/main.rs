//! The app binary that Trunk builds: mounts the Yew UI.

#[cfg(target_arch = "wasm32")]
fn main() {
    marginscope::ui::crash::install();
    marginscope::ui::session::register_service_worker();
    yew::Renderer::<marginscope::ui::App>::new().render();
    #[cfg(feature = "crash-test")]
    marginscope::ui::crash::arm_test_crash();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "marginscope is a browser app: run `bash scripts/serve` and open http://127.0.0.1:8080"
    );
}
