//! The photos the stories show. Each original under `public/` is checked when the content loads
//! (its size, its format, the dimensions and orientation its header gives) and named by a hash
//! of its bytes: the name its derived images are made, kept and served under. Loading never
//! decodes pixels; the server makes the derivatives in the background (`server/src/photos`)
//! with [`decode`], under the same limits.

use super::links::decode_entities;
use crate::model::Image;
use image::{metadata::Orientation, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    fs,
    io::Cursor,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, PoisonError},
    time::SystemTime,
};

/// The largest original the site takes, in bytes (a phone's 12-megapixel JPEG is 2 to 5 MB).
pub const MAX_PHOTO_BYTES: u64 = 30 << 20;
/// The most pixels an original may have: 50 megapixels.
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;
/// The longest side an original may have, in pixels.
pub const MAX_PHOTO_SIDE: u32 = 16_384;
/// The most memory the decoded pixels of one original may take (a 50-megapixel RGB photo takes
/// 150 MB); the decoder is told so before it allocates anything.
pub const MAX_DECODED_BYTES: u64 = 160 << 20;
/// Part of every photo's key: changing how derivatives are made (widths, formats, quality)
/// changes it, so that new derivatives are made and old ones are never served for new ones.
pub const PIPELINE: &str = "photos-2";

/// A checked original: where it is and what its derivatives will be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Original {
    /// The file, under the public folder.
    pub path: PathBuf,
    /// The derivatives' name: the first 32 hex digits of SHA-256 over [`PIPELINE`] and the bytes.
    pub key: String,
    /// Width as shown, after the EXIF orientation is applied.
    pub width: u32,
    /// Height as shown, after the EXIF orientation is applied.
    pub height: u32,
    /// Whether it has an alpha channel (its fallback is a PNG, not a JPEG).
    pub alpha: bool,
}

impl Original {
    /// The image as pages render it, with its text alternative.
    pub fn image(&self, alt: &str) -> Image {
        Image {
            alt: alt.trim().to_owned(),
            key: self.key.clone(),
            width: self.width,
            height: self.height,
            alpha: self.alpha,
        }
    }
}

/// Where a story names a photo: its file (relative to the content folder) and line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoSite {
    /// The story file.
    pub file: PathBuf,
    /// The line, from 1, when it can be told.
    pub line: Option<usize>,
}

/// A photo of the content with every place that names it: what the server makes derivatives
/// of, and where it reports a photo it cannot decode.
#[derive(Clone, Debug)]
pub struct PhotoUse {
    /// The checked original.
    pub original: Arc<Original>,
    /// The stories' files and lines that name it.
    pub sites: Vec<PhotoSite>,
}

/// The limits every decoder gets, checked before it allocates the image.
pub fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// A decoder for an original's bytes, with the limits set and the size checked: what the
/// header says, nothing decoded yet. The error is for the editor.
fn decoder(bytes: &[u8]) -> Result<impl ImageDecoder + '_, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        Some(ImageFormat::Gif) => {
            return Err("is a GIF: the site takes still photos only (JPEG, PNG or WebP); \
                        save a still of it as JPEG or PNG"
                .into())
        }
        Some(other) => {
            return Err(format!(
                "is a {} image: the site takes JPEG, PNG and WebP",
                other
                    .extensions_str()
                    .first()
                    .copied()
                    .unwrap_or("other")
                    .to_uppercase()
            ))
        }
        None if is_svg(bytes) => {
            return Err("is an SVG drawing, which can carry scripts: the site takes photos as \
                        JPEG, PNG or WebP; export it as PNG"
                .into())
        }
        None => return Err("is not an image the site can read (JPEG, PNG or WebP)".into()),
    }
    let mut reader = reader;
    reader.limits(limits());
    let decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(),
        other => format!("is not a readable image: {other}"),
    })?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PHOTO_PIXELS || decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(too_large());
    }
    if width == 0 || height == 0 {
        return Err("has no pixels".into());
    }
    Ok(decoder)
}

fn too_large() -> String {
    format!(
        "is larger than the site takes: at most {} megapixels and {MAX_PHOTO_SIDE} pixels a side",
        MAX_PHOTO_PIXELS / 1_000_000
    )
}

/// Whether text looks like SVG (or other XML): what an image decoder does not recognise.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<?xml") || text.starts_with("<svg") || text.contains("<svg")
}

/// Walks a JPEG's segments: where its first scan's data starts (the headers end there), and
/// whether it runs to its end-of-image marker (the decoder, lenient, shows a truncated file
/// with its missing part grey). Segments are skipped by their length (an EXIF thumbnail's own
/// end marker is inside one); in the entropy-coded data, a 0xFF byte is followed by 0x00
/// (stuffing), a restart marker or the next marker.
fn jpeg_structure(bytes: &[u8]) -> (Option<usize>, bool) {
    let mut at = 2;
    let mut scan = None;
    while at + 1 < bytes.len() {
        if bytes[at] != 0xff {
            // Entropy-coded data, after a start of scan: on to the next marker.
            match memchr::memchr(0xff, &bytes[at..]) {
                Some(next) => at += next,
                None => return (scan, false),
            }
            continue;
        }
        let marker = bytes[at + 1];
        match marker {
            0xd9 => return (scan, true),
            0x00 | 0xff | 0xd0..=0xd7 | 0x01 => at += if marker == 0xff { 1 } else { 2 },
            _ => {
                let Some(len) = bytes
                    .get(at + 2..at + 4)
                    .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                else {
                    return (scan, false);
                };
                at += 2 + len;
                if marker == 0xda && scan.is_none() {
                    scan = Some(at.min(bytes.len()));
                }
            }
        }
    }
    (scan, false)
}

/// Whether an orientation swaps width and height.
fn turns(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// Checks an original's header: its key, its dimensions as shown, whether it has alpha.
pub fn inspect(path: &Path, bytes: &[u8]) -> Result<Original, String> {
    // A JPEG's decoder copies what it is given: it is given the headers only.
    let mut header = bytes;
    if bytes.starts_with(&[0xff, 0xd8]) {
        match jpeg_structure(bytes) {
            (Some(scan), true) => header = &bytes[..scan],
            _ => return Err("is a JPEG cut off before its end (a truncated upload or copy?): upload it again".into()),
        }
    }
    let mut decoder = decoder(header)?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let alpha = decoder.color_type().has_alpha();
    let (width, height) = if turns(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let mut hash = Sha256::new();
    hash.update(PIPELINE.as_bytes());
    hash.update(bytes);
    let key = hash.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Original {
        path: path.to_path_buf(),
        key,
        width,
        height,
        alpha,
    })
}

/// Decodes an original whole, within the limits, with its EXIF orientation applied. The
/// pixels alone come out: no metadata block survives decoding.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut decoder = decoder(bytes)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => too_large(),
        other => format!("cannot be decoded (a damaged or truncated file?): {other}"),
    })?;
    image.apply_orientation(orientation);
    Ok(match icc {
        Some(icc) => in_srgb(image, &icc),
        None => image,
    })
}

/// The pixels of a photo that carries the ICC profile `icc`, converted to sRGB: derivatives
/// carry no profile, and a browser shows an image without one as sRGB, so the colours of a
/// phone's Display P3 photo or of an Adobe RGB export would otherwise come out dull. A profile
/// that cannot be read, or is not for RGB pixels, leaves the pixels as they are (as a browser
/// would show them). The result has 8 bits a channel, as every derivative does.
pub fn in_srgb(image: DynamicImage, icc: &[u8]) -> DynamicImage {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return image;
    };
    if profile.color_space != DataColorSpace::Rgb {
        return image;
    }
    let (layout, channels) = if image.color().has_alpha() {
        (Layout::Rgba, 4)
    } else {
        (Layout::Rgb, 3)
    };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &ColorProfile::new_srgb(), layout, TransformOptions::default())
    else {
        return image;
    };
    // Row by row, through one row's copy: the photo is never held twice.
    let convert = |pixels: &mut [u8], width: usize| {
        if width == 0 {
            return;
        }
        let mut row = vec![0; width * channels];
        for line in pixels.chunks_exact_mut(width * channels) {
            row.copy_from_slice(line);
            if transform.transform(&row, line).is_err() {
                line.copy_from_slice(&row);
            }
        }
    };
    let width = image.width() as usize;
    if channels == 4 {
        let mut pixels = image.into_rgba8();
        convert(&mut pixels, width);
        DynamicImage::ImageRgba8(pixels)
    } else {
        let mut pixels = image.into_rgb8();
        convert(&mut pixels, width);
        DynamicImage::ImageRgb8(pixels)
    }
}

/// The originals checked so far, by file, with the size and time of change they had: a
/// reload checks again only the files that changed.
#[derive(Debug, Default)]
pub struct Probes(Mutex<HashMap<PathBuf, Probed>>);

/// A file's size and time of change when it was checked, and what the check found.
type Probed = (u64, Option<SystemTime>, Result<Arc<Original>, String>);

impl Probes {
    /// The original a story names as `src` (`/images/x.jpg`, under `public`), checked; the
    /// error is for the editor.
    pub fn probe(&self, public: &Path, src: &str) -> Result<Arc<Original>, String> {
        let relative = src.trim_start_matches('/');
        if !src.starts_with('/') || src.starts_with("//") || relative.split('/').any(|p| p == "..") {
            return Err(format!("image `{src}` is not a file under public/"));
        }
        let path = public.join(relative);
        let meta = match fs::metadata(&path) {
            Ok(meta) if meta.is_file() => meta,
            _ => return Err(format!("image `{src}` is not a file under public/")),
        };
        if meta.len() > MAX_PHOTO_BYTES {
            return Err(format!(
                "image `{src}` is {} MB: the site takes photos of at most {} MB",
                meta.len() >> 20,
                MAX_PHOTO_BYTES >> 20
            ));
        }
        let modified = meta.modified().ok();
        let known = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&path)
            .cloned();
        if let Some((len, time, result)) = known {
            if len == meta.len() && time == modified && modified.is_some() {
                return result;
            }
        }
        let result = fs::read(&path)
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|bytes| inspect(&path, &bytes))
            .map(Arc::new)
            .map_err(|message| format!("image `{src}` {message}"));
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path, (meta.len(), modified, result.clone()));
        result
    }
}

/// The `<picture>` of a photo in a story's body: typed sources at every width, sized to the
/// text column, loaded lazily. `alt` is already escaped HTML.
fn body_picture(image: &Image, alt_html: &str) -> String {
    let sizes = crate::model::PROSE_SIZES;
    let (fallback, width) = image.fallback();
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">\
         <img src=\"{src}\" srcset=\"{srcset}\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\" \
         alt=\"{alt_html}\" loading=\"lazy\" decoding=\"async\"></picture>",
        webp = image.srcset("webp"),
        src = image.url(width, fallback),
        srcset = image.srcset(fallback),
        w = image.width,
        h = image.height,
    )
}

/// The photos of a story's sanitized body: each `<img>` with a local `src` becomes a
/// `<picture>` of its derivatives. `resolve` checks an original; what it refuses, and an image
/// without alt text, is a problem with its `src`. Images on other sites stay as they are.
pub fn body_photos(html: &str, mut resolve: impl FnMut(&str) -> Result<Arc<Original>, String>) -> BodyPhotos {
    let mut out = String::with_capacity(html.len());
    let mut problems = Vec::new();
    let mut used = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tag_end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..tag_end];
        rest = &rest[tag_end..];
        let src = attribute(tag, "src").map(decode_entities).unwrap_or_default();
        if !src.starts_with('/') || src.starts_with("//") {
            out.push_str(tag);
            continue;
        }
        let alt = attribute(tag, "alt").unwrap_or_default();
        if alt.trim().is_empty() {
            problems.push((src.clone(), "an image needs its alt text".to_owned()));
        }
        match resolve(&src) {
            Ok(original) => {
                out.push_str(&body_picture(&original.image(""), alt));
                used.push((src, original));
            }
            Err(message) => problems.push((src, message)),
        }
    }
    out.push_str(rest);
    BodyPhotos {
        html: out,
        problems,
        used,
    }
}

/// A story's body with its photos as `<picture>`s.
#[derive(Debug)]
pub struct BodyPhotos {
    /// The body's HTML.
    pub html: String,
    /// Each `src` that is wrong, with what is wrong.
    pub problems: Vec<(String, String)>,
    /// Each photo shown, with its `src`.
    pub used: Vec<(String, Arc<Original>)>,
}

/// The value of `name="…"` in a tag as the HTML serializer wrote it (still escaped).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let image = if alpha {
            DynamicImage::new_rgba8(width, height)
        } else {
            DynamicImage::new_rgb8(width, height)
        };
        image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png).unwrap();
        bytes
    }

    /// A 16 × 16 JPEG of one colour, tagged with the ICC profile `icc`.
    fn tagged_jpeg(rgb: [u8; 3], icc: Option<Vec<u8>>) -> Vec<u8> {
        use image::{codecs::jpeg::JpegEncoder, ExtendedColorType, ImageEncoder};
        let mut bytes = Vec::new();
        let mut encoder = JpegEncoder::new_with_quality(&mut bytes, 95);
        if let Some(icc) = icc {
            encoder.set_icc_profile(icc).unwrap();
        }
        let pixels: Vec<u8> = (0..16 * 16).flat_map(|_| rgb).collect();
        encoder.write_image(&pixels, 16, 16, ExtendedColorType::Rgb8).unwrap();
        bytes
    }

    #[test]
    fn a_photo_with_a_colour_profile_comes_out_in_srgb() {
        use moxcms::ColorProfile;
        let pixel = |bytes: &[u8]| decode(bytes).unwrap().to_rgb8().get_pixel(8, 8).0;
        let red = [230, 20, 20];
        // A profile whose red is sRGB's blue and whose blue is sRGB's red: converted, red is blue.
        let mut swapped = ColorProfile::new_srgb();
        std::mem::swap(&mut swapped.red_colorant, &mut swapped.blue_colorant);
        let [r, g, b] = pixel(&tagged_jpeg(red, Some(swapped.encode().unwrap())));
        assert!(b > 190 && r < 60 && g < 60, "converted to sRGB: {:?}", [r, g, b]);
        // A phone's Display P3: a P3 red is a deeper red than sRGB's can hold.
        let [r, g, b] = pixel(&tagged_jpeg(
            [200, 60, 60],
            Some(ColorProfile::new_display_p3().encode().unwrap()),
        ));
        assert!(r > 205 && g < 55 && b < 55, "Display P3 in sRGB: {:?}", [r, g, b]);
        // sRGB's own profile, none, and one that cannot be read: the colours as they were.
        for icc in [
            Some(ColorProfile::new_srgb().encode().unwrap()),
            None,
            Some(b"acsp, not a profile".to_vec()),
        ] {
            let [r, g, b] = pixel(&tagged_jpeg(red, icc));
            assert!(r > 215 && g < 35 && b < 35, "as it was: {:?}", [r, g, b]);
        }
    }

    #[test]
    fn reads_the_header_only_and_names_by_content() {
        let a = inspect(Path::new("a.png"), &png(30, 20, true)).unwrap();
        assert_eq!((a.width, a.height, a.alpha), (30, 20, true));
        assert_eq!(a.key.len(), 32);
        let b = inspect(Path::new("b.png"), &png(30, 20, true)).unwrap();
        assert_eq!(a.key, b.key, "the same bytes have the same key");
        let c = inspect(Path::new("c.png"), &png(30, 21, false)).unwrap();
        assert_ne!(a.key, c.key);
        assert!(!c.alpha);
    }

    #[test]
    fn refuses_what_is_not_a_photo() {
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert!(inspect(Path::new("x.svg"), svg).unwrap_err().contains("SVG"));
        assert!(inspect(Path::new("x.jpg"), b"hello, not an image")
            .unwrap_err()
            .contains("not an image"));
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        let mut jpeg = Vec::new();
        DynamicImage::new_rgb8(64, 48)
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        assert!(inspect(Path::new("whole.jpg"), &jpeg).is_ok());
        jpeg.truncate(jpeg.len() - 2);
        assert!(inspect(Path::new("cut.jpg"), &jpeg).unwrap_err().contains("cut off"));
        assert!(inspect(Path::new("x.gif"), gif).unwrap_err().contains("GIF"));
    }

    #[test]
    fn body_images_become_pictures_and_keep_others() {
        let original = Arc::new(Original {
            path: PathBuf::from("x.jpg"),
            key: "k".repeat(32),
            width: 1000,
            height: 500,
            alpha: false,
        });
        let html = r#"<p>a <img src="/images/x.jpg" alt="A &amp; B"> b <img src="https://e.org/y.png" alt="y"></p><p><img src="/images/z.jpg" alt=""></p>"#;
        let BodyPhotos {
            html: out,
            problems,
            used,
        } = body_photos(html, |src| {
            if src == "/images/x.jpg" {
                Ok(original.clone())
            } else {
                Err(format!("image `{src}` is not a file under public/"))
            }
        });
        assert!(
            out.contains(
                r#"<picture><source type="image/webp" srcset="/img/kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk/400.webp 400w"#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"width="1000" height="500" alt="A &amp; B" loading="lazy" decoding="async">"#),
            "{out}"
        );
        assert!(!out.contains("/images/x.jpg"), "{out}");
        assert!(out.contains(r#"<img src="https://e.org/y.png" alt="y">"#), "{out}");
        assert_eq!(used.len(), 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].1.contains("alt text"));
        assert!(problems[1].1.contains("not a file"));
    }
}
