//! The server binary stops cleanly on SIGTERM: it drains for `DRAIN_SECONDS` (still answering,
//! `/healthz` at 503, `Connection: close`), a request in flight gets its whole answer, then the
//! process exits 0.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn connect(port: u16) -> Option<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    Some(stream)
}

/// Reads one HTTP/1.1 answer with a `Content-Length` off a kept-alive connection.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut byte = [0; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).expect("the answer's head"),
            1,
            "connection closed"
        );
        answer.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a content-length");
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("the whole body");
    answer.extend(body);
    String::from_utf8_lossy(&answer).into_owned()
}

fn start(root: &Path, port: u16, drain_seconds: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(root)
        .env("LEPTOS_OUTPUT_NAME", "aipr")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "DEV")
        .env("DRAIN_SECONDS", drain_seconds.to_string())
        .env("CONTENT_DIR", root.join("app/tests/fixtures/seed"))
        .env("CONTENT_WATCH", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

/// A connection to the server once it listens.
fn connect_when_up(port: u16) -> TcpStream {
    let started = Instant::now();
    loop {
        if let Some(stream) = connect(port) {
            return stream;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not listen");
        thread::sleep(Duration::from_millis(100));
    }
}

/// One request on a new connection, and its answer.
fn ask(port: u16, path: &str) -> String {
    let mut stream = connect(port).expect("a connection while draining");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    read_answer(&mut stream)
}

fn sigterm(child: &Child) {
    // SAFETY: sends SIGTERM to the child this test spawned.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
}

/// Waits for the server to exit, at most `within`; its exit status.
fn exit_status(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_drains_answering_every_request_then_exits_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let port = free_port();
    let mut child = start(&root, port, 2);
    let mut kept_alive = connect_when_up(port);
    // A first answer on the connection proves the server has accepted it.
    write!(kept_alive, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert!(read_answer(&mut kept_alive).starts_with("HTTP/1.1 200"));
    // A request whose head is still on its way when the signal comes.
    write!(kept_alive, "GET /es/ HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    thread::sleep(Duration::from_millis(200));
    let signalled = Instant::now();
    sigterm(&child);
    thread::sleep(Duration::from_millis(300));

    let health = ask(port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 503"), "{health}");
    let page = ask(port, "/es/historias");
    assert!(page.starts_with("HTTP/1.1 200"), "a new request is answered: {page}");
    assert!(
        page.to_ascii_lowercase().contains("\r\nconnection: close\r\n"),
        "{page}"
    );
    kept_alive.write_all(b"\r\n").unwrap();
    let answer = read_answer(&mut kept_alive);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("</html>"), "the whole page");
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the server stopped before its drain period"
    );

    let status = exit_status(&mut child, Duration::from_secs(10));
    assert!(status.success(), "exit status {status}");
    assert!(
        signalled.elapsed() >= Duration::from_secs(2),
        "the server drained for DRAIN_SECONDS"
    );
}
