//! The page's edges: where the state comes from when the page opens (a shared
//! link, a preset asked for, the autosaved copy) and where it goes (the
//! autosave, a link, a file, the parent page of an embed). Everything read
//! here is untrusted and goes through `share` or the engine's reader.

use super::config::Config;
use super::state::State;
use crate::engine::Scenario;
use crate::presets;
use crate::share::Snapshot;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// The autosaved copy (`share::SAVE_FORMAT` JSON).
pub const SAVE_KEY: &str = "marginscope.autosave";
/// Where a saved copy that cannot be read is set aside, not deleted.
pub const SET_ASIDE_KEY: &str = "marginscope.autosave.unreadable";

fn storage() -> Option<web_sys::Storage> {
    // Storage can be disabled or refused (a sandboxed iframe): then nothing is saved.
    web_sys::window()?.local_storage().ok().flatten()
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

pub fn query() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// The state the page opens with, in this order: the link's fragment, the
/// preset asked for, the autosaved copy, the first lesson.
pub fn boot(config: &Config) -> State {
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    let saved = if config.embed { None } else { read_saved() };
    if hash.len() > 1 {
        let opened = match Snapshot::from_fragment(&hash) {
            Ok(shared) => {
                let mut st = State::from_snapshot(shared);
                // The saved work is not lost to a link: Undo brings it back.
                if let Some(Ok(saved)) = saved {
                    if saved.scenario != st.scenario {
                        st.previous = Some(Rc::new(saved));
                        st.notice = Some(super::state::Notice {
                            text: "Opened the shared scenario.".into(),
                            problem: false,
                            undo: true,
                        });
                    }
                }
                st
            }
            Err(e) => State::new(presets::opening())
                .with_notice(format!("{e} The default scenario is open instead."), true),
        };
        if !config.embed {
            // Its content is in the autosave from now on: a reload keeps the edits.
            clear_fragment();
        }
        return opened;
    }
    if let Some(lesson) = config.preset.as_deref().and_then(presets::lesson) {
        return State::new(lesson.scenario());
    }
    match saved {
        Some(Ok(shared)) => State::from_snapshot(shared),
        Some(Err(why)) => State::new(presets::opening()).with_notice(
            format!(
                "Your saved scenario could not be read ({why}). It is kept aside in this browser's storage under \"{SET_ASIDE_KEY}\"; the default scenario is open."
            ),
            true,
        ),
        None => State::new(presets::opening()),
    }
}

/// The saved copy: none, readable, or why not (then it is set aside).
fn read_saved() -> Option<Result<Snapshot, String>> {
    let store = storage()?;
    let text = store.get_item(SAVE_KEY).ok().flatten()?;
    match Snapshot::from_json(&text) {
        Ok(s) => Some(Ok(s)),
        Err(why) => {
            let _ = store.set_item(SET_ASIDE_KEY, &text);
            let _ = store.remove_item(SAVE_KEY);
            Some(Err(why))
        }
    }
}

/// Writes the whole state as one item: another tab's write replaces it
/// whole, never half (the last to save wins, and what is saved always reads).
pub fn save(snapshot: &Snapshot) -> Result<(), String> {
    let store = storage().ok_or("this browser does not allow saving here")?;
    store
        .set_item(SAVE_KEY, &snapshot.to_json())
        .map_err(|_| "the browser's storage is full or refused the save".to_string())
}

/// Calls `f` with the text whenever another tab saves (browsers tell every
/// other tab of the same origin). Dropping the listener stops it.
pub fn on_other_tab_save(f: impl Fn(String) + 'static) -> Option<gloo::events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo::events::EventListener::new(
        &window,
        "storage",
        move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().as_deref() == Some(SAVE_KEY) {
                if let Some(text) = e.new_value() {
                    f(text);
                }
            }
        },
    ))
}

fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let Ok(history) = w.history() else { return };
    let path = location()
        .map(|l| {
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
}

/// The app's address without query or fragment: what links and embeds point at.
pub fn app_url() -> String {
    location()
        .map(|l| {
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

pub fn share_link(shared: &Snapshot) -> String {
    format!("{}#{}", app_url(), shared.to_fragment())
}

/// Copies to the clipboard where the browser allows it; the link is also
/// shown in a box, so it can be copied by hand where it does not.
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let promise = w.navigator().clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// Downloads the scenario as a JSON file in the engine's documented format.
pub fn export(scenario: &Scenario) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&scenario.to_json()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    let name = scenario
        .name
        .as_deref()
        .unwrap_or("scenario")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>();
    a.set_download(&format!("{}.marginscope.json", name.trim_matches('-')));
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Reads a chosen file as text, then hands it to `done` (the engine reads it there).
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    const MAX: usize = crate::engine::scenario::limits::MAX_BYTES;
    // A file's size is a whole number of bytes; `as` saturates. (Written as
    // an integer: formatting a float would link float printing into the app.)
    let size = file.size() as u64;
    if size > MAX as u64 {
        done(Err(format!(
            "the file is {size} bytes; the limit is {MAX} bytes"
        )));
        return;
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| "the file could not be read as text".to_string());
        done(text);
    });
}

/// In an iframe, tells the parent page how tall the widget is, so that it
/// fits without scrollbars. The height is all it sends; it listens to nothing.
pub fn post_height(last: &mut i32) {
    let Some(w) = web_sys::window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if js_sys::Object::is(&parent, &w) {
        return;
    }
    let Some(root) = gloo::utils::document().document_element() else {
        return;
    };
    let height = root.scroll_height();
    if height == *last {
        return;
    }
    *last = height;
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"marginscope:height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    // Only a number leaves the widget, so any parent origin may read it.
    let _ = parent.post_message(&message, "*");
}

/// Applies the theme asked for (the system's otherwise).
pub fn apply_theme(config: &Config) {
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("data-theme", config.theme.as_str());
    }
}

/// Registers `sw.js` (written by the build: scripts/write-sw) so the app
/// works offline after the first visit. Where there is none (a dev server
/// without it, an old browser), the app simply stays online-only.
pub fn register_service_worker() {
    let Some(w) = web_sys::window() else { return };
    let navigator = w.navigator();
    // Absent outside secure contexts: calling it there would throw.
    if !js_sys::Reflect::get(&navigator, &"serviceWorker".into()).is_ok_and(|v| v.is_object()) {
        return;
    }
    let container = navigator.service_worker();
    let promise = container.register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}
