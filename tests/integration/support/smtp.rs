//! A real SMTP server on loopback for mail tests: aiosmtpd (PyPI), driven by
//! `tests/support/smtp_sink.py`, installed on first use into a venv under
//! `target/smtp-venv` ([`super::venv`]), with
//! throwaway certificates made by `openssl` in the test's temp dir.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The venv's python, creating the venv (once) if needed.
pub fn python() -> PathBuf {
    super::venv::python("smtp-venv", "aiosmtpd==1.4.6")
}

/// A free port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A test CA and a server certificate for `localhost` / 127.0.0.1.
pub struct Certs {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Makes a CA and a leaf certificate in `dir` with openssl.
pub fn make_certs(dir: &Path) -> Certs {
    std::fs::create_dir_all(dir).expect("certs dir");
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=papertrend test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .expect("ext.cnf");
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "30",
        "-extfile",
        "ext.cnf",
    ]);
    Certs {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
    }
}

/// How the server is secured.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Security {
    Plain,
    Starttls,
    Smtps,
}

/// What the server should do.
#[derive(Clone, Debug)]
pub struct Options {
    pub security: Security,
    pub user: Option<(String, String)>,
    pub reject_rcpt: Option<String>,
    pub tempfail_rcpt: Option<String>,
    /// Save the message to `Dropped/` and abort the connection instead of
    /// answering DATA.
    pub drop_after_data: bool,
    /// Save the message, then wait this many seconds before the 250.
    pub delay_data: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            security: Security::Starttls,
            user: Some(("alice".into(), "s3cret-pw".into())),
            reject_rcpt: None,
            tempfail_rcpt: None,
            drop_after_data: false,
            delay_data: None,
        }
    }
}

/// A running aiosmtpd; killed on drop.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
    /// Messages received and then dropped (`drop_after_data`).
    pub dropped: PathBuf,
    pub log: PathBuf,
}

impl SmtpServer {
    /// Starts the sink on `port`, saving mail under `dir/Maildir`.
    pub fn start(dir: &Path, port: u16, certs: Option<&Certs>, opts: &Options) -> SmtpServer {
        let maildir = dir.join("Maildir");
        let dropped = dir.join("Dropped");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        std::fs::create_dir_all(dir).expect("smtp dir");
        let log = dir.join(format!("smtp-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("smtp log");
        let mut cmd = Command::new(python());
        cmd.arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--maildir")
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        if opts.security != Security::Plain {
            let c = certs.expect("certs for TLS");
            cmd.arg("--cert").arg(&c.cert).arg("--key").arg(&c.key);
        }
        if opts.security == Security::Smtps {
            cmd.arg("--smtps");
        }
        if let Some((u, p)) = &opts.user {
            cmd.args(["--user", u, "--password", p]);
        }
        if let Some(r) = &opts.reject_rcpt {
            cmd.args(["--reject-rcpt", r]);
        }
        if let Some(r) = &opts.tempfail_rcpt {
            cmd.args(["--tempfail-rcpt", r]);
        }
        if opts.drop_after_data {
            cmd.arg("--drop-after-data")
                .arg("--dropped-maildir")
                .arg(&dropped);
        }
        if let Some(d) = opts.delay_data {
            cmd.args(["--delay-data", &d.to_string()]);
        }
        let child = cmd.spawn().expect("start smtp_sink.py");
        let server = SmtpServer {
            child,
            port,
            maildir,
            dropped,
            log: log.clone(),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "SMTP sink did not listen on {port}:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Every message received so far (raw bytes as saved).
    pub fn messages(&self) -> Vec<Vec<u8>> {
        read_maildir(&self.maildir)
    }

    /// Every message received and then dropped without an answer.
    pub fn dropped_messages(&self) -> Vec<Vec<u8>> {
        read_maildir(&self.dropped)
    }
}

/// The messages in a Maildir's `new/`, in the order they were delivered.
fn read_maildir(maildir: &Path) -> Vec<Vec<u8>> {
    let new = maildir.join("new");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&new)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort_by_key(|p| delivery_order(p));
    paths
        .iter()
        .map(|p| std::fs::read(p).expect("read message"))
        .collect()
}

/// A "server" that accepts TCP connections and never says a word: the
/// connections are held open until it is dropped.
pub struct BlackHole {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<usize>>,
}

impl BlackHole {
    /// Listens on `port` (127.0.0.1).
    pub fn start(port: u16) -> BlackHole {
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind black hole");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            held.len()
        });
        BlackHole {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// Closes the listener and every held connection; returns how many
    /// connections it accepted.
    pub fn stop(mut self) -> usize {
        self.shutdown()
    }

    fn shutdown(&mut self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.thread
            .take()
            .map_or(0, |t| t.join().expect("black hole thread"))
    }
}

impl Drop for BlackHole {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Python's `mailbox.Maildir` names a message `SECS.MUSECPPIDQCOUNT.HOST`,
/// the microseconds not zero-padded: sorting the names as text puts
/// `….M98765…` (earlier) after `….M123456…` of the same second. The numbers, in
/// that order, are the delivery order.
fn delivery_order(path: &Path) -> (Vec<u64>, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let numbers = name
        .split('.')
        .take(2)
        .flat_map(|part| part.split(|c: char| !c.is_ascii_digit()))
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers, name)
}
