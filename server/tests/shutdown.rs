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
    try_answer(stream).expect("a whole answer")
}

/// Reads one answer, or the error that ended the connection before it was whole.
fn try_answer(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut answer = Vec::new();
    let mut byte = [0; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        answer.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    answer.extend(body);
    Ok(String::from_utf8_lossy(&answer).into_owned())
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

/// Starts the server on `socket`, passed to it as systemd's socket activation does: as file
/// descriptor 3, with `LISTEN_FDS=1`. Its own address is another port, which nothing asks.
fn start_on(root: &Path, socket: &TcpListener) -> Child {
    use std::os::unix::{io::AsRawFd, process::CommandExt};
    let fd = socket.as_raw_fd();
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(root)
        .env("LEPTOS_OUTPUT_NAME", "aipr")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
        .env("LEPTOS_ENV", "DEV")
        .env("DRAIN_SECONDS", "1")
        .env("LISTEN_FDS", "1")
        .env("CONTENT_DIR", root.join("app/tests/fixtures/seed"))
        .env("CONTENT_WATCH", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: between fork and exec, only dup2 and fcntl (async-signal-safe) on descriptors
    // this process owns.
    unsafe {
        command.pre_exec(move || {
            let done = if fd == 3 {
                libc::fcntl(3, libc::F_SETFD, 0)
            } else {
                libc::dup2(fd, 3)
            };
            if done < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn().expect("the server starts")
}

#[test]
fn a_restart_behind_a_socket_held_by_its_supervisor_loses_no_request() {
    use std::sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // The supervisor (systemd, with deploy/systemd/aipr@.socket) holds the socket.
    let socket = TcpListener::bind("127.0.0.1:0").expect("a socket");
    let port = socket.local_addr().unwrap().port();
    let mut first = start_on(&root, &socket);
    drop(connect_when_up(port));
    let answer = ask(port, "/healthz");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let stop = Arc::new(AtomicBool::new(false));
    let restarted = Arc::new(AtomicBool::new(false));
    let (answered, after_restart) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    // 50 connections of load, each asking again as soon as it has its answer, on the same
    // connection until an answer says `Connection: close`.
    let load: Vec<_> = (0..50)
        .map(|i| {
            let (stop, restarted) = (stop.clone(), restarted.clone());
            let (answered, after_restart, failures) = (answered.clone(), after_restart.clone(), failures.clone());
            thread::spawn(move || {
                let path = ["/es/", "/es/historias", "/en/resources", "/healthz"][i % 4];
                while !stop.load(Ordering::Relaxed) {
                    let mut stream = match connect(port) {
                        Some(stream) => stream,
                        None => {
                            failures.lock().unwrap().push("connect failed".into());
                            continue;
                        }
                    };
                    while !stop.load(Ordering::Relaxed) {
                        let sent = write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                        let head = sent
                            .and_then(|_| try_answer(&mut stream))
                            .map(|answer| answer.split("\r\n\r\n").next().unwrap_or("").to_ascii_lowercase());
                        match head {
                            Ok(head) if head.starts_with("http/1.1 200") || head.starts_with("http/1.1 503") => {
                                answered.fetch_add(1, Ordering::Relaxed);
                                if restarted.load(Ordering::Relaxed) {
                                    after_restart.fetch_add(1, Ordering::Relaxed);
                                }
                                if head.contains("\r\nconnection: close\r\n") {
                                    break;
                                }
                            }
                            Ok(head) => {
                                failures
                                    .lock()
                                    .unwrap()
                                    .push(head.lines().next().unwrap_or("").to_owned());
                                break;
                            }
                            Err(error) => {
                                failures.lock().unwrap().push(format!("{path}: {error}"));
                                break;
                            }
                        }
                    }
                }
            })
        })
        .collect();

    thread::sleep(Duration::from_secs(1));
    // systemctl restart: SIGTERM, wait for the exit, start the new process on the same socket.
    sigterm(&first);
    let status = exit_status(&mut first, Duration::from_secs(15));
    assert!(status.success(), "exit status {status}");
    let before = answered.load(Ordering::Relaxed);
    restarted.store(true, Ordering::Relaxed);
    let mut second = start_on(&root, &socket);
    thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    for thread in load {
        thread.join().expect("a load thread");
    }
    sigterm(&second);
    assert!(exit_status(&mut second, Duration::from_secs(15)).success());

    let failures = failures.lock().unwrap();
    let after = after_restart.load(Ordering::Relaxed);
    println!(
        "restart under load: {} answered ({before} before the restart, {after} after), {} failed",
        answered.load(Ordering::Relaxed),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} requests failed, first: {:?}",
        failures.len(),
        answered.load(Ordering::Relaxed) + failures.len() as u64,
        &failures[..failures.len().min(5)]
    );
    assert!(before > 100, "the first process answered {before}");
    assert!(
        after > 100,
        "the second process answered {after} on the socket it was passed"
    );
}
