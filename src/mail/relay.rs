//! A byte cap on what an SMTP server can make papertrend hold.
//!
//! lettre reads each reply line into a buffer that grows until the line
//! ends, and it cannot be handed a stream of ours: a server (or anyone on
//! the path before STARTTLS) sending a line without end made papertrend
//! buffer gigabytes until `[mail] timeout`. So lettre talks to a relay on
//! loopback instead, which has already connected to the server and copies
//! bytes both ways, counting what the server sends: past
//! [`MAX_SERVER_BYTES`] over the whole conversation (real replies are a
//! few KiB) it closes both sides. The count is of bytes on the wire, so it
//! holds after STARTTLS and for implicit TLS too; TLS itself is still
//! between lettre and the server (the relay sees only ciphertext there).

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The most a server may send in one conversation.
pub(super) const MAX_SERVER_BYTES: u64 = 1024 * 1024;

/// A running relay for one connection.
pub(super) struct Relay {
    /// Where lettre connects.
    pub(super) addr: SocketAddr,
    capped: Arc<AtomicBool>,
}

impl Relay {
    /// Whether the server sent more than [`MAX_SERVER_BYTES`] (and the
    /// relay closed the connection).
    pub(super) fn capped(&self) -> bool {
        self.capped.load(Ordering::SeqCst)
    }
}

/// Connects to the first of `addrs` that answers within `timeout` each,
/// then relays the one connection made to the returned address.
///
/// # Errors
/// The last connect error (refused, timed out, …), or a loopback socket
/// that cannot be opened.
pub(super) fn start(addrs: &[SocketAddr], timeout: Duration) -> std::io::Result<Relay> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address to connect to");
    let mut upstream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(s) => {
                upstream = Some(s);
                break;
            }
            Err(e) => last = e,
        }
    }
    let upstream = upstream.ok_or(last)?;
    let listener = TcpListener::bind(("127.0.0.1", 0))?;
    let addr = listener.local_addr()?;
    let capped = Arc::new(AtomicBool::new(false));
    let flag = capped.clone();
    std::thread::Builder::new()
        .name("smtp-relay".into())
        .spawn(move || {
            let Ok((client, _)) = listener.accept() else {
                return;
            };
            let _ = client.set_nodelay(true);
            let _ = upstream.set_nodelay(true);
            let (Ok(mut to_server), Ok(mut from_client)) =
                (upstream.try_clone(), client.try_clone())
            else {
                return;
            };
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from_client, &mut to_server);
                let _ = to_server.shutdown(Shutdown::Write);
            });
            pump_capped(upstream, client, &flag);
        })?;
    Ok(Relay { addr, capped })
}

/// Copies the server's bytes to the client until either side closes or
/// [`MAX_SERVER_BYTES`] is passed; then closes both.
fn pump_capped(mut server: TcpStream, mut client: TcpStream, capped: &AtomicBool) {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0u64;
    loop {
        let n = match server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        total += n as u64;
        if total > MAX_SERVER_BYTES {
            capped.store(true, Ordering::SeqCst);
            break;
        }
        if client.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = server.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
}
