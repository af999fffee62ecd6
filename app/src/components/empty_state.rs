//! The one empty state of every list, with its way out.

use leptos::prelude::*;

/// "Nothing here", with the way out given as children (clear the filters, go home).
#[component]
pub fn EmptyState(
    /// What is empty, in the page's language.
    message: &'static str,
    /// The way out: usually one link.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty-state">
            <p>{message}</p>
            {children.map(|c| c())}
        </div>
    }
}
