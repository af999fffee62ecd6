//! Makes a photo's derivatives: decoded within the limits, turned by its EXIF orientation,
//! resized to every width of [`Image::widths`] (Lanczos3, `fast_image_resize`), encoded as a
//! lossy WebP (libwebp) and a JPEG (or, with transparency, a PNG), plus the 1200 × 630 Open
//! Graph crop as a JPEG. Only pixels go into the encoders (in sRGB: [`decode`] converts them
//! through the original's ICC profile): no EXIF, GPS, XMP, IPTC, ICC profile or comment of the
//! original reaches a derivative.

use app::{
    content::photos::{decode, Original},
    model::{og_size, Image},
};
use fast_image_resize::{images::Image as Pixels, FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{
    codecs::{
        jpeg::JpegEncoder,
        png::{CompressionType, FilterType as PngFilter, PngEncoder},
    },
    ExtendedColorType, ImageEncoder,
};
use std::{fs, path::Path};

/// WebP quality (0 to 100): a 1200 px wide photo comes to 100 to 150 KB.
const WEBP_QUALITY: f32 = 72.0;
/// JPEG quality of the fallback and of the Open Graph image.
const JPEG_QUALITY: u8 = 80;

/// What making one photo's derivatives wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct Made {
    /// Files written.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// Writes the derivatives of `original` (whose bytes are `bytes`) into `dir`, which must exist
/// and be empty. The error is for the editor.
pub fn derive(bytes: &[u8], original: &Original, dir: &Path) -> Result<Made, String> {
    let decoded = decode(bytes)?;
    let alpha = original.alpha;
    let (width, height) = (decoded.width(), decoded.height());
    let (pixels, pixel_type) = if alpha {
        (decoded.into_rgba8().into_raw(), PixelType::U8x4)
    } else {
        (decoded.into_rgb8().into_raw(), PixelType::U8x3)
    };
    let source =
        Pixels::from_vec_u8(width, height, pixels, pixel_type).map_err(|e| format!("cannot be resized: {e}"))?;
    let image = original.image("");
    let mut resizer = Resizer::new();
    let lanczos = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut made = Made::default();
    let mut write = |name: String, data: &[u8]| -> Result<(), String> {
        fs::write(dir.join(&name), data).map_err(|e| format!("derivative {name} not written: {e}"))?;
        made.files += 1;
        made.bytes += data.len() as u64;
        Ok(())
    };
    // Largest first, each from the original's pixels.
    for target in image.widths().collect::<Vec<_>>().into_iter().rev() {
        let target_height = image.height_at(target);
        let resized = if (target, target_height) == (width, height) {
            None
        } else {
            let mut out = Pixels::new(target, target_height, pixel_type);
            resizer
                .resize(&source, &mut out, &lanczos)
                .map_err(|e| format!("cannot be resized: {e}"))?;
            Some(out)
        };
        let pixels = resized.as_ref().unwrap_or(&source);
        write(format!("{target}.webp"), &webp(pixels, alpha))?;
        let (extension, _) = image.fallback();
        write(format!("{target}.{extension}"), &fallback(pixels, alpha)?)?;
    }
    write("og.jpg".into(), &open_graph(&source, &image, &mut resizer)?)?;
    Ok(made)
}

/// A lossy WebP of the pixels (with its alpha channel, if any).
fn webp(pixels: &Pixels, alpha: bool) -> Vec<u8> {
    let (w, h) = (pixels.width(), pixels.height());
    let encoder = if alpha {
        webp::Encoder::from_rgba(pixels.buffer(), w, h)
    } else {
        webp::Encoder::from_rgb(pixels.buffer(), w, h)
    };
    encoder.encode(WEBP_QUALITY).to_vec()
}

/// The fallback: a baseline JPEG, or a PNG with transparency.
fn fallback(pixels: &Pixels, alpha: bool) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h) = (pixels.width(), pixels.height());
    let written = if alpha {
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive).write_image(
            pixels.buffer(),
            w,
            h,
            ExtendedColorType::Rgba8,
        )
    } else {
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
            pixels.buffer(),
            w,
            h,
            ExtendedColorType::Rgb8,
        )
    };
    written.map_err(|e| format!("cannot be encoded: {e}"))?;
    Ok(out)
}

/// The Open Graph image: the middle of the photo cropped to 1200 × 630 (smaller photos keep the
/// shape), as a JPEG; transparency goes onto white.
fn open_graph(source: &Pixels, image: &Image, resizer: &mut Resizer) -> Result<Vec<u8>, String> {
    let (width, height) = (f64::from(source.width()), f64::from(source.height()));
    let (ow, oh) = og_size(image.width, image.height);
    let ratio = f64::from(ow) / f64::from(oh);
    let (crop_w, crop_h) = if width / height > ratio {
        (height * ratio, height)
    } else {
        (width, width / ratio)
    };
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop((width - crop_w) / 2.0, (height - crop_h) / 2.0, crop_w, crop_h);
    let mut out = Pixels::new(ow, oh, source.pixel_type());
    resizer
        .resize(source, &mut out, &options)
        .map_err(|e| format!("cannot be resized: {e}"))?;
    let rgb: Vec<u8> = if source.pixel_type() == PixelType::U8x4 {
        out.buffer()
            .chunks_exact(4)
            .flat_map(|p| {
                let a = u16::from(p[3]);
                [0, 1, 2].map(|i| ((u16::from(p[i]) * a + 255 * (255 - a)) / 255) as u8)
            })
            .collect()
    } else {
        out.into_vec()
    };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .write_image(&rgb, ow, oh, ExtendedColorType::Rgb8)
        .map_err(|e| format!("cannot be encoded: {e}"))?;
    Ok(jpeg)
}
