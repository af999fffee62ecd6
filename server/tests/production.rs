//! A production server (`LEPTOS_ENV=PROD`) refuses to start while a donation template still
//! holds a placeholder account, naming the file and the key; a development server starts with
//! it and warns; a production server with a real account starts.

mod common;

use std::{
    fs,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    thread,
    time::{Duration, Instant},
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A scratch folder for one test: a copy of the seed fixture whose donation account is
/// `account`, and a site directory holding the one asset a production server looks for.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str, account: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("aipr-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        common::copy_dir(&root().join("app/tests/fixtures/seed"), &dir.join("content"));
        let site = dir.join("content/site.toml");
        let text = fs::read_to_string(&site).unwrap();
        assert!(text.contains("business=donations%40aipr.example"), "the seed's account");
        fs::write(&site, text.replace("donations%40aipr.example", account)).unwrap();
        fs::create_dir_all(dir.join("site/pkg")).unwrap();
        fs::write(dir.join("site/pkg/aipr.js"), "").unwrap();
        Scratch { dir }
    }

    fn content(&self) -> PathBuf {
        self.dir.join("content")
    }

    /// Starts the server binary on this content in `env` (`PROD` or `DEV`).
    fn start(&self, env: &str, port: u16) -> Child {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(root())
            .env_remove("LEPTOS_HASH_FILES")
            .env("LEPTOS_OUTPUT_NAME", "aipr")
            .env("LEPTOS_ENV", env)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", self.dir.join("site"))
            // No hash file: the site directory's plain `aipr.js` is the asset.
            .env("LEPTOS_HASH_FILE_NAME", self.dir.join("no-hash-file.txt"))
            .env("CONTENT_DIR", self.content())
            .env("PUBLIC_DIR", root().join("public"))
            .env("CONTENT_WATCH", "false")
            .env("DRAIN_SECONDS", "0")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary runs")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Waits for the process to exit, at most `within`; `None` if it is still running.
fn exited_within(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        thread::sleep(Duration::from_millis(50));
    }
    None
}

/// Everything the process wrote on a stream, once it has exited.
fn drained(stream: Option<impl Read>) -> String {
    let mut text = String::new();
    if let Some(mut stream) = stream {
        let _ = stream.read_to_string(&mut text);
    }
    text
}

/// Whether the server answers `/healthz` with 200 within 20 seconds (`false` once it exits).
fn serves(child: &mut Child, port: u16) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = write!(
                stream,
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            return answer.starts_with("HTTP/1.1 200");
        }
        thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Stops a server this test started and returns what it wrote on stdout and stderr.
fn stop(mut child: Child) -> (ExitStatus, String, String) {
    // SAFETY: sends SIGTERM to the child this test spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = exited_within(&mut child, Duration::from_secs(10)).unwrap_or_else(|| {
        let _ = child.kill();
        panic!("the server did not stop after SIGTERM")
    });
    (status, drained(child.stdout.take()), drained(child.stderr.take()))
}

#[test]
fn a_placeholder_account_stops_a_production_server_naming_the_file_and_the_key() {
    let scratch = Scratch::new("prod-placeholder", "REPLACE-WITH-AIPR-PAYPAL-ACCOUNT");
    let mut child = scratch.start("PROD", free_port());
    let Some(status) = exited_within(&mut child, Duration::from_secs(20)) else {
        let _ = child.kill();
        panic!("a production server started with a placeholder account");
    };
    let stderr = drained(child.stderr.take());
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&scratch.content().display().to_string()),
        "the content folder is named: {stderr}"
    );
    for key in ["once_url", "monthly_url"] {
        assert!(
            stderr.lines().any(|line| line.contains("site.toml:")
                && line.contains(&format!(
                    "`{key}` still holds the placeholder account `REPLACE-WITH-AIPR-PAYPAL-ACCOUNT`"
                ))),
            "site.toml and `{key}` are named: {stderr}"
        );
    }
}

#[test]
fn a_development_server_starts_with_a_placeholder_account_and_warns() {
    let scratch = Scratch::new("dev-placeholder", "REPLACE-WITH-AIPR-PAYPAL-ACCOUNT");
    let port = free_port();
    let mut child = scratch.start("DEV", port);
    assert!(serves(&mut child, port), "a development server serves");
    let (status, stdout, stderr) = stop(child);
    assert!(status.success(), "{stderr}");
    let log = format!("{stdout}{stderr}");
    assert!(
        log.contains("WARN")
            && log.contains("site.toml:")
            && log.contains("`once_url` still holds the placeholder account"),
        "{log}"
    );
}

#[test]
fn a_production_server_with_a_real_account_starts() {
    let scratch = Scratch::new("prod-account", "Q8XJ4S2LFTAYE");
    let port = free_port();
    let mut child = scratch.start("PROD", port);
    let serving = serves(&mut child, port);
    let (status, _, stderr) = stop(child);
    assert!(serving, "a production server with a real account serves: {stderr}");
    assert!(status.success(), "{stderr}");
}
