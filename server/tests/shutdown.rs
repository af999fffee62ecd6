//! The server binary stops cleanly on SIGTERM: a request in flight is answered, then the
//! process exits 0.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

#[test]
fn sigterm_finishes_requests_and_exits_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&root)
        .env("LEPTOS_OUTPUT_NAME", "aipr")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env("CONTENT_WATCH", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let started = Instant::now();
    while get(port, "/healthz").is_none_or(|a| !a.starts_with("HTTP/1.1 200")) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the server did not answer /healthz"
        );
        thread::sleep(Duration::from_millis(100));
    }
    // A page request in flight while the signal arrives is still answered.
    let in_flight = thread::spawn(move || get(port, "/es/historias"));
    thread::sleep(Duration::from_millis(5));
    // SAFETY: sends SIGTERM to the child this test spawned.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let answer = in_flight.join().expect("the request thread").unwrap_or_default();
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 200"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
}
