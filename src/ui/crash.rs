//! If the app ever panics (none is written: the crate denies unwrap, expect
//! and panic, and the fuzzers look for the rest), wasm stops and the page
//! would freeze. The panic hook saves the scenario first, then draws a plain
//! message with a reload link, without Yew (whose state is gone by then).

use super::session;
use crate::share::Snapshot;
use std::cell::{Cell, RefCell};

thread_local! {
    /// What to save if the app crashes; none where it must not be saved
    /// (an embed, a tab waiting for the choice between two tabs).
    static LAST: RefCell<Option<Snapshot>> = const { RefCell::new(None) };
    static CRASHED: Cell<bool> = const { Cell::new(false) };
}

/// Keeps the latest state (its scenario shared, not copied) for the hook.
pub fn keep_for_crash(snapshot: Option<Snapshot>) {
    LAST.with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = snapshot;
        }
    });
}

/// Installs the hook; called first thing in `main`. Through Yew: its
/// renderer would otherwise put its own (a console message only) in place.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        // A panic inside the hook itself must not loop.
        if CRASHED.with(|c| c.replace(true)) {
            return;
        }
        let detail = info.to_string();
        gloo::console::error!(format!("Marginscope stopped: {detail}"));
        let saved = LAST.with(|last| {
            let last = last.try_borrow().ok()?;
            let snapshot = last.as_ref()?;
            Some(session::save(snapshot).is_ok())
        });
        show(&detail, saved);
    }));
}

/// Draws the crash message over the page. `saved`: whether the scenario was
/// saved just now (`None`: this page does not save, as in an embed).
pub fn show(detail: &str, saved: Option<bool>) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    let make = |tag: &str, text: &str| {
        let el = document.create_element(tag).ok()?;
        // Text, never HTML: the detail may quote a scenario's own words.
        el.set_text_content(Some(text));
        Some(el)
    };
    let what_survives = match saved {
        Some(true) => "Your scenario was saved in this browser just now: reloading brings it back.",
        Some(false) => "Your scenario could not be saved just now; the copy saved a moment ago is kept, and reloading brings it back.",
        None => "Reloading starts it again.",
    };
    let reload_to = session::app_url() + &session::query();
    let parts = [
        make("h2", "Marginscope stopped because of a bug"),
        make("p", what_survives),
        make("a", "Reload the page"),
        make("details", ""),
    ];
    let Some(root) = document.create_element("div").ok() else {
        return;
    };
    root.set_id("crash");
    let _ = root.set_attribute("role", "alert");
    for part in parts.into_iter().flatten() {
        match part.tag_name().as_str() {
            "A" => {
                // A plain link: it works even though the wasm no longer runs.
                let _ = part.set_attribute("href", &reload_to);
                let _ = part.set_attribute("class", "button");
            }
            "DETAILS" => {
                if let Some(summary) = make("summary", "Details for a bug report") {
                    let _ = part.append_child(&summary);
                }
                if let Some(pre) = make("pre", detail) {
                    let _ = part.append_child(&pre);
                }
            }
            _ => {}
        }
        let _ = root.append_child(&part);
    }
    let _ = body.append_child(&root);
}

/// The end-to-end test's crash (feature `crash-test` only): with
/// `?crash-test=1`, a panic two seconds after the page opens.
#[cfg(feature = "crash-test")]
#[allow(clippy::panic)]
pub fn arm_test_crash() {
    if session::query().contains("crash-test=1") {
        gloo::timers::callback::Timeout::new(2_000, || {
            panic!("a deliberate crash (feature crash-test)")
        })
        .forget();
    }
}
