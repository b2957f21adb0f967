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
pub const MAX_SERVER_BYTES: u64 = 1024 * 1024;

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
    if pump(&mut server, &mut client, MAX_SERVER_BYTES) == PumpEnd::Capped {
        capped.store(true, Ordering::SeqCst);
    }
    let _ = server.shutdown(Shutdown::Both);
    let _ = client.shutdown(Shutdown::Both);
}

/// How [`pump`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PumpEnd {
    /// The server closed, or reading from it failed.
    ServerClosed,
    /// Writing to the client failed.
    ClientClosed,
    /// The server sent more than the cap; the read that passed it was not
    /// forwarded.
    Capped,
}

/// The relay's copy loop without its sockets: forwards what `server` sends
/// to `client`, read by read, until `server` ends or fails, `client` fails,
/// or the bytes read pass `cap`. The client never gets more than `cap`
/// bytes, always a prefix of what the server sent, and the relay holds
/// one 16 KiB buffer whatever the server sends.
pub fn pump(server: &mut impl Read, client: &mut impl Write, cap: u64) -> PumpEnd {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0u64;
    loop {
        let n = match server.read(&mut buf) {
            Ok(0) | Err(_) => return PumpEnd::ServerClosed,
            Ok(n) => n,
        };
        total += n as u64;
        if total > cap {
            return PumpEnd::Capped;
        }
        if client.write_all(&buf[..n]).is_err() {
            return PumpEnd::ClientClosed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes `step` at a time.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_pump_forwards_up_to_the_cap_and_drops_the_read_that_passes_it() {
        let reply = b"220 mail.example ESMTP\r\n250-PIPELINING\r\n250 OK\r\n";
        let mut out = Vec::new();
        let end = pump(
            &mut Trickle {
                bytes: reply,
                step: 7,
            },
            &mut out,
            1024,
        );
        assert_eq!(end, PumpEnd::ServerClosed);
        assert_eq!(out, reply);

        // Exactly the cap passes; one byte more is capped, and the read
        // that passed it (the last 6 bytes) is not forwarded.
        let mut out = Vec::new();
        let cap = reply.len() as u64;
        assert_eq!(pump(&mut &reply[..], &mut out, cap), PumpEnd::ServerClosed);
        let mut out = Vec::new();
        let end = pump(
            &mut Trickle {
                bytes: reply,
                step: 7,
            },
            &mut out,
            cap - 1,
        );
        assert_eq!(end, PumpEnd::Capped);
        assert_eq!(out, &reply[..42]);

        // A line without end stops at the real cap, never buffered whole.
        let mut endless = std::io::repeat(b'x');
        let mut out = Vec::new();
        assert_eq!(
            pump(&mut endless, &mut out, MAX_SERVER_BYTES),
            PumpEnd::Capped
        );
        assert!(out.len() as u64 <= MAX_SERVER_BYTES);
        assert!(out.len() as u64 > MAX_SERVER_BYTES - 16 * 1024);

        // A client that goes away ends it.
        let mut full = [0u8; 10];
        let end = pump(
            &mut Trickle {
                bytes: reply,
                step: 7,
            },
            &mut &mut full[..],
            1024,
        );
        assert_eq!(end, PumpEnd::ClientClosed);
        assert_eq!(&full, &reply[..10]);
    }
}
