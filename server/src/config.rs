//! The server's settings, read once from the environment at start.

use leptos::config::Env;
use std::{env, path::PathBuf};

/// `LEPTOS_ENV` as Leptos reads it (`DEV` when unset), for `server check`, which reads no other
/// Leptos setting: in `PROD` a warning of the content is an error.
pub fn leptos_env() -> Result<Env, String> {
    match env::var("LEPTOS_ENV") {
        Ok(value) if !value.trim().is_empty() => Env::try_from(value.trim().to_owned()).map_err(|e| e.to_string()),
        _ => Ok(Env::DEV),
    }
}

/// Everything the server can be told by its environment (besides Leptos's own `LEPTOS_*`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// `CONTENT_DIR`: the content tree to serve (default `content`).
    pub content_dir: PathBuf,
    /// `PUBLIC_DIR`: where documents' files live, for checking them (default `public`).
    pub public_dir: PathBuf,
    /// `SITE_BASE_URL`: the public base URL, overriding `site.toml`'s.
    pub base_url: Option<String>,
    /// `CONTENT_WATCH`: reload the content when a file changes (default: on in development).
    pub watch_content: bool,
    /// `HSTS_MAX_AGE`: seconds of `Strict-Transport-Security`; unset means no header.
    pub hsts_max_age: Option<u64>,
    /// `PAGE_CACHE_MB`: megabytes of rendered pages kept for the current content (default 32;
    /// 0 renders every request).
    pub page_cache_bytes: usize,
    /// `DRAIN_SECONDS`: after SIGTERM, how long the server keeps answering (with `/healthz` at
    /// 503 and `Connection: close`) before it stops accepting connections (default 5 in
    /// production, 0 in development).
    pub drain_seconds: u64,
    /// `PHOTO_CACHE_DIR`: where the photos' derivatives are kept (default `target/photos`).
    pub photo_cache_dir: PathBuf,
    /// `PHOTO_WORKERS`: threads making derivatives in the background (default 1, at most 4).
    pub photo_workers: usize,
}

impl Settings {
    /// Reads the settings; `development` is Leptos's `DEV` environment.
    pub fn from_env(development: bool) -> Result<Self, String> {
        let var = |name: &str| env::var(name).ok().filter(|v| !v.trim().is_empty());
        let flag = |name: &str, default: bool| match var(name).as_deref() {
            None => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(format!("{name}={other}: expected true or false")),
        };
        let hsts_max_age = match var("HSTS_MAX_AGE") {
            None => None,
            Some(v) => Some(
                v.parse()
                    .map_err(|_| format!("HSTS_MAX_AGE={v}: expected a number of seconds"))?,
            ),
        };
        let page_cache_bytes = match var("PAGE_CACHE_MB") {
            None => 32 << 20,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .and_then(|mb| mb.checked_mul(1 << 20))
                .ok_or_else(|| format!("PAGE_CACHE_MB={v}: expected a number of megabytes"))?,
        };
        let drain_seconds = match var("DRAIN_SECONDS") {
            None if development => 0,
            None => 5,
            Some(v) => v
                .parse()
                .map_err(|_| format!("DRAIN_SECONDS={v}: expected a number of seconds"))?,
        };
        let photo_workers = match var("PHOTO_WORKERS") {
            None => 1,
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= 4)
                .ok_or_else(|| format!("PHOTO_WORKERS={v}: expected a number from 0 to 4"))?,
        };
        Ok(Settings {
            content_dir: var("CONTENT_DIR").unwrap_or_else(|| "content".into()).into(),
            public_dir: var("PUBLIC_DIR").unwrap_or_else(|| "public".into()).into(),
            base_url: var("SITE_BASE_URL"),
            watch_content: flag("CONTENT_WATCH", development)?,
            hsts_max_age,
            page_cache_bytes,
            drain_seconds,
            photo_cache_dir: var("PHOTO_CACHE_DIR").unwrap_or_else(|| "target/photos".into()).into(),
            photo_workers,
        })
    }
}
