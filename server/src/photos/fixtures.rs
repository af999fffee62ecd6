//! Generated photos for tests and benchmarks, so that no photo is committed: a photo-like JPEG
//! carrying what a phone writes (EXIF with an orientation and GPS coordinates, XMP, a comment),
//! a PNG with transparency and a text chunk, and the bad files editors may upload (not an
//! image, a truncated JPEG, a PNG with damaged pixels, a 50,000 × 50,000 PNG of a few hundred bytes, an SVG with a script,
//! a huge animated GIF). Each secret written into the metadata is one of [`SECRETS`], which no
//! derivative may hold.

use image::{codecs::jpeg::JpegEncoder, codecs::png::PngEncoder, ExtendedColorType, ImageEncoder};
use std::{fs, io, path::Path};

/// The texts written into the metadata blocks of the generated originals.
pub const SECRETS: [&str; 5] = [
    "AIPR-EXIF-SECRET",
    "AIPR-GPS-SECRET",
    "AIPR-XMP-SECRET",
    "AIPR-COMMENT-SECRET",
    "AIPR-PNG-SECRET",
];

/// The EXIF orientation the photo carries: 6, "rotate 90° clockwise to show".
pub const ORIENTATION: u16 = 6;

/// A deterministic pseudo-random number generator (xorshift), for the photo's grain.
struct Grain(u32);

impl Grain {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// Photo-like pixels, stored as the camera wrote them (before the orientation is applied): a
/// sky-to-ground gradient, shapes at several scales, grain, and a pure red block in the stored
/// top-left corner (the shown top-right once turned).
pub fn photo_pixels(width: u32, height: u32) -> Vec<u8> {
    let mut grain = Grain(0x2545_f491);
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    let (w, h) = (width as f32, height as f32);
    for y in 0..height {
        for x in 0..width {
            let (fx, fy) = (x as f32 / w, y as f32 / h);
            if fx < 0.1 && fy < 0.1 {
                out.extend_from_slice(&[255, 0, 0]);
                continue;
            }
            let shapes = ((fx * 23.0).sin() * (fy * 17.0).cos() + (fx * 61.0 + fy * 43.0).sin() * 0.5) * 30.0;
            let fine = ((fx * 400.0).sin() * (fy * 330.0).sin()) * 12.0;
            let noise = (grain.next() % 17) as f32 - 8.0;
            let base = [90.0 + 120.0 * fy, 130.0 + 60.0 * (1.0 - fy), 200.0 - 140.0 * fy];
            for (i, channel) in base.iter().enumerate() {
                let v = channel + shapes * (1.0 - i as f32 * 0.3) + fine + noise;
                out.push(v.clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

/// The TIFF structure of an EXIF block: orientation, a description, and a GPS IFD with
/// latitude, longitude and a processing method holding secrets.
fn exif() -> Vec<u8> {
    // Little-endian TIFF: header, IFD0 (3 entries), GPS IFD (5 entries), then the values.
    let ifd0 = 8u32;
    let ifd0_len = 2 + 3 * 12 + 4;
    let gps = ifd0 + ifd0_len;
    let gps_len = 2 + 5 * 12 + 4;
    let data = gps + gps_len;
    let description = format!("{}\0", SECRETS[0]);
    let method = format!("ASCII\0\0\0{}", SECRETS[1]);
    let latitude = data + description.len() as u32;
    let longitude = latitude + 24;
    let method_at = longitude + 24;
    let mut t = Vec::new();
    t.extend_from_slice(b"II\x2a\x00");
    t.extend_from_slice(&ifd0.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value.to_le_bytes());
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x010e, 2, description.len() as u32, data);
    entry(&mut t, 0x0112, 3, 1, u32::from(ORIENTATION));
    entry(&mut t, 0x8825, 4, 1, gps);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&5u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, u32::from(b'N'));
    entry(&mut t, 0x0002, 5, 3, latitude);
    entry(&mut t, 0x0003, 2, 2, u32::from(b'E'));
    entry(&mut t, 0x0004, 5, 3, longitude);
    entry(&mut t, 0x001b, 7, method.len() as u32, method_at);
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(description.as_bytes());
    for (numerator, denominator) in [(50, 1), (2, 1), (1234, 100), (19, 1), (12, 1), (3456, 100)] {
        t.extend_from_slice(&(numerator as u32).to_le_bytes());
        t.extend_from_slice(&(denominator as u32).to_le_bytes());
    }
    t.extend_from_slice(method.as_bytes());
    t
}

/// A JPEG segment: marker, length, payload.
fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xff, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A photo-like JPEG, `width` × `height` as stored, with EXIF (orientation 6, GPS), XMP, a
/// Display P3 colour profile and a comment, as a phone writes it.
pub fn photo_jpeg(width: u32, height: u32, quality: u8) -> Vec<u8> {
    let mut plain = Vec::new();
    // Writing into memory does not fail.
    let _ = JpegEncoder::new_with_quality(&mut plain, quality).write_image(
        &photo_pixels(width, height),
        width,
        height,
        ExtendedColorType::Rgb8,
    );
    let mut exif_payload = b"Exif\0\0".to_vec();
    exif_payload.extend_from_slice(&exif());
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description \
         exif:GPSLatitude=\"50,2.2N\">{}</rdf:Description></rdf:RDF></x:xmpmeta>",
        SECRETS[2]
    );
    let mut out = plain[..2].to_vec();
    out.extend(segment(0xe1, &exif_payload));
    out.extend(segment(0xe1, xmp.as_bytes()));
    // The profile in one APP2 segment: its name, then part 1 of 1.
    let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
    icc.extend(moxcms::ColorProfile::new_display_p3().encode().unwrap_or_default());
    out.extend(segment(0xe2, &icc));
    out.extend(segment(0xfe, SECRETS[3].as_bytes()));
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG chunk with its CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc.sum().to_be_bytes());
    c
}

/// A graphic with transparency: an opaque disc on a clear background, with a `tEXt` chunk.
pub fn transparent_png(width: u32, height: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(width as usize * height as usize * 4);
    let (cx, cy, r) = (width as f32 / 2.0, height as f32 / 2.0, width.min(height) as f32 / 3.0);
    for y in 0..height {
        for x in 0..width {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            let alpha = ((r - d) * 4.0).clamp(0.0, 255.0) as u8;
            pixels.extend_from_slice(&[20, 60, (x % 256) as u8, alpha]);
        }
    }
    let mut plain = Vec::new();
    let _ = PngEncoder::new(&mut plain).write_image(&pixels, width, height, ExtendedColorType::Rgba8);
    // After the signature (8 bytes) and IHDR (25 bytes).
    let mut out = plain[..33].to_vec();
    out.extend(chunk(b"tEXt", format!("Comment\0{}", SECRETS[4]).as_bytes()));
    out.extend_from_slice(&plain[33..]);
    out
}

/// A JPEG cut off in the middle of its pixels: its header reads, its image does not.
pub fn truncated_jpeg() -> Vec<u8> {
    let mut whole = photo_jpeg(1200, 900, 85);
    whole.truncate(whole.len() * 2 / 5);
    whole
}

/// A PNG whose header reads and whose pixels do not: its compressed data is noise.
pub fn damaged_png() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&200u32.to_be_bytes());
    ihdr.extend_from_slice(&100u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut grain = Grain(7);
    let noise: Vec<u8> = (0..4000).map(|_| grain.next() as u8).collect();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &[&[0x78, 0x9c][..], &noise].concat()));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// A decompression bomb: a PNG whose header says 50,000 × 50,000 pixels (10 GB decoded), a few
/// hundred bytes on disk.
pub fn png_bomb() -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut idat = Vec::new();
    let mut z = flate2::write::ZlibEncoder::new(&mut idat, flate2::Compression::best());
    let _ = io::Write::write_all(&mut z, &vec![0u8; 200_001]);
    let _ = z.finish();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &idat));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// An animated GIF of 20,000 × 20,000 pixels and 100 frames.
pub fn animated_gif() -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&20_000u16.to_le_bytes());
    out.extend_from_slice(&20_000u16.to_le_bytes());
    out.extend_from_slice(&[0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    out.extend_from_slice(b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00");
    for _ in 0..100 {
        out.extend_from_slice(&[0x21, 0xf9, 4, 0, 10, 0, 0, 0]);
        out.push(0x2c);
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&20_000u16.to_le_bytes());
        out.extend_from_slice(&20_000u16.to_le_bytes());
        out.extend_from_slice(&[0, 2, 2, 0x4c, 0x01, 0]);
    }
    out.push(0x3b);
    out
}

/// An SVG drawing with a script in it.
pub fn svg() -> Vec<u8> {
    b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\
      <script>alert(document.cookie)</script><rect width=\"10\" height=\"10\"/></svg>\n"
        .to_vec()
}

/// Text under an image's name.
pub fn not_an_image() -> Vec<u8> {
    b"This is a letter, saved by mistake as a photo.\n".to_vec()
}

/// A story that shows a photo as its lead image and a graphic in its text, in Spanish, with its
/// originals written under `public/images/`: `width` × `height` is the photo as stored (it is
/// shown turned, `height` wide). Returns the story's file name.
pub fn write_story(content: &Path, public: &Path, width: u32, height: u32) -> io::Result<&'static str> {
    let images = public.join("images");
    fs::create_dir_all(&images)?;
    fs::create_dir_all(content.join("stories"))?;
    fs::write(images.join("taller-fotos.jpg"), photo_jpeg(width, height, 90))?;
    fs::write(images.join("grafico.png"), transparent_png(640, 400))?;
    let story = "+++\n\
        title = \"Un taller con fotos\"\n\
        date = 2031-05-02\n\
        summary = \"Un taller de prevención, con su foto.\"\n\
        kind = \"news\"\n\
        programs = []\n\
        tags = [\"fotos\"]\n\
        [image]\n\
        src = \"/images/taller-fotos.jpg\"\n\
        alt = \"Participantes del taller sentados en círculo\"\n\
        +++\n\n\
        El taller reunió a funcionarios de doce países.\n\n\
        ![Un gráfico de la participación](/images/grafico.png)\n\n\
        Más texto después del gráfico.\n";
    fs::write(content.join("stories/taller-fotos.es.md"), story)?;
    Ok("stories/taller-fotos.es.md")
}
