//! The listening socket, and how the server lets go of it when it stops.
//!
//! Under systemd's socket activation (`deploy/systemd/aipr@.socket`), or any supervisor that
//! speaks its protocol (`LISTEN_FDS`), the socket is passed in and outlives the process: while
//! one process stops and the next starts, new connections wait in the kernel's queue, and no
//! request is refused. Otherwise the server binds its address itself.
//!
//! Stopping, after the drain (see `main.rs`): the server stops accepting and closes its copy of
//! the socket (a passed-in socket stays open in its supervisor, with the connections that keep
//! arriving queued for the next process), then waits, for a bounded time, for the connections
//! it has to close: every answer during the drain says `Connection: close`, so each ends after
//! its next answer. Only then does the graceful shutdown close what is left (connections idle
//! through the whole drain) and finish the requests in flight. A connection accepted just before
//! the socket was let go so still gets its answer.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// Where the listening socket came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Passed in by systemd or a supervisor (`LISTEN_FDS`).
    Passed,
    /// Bound by the server to its address.
    Bound,
}

/// The socket passed in (`LISTEN_FDS`), if there is one, else `addr` bound.
pub async fn open(addr: SocketAddr) -> io::Result<(TcpListener, Origin)> {
    if let Some(socket) = listenfd::ListenFd::from_env().take_tcp_listener(0)? {
        socket.set_nonblocking(true)?;
        return Ok((TcpListener::from_std(socket)?, Origin::Passed));
    }
    Ok((TcpListener::bind(addr).await?, Origin::Bound))
}

/// The server's side of the socket: accepts connections until told to stop, and counts the
/// connections still open.
#[derive(Debug)]
pub struct Accepting {
    socket: Option<TcpListener>,
    addr: SocketAddr,
    stop: watch::Receiver<bool>,
    stopped: watch::Sender<bool>,
    open: watch::Sender<usize>,
}

/// Tells [`Accepting`] to stop, and waits for its connections to close.
#[derive(Clone, Debug)]
pub struct Stopping {
    stop: watch::Sender<bool>,
    stopped: watch::Receiver<bool>,
    open: watch::Receiver<usize>,
}

/// Accepting on `socket`, and the handle that stops it.
pub fn accepting(socket: TcpListener) -> io::Result<(Accepting, Stopping)> {
    let addr = socket.local_addr()?;
    let (stop_sender, stop) = watch::channel(false);
    let (stopped, stopped_receiver) = watch::channel(false);
    let (open, open_receiver) = watch::channel(0);
    Ok((
        Accepting {
            socket: Some(socket),
            addr,
            stop,
            stopped,
            open,
        },
        Stopping {
            stop: stop_sender,
            stopped: stopped_receiver,
            open: open_receiver,
        },
    ))
}

impl Stopping {
    /// Stops accepting, and returns once the server's copy of the socket is closed: every
    /// connection accepted until then is counted in [`Stopping::open`], and none is accepted
    /// after. (Returning at once was not enough: a connection that arrived with the order to
    /// stop could still be accepted after the count had been read as 0, and the graceful
    /// shutdown then closed it before reading its request, which reached its client as a reset.)
    pub async fn stop_accepting(&self) {
        let _ = self.stop.send(true);
        let mut stopped = self.stopped.clone();
        // An error means the accepting side is gone, and its socket with it.
        let _ = stopped.wait_for(|stopped| *stopped).await;
    }

    /// Waits until every accepted connection has closed, or `at_most`; whether they all did.
    pub async fn connections_closed(&self, at_most: Duration) -> bool {
        let mut open = self.open.clone();
        tokio::time::timeout(at_most, open.wait_for(|n| *n == 0))
            .await
            .is_ok_and(|done| done.is_ok())
    }

    /// How many accepted connections are open.
    pub fn open(&self) -> usize {
        *self.open.borrow()
    }
}

impl axum::serve::Listener for Accepting {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            if *self.stop.borrow() && self.socket.take().is_some() {
                self.stopped.send_replace(true);
            }
            let Some(socket) = self.socket.as_ref() else {
                // Stopped: no more connections; the graceful shutdown ends the serving loop.
                return std::future::pending().await;
            };
            tokio::select! {
                // The order to stop first: a connection waiting with it stays in the queue.
                biased;
                // Told to stop (the loop's top lets the socket go), or the handle is gone.
                changed = self.stop.changed() => if changed.is_err() {
                    self.socket = None;
                    self.stopped.send_replace(true);
                },
                accepted = socket.accept() => match accepted {
                    Ok((stream, addr)) => {
                        self.open.send_modify(|n| *n += 1);
                        let connection = Connection { stream, open: self.open.clone() };
                        return (connection, addr);
                    }
                    // As axum's own listener does: a connection that failed before it was
                    // accepted is the client's; running out of descriptors passes.
                    Err(error) if is_connection_error(&error) => {}
                    Err(error) => {
                        tracing::warn!(%error, "accepting a connection failed; trying again in 1 s");
                        let _ = tokio::time::timeout(Duration::from_secs(1), self.stop.changed()).await;
                    }
                },
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.addr)
    }
}

fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// An accepted connection, counted while it is open.
#[derive(Debug)]
pub struct Connection {
    stream: TcpStream,
    open: watch::Sender<usize>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.open.send_modify(|n| *n = n.saturating_sub(1));
    }
}

impl AsyncRead for Connection {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{future::Future, pin::pin};

    /// The supervisor's copy of the socket keeps it open, so connections keep arriving after the
    /// server let go of its own: once the order to stop is given, none is accepted, and
    /// `stop_accepting` returns only when the socket is let go.
    #[tokio::test(flavor = "current_thread")]
    async fn no_connection_is_accepted_once_the_order_to_stop_is_given() {
        for _ in 0..100 {
            let supervisor = std::net::TcpListener::bind("127.0.0.1:0").expect("a socket");
            let port = supervisor.local_addr().expect("its address").port();
            let ours = supervisor.try_clone().expect("a copy of the socket");
            ours.set_nonblocking(true).expect("non-blocking");
            let (mut accepting, stopping) =
                accepting(TcpListener::from_std(ours).expect("a tokio socket")).expect("accepting");
            let mut accept = pin!(axum::serve::Listener::accept(&mut accepting));
            assert!(!ready(accept.as_mut()).await, "nothing to accept yet");
            // A connection arrives, and the server's wait for it is over as the order comes.
            let _client = std::net::TcpStream::connect(("127.0.0.1", port)).expect("a connection");
            tokio::time::sleep(Duration::from_millis(5)).await;
            let mut stop = pin!(stopping.stop_accepting());
            assert!(
                !ready(stop.as_mut()).await,
                "stop_accepting returned before the socket was let go"
            );
            assert!(
                !ready(accept.as_mut()).await,
                "a connection was accepted after the order to stop"
            );
            assert!(
                ready(stop.as_mut()).await,
                "stop_accepting returns once the socket is let go"
            );
            assert_eq!(stopping.open(), 0);
        }
    }

    /// Polls `future` once: whether it was ready.
    async fn ready<F: Future>(mut future: Pin<&mut F>) -> bool {
        std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx).is_ready())).await
    }
}
