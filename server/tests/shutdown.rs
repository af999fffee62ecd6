//! The server binary stops cleanly on SIGTERM: a request in flight when the signal arrives gets
//! its whole answer, then the process exits 0.

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

fn start(root: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(root)
        .env("LEPTOS_OUTPUT_NAME", "aipr")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_ENV", "PROD")
        .env("CONTENT_DIR", root.join("app/tests/fixtures/seed"))
        .env("CONTENT_WATCH", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_zero() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let port = free_port();
    let mut child = start(&root, port);
    let started = Instant::now();
    let mut stream = loop {
        if let Some(stream) = connect(port) {
            break stream;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not listen");
        thread::sleep(Duration::from_millis(100));
    };
    // A first answer on the connection proves the server has accepted it.
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert!(read_answer(&mut stream).starts_with("HTTP/1.1 200"));

    // A server function call whose body is still on its way: the request is in flight.
    let body = "locale=es&query[q]=&query[shelf]=&query[language]=&query[year]=&query[program]=&query[page]=";
    write!(
        stream,
        "POST /_fn/library HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..4]
    )
    .unwrap();
    thread::sleep(Duration::from_millis(300));
    // SAFETY: sends SIGTERM to the child this test spawned.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the server exited with a request in flight"
    );
    stream.write_all(&body.as_bytes()[4..]).unwrap();
    let answer = read_answer(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with('}') && answer.contains("\"shelves\""), "{answer}");

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
