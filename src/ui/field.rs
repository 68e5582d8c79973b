//! A number box with its label and its message, shared by the editor and
//! the tier tables.

use super::state::{field_text, message_for, Action, Field, Typed};
use crate::engine::{Error, Scenario};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What a number box shows: its text (as typed, while it does not parse)
/// and the message beside it. The parent works these out, so that a box is
/// drawn again when they change, not whenever anything else does.
#[derive(Clone, PartialEq)]
pub struct FieldText {
    pub text: AttrValue,
    pub message: Option<AttrValue>,
}

impl FieldText {
    pub fn of(s: &Scenario, typed: &Typed, problems: &[Error], field: &Field) -> FieldText {
        FieldText {
            text: field_text(s, typed, field).into(),
            message: message_for(typed, problems, &field.path()).map(AttrValue::from),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub label: AttrValue,
    pub field: Field,
    pub shown: FieldText,
    pub on_action: Callback<Action>,
    #[prop_or_default]
    pub placeholder: AttrValue,
}

/// A number box with its label and, beside it, the message for its path.
#[component]
pub fn NumberField(p: &NumberProps) -> Html {
    let id = format!("f-{}", p.field.path().replace(['[', ']', '.'], "-"));
    let message = p.shown.message.clone();
    let oninput = {
        let field = p.field.clone();
        p.on_action.reform(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Action::Type(field.clone(), input.value())
        })
    };
    let error_id = format!("{id}-error");
    html! {
        <div class={classes!("field", message.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id} type="text" inputmode="decimal" autocomplete="off" value={p.shown.text.clone()}
                placeholder={p.placeholder.clone()} {oninput}
                aria-invalid={message.is_some().to_string()} aria-describedby={error_id.clone()} />
            <span class="field-error" id={error_id} role="status">{ message.unwrap_or_default() }</span>
        </div>
    }
}
