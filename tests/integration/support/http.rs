//! A loopback HTTP/1.1 server for fetch tests.
//!
//! Binds `127.0.0.1:0` on a std thread (one more thread per connection, so a
//! slow body never blocks other sources). Routes map an exact request target
//! (`/api/daily_papers?date=2026-11-27`) to a scripted sequence of replies;
//! the last reply repeats. A handler ([`Server::handler`]) answers targets
//! no route matches, for replies that change with the test's own state (a
//! replayed day's clock). Other targets get a 404 and are recorded. Every
//! request is recorded with its headers and arrival time. On drop it asserts
//! that every route was hit and no connection handler panicked.

#![allow(dead_code, unreachable_pub)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sent after the headers and the first bytes of the body, before the rest.
    pub stall: Option<Duration>,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            stall: None,
        }
    }

    /// 200 with a fixture file's bytes, verbatim.
    pub fn fixture(rel: &str) -> Self {
        let bytes = std::fs::read(super::fixture(rel)).expect("read fixture");
        Reply::new(200, bytes)
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    /// Stalls `d` in the middle of the body.
    pub fn stall(mut self, d: Duration) -> Self {
        self.stall = Some(d);
        self
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Request {
    /// A header value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers a target that no route matches.
pub type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

#[derive(Default)]
struct Shared {
    routes: HashMap<String, VecDeque<Reply>>,
    handler: Option<Handler>,
    hits: HashMap<String, usize>,
    requests: Vec<Request>,
}

/// The running server; stops accepting when dropped.
pub struct Server {
    port: u16,
    shared: Arc<Mutex<Shared>>,
    panicked: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
}

impl Server {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let panicked = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, p, st) = (shared.clone(), panicked.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (s, p) = (s.clone(), p.clone());
                std::thread::spawn(move || {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        serve(conn, &s);
                    }));
                    if result.is_err() {
                        p.store(true, Ordering::SeqCst);
                    }
                });
            }
        });
        Server {
            port,
            shared,
            panicked,
            stop,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Scripts `target` (path + query) with replies served in order; the
    /// last one repeats.
    pub fn route(&self, target: &str, replies: impl IntoIterator<Item = Reply>) -> &Self {
        let mut sh = self.shared.lock().unwrap();
        sh.routes
            .insert(target.to_string(), replies.into_iter().collect());
        sh.hits.insert(target.to_string(), 0);
        self
    }

    /// Answers every target no route matches with `f` (called under the
    /// server's lock, so one request at a time).
    pub fn handler(&self, f: impl Fn(&str) -> Reply + Send + Sync + 'static) -> &Self {
        self.shared.lock().unwrap().handler = Some(Arc::new(f));
        self
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().unwrap().requests.clone()
    }

    /// The targets requested so far, in order.
    pub fn targets(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.target).collect()
    }

    /// Requests for one target.
    pub fn requests_to(&self, target: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.target == target)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if std::thread::panicking() {
            return;
        }
        assert!(
            !self.panicked.load(Ordering::SeqCst),
            "a connection handler panicked"
        );
        let sh = self.shared.lock().unwrap();
        let mut missed: Vec<&String> = sh
            .hits
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(t, _)| t)
            .collect();
        missed.sort();
        assert!(missed.is_empty(), "routes never requested: {missed:?}");
    }
}

fn serve(conn: TcpStream, shared: &Mutex<Shared>) {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(conn.try_clone().expect("clone stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return; // the wake-up connection, or a client that gave up
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let reply = {
        let mut sh = shared.lock().unwrap();
        sh.requests.push(Request {
            method,
            target: target.clone(),
            headers,
            at: Instant::now(),
        });
        match sh.routes.get_mut(&target) {
            Some(q) => {
                let r = if q.len() > 1 {
                    q.pop_front().unwrap()
                } else {
                    q.front().cloned().unwrap()
                };
                *sh.hits.entry(target).or_default() += 1;
                r
            }
            None => match &sh.handler {
                Some(f) => f(&target),
                None => Reply::new(404, format!("no route for {target}\n")),
            },
        }
    };
    write_reply(conn, &reply);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn write_reply(mut conn: TcpStream, r: &Reply) {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if r.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    // The client may hang up early (timeouts): write errors are expected.
    if conn.write_all(head.as_bytes()).is_err() || r.status == 304 {
        return;
    }
    match r.stall {
        Some(d) => {
            let half = r.body.len() / 2;
            let _ = conn.write_all(&r.body[..half]);
            let _ = conn.flush();
            std::thread::sleep(d);
            let _ = conn.write_all(&r.body[half..]);
        }
        None => {
            let _ = conn.write_all(&r.body);
        }
    }
    let _ = conn.flush();
}

/// A port on 127.0.0.1 with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// gzip-compresses `bytes` (for `Content-Encoding: gzip` replies).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}
