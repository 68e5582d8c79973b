//! [`table_scroll`]: a table wider than a phone's screen scrolls in its own
//! box, so that the page itself never scrolls sideways.

use yew::prelude::*;

/// `table` in a box that scrolls sideways when the table is wider than the
/// screen, shaded on the side where more is hidden (the stylesheet's
/// `.table-scroll`). The box is a named region that takes focus, so that a
/// keyboard can scroll it too (and a screen reader says what it holds).
pub fn table_scroll(label: &'static str, table: Html) -> Html {
    html! {
        <div class="table-scroll" role="region" aria-label={label} tabindex="0">{ table }</div>
    }
}
