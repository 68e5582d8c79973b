//! The App's hooks for the page's edges: saving, the other tab's saves,
//! an embed's height, and `<details>` blocks drawn only while open. Each
//! effect names what it depends on.

use super::session;
use super::state::{Action, State};
use yew::prelude::*;

/// Saves the state a moment after the last change (a drag saves once, at
/// its end), and says so when the browser refuses. Another tab's save
/// arrives as `Action::OtherTabSaved`.
#[hook]
pub fn use_autosave(
    state: &State,
    embed: bool,
    on_action: &Callback<Action>,
) -> UseStateHandle<Option<String>> {
    let problem = use_state_eq(|| None::<String>);
    let timer = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    use_effect_with((embed, on_action.clone()), |(embed, on_action)| {
        // Other tabs of the same origin are told of every save.
        let on_action = on_action.clone();
        let listener = (!*embed).then(|| {
            session::on_other_tab_save(move |text| on_action.emit(Action::OtherTabSaved(text)))
        });
        move || drop(listener)
    });
    // An embed belongs to another page's lesson: it never writes over the
    // visitor's own saved work. Nor does a tab whose save another tab has
    // replaced, until the person has chosen.
    let may_save = !embed && state.other_tab.is_none();
    let snapshot = state.to_snapshot();
    {
        let problem = problem.clone();
        use_effect_with((snapshot, may_save), move |(snapshot, may_save)| {
            super::crash::keep_for_crash(may_save.then(|| snapshot.clone()));
            *timer.borrow_mut() = may_save.then(|| {
                let snapshot = snapshot.clone();
                gloo::timers::callback::Timeout::new(300, move || {
                    problem.set(session::save(&snapshot).err());
                })
            });
        });
    }
    problem
}

/// In an embed, tells the parent page the widget's height whenever it changes
/// (a render, a window resize, a details block opened).
#[hook]
pub fn use_embed_height(embed: bool) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use_effect_with(embed, |embed| {
        let mut observer = None;
        if *embed {
            let last = std::rc::Rc::new(std::cell::Cell::new(-1));
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                let mut h = last.get();
                session::post_height(&mut h);
                last.set(h);
            });
            if let (Ok(o), Some(body)) = (
                web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()),
                gloo::utils::document().body(),
            ) {
                o.observe(&body);
                observer = Some((o, on_resize));
            }
        }
        move || {
            if let Some((o, _closure)) = observer {
                o.disconnect();
            }
        }
    });
}

/// Whether a `<details>` block is open, and the `toggle` handler that keeps
/// track: for blocks whose content is worked out only while it is open.
#[hook]
pub fn use_details_open() -> (bool, Callback<Event>) {
    let open = use_state_eq(|| false);
    let ontoggle = {
        let open = open.clone();
        on_toggle(move |is_open| open.set(is_open))
    };
    (*open, ontoggle)
}

/// A `<details>` block's `toggle` handler, told whether it is now open: the
/// blocks whose content is drawn only while open keep that in their state.
pub fn on_toggle(f: impl Fn(bool) + 'static) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let el: web_sys::Element = e.target_unchecked_into();
        f(el.has_attribute("open"));
    })
}

/// A click handler that sends one action.
pub fn on_click(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    on_action.reform(move |_| action.clone())
}
