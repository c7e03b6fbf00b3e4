//! Real `redis-server`s for the de-duplication tests: the shared one of the test run, and private ones a
//! test may stop, pause and restart.
//!
//! - [`shared_url`]: `$TWILIO_TEST_REDIS_URL`, which `.ci/run` sets after starting `redis-server` on a free
//!   port; when it is unset, a `redis-server` started here (from `$REDIS_SERVER` or `PATH`), so that
//!   `cargo test` works on a machine with Redis installed. With neither, the tests fail, naming the
//!   variable: they never skip.
//! - [`RedisServer::start`]: a private server on a free port (`redis-server` must be installed).
//!
//! Every server started here runs under `sh`, which stops it when this test process exits (its standard
//! input closes), so no `redis-server` outlives the tests.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::server::free_port;

/// The variable that names the test run's Redis, e.g. `redis://127.0.0.1:6390`.
pub const URL_ENV: &str = "TWILIO_TEST_REDIS_URL";
/// The variable that may name the `redis-server` binary (else `redis-server` on `PATH`).
pub const BINARY_ENV: &str = "REDIS_SERVER";

/// The test run's shared Redis (see the module documentation). Each test uses keys of its own.
pub fn shared_url() -> String {
    static SHARED: OnceLock<String> = OnceLock::new();
    SHARED
        .get_or_init(|| match std::env::var(URL_ENV) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => match binary() {
                Some(_) => {
                    let server = RedisServer::start();
                    let url = server.url();
                    // Lives as long as the test process; its `sh` stops it when the process exits.
                    std::mem::forget(server);
                    url
                }
                None => panic!(
                    "the de-duplication tests need a real Redis: set {URL_ENV} to its URL (.ci/run starts one), \
                     or install redis-server (Debian: apt-get install redis-server) so that they start their own"
                ),
            },
        })
        .clone()
}

/// `redis-server`: `$REDIS_SERVER`, or the first on `PATH`.
fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(BINARY_ENV) {
        return Some(PathBuf::from(path));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("redis-server"))
        .find(|p| p.is_file())
}

/// A `redis-server` of this test: on a loopback port, no persistence.
pub struct RedisServer {
    port: u16,
    /// The `sh` that runs it; its standard input, held here, keeps it alive.
    shell: Option<(Child, ChildStdin)>,
    /// The server's own pid (for SIGSTOP/SIGCONT), printed by `sh`.
    pid: u32,
}

impl RedisServer {
    /// Starts a server on a free port and waits until it answers PING. Panics, naming what to install,
    /// when there is no `redis-server`.
    pub fn start() -> RedisServer {
        RedisServer::start_on(free_port())
    }

    fn start_on(port: u16) -> RedisServer {
        let binary = binary().unwrap_or_else(|| {
            panic!(
                "this test starts and stops its own Redis: install redis-server (Debian: apt-get install \
                 redis-server) or set {BINARY_ENV} to its path"
            )
        });
        // `sh` starts the server, prints its pid, and stops it when its standard input closes: when the
        // test drops this value or the test process exits, however it exits.
        let script = r#""$0" --port "$1" --bind 127.0.0.1 --save "" --appendonly no --logfile "" --loglevel warning >/dev/null 2>&1 &
pid=$!
echo "$pid"
cat >/dev/null
kill -CONT "$pid" 2>/dev/null
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null"#;
        let mut child = Command::new("sh")
            .args(["-c", script])
            .arg(&binary)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run sh to start redis-server");
        let stdin = child.stdin.take().expect("piped stdin");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read the pid");
        let pid = line.trim().parse().expect("sh prints redis-server's pid");
        let server = RedisServer { port, shell: Some((child, stdin)), pid };
        server.wait_until_up();
        server
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn wait_until_up(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.ping() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server on port {} did not answer PING within 20 s", self.port);
    }

    /// Whether the server answers PING now.
    pub fn ping(&self) -> bool {
        let Ok(client) = redis::Client::open(self.url()) else { return false };
        let Ok(mut connection) = client.get_connection_with_timeout(Duration::from_millis(500)) else {
            return false;
        };
        redis::cmd("PING").query::<String>(&mut connection).is_ok_and(|pong| pong == "PONG")
    }

    /// Stops the server (SIGTERM) and waits until it is gone.
    pub fn stop(&mut self) {
        if let Some((mut child, stdin)) = self.shell.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }

    /// Starts the server again, on the same port.
    pub fn restart(&mut self) {
        self.stop();
        *self = RedisServer::start_on(self.port);
    }

    /// Freezes the server (SIGSTOP): connections stay open, nothing answers. [`resume`](Self::resume)
    /// undoes it.
    pub fn pause(&self) {
        signal("-STOP", self.pid);
    }

    /// Unfreezes a paused server (SIGCONT).
    pub fn resume(&self) {
        signal("-CONT", self.pid);
    }
}

fn signal(signal: &str, pid: u32) {
    let status = Command::new("kill").arg(signal).arg(pid.to_string()).status().expect("run kill");
    assert!(status.success(), "kill {signal} {pid}");
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A synchronous connection to `url`, for tests that look into Redis.
pub fn connect(url: &str) -> redis::Connection {
    redis::Client::open(url)
        .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(5)))
        .unwrap_or_else(|e| panic!("connect to the test Redis: {e}"))
}
