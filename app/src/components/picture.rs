//! A photo as a `<picture>`: a WebP source and a JPEG (or PNG) fallback, each at every derived
//! width, with the photo's own width and height so that nothing moves as it loads.

use crate::model::Image;
use leptos::prelude::*;

/// A photo's derivatives for a slot of the layout `sizes` wide. The lead image of a page loads
/// first (`fetchpriority="high"`); every other one lazily.
#[component]
pub fn Picture(
    image: Image,
    /// The `sizes` of the slot (see `model::photo`).
    sizes: &'static str,
    /// The page's lead image: loaded at once, before other images.
    #[prop(optional)]
    lead: bool,
    /// The class of the `<picture>`.
    #[prop(optional)]
    class: &'static str,
    /// The language of the text alternative, when it is not the page's.
    #[prop(optional)]
    lang: Option<&'static str>,
) -> impl IntoView {
    let (fallback, width) = image.fallback();
    let src = image.url(width, fallback);
    let srcset = image.srcset(fallback);
    let webp = image.srcset("webp");
    view! {
        <picture class=class>
            <source type="image/webp" srcset=webp sizes=sizes />
            <img
                src=src
                srcset=srcset
                sizes=sizes
                width=image.width
                height=image.height
                alt=image.alt
                lang=lang
                loading=(!lead).then_some("lazy")
                decoding=(!lead).then_some("async")
                fetchpriority=lead.then_some("high")
            />
        </picture>
    }
}
