//! Starts the AIPR website: reads the settings, loads and checks the content (refusing to start
//! on any error), serves until SIGTERM or Ctrl-C, letting requests in flight finish.
//!
//! `server fmt [--check] [DIR]` rewrites (or, with `--check`, names) the files the browser
//! editor writes that are not in its form.
//! `server check [DIR]` only checks a content tree (default `CONTENT_DIR`, else `content`): it
//! prints every error with its file and line and exits 1, or says the content is valid, after
//! its warnings (errors with `LEPTOS_ENV=PROD`).
//!
//! In production (`LEPTOS_ENV=PROD`) a warning of the content is an error: the server does not
//! start while a donation template holds a placeholder account.

use app::{content::ContentStore, i18n::Locale};
use axum::http::HeaderValue;
use leptos::config::{get_configuration, Env, LeptosOptions};
use server::{
    config::Settings,
    front::Drain,
    listen::{self, Origin},
    page_cache::PageCache,
    photos::Photos,
    site, AppState,
};
use std::{process::ExitCode, time::Duration};
use tracing_subscriber::EnvFilter;

/// Rendering a page allocates many small strings from many threads at once; mimalloc serves
/// that with far less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("check") {
        return check(args.get(1).map(String::as_str));
    }
    if args.first().map(String::as_str) == Some("fmt") {
        let only_check = args.get(1).map(String::as_str) == Some("--check");
        return fmt(args.get(usize::from(only_check) + 1).map(String::as_str), only_check);
    }
    server::tune_allocator();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            tracing::error!("cannot read the Leptos configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = match with_hashed_assets(options) {
        Ok(options) => options,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let settings = match Settings::from_env(options.env == Env::DEV) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("bad setting: {e}");
            return ExitCode::FAILURE;
        }
    };
    let production = options.env == Env::PROD;
    let opened = ContentStore::open(&settings.content_dir, &settings.public_dir, settings.base_url.clone())
        .and_then(|store| if production { store.for_production() } else { Ok(store) });
    let store = match opened {
        Ok(store) => store,
        Err(errors) => {
            eprintln!(
                "The content in {} has errors; the site does not start.\n{errors}",
                settings.content_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    server::release_freed_memory();
    let snapshot = store.snapshot();
    for warning in &snapshot.site.warnings {
        tracing::warn!("{}: {warning}", settings.content_dir.display());
    }
    tracing::info!(stories = snapshot.stories().len(), documents = snapshot.document_count(), dir = %settings.content_dir.display(), "content loaded");
    let photos = Photos::new(&settings.photo_cache_dir, &settings.public_dir);
    photos.start(settings.photo_workers);
    photos.want(snapshot.photos());
    drop(snapshot);
    if settings.watch_content {
        tokio::spawn(watch_content(store.clone(), photos.clone()));
    }
    let hsts = settings
        .hsts_max_age
        .and_then(|s| HeaderValue::from_str(&format!("max-age={s}; includeSubDomains")).ok());
    let addr = options.site_addr;
    let pages = PageCache::new(settings.page_cache_bytes);
    let drain = Drain::default();
    let app = site(
        AppState {
            options: options.into(),
            store,
            pages,
            drain: drain.clone(),
            photos,
        },
        hsts,
    );
    let accepting = listen::open(addr)
        .await
        .and_then(|(socket, origin)| Ok((listen::accepting(socket)?, origin)));
    let ((accepting, stopping), origin) = match accepting {
        Ok(accepting) => accepting,
        Err(e) => {
            tracing::error!("cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match origin {
        Origin::Passed => tracing::info!("serving on the socket passed in (LISTEN_FDS)"),
        Origin::Bound => tracing::info!("serving on http://{addr}"),
    }
    let drain_for = Duration::from_secs(settings.drain_seconds);
    if let Err(e) = axum::serve(accepting, tower::make::Shared::new(app))
        .with_graceful_shutdown(shutdown_signal(drain, drain_for, stopping))
        .await
    {
        tracing::error!("server error: {e}");
        return ExitCode::FAILURE;
    }
    tracing::info!("stopped");
    ExitCode::SUCCESS
}

/// `server check [DIR]`. A warning (a placeholder donation account) is printed and passes in
/// development; with `LEPTOS_ENV=PROD` it fails, as the production server would. Errors an
/// editor makes are written in the editor's words, in Spanish when `LANG` is Spanish.
fn check(dir: Option<&str>) -> ExitCode {
    let (settings, env) = match Settings::from_env(false).and_then(|s| Ok((s, server::config::leptos_env()?))) {
        Ok(read) => read,
        Err(e) => {
            eprintln!("bad setting: {e}");
            return ExitCode::FAILURE;
        }
    };
    let content = dir.map_or(settings.content_dir, Into::into);
    match server::check::check(&content, &settings.public_dir, env == Env::PROD) {
        Ok(checked) => {
            for warning in checked.warnings.iter().chain(&checked.not_in_form) {
                println!("{}: warning: {warning}", content.display());
            }
            println!("{}", checked.summary);
            ExitCode::SUCCESS
        }
        Err(errors) => {
            // In the editor's words where there are such words, in the language of `LANG`.
            let locale = match std::env::var("LANG") {
                Ok(lang) if lang.starts_with("es") => Locale::Es,
                _ => Locale::En,
            };
            println!("{}: {} error(s) in the content:", content.display(), errors.0.len());
            for error in &errors.0 {
                println!("  {}", error.text(locale));
            }
            ExitCode::FAILURE
        }
    }
}

/// `server fmt [--check] [DIR]`: rewrites the files the browser editor writes into its form
/// (`server::canonical`), so that a save from the editor changes only the fields it changed;
/// with `--check`, only names them and exits 1 if there is any (what CI runs on the repository).
fn fmt(dir: Option<&str>, only_check: bool) -> ExitCode {
    let content = match Settings::from_env(false) {
        Ok(settings) => dir.map_or(settings.content_dir, Into::into),
        Err(e) => {
            eprintln!("bad setting: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut status = ExitCode::SUCCESS;
    for (file, text) in server::canonical::not_canonical(&content) {
        if only_check {
            println!(
                "{}: not in the form the browser editor writes",
                content.join(&file).display()
            );
            status = ExitCode::FAILURE;
            continue;
        }
        match std::fs::write(content.join(&file), text) {
            Ok(()) => println!("{file}: rewritten in the editor's form"),
            Err(e) => {
                eprintln!("{file}: cannot write it: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}

/// Reloads the content when a file under it changes; a broken edit keeps the last good content.
async fn watch_content(store: ContentStore, photos: Photos) {
    tracing::info!(dir = %store.content_dir().display(), "watching the content for changes");
    let mut last = store.fingerprint();
    loop {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let watched = store.clone();
        let Ok(now) = tokio::task::spawn_blocking(move || watched.fingerprint()).await else {
            continue;
        };
        if now == last {
            continue;
        }
        last = now;
        let reloading = store.clone();
        match tokio::task::spawn_blocking(move || reloading.reload()).await {
            Ok(Ok(())) => {
                server::release_freed_memory();
                tracing::info!("content reloaded");
                photos.want(store.snapshot().photos());
            }
            Ok(Err(errors)) => tracing::error!("content not reloaded; the last good content stays.\n{errors}"),
            Err(e) => tracing::error!("content reload failed: {e}"),
        }
    }
}

/// Waits for SIGTERM or Ctrl-C, then drains for `drain_for`: the server still answers, with
/// `/healthz` at 503 (a proxy stops sending it requests) and `Connection: close` on every
/// answer. Then it stops accepting connections and waits, at most `drain_for` again, for those
/// it has to close after their next answer (see `listen`); then it closes the idle ones and
/// finishes those in flight.
async fn shutdown_signal(drain: Drain, drain_for: Duration, stopping: listen::Stopping) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    drain.start();
    if !drain_for.is_zero() {
        tracing::info!(
            seconds = drain_for.as_secs(),
            "stopping: draining (healthz answers 503)"
        );
        tokio::time::sleep(drain_for).await;
    }
    stopping.stop_accepting().await;
    if !stopping.connections_closed(drain_for).await {
        tracing::info!(open = stopping.open(), "stopping: closing the connections still open");
    }
    tracing::info!("stopping: finishing requests in flight");
}

/// In production, the asset names cargo-leptos hashed: read from the hash file it writes next
/// to the binary (`hash.txt`, or `LEPTOS_HASH_FILE_NAME`), with no setting needed. A production
/// server that would link assets it cannot serve refuses to start, saying why.
fn with_hashed_assets(mut options: LeptosOptions) -> Result<LeptosOptions, String> {
    let hash_file = app::hash_file(&options);
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let hashes = std::fs::read_to_string(&hash_file).ok();
    if options.env == Env::PROD && hashes.is_some() {
        options.hash_files = true;
    }
    if options.env == Env::DEV && !options.hash_files {
        return Ok(options);
    }
    let js = match (&hashes, options.hash_files) {
        (Some(hashes), true) => app::asset_hash(hashes, "js")
            .map(|hash| format!("{}.{hash}.js", options.output_name))
            .ok_or_else(|| {
                format!(
                    "{} names no js file: rebuild with cargo leptos build --release",
                    hash_file.display()
                )
            })?,
        (None, true) => {
            return Err(format!(
                "LEPTOS_HASH_FILES is set but there is no hash file at {}: it is written next to the \
                 binary by cargo leptos build --release (or set LEPTOS_HASH_FILE_NAME to its path)",
                hash_file.display()
            ))
        }
        (_, false) => format!("{}.js", options.output_name),
    };
    if !pkg.join(&js).is_file() {
        return Err(format!(
            "the site directory does not hold {}: set LEPTOS_SITE_ROOT to the site directory built \
             with this binary (by cargo leptos build --release, with its hash file {})",
            pkg.join(&js).display(),
            hash_file.display()
        ));
    }
    Ok(options)
}
