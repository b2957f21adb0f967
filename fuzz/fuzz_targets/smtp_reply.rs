//! What an SMTP server sends, on arbitrary bytes: the relay's byte cap
//! (`mail::relay::pump`, the copy loop between lettre and the server), fed
//! in reads of any size, with the real 1 MiB cap (the bytes repeated to
//! just under, at or over it) or a small one; then lettre's reply parser on
//! what passed, line by line as lettre reads it, and the cleaning of a
//! reply's text before papertrend shows it. The cap must hold: the client
//! gets a prefix of what the server sent and never more than the cap, and
//! a server that sends more than the cap always ends capped. Nothing may
//! panic.
#![no_main]

use std::io::{Read, Write};
use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use papertrend::mail::relay::{MAX_SERVER_BYTES, PumpEnd, pump};
use papertrend::sanitize::{is_unsafe_char, sanitize_line};

/// lettre's limits on one reply line and one reply.
const LINE_BYTES: usize = 1000;
const REPLY_BYTES: usize = 100_000;

/// A server that sends `body` `times` times, in reads of the sizes `steps`
/// cycles through, then ends (or fails).
struct Server<'a> {
    body: &'a [u8],
    times: u64,
    sent: u64,
    steps: &'a [u8],
    step: usize,
    fails_at_end: bool,
}

impl Server<'_> {
    fn len(&self) -> u64 {
        self.body.len() as u64 * self.times
    }

    /// Byte `i` of everything the server sends.
    fn byte(&self, i: u64) -> u8 {
        self.body[(i % self.body.len() as u64) as usize]
    }
}

impl Read for Server<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.sent == self.len() {
            return if self.fails_at_end {
                Err(std::io::ErrorKind::ConnectionReset.into())
            } else {
                Ok(0)
            };
        }
        let b = self.steps[self.step % self.steps.len()];
        self.step += 1;
        // 1..=128 bytes, or 128..=16256 in steps of 128.
        let want = if b < 128 {
            usize::from(b) + 1
        } else {
            usize::from(b - 127) * 128
        };
        let left = usize::try_from(self.len() - self.sent).unwrap_or(usize::MAX);
        let n = want.min(buf.len()).min(left);
        for (k, slot) in buf[..n].iter_mut().enumerate() {
            *slot = self.byte(self.sent + k as u64);
        }
        self.sent += n as u64;
        Ok(n)
    }
}

/// lettre's side of the relay: keeps what it gets, and goes away after
/// `room` bytes when set.
struct Client {
    got: Vec<u8>,
    room: Option<usize>,
}

impl Write for Client {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = match self.room {
            Some(0) => return Err(std::io::ErrorKind::BrokenPipe.into()),
            Some(r) => {
                self.room = Some(r - r.min(buf.len()));
                r.min(buf.len())
            }
            None => buf.len(),
        };
        self.got.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads replies out of `bytes` the way lettre does (a line at a time,
/// the reply parsed after each line) and cleans each reply's text as
/// papertrend does before showing it.
fn read_replies(bytes: &[u8]) {
    let mut reply = String::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.len() > LINE_BYTES || reply.len() + line.len() > REPLY_BYTES {
            return;
        }
        let Ok(line) = std::str::from_utf8(line) else {
            return;
        };
        reply.push_str(line);
        if let Ok(r) = lettre::transport::smtp::response::Response::from_str(&reply) {
            let text: Vec<&str> = r.message().collect();
            let shown = sanitize_line(&format!("{} {}", r.code(), text.join(" ")));
            assert!(
                !shown
                    .chars()
                    .any(|c| is_unsafe_char(c) || matches!(c, '\n' | '\r' | '\t')),
                "a reply shown with a control character: {shown:?}"
            );
            reply.clear();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, body) = data.split_at(8);
    if body.is_empty() {
        return;
    }
    let flags = head[0];
    let small = u64::from(u16::from_le_bytes([head[1], head[2]]));
    let len = body.len() as u64;
    // The cap, and how many times the server sends the body.
    let (cap, times) = match flags & 3 {
        0 => (small, 1),
        1 => (len, 1),
        2 => (0, 1),
        _ => {
            // Around the real cap: just under, at or just over it.
            let whole = MAX_SERVER_BYTES / len;
            (
                MAX_SERVER_BYTES,
                (whole + u64::from(head[1] % 3)).saturating_sub(1).max(1),
            )
        }
    };
    let mut server = Server {
        body,
        times,
        sent: 0,
        steps: &head[4..8],
        step: 0,
        fails_at_end: flags & 4 != 0,
    };
    let mut client = Client {
        got: Vec::new(),
        room: (flags & 8 != 0).then(|| usize::from(head[3]) * 37),
    };
    let total = server.len();
    let end = pump(&mut server, &mut client, cap);

    let got = &client.got;
    assert!(
        got.len() as u64 <= cap,
        "{} bytes passed a cap of {cap}",
        got.len()
    );
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, &b)| b == server.byte(i as u64)),
        "the client got bytes the server did not send in that order"
    );
    match end {
        PumpEnd::Capped => assert!(total > cap, "capped at {total} of {cap}"),
        PumpEnd::ServerClosed => {
            assert!(total <= cap, "{total} bytes passed a cap of {cap}");
            assert_eq!(
                got.len() as u64,
                total,
                "the server's bytes were not all passed on"
            );
        }
        PumpEnd::ClientClosed => assert_eq!(client.room, Some(0), "the client was still there"),
    }
    if client.room.is_none() {
        assert_eq!(
            end == PumpEnd::Capped,
            total > cap,
            "{total} bytes, cap {cap}: {end:?}"
        );
    }
    if got.len() <= 64 * 1024 {
        read_replies(got);
    }
});
