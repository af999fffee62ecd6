//! A photo as pages render it: the name of its derived images, its size as shown, and its text
//! alternative. The server makes the derivatives (`server/src/photos`); pages link only them.

use serde::{Deserialize, Serialize};

/// Where the derivatives are served: `/img/{key}/{width}.{webp|jpg|png}` and `/img/{key}/og.jpg`.
pub const PHOTO_PATH: &str = "/img/";

/// The widths derivatives are made at, never above the original's own width (which is added
/// when it lies below the largest).
pub const PHOTO_WIDTHS: [u32; 5] = [400, 800, 1200, 1600, 2000];

/// The size of the Open Graph image: the photo cropped to 1200 × 630 (smaller photos keep the
/// shape at their own size).
pub const OG_SIZE: (u32, u32) = (1200, 630);

/// `sizes` of a story's lead image and of the photos in its text: the text column
/// (`.story`: at most 42rem, inside `.wrap`'s 1rem margins).
pub const LEAD_SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";
/// `sizes` of the photos in a story's text (the same column as the lead image).
pub const PROSE_SIZES: &str = LEAD_SIZES;
/// `sizes` of a card's image: at most 22rem (`.card-image`); on a phone, the screen less
/// `.wrap`'s margins and the card's padding and border.
pub const CARD_SIZES: &str = "(min-width: 27rem) 22rem, calc(100vw - 4.6rem)";

/// A photo and its text alternative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Text alternative, in the language of the story.
    pub alt: String,
    /// The derivatives' name: a hash of the original's bytes.
    pub key: String,
    /// Width as shown (the EXIF orientation applied), in pixels.
    pub width: u32,
    /// Height as shown, in pixels.
    pub height: u32,
    /// Whether it has transparency: its fallback is a PNG rather than a JPEG.
    pub alpha: bool,
}

impl Image {
    /// The widths of its derivatives, smallest first, none above its own.
    pub fn widths(&self) -> impl Iterator<Item = u32> + '_ {
        let largest = self.width.min(PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1]);
        PHOTO_WIDTHS
            .iter()
            .copied()
            .filter(move |w| *w < largest)
            .chain(std::iter::once(largest))
    }

    /// The height of its derivative at `width`.
    pub fn height_at(&self, width: u32) -> u32 {
        derived_height(self.width, self.height, width)
    }

    /// The address of its derivative at `width` in the format of `extension`.
    pub fn url(&self, width: u32, extension: &str) -> String {
        format!("{PHOTO_PATH}{}/{width}.{extension}", self.key)
    }

    /// A `srcset` of every width in the format of `extension`.
    pub fn srcset(&self, extension: &str) -> String {
        let mut out = String::new();
        for width in self.widths() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(&self.url(width, extension));
            out.push(' ');
            out.push_str(&width.to_string());
            out.push('w');
        }
        out
    }

    /// The fallback format (`jpg`, or `png` with transparency) and the width of the `src` that
    /// browsers without `srcset` load: 800, or the largest below.
    pub fn fallback(&self) -> (&'static str, u32) {
        let extension = if self.alpha { "png" } else { "jpg" };
        let width = self.widths().take_while(|w| *w <= 800).last().unwrap_or(self.width);
        (extension, width)
    }

    /// The Open Graph image: its address and size.
    pub fn og(&self) -> (String, u32, u32) {
        let (width, height) = og_size(self.width, self.height);
        (format!("{PHOTO_PATH}{}/og.jpg", self.key), width, height)
    }
}

/// The height of a `width` wide derivative of a `original_width` × `original_height` photo,
/// rounded, at least 1.
pub fn derived_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let height = (u64::from(original_height) * u64::from(width) * 2 + u64::from(original_width))
        / (2 * u64::from(original_width.max(1)));
    (height as u32).max(1)
}

/// The size of the Open Graph crop of a `width` × `height` photo: 1200 × 630, or the largest
/// crop of that shape the photo holds when it is smaller.
pub fn og_size(width: u32, height: u32) -> (u32, u32) {
    let (ow, oh) = OG_SIZE;
    // The largest crop of shape ow:oh inside the photo, then at most ow × oh.
    let (crop_w, crop_h) = if u64::from(width) * u64::from(oh) > u64::from(height) * u64::from(ow) {
        ((u64::from(height) * u64::from(ow) / u64::from(oh)) as u32, height)
    } else {
        (width, (u64::from(width) * u64::from(oh) / u64::from(ow)) as u32)
    };
    if crop_w > ow {
        (ow, oh)
    } else {
        (crop_w.max(1), crop_h.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32) -> Image {
        Image {
            alt: "x".into(),
            key: "k".into(),
            width,
            height,
            alpha: false,
        }
    }

    #[test]
    fn widths_never_exceed_the_original() {
        assert_eq!(
            image(4000, 3000).widths().collect::<Vec<_>>(),
            [400, 800, 1200, 1600, 2000]
        );
        assert_eq!(image(1000, 750).widths().collect::<Vec<_>>(), [400, 800, 1000]);
        assert_eq!(image(800, 600).widths().collect::<Vec<_>>(), [400, 800]);
        assert_eq!(image(300, 200).widths().collect::<Vec<_>>(), [300]);
        assert_eq!(image(4000, 3000).height_at(1200), 900);
        assert_eq!(image(3000, 4000).height_at(400), 533);
        assert_eq!(image(4000, 3000).fallback(), ("jpg", 800));
        assert_eq!(image(300, 200).fallback(), ("jpg", 300));
        assert_eq!(
            image(1000, 750).srcset("webp"),
            "/img/k/400.webp 400w, /img/k/800.webp 800w, /img/k/1000.webp 1000w"
        );
    }

    #[test]
    fn the_open_graph_crop_has_its_shape() {
        assert_eq!(og_size(4000, 3000), (1200, 630));
        assert_eq!(og_size(3000, 4000), (1200, 630));
        assert_eq!(og_size(800, 600), (800, 420));
        assert_eq!(og_size(2000, 500), (952, 500));
    }
}
