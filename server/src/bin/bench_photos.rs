//! The photo budgets, on a photo written by `gen_photos`: the time and peak memory of making
//! one photo's derivatives (one thread), and the bytes of the derivative a 412 px wide phone at
//! device pixel ratio 2.6 loads for a story's lead image.
//!
//! ```sh
//! bench_photos CONTENT_DIR PUBLIC_DIR     # exits 1 when a budget is missed
//! ```

use app::{
    content::load,
    model::{Image, LEAD_SIZES},
};
use server::photos::Photos;
use std::{fs, path::Path, process::ExitCode, time::Instant};

/// Budgets: seconds for one photo on one core, peak resident megabytes, lead image bytes.
const SECONDS: f64 = 3.0;
const PEAK_MB: u64 = 300;
const LEAD_BYTES: u64 = 150_000;

/// The phone: its viewport width in CSS pixels and its device pixel ratio.
const PHONE: (f64, f64) = (412.0, 2.6);

/// `VmHWM` (peak resident memory) of this process, in kB.
fn peak_kb() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The width a browser picks from `image`'s srcset for the lead slot on the phone: the slot is
/// `calc(100vw - 2rem)` there (see `LEAD_SIZES`), and the browser takes the smallest candidate
/// whose density reaches the device's.
fn phone_pick(image: &Image) -> u32 {
    debug_assert!(LEAD_SIZES.ends_with("calc(100vw - 2rem)"));
    let slot = PHONE.0 - 32.0;
    let needed = slot * PHONE.1;
    image
        .widths()
        .find(|w| f64::from(*w) >= needed)
        .unwrap_or_else(|| image.widths().last().unwrap_or(image.width))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(content), Some(public)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_photos CONTENT_DIR PUBLIC_DIR");
        return ExitCode::FAILURE;
    };
    let snapshot = match load(Path::new(content), Path::new(public)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(photo) = snapshot
        .photos()
        .iter()
        .max_by_key(|p| p.original.width * p.original.height)
    else {
        eprintln!("no photo in {content}");
        return ExitCode::FAILURE;
    };
    let cache = std::env::temp_dir().join(format!("aipr-bench-photos-{}", std::process::id()));
    let _ = fs::remove_dir_all(&cache);
    let photos = Photos::new(&cache, public);
    let _ = fs::create_dir_all(&cache);
    let before = peak_kb();
    let start = Instant::now();
    let made = photos.make(photo);
    let seconds = start.elapsed().as_secs_f64();
    let peak_mb = peak_kb() / 1024;
    let mut missed = false;
    match made {
        Ok(Some(made)) => {
            let o = &photo.original;
            println!(
                "derivatives of one {}×{} photo ({:.1} MP): {seconds:.2} s, {} files, {} KB (budget {SECONDS} s)",
                o.width,
                o.height,
                f64::from(o.width) * f64::from(o.height) / 1e6,
                made.files,
                made.bytes / 1024
            );
            missed |= seconds > SECONDS;
        }
        other => {
            eprintln!("no derivatives made: {other:?}");
            return ExitCode::FAILURE;
        }
    }
    println!(
        "peak resident memory: {peak_mb} MB (before: {} MB; budget {PEAK_MB} MB)",
        before / 1024
    );
    missed |= peak_mb > PEAK_MB;
    let image = photo.original.image("");
    let width = phone_pick(&image);
    for extension in ["webp", image.fallback().0] {
        let file = cache.join(&image.key).join(format!("{width}.{extension}"));
        let bytes = fs::metadata(&file).map(|m| m.len()).unwrap_or(u64::MAX);
        println!(
            "lead image for a {} px phone at DPR {}: {width}w {extension}, {bytes} bytes (budget {LEAD_BYTES} for WebP)",
            PHONE.0, PHONE.1
        );
        if extension == "webp" {
            missed |= bytes > LEAD_BYTES;
        }
    }
    let _ = fs::remove_dir_all(&cache);
    if missed {
        eprintln!("a photo budget is missed");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
