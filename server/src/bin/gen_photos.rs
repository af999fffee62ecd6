//! Writes a content tree with photos for the browser tests and the benchmarks, from generated
//! images (see `server::photos::fixtures`), so that no photo is committed:
//!
//! ```sh
//! gen_photos --source app/tests/fixtures/seed --out DIR [--width 4000 --height 3000] [--copies 200]
//! ```
//!
//! `DIR/content` is the source tree with one more story, whose lead image is a photo-like JPEG
//! (`width` × `height` as stored, with EXIF orientation 6, GPS, XMP and a comment) and whose
//! text shows a PNG with transparency; `DIR/public` holds them under `images/`. `--copies N`
//! adds N stories, each with its own copy of the photo (its bytes differ by one), to measure a
//! start with N photos to derive.

use server::photos::fixtures;
use std::{fs, io, path::Path, process::ExitCode};

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), String> {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str, default: u32| -> Result<u32, String> {
        value(name).map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("{name} {v}: expected a number"))
        })
    };
    let source = value("--source").ok_or("--source DIR is required")?;
    let out = value("--out").ok_or("--out DIR is required")?;
    let (width, height, copies) = (
        number("--width", 4000)?,
        number("--height", 3000)?,
        number("--copies", 0)?,
    );
    let out = Path::new(&out);
    let (content, public) = (out.join("content"), out.join("public"));
    let _ = fs::remove_dir_all(out);
    copy_dir(Path::new(&source), &content).map_err(|e| format!("cannot copy {source}: {e}"))?;
    let story = fixtures::write_story(&content, &public, width, height).map_err(|e| e.to_string())?;
    let photo = fs::read(public.join("images/taller-fotos.jpg")).map_err(|e| e.to_string())?;
    for n in 0..copies {
        let mut bytes = photo.clone();
        bytes.extend_from_slice(&n.to_le_bytes());
        let name = format!("copia-{n}");
        fs::write(public.join(format!("images/{name}.jpg")), bytes).map_err(|e| e.to_string())?;
        let text = fs::read_to_string(content.join(story)).map_err(|e| e.to_string())?;
        let text = text
            .replace("/images/taller-fotos.jpg", &format!("/images/{name}.jpg"))
            .replace("Un taller con fotos", &format!("Copia {n} del taller"));
        fs::write(content.join(format!("stories/{name}.es.md")), text).map_err(|e| e.to_string())?;
    }
    println!(
        "{}: a story with photos ({width} × {height}), {copies} copies",
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_photos: {e}");
            ExitCode::FAILURE
        }
    }
}
