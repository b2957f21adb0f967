//! A scripted SMTP server on loopback (plain text, no TLS) for faults the
//! real test server cannot play: replies that trickle in forever, a 250
//! held until the test releases it, STARTTLS refused with 454, and a look
//! at the ledger at the moment the client says QUIT.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
pub struct Script {
    /// Send `220-` lines every 300 ms, never the final line.
    pub trickle_greeting: bool,
    /// Answer EHLO with `250-ext` lines every 300 ms, never the last.
    pub trickle_ehlo: bool,
    /// Offer STARTTLS and refuse it with 454.
    pub refuse_starttls: bool,
    /// Hold the 250 after the message until [`Sink::release`].
    pub hold_250: bool,
    /// Read this file when QUIT arrives (see [`Sink::at_quit`]).
    pub snapshot_at_quit: Option<std::path::PathBuf>,
}

#[derive(Default)]
struct Shared {
    messages: Vec<String>,
    released: bool,
    at_quit: Vec<String>,
}

pub struct Sink {
    pub port: u16,
    shared: Arc<(Mutex<Shared>, Condvar)>,
}

impl Sink {
    pub fn start(script: Script) -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new((Mutex::new(Shared::default()), Condvar::new()));
        let sh = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (sh, script) = (sh.clone(), script.clone());
                std::thread::spawn(move || {
                    let _ = serve(conn, &script, &sh);
                });
            }
        });
        Sink { port, shared }
    }

    /// Messages whose final dot arrived (whatever the reply).
    pub fn messages(&self) -> Vec<String> {
        self.shared.0.lock().unwrap().messages.clone()
    }

    /// What the snapshot file held when each QUIT arrived.
    pub fn at_quit(&self) -> Vec<String> {
        self.shared.0.lock().unwrap().at_quit.clone()
    }

    pub fn release(&self) {
        self.shared.0.lock().unwrap().released = true;
        self.shared.1.notify_all();
    }

    /// Waits until a message arrived (up to 60 s).
    pub fn wait_for_message(&self) {
        let start = std::time::Instant::now();
        while self.messages().is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no message arrived"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn serve(
    conn: TcpStream,
    script: &Script,
    sh: &Arc<(Mutex<Shared>, Condvar)>,
) -> std::io::Result<()> {
    let mut out = conn.try_clone()?;
    let mut input = BufReader::new(conn);
    if script.trickle_greeting {
        loop {
            out.write_all(b"220-still greeting\r\n")?;
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    out.write_all(b"220 scripted ESMTP\r\n")?;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
            if script.trickle_ehlo {
                loop {
                    out.write_all(b"250-ext\r\n")?;
                    std::thread::sleep(Duration::from_millis(300));
                }
            }
            if script.refuse_starttls {
                out.write_all(b"250-scripted\r\n250-STARTTLS\r\n250 8BITMIME\r\n")?;
            } else {
                out.write_all(b"250-scripted\r\n250 8BITMIME\r\n")?;
            }
        } else if cmd.starts_with("STARTTLS") {
            out.write_all(b"454 4.7.0 TLS not available due to temporary reason\r\n")?;
        } else if cmd.starts_with("DATA") {
            out.write_all(b"354 go ahead\r\n")?;
            let mut body = String::new();
            loop {
                line.clear();
                if input.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                body.push_str(&line);
            }
            let (lock, cv) = &**sh;
            let mut g = lock.lock().unwrap();
            g.messages.push(body);
            while script.hold_250 && !g.released {
                g = cv.wait(g).unwrap();
            }
            drop(g);
            out.write_all(b"250 2.0.0 queued\r\n")?;
        } else if cmd.starts_with("QUIT") {
            if let Some(p) = &script.snapshot_at_quit {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                sh.0.lock().unwrap().at_quit.push(text);
            }
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            out.write_all(b"250 ok\r\n")?;
        }
    }
}

/// A config that mails to a scripted server on `port` (plain text, 1 s
/// timeout), with `extra` TOML appended.
pub fn config(env: &super::TestEnv, port: u16, extra: &str) -> std::path::PathBuf {
    env.write(
        "mail.toml",
        format!(
            "[digest]\nlimit = 500\n\n[mail]\nenabled = true\nhost = \"127.0.0.1\"\nport = {port}\n\
             security = \"none\"\nfrom = \"Bot <bot@example.org>\"\nto = [\"me@example.org\"]\n\
             timeout = \"1s\"\n{extra}"
        ),
    )
}
