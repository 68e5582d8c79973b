//! Sharing and teaching: the link, the file, the embed snippet, and the
//! gallery of workshop lessons.

use super::config::{Config, Part, Theme};
use super::hooks::use_details_open;
use super::session;
use super::state::Action;
use crate::engine::Scenario;
use crate::presets::LESSONS;
use crate::share::Snapshot;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BarProps {
    /// What a link or an export holds now (`State::to_snapshot`).
    pub snapshot: Snapshot,
    pub on_action: Callback<Action>,
}

#[component]
pub fn ShareBar(p: &BarProps) -> Html {
    // The link last copied, with what it holds: it is shown only while that
    // is still what the page shows (after a slider moves, it is not).
    let link = use_state(|| None::<Rc<(String, Snapshot)>>);
    let copy_link = {
        let (snapshot, link) = (p.snapshot.clone(), link.clone());
        Callback::from(move |_| {
            let url = session::share_link(&snapshot);
            session::copy(&url);
            link.set(Some(Rc::new((url, snapshot.clone()))));
        })
    };
    let shown = (*link).clone().filter(|l| l.1 == p.snapshot);
    let export = {
        let (scenario, on_action) = (p.snapshot.scenario.clone(), p.on_action.clone());
        Callback::from(move |_| {
            if session::export(&scenario).is_err() {
                on_action.emit(Action::ExportFailed(
                    "the browser refused the download".into(),
                ));
            }
        })
    };
    let import = {
        let on_action = p.on_action.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            input.set_value("");
            let on_action = on_action.clone();
            session::read_file(file, move |text| {
                // The engine's reader decides: a file that fails leaves the scenario as it was.
                on_action.emit(
                    match text.and_then(|t| Scenario::from_json(&t).map_err(|e| e.to_string())) {
                        Ok(s) => Action::Load(Box::new(s), format!("\"{name}\"")),
                        Err(m) => Action::ImportFailed(m),
                    },
                );
            });
        })
    };
    html! {
        <nav class="share-bar" aria-label="Share and save">
            <button type="button" id="copy-link" onclick={copy_link}>{ "Copy link" }</button>
            if let Some(l) = shown {
                <input id="share-link" class="share-link" type="text" readonly=true value={l.0.clone()} aria-label="Link to this scenario"
                    onfocus={Callback::from(|e: FocusEvent| { let i: HtmlInputElement = e.target_unchecked_into(); i.select(); })} />
                <span class="hint" role="status">{ "Copied: the link holds the whole scenario." }</span>
            }
            <button type="button" id="export" onclick={export}>{ "Export JSON" }</button>
            <label class="button" for="import">{ "Import JSON" }</label>
            <input id="import" class="visually-hidden" type="file" accept=".json,application/json" onchange={import} />
            <EmbedMaker snapshot={p.snapshot.clone()} />
        </nav>
    }
}

#[derive(Properties, PartialEq)]
struct EmbedProps {
    snapshot: Snapshot,
}

/// Builds the iframe snippet for this scenario, with the embed's options.
#[component]
fn EmbedMaker(p: &EmbedProps) -> Html {
    let options = use_state(|| Config::from_query("embed=1"));
    // Closed, the snippet is not written: encoding the scenario (a deflate of
    // all of it) at every slider tick would cost more than the rest of the bar.
    let (open, ontoggle) = use_details_open();
    let o = (*options).clone();
    let snippet = open.then(|| {
        let src = format!(
            "{}?{}#{}",
            session::app_url(),
            o.to_query(),
            p.snapshot.to_fragment()
        );
        let title = p
            .snapshot
            .scenario
            .name
            .clone()
            .unwrap_or_else(|| "margin what-if".into());
        embed_snippet(&src, &title)
    });
    let toggle_part = |part: Part| {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut o = (*options).clone();
            let mut parts: Vec<Part> = o.shown().to_vec();
            parts.retain(|p| *p != part);
            if input.checked() {
                parts.push(part);
            }
            o.set_shown(&parts);
            options.set(o);
        })
    };
    let on_theme = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            let mut o = (*options).clone();
            o.theme = Theme::from_name(&sel.value());
            options.set(o);
        })
    };
    let on_locked = {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut o = (*options).clone();
            o.locked = !input.checked();
            options.set(o);
        })
    };
    html! {
        <details class="embed-maker" {open} {ontoggle}>
            <summary>{ "Embed" }</summary>
            <p class="hint">{ "Paste this into a lesson page: the widget shows this scenario and fits its height to its content." }</p>
            <fieldset class="embed-parts">
                <legend>{ "Show" }</legend>
                { for Part::ALL.into_iter().map(|part| html! {
                    <label><input type="checkbox" checked={o.shown().contains(&part)} onchange={toggle_part(part)} />{ part.label() }</label>
                }) }
            </fieldset>
            <label>{ "Theme " }
                <select id="embed-theme" onchange={on_theme}>
                    { for [Theme::Auto, Theme::Light, Theme::Dark].into_iter().map(|t| html! {
                        <option value={t.as_str()} selected={o.theme == t}>{ t.as_str() }</option>
                    }) }
                </select>
            </label>
            <label><input type="checkbox" id="embed-editable" checked={!o.locked} onchange={on_locked} />{ "Students can edit the portfolio" }</label>
            if let Some(snippet) = snippet {
                <textarea id="embed-snippet" readonly=true rows="6" value={snippet} aria-label="Embed code" />
            }
        </details>
    }
}

/// The iframe and the few lines that let it set its own height: they accept
/// only a height message, only from that iframe, only from the widget's origin.
pub fn embed_snippet(src: &str, title: &str) -> String {
    let origin = src
        .find("://")
        .and_then(|i| src[i + 3..].find('/').map(|j| &src[..i + 3 + j]))
        .unwrap_or(src);
    let title = title.replace(['"', '<', '>', '&'], "");
    format!(
        r#"<iframe src="{src}" title="Marginscope: {title}" style="width:100%;height:640px;border:0" loading="lazy"></iframe>
<script>addEventListener("message",function(e){{if(e.origin!=="{origin}"||!e.data||e.data.type!=="marginscope:height")return;for(const f of document.querySelectorAll("iframe"))if(f.contentWindow===e.source)f.style.height=Math.min(+e.data.height,20000)+"px"}});</script>"#
    )
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_action: Callback<Action>,
}

/// The workshop lessons: a story, a move to try, and a button that opens it.
#[component]
pub fn Gallery(p: &GalleryProps) -> Html {
    html! {
        <section class="gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{ "Workshop lessons" }</h2>
            <div class="lessons">
                { for LESSONS.iter().map(|l| {
                    let open = p.on_action.reform(move |_| Action::Load(Box::new(l.scenario()), format!("the lesson \"{}\"", l.title)));
                    html! {
                        <article class="lesson-card" data-lesson={l.id}>
                            <h3>{ l.title }</h3>
                            <p>{ l.story }</p>
                            <p class="try">{ format!("Try this: {}", l.try_this) }</p>
                            <button type="button" onclick={open}>{ "Open this lesson" }</button>
                        </article>
                    }
                }) }
            </div>
        </section>
    }
}
