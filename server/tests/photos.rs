//! Photos end to end, on images the tests generate (`server::photos::fixtures`): the
//! derivatives hold no metadata, the orientation is applied, no width is above the original's,
//! the pages say the right width and height, the original's address never answers the
//! original, and bad images are content errors with their file and line while the site serves.

mod common;
use common::root;

use app::content::{load, ContentStore};
use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use server::{
    front::Drain,
    page_cache::PageCache,
    photos::{fixtures, Photos},
};
use std::{
    fs,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};
use tower::ServiceExt;

/// A scratch folder of its own for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aipr-photos-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The valid fixture with the story of `fixtures::write_story` (photo stored 1600 × 1200).
fn tree(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    let (content, public) = (dir.join("content"), dir.join("public"));
    common::copy_dir(&root().join("app/tests/fixtures/valid"), &content);
    fixtures::write_story(&content, &public, 1600, 1200).unwrap();
    (content, public, dir.join("cache"))
}

/// The metadata blocks a file holds, by its format's own structure: JPEG segments other than
/// JFIF's APP0, PNG chunks other than the image's, WebP chunks other than the image's.
fn metadata_blocks(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if bytes.starts_with(&[0xff, 0xd8]) {
        let mut at = 2;
        while at + 4 <= bytes.len() && bytes[at] == 0xff {
            let marker = bytes[at + 1];
            if marker == 0xda {
                break;
            }
            let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
            let jfif = marker == 0xe0 && bytes[at + 4..].starts_with(b"JFIF\0");
            if (0xe0..=0xef).contains(&marker) && !jfif || marker == 0xfe {
                found.push(format!("JPEG segment FF{marker:02X}"));
            }
            at += 2 + len;
        }
    } else if bytes.starts_with(b"\x89PNG") {
        let mut at = 8;
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned();
            if !["IHDR", "PLTE", "tRNS", "IDAT", "IEND"].contains(&kind.as_str()) {
                found.push(format!("PNG chunk {kind}"));
            }
            at += 12 + len;
        }
    } else if bytes.starts_with(b"RIFF") && bytes[8..12] == *b"WEBP" {
        let mut at = 12;
        while at + 8 <= bytes.len() {
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&bytes[at..at + 4]).into_owned();
            if !["VP8 ", "VP8L", "VP8X", "ALPH"].contains(&kind.as_str()) {
                found.push(format!("WebP chunk {kind}"));
            }
            at += 8 + len + len % 2;
        }
    } else {
        found.push("not a JPEG, PNG or WebP".into());
    }
    for secret in fixtures::SECRETS
        .iter()
        .chain(&["Exif\0", "http://ns.adobe.com/xap", "ICC_PROFILE"])
    {
        if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
            found.push(format!("the text {secret:?}"));
        }
    }
    found
}

#[test]
fn the_generated_originals_carry_what_a_phone_writes() {
    // The guard of the next test: the originals do hold every block it looks for.
    let photo = fixtures::photo_jpeg(64, 48, 90);
    let blocks = metadata_blocks(&photo);
    for expected in [
        "JPEG segment FFE1",
        "JPEG segment FFE2",
        "JPEG segment FFFE",
        "AIPR-GPS-SECRET",
        "AIPR-XMP-SECRET",
        "Exif",
    ] {
        assert!(blocks.iter().any(|b| b.contains(expected)), "{expected} in {blocks:?}");
    }
    let png = metadata_blocks(&fixtures::transparent_png(32, 32));
    assert!(png.iter().any(|b| b.contains("tEXt")), "{png:?}");
}

#[test]
fn derivatives_are_turned_sized_and_hold_no_metadata() {
    let (content, public, cache) = tree("derive");
    let snapshot = load(&content, &public).expect("the tree loads");
    let photos = Photos::new(&cache, &public);
    fs::create_dir_all(&cache).unwrap();
    assert_eq!(snapshot.photos().len(), 2);
    for photo in snapshot.photos() {
        photos.make(photo).expect("derivatives are made");
        let image = photo.original.image("");
        let dir = cache.join(&image.key);
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let (fallback, _) = image.fallback();
        let mut expected: Vec<String> = image
            .widths()
            .flat_map(|w| [format!("{w}.webp"), format!("{w}.{fallback}")])
            .chain(["og.jpg".to_owned()])
            .collect();
        expected.sort();
        assert_eq!(names, expected);
        for name in &names {
            let bytes = fs::read(dir.join(name)).unwrap();
            assert_eq!(
                metadata_blocks(&bytes),
                Vec::<String>::new(),
                "{name} of {}",
                photo.original.path.display()
            );
            let decoded = image::load_from_memory(&bytes).unwrap();
            let (w, h) = (decoded.width(), decoded.height());
            if let Some(width) = name.split('.').next().and_then(|w| w.parse::<u32>().ok()) {
                assert!(width <= image.width, "{name} is wider than the original");
                assert_eq!((w, h), (width, image.height_at(width)), "{name}");
            } else {
                assert_eq!((w, h), app::model::og_size(image.width, image.height), "{name}");
            }
        }
    }
    let photo = snapshot
        .photos()
        .iter()
        .find(|p| p.original.path.ends_with("taller-fotos.jpg"))
        .unwrap();
    // Stored 1600 × 1200 with orientation 6: shown 1200 × 1600, the red block top right.
    assert_eq!((photo.original.width, photo.original.height), (1200, 1600));
    assert!(!photo.original.alpha);
    let shown = image::open(cache.join(&photo.original.key).join("800.jpg"))
        .unwrap()
        .to_rgb8();
    let (w, _) = shown.dimensions();
    let corner = |x: u32, y: u32| shown.get_pixel(x, y).0;
    assert!(
        corner(w - 20, 20)[0] > 200 && corner(w - 20, 20)[1] < 60,
        "{:?}",
        corner(w - 20, 20)
    );
    assert!(
        corner(20, 20)[0] < 200 || corner(20, 20)[1] > 60,
        "{:?}",
        corner(20, 20)
    );
    let graphic = snapshot.photos().iter().find(|p| p.original.alpha).unwrap();
    assert_eq!((graphic.original.width, graphic.original.height), (640, 400));
    assert_eq!(
        graphic.original.image("").widths().collect::<Vec<_>>(),
        [400, 640],
        "never above the original"
    );
}

fn app(store: ContentStore, photos: Photos) -> server::front::Front<axum::Router> {
    common::site_of(store, PageCache::new(8 << 20), Drain::default(), photos)
}

async fn get(site: &server::front::Front<axum::Router>, uri: &str) -> (u16, http::HeaderMap, Vec<u8>) {
    let request = Request::builder().uri(uri).body(Body::empty()).unwrap();
    let response = site.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn pages_link_derivatives_and_the_original_is_never_served() {
    let (content, public, cache) = tree("serve");
    let store = ContentStore::open(&content, &public, Some("https://aipr.example".into())).unwrap();
    let photos = Photos::new(&cache, &public);
    fs::create_dir_all(&cache).unwrap();
    let snapshot = store.snapshot();
    let lead = snapshot
        .photos()
        .iter()
        .find(|p| p.original.path.ends_with("taller-fotos.jpg"))
        .unwrap()
        .clone();
    let key = lead.original.key.clone();
    let site = app(store.clone(), photos.clone());

    // Before the derivatives exist: the page is whole, the derivatives and the original 404.
    let (status, _, page) = get(&site, "/es/historias/taller-fotos").await;
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert_eq!(get(&site, &format!("/img/{key}/800.webp")).await.0, 404);
    assert_eq!(get(&site, "/images/taller-fotos.jpg").await.0, 404);

    let lead_img = format!(
        r#"<source type="image/webp" srcset="/img/{key}/400.webp 400w, /img/{key}/800.webp 800w, /img/{key}/1200.webp 1200w" sizes="{}">"#,
        app::model::LEAD_SIZES
    );
    assert!(page.contains(&lead_img), "{page}");
    assert!(
        page.contains(&format!(r#"<img src="/img/{key}/800.jpg" srcset="/img/{key}/400.jpg 400w, /img/{key}/800.jpg 800w, /img/{key}/1200.jpg 1200w""#)),
        "{page}"
    );
    assert!(
        page.contains(r#"width="1200" height="1600" alt="Participantes del taller sentados en círculo""#),
        "{page}"
    );
    assert!(page.contains(r#"fetchpriority="high""#), "{page}");
    assert!(!page.contains("/images/"), "no page links an original: {page}");
    assert!(
        page.contains(r#"loading="lazy" decoding="async""#),
        "the graphic in the text is lazy"
    );
    assert!(page.contains(r#"width="640" height="400""#), "{page}");
    assert!(
        page.contains(&format!(
            r#"<meta property="og:image" content="https://aipr.example/img/{key}/og.jpg">"#
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            r#""image":["https://aipr.example/img/{key}/og.jpg","https://aipr.example/img/{key}/1200.jpg"]"#
        )),
        "{page}"
    );
    // The home page's card shows it small.
    let (_, _, home) = get(&site, "/es").await;
    let home = String::from_utf8(home).unwrap();
    assert!(home.contains(&format!(r#"srcset="/img/{key}/400.webp 400w"#)), "{home}");
    assert!(home.contains(app::model::CARD_SIZES), "{home}");
    // And the JSON API carries the card's image for the feed's island.
    let (_, _, feed) = get(&site, "/api/v1/stories?locale=es&page=1").await;
    let feed = String::from_utf8(feed).unwrap();
    assert!(feed.contains(&format!(r#""image":{{"alt":"Participantes del taller sentados en círculo","key":"{key}","width":1200,"height":1600,"alpha":false}}"#)), "{feed}");

    photos.make(&lead).unwrap();
    let (status, headers, webp) = get(&site, &format!("/img/{key}/800.webp")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/webp");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        webp == fs::read(cache.join(&key).join("800.webp")).unwrap(),
        "not the derivative"
    );
    for bad in [
        format!("/img/{key}/..%2f..%2fetc%2fpasswd"),
        format!("/img/{key}/800.gif"),
        "/img/nothex/800.jpg".into(),
    ] {
        assert_eq!(get(&site, &bad).await.0, 404, "{bad}");
    }
    // The original's address: the largest stripped derivative, never the original.
    let (status, headers, bytes) = get(&site, "/images/taller-fotos.jpg").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert!(
        bytes == fs::read(cache.join(&key).join("1200.jpg")).unwrap(),
        "not the largest derivative"
    );
    assert!(
        bytes != fs::read(public.join("images/taller-fotos.jpg")).unwrap(),
        "the original's bytes"
    );
    // A photo no story shows yet (just uploaded, in the editor's preview): its derivatives are
    // made first, and its address answers the largest, stripped and turned, once made.
    photos.start(1);
    let uploaded = fixtures::photo_jpeg(640, 480, 90);
    fs::write(public.join("images/nueva.jpg"), &uploaded).unwrap();
    let (status, headers, bytes) = get(&site, "/images/nueva.jpg").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(metadata_blocks(&bytes), Vec::<String>::new());
    let shown = image::load_from_memory(&bytes).unwrap();
    assert_eq!((shown.width(), shown.height()), (480, 640), "turned by its orientation");
    // What the site would refuse as a story's photo, and what is not there, are 404s.
    fs::write(public.join("images/animada.gif"), fixtures::animated_gif()).unwrap();
    fs::write(public.join("images/cortada.jpg"), fixtures::truncated_jpeg()).unwrap();
    for refused in [
        "/images/animada.gif",
        "/images/cortada.jpg",
        "/images/NUEVA.JPG",
        "/images/otra.png",
    ] {
        assert_eq!(get(&site, refused).await.0, 404, "{refused}");
    }
    // One whose header passes but whose pixels cannot be decoded: a 404 once its derivatives
    // fail, not after the whole wait, and not tried again.
    fs::write(public.join("images/danada.png"), fixtures::damaged_png()).unwrap();
    for _ in 0..2 {
        let asked = Instant::now();
        assert_eq!(get(&site, "/images/danada.png").await.0, 404);
        assert!(
            asked.elapsed() < Duration::from_secs(10),
            "waited {:?}",
            asked.elapsed()
        );
    }
}

/// A story in `content` whose lead image is `/images/{name}`, written under `public`.
fn story_naming(content: &Path, public: &Path, id: &str, name: &str, bytes: &[u8]) {
    fs::write(public.join("images").join(name), bytes).unwrap();
    let text = format!(
        "+++\ntitle = \"Con {name}\"\ndate = 2030-01-01\nsummary = \"Resumen.\"\nkind = \"news\"\n\
         [image]\nsrc = \"/images/{name}\"\nalt = \"Una imagen\"\n+++\n\nTexto.\n"
    );
    fs::write(content.join("stories").join(format!("{id}.es.md")), text).unwrap();
}

#[test]
fn bad_images_are_content_errors_with_file_and_line() {
    let (content, public, _) = tree("bad");
    story_naming(&content, &public, "texto", "carta.jpg", &fixtures::not_an_image());
    story_naming(&content, &public, "bomba", "bomba.png", &fixtures::png_bomb());
    story_naming(&content, &public, "dibujo", "dibujo.svg", &fixtures::svg());
    story_naming(&content, &public, "animada", "animada.gif", &fixtures::animated_gif());
    story_naming(&content, &public, "cortada", "cortada.jpg", &fixtures::truncated_jpeg());
    assert!(fixtures::png_bomb().len() < 2_000, "a bomb of a few hundred bytes");
    let errors = load(&content, &public).unwrap_err().0;
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    for (file, what) in [
        ("stories/animada.es.md:7: image `/images/animada.gif`", "is a GIF"),
        (
            "stories/bomba.es.md:7: image `/images/bomba.png`",
            "is larger than the site takes",
        ),
        (
            "stories/dibujo.es.md:7: image `/images/dibujo.svg`",
            "is an SVG drawing",
        ),
        ("stories/texto.es.md:7: image `/images/carta.jpg`", "is not an image"),
        (
            "stories/cortada.es.md:7: image `/images/cortada.jpg`",
            "is a JPEG cut off",
        ),
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(file) && l.contains(what)),
            "{file} {what} in {lines:#?}"
        );
    }
    assert_eq!(errors.len(), 5, "{lines:#?}");
}

#[tokio::test]
async fn a_damaged_photo_is_reported_and_the_site_keeps_serving() {
    let (content, public, cache) = tree("damaged");
    story_naming(&content, &public, "danada", "danada.png", &fixtures::damaged_png());
    // Its header reads: the content loads, and `server check` decodes it whole.
    let errors = server::check::check(&content, &public, false).unwrap_err().0;
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("stories/danada.es.md:7: image `/images/danada.png` cannot be decoded"),
        "{lines:#?}"
    );

    let store = ContentStore::open(&content, &public, None).unwrap();
    let photos = Photos::new(&cache, &public);
    photos.start(1);
    photos.want(store.snapshot().photos());
    let site = app(store.clone(), photos.clone());
    let deadline = Instant::now() + Duration::from_secs(120);
    while photos.errors().is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reported: Vec<String> = photos.errors().iter().map(ToString::to_string).collect();
    assert_eq!(reported.len(), 1, "{reported:#?}");
    assert!(
        reported[0].starts_with("stories/danada.es.md:7: image `/images/danada.png` cannot be decoded"),
        "{reported:#?}"
    );
    assert_eq!(get(&site, "/es/historias/danada").await.0, 200);
    assert_eq!(get(&site, "/es/historias/taller-fotos").await.0, 200);
    let (_, _, json) = get(&site, "/admin/errors.json").await;
    let json = String::from_utf8(json).unwrap();
    assert!(json.contains("danada.es.md:7"), "{json}");
}
