//! Measures the content engine on a content tree (use the generator's): load and index time,
//! a filtered documents query, a feed page, a story page, and resident memory. Prints one line
//! per figure with its budget, and exits non-zero when a budget is missed.
//!
//! `cargo run --release -p server --bin bench_content -- synthetic`

use app::{content::ContentStore, i18n::Locale, model::ResourceQuery};
use std::{
    hint::black_box,
    process::ExitCode,
    time::{Duration, Instant},
};

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn measure(runs: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        f(i);
        samples.push(start.elapsed());
    }
    (percentile(&mut samples, 0.5), percentile(&mut samples, 0.99))
}

fn resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() -> ExitCode {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "synthetic".into());
    let start = Instant::now();
    let store = match ContentStore::open(&dir, "public", None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    server::release_freed_memory();
    let load = start.elapsed();
    let snapshot = store.snapshot();
    let stories = snapshot.stories().len();
    let documents = snapshot.document_count();
    let queries: Vec<ResourceQuery> = [
        "q=prevencion",
        "q=GENOCIDIO&language=es",
        "q=memoria+cooperacion&year=2015",
        "program=africa&year=2020",
        "q=training",
    ]
    .iter()
    .map(|q| ResourceQuery::from_query_string(q))
    .collect();
    let (query_p50, query_p99) = measure(2000, |i| {
        black_box(snapshot.library(Locale::Es, &queries[i % queries.len()], None));
    });
    let pages = snapshot.feed(Locale::Es, 1).map_or(1, |f| f.total_pages.max(1));
    let (feed_p50, feed_p99) = measure(5000, |i| {
        black_box(snapshot.feed(Locale::Es, 1 + (i as u32 % pages)));
    });
    let ids: Vec<String> = snapshot.stories().iter().step_by(97).map(|s| s.id.clone()).collect();
    let (story_p50, story_p99) = measure(2000, |i| {
        black_box(snapshot.story(Locale::En, &ids[i % ids.len().max(1)]));
    });
    let rss = resident_mb().unwrap_or(f64::NAN);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("content: {stories} stories, {documents} documents from {dir}");
    let checks = [
        ("load and index", ms(load), None, 1000.0),
        ("filtered documents query", ms(query_p99), Some(ms(query_p50)), 1.0),
        ("feed page", ms(feed_p99), Some(ms(feed_p50)), 0.2),
        (
            "story page with related",
            ms(story_p99),
            Some(ms(story_p50)),
            f64::INFINITY,
        ),
    ];
    let mut ok = true;
    for (name, value, p50, budget) in checks {
        let within = value < budget;
        ok &= within;
        let p50 = p50.map(|p| format!("p50 {p:.3} ms, p99 ")).unwrap_or_default();
        let budget = if budget.is_finite() {
            format!("budget {budget} ms")
        } else {
            "no budget".into()
        };
        println!(
            "{name}: {p50}{value:.3} ms ({budget}) {}",
            if within { "ok" } else { "OVER BUDGET" }
        );
    }
    println!("resident memory after load: {rss:.1} MB");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
