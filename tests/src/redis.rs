//! Real `redis-server`s for the de-duplication tests: the shared one of the test run, and private ones a
//! test may stop, pause and restart.
//!
//! - [`shared_url`]: `$TWILIO_TEST_REDIS_URL`, which `.ci/run` sets after starting `redis-server` on a free
//!   port; when it is unset, a `redis-server` started here (from `$REDIS_SERVER` or `PATH`), so that
//!   `cargo test` works on a machine with Redis installed. With neither, the tests fail, naming the
//!   variable: they never skip.
//! - [`RedisServer::start`]: a private server on a free port (`redis-server` must be installed).
//! - [`RedisServer::start_tls`]: the same serving TLS only (`rediss://`), with a certificate for
//!   `localhost` issued by a CA made for it ([`TlsFiles`]);
//!   [`RedisServer::start_tls_authenticating_clients`] also asks for a client certificate from that CA.
//! - [`RedisCluster::start`]: a Redis Cluster of masters on free ports, its slots assigned here.
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
    /// Its certificates when it serves TLS only.
    tls: Option<TlsFiles>,
    /// The `sh` that runs it; its standard input, held here, keeps it alive.
    shell: Option<(Child, ChildStdin)>,
    /// The server's own pid (for SIGSTOP/SIGCONT), printed by `sh`.
    pid: u32,
}

impl RedisServer {
    /// Starts a server on a free port and waits until it answers PING. Panics, naming what to install,
    /// when there is no `redis-server`.
    pub fn start() -> RedisServer {
        RedisServer::start_on(free_port(), None)
    }

    /// Starts a server that serves TLS only, with a certificate for `localhost` (not `127.0.0.1`) issued
    /// by a CA of its own, whose PEM is at [`TlsFiles::ca`].
    pub fn start_tls() -> RedisServer {
        let port = free_port();
        RedisServer::start_on(port, Some(TlsFiles::create(port, false)))
    }

    /// [`start_tls`](Self::start_tls), refusing clients without a certificate the CA issued
    /// (`tls-auth-clients yes`, Redis's default): [`TlsFiles::client_certificate`] is one.
    pub fn start_tls_authenticating_clients() -> RedisServer {
        let port = free_port();
        RedisServer::start_on(port, Some(TlsFiles::create(port, true)))
    }

    fn start_on(port: u16, tls: Option<TlsFiles>) -> RedisServer {
        let args = match &tls {
            None => vec!["--port".into(), port.to_string()],
            Some(files) => files.server_args(port),
        };
        RedisServer::start_with(port, tls, args)
    }

    /// Starts `redis-server` with `args` (which include its port).
    fn start_with(port: u16, tls: Option<TlsFiles>, args: Vec<String>) -> RedisServer {
        let binary = binary().unwrap_or_else(|| {
            panic!(
                "this test starts and stops its own Redis: install redis-server (Debian: apt-get install \
                 redis-server) or set {BINARY_ENV} to its path"
            )
        });
        // `sh` starts the server, prints its pid, and stops it when its standard input closes: when the
        // test drops this value or the test process exits, however it exits.
        let script = r#""$0" "$@" --bind 127.0.0.1 --save "" --appendonly no --logfile "" --loglevel warning >/dev/null 2>&1 &
pid=$!
echo "$pid"
cat >/dev/null
kill -CONT "$pid" 2>/dev/null
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null"#;
        let mut child = Command::new("sh")
            .args(["-c", script])
            .arg(&binary)
            .args(args)
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
        let server = RedisServer { port, tls, shell: Some((child, stdin)), pid };
        server.wait_until_up();
        server
    }

    /// `redis://127.0.0.1:<port>`, or for a TLS server `rediss://` and the first name its certificate
    /// gives (`localhost`, or `127.0.0.1` for a cluster's nodes).
    pub fn url(&self) -> String {
        match &self.tls {
            None => format!("redis://127.0.0.1:{}", self.port),
            Some(files) => format!("rediss://{}:{}", files.names[0], self.port),
        }
    }

    /// A synchronous connection, over TLS (trusting the test's CA) for a TLS server.
    pub fn connect(&self) -> redis::Connection {
        let client = match &self.tls {
            None => redis::Client::open(self.url()),
            Some(files) => {
                let root_cert = Some(std::fs::read(files.ca()).expect("read the CA"));
                let client_tls = files.authenticate_clients.then(|| redis::ClientTlsConfig {
                    client_cert: std::fs::read(files.client_certificate())
                        .expect("read the client certificate"),
                    client_key: std::fs::read(files.client_key()).expect("read the client key"),
                });
                redis::Client::build_with_tls(self.url(), redis::TlsCertificates { client_tls, root_cert })
            }
        };
        connection(client)
    }

    /// The certificates of a server started by [`start_tls`](Self::start_tls).
    pub fn tls(&self) -> &TlsFiles {
        self.tls.as_ref().expect("a server started with start_tls")
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

    /// Whether the server answers PING now (a TLS server: whether it accepts connections).
    pub fn ping(&self) -> bool {
        if self.tls.is_some() {
            let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
            return std::net::TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok();
        }
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
        *self = RedisServer::start_on(self.port, self.tls.take());
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

/// A Redis Cluster of this test: `shards` masters on loopback ports, no replicas, the 16 384 slots split
/// evenly between them, and `cluster-require-full-coverage no` (a shard down leaves the others serving).
pub struct RedisCluster {
    nodes: Vec<RedisServer>,
    dir: PathBuf,
    /// Its certificates when its nodes serve TLS only (one CA, one certificate for `127.0.0.1`).
    tls: Option<TlsFiles>,
}

impl RedisCluster {
    /// Starts the nodes, assigns the slots, introduces the nodes to each other (`CLUSTER MEET`), and waits
    /// until every node reports `cluster_state:ok`.
    pub fn start(shards: u16) -> RedisCluster {
        RedisCluster::start_with(shards, None)
    }

    /// [`start`](Self::start) with nodes that serve TLS only, the cluster bus included (`tls-cluster
    /// yes`), with one certificate for `127.0.0.1` (the address the nodes announce) issued by a CA of
    /// their own, at [`tls`](Self::tls).
    pub fn start_tls(shards: u16) -> RedisCluster {
        RedisCluster::start_with(shards, Some(TlsFiles::create_for(free_port(), false, &["127.0.0.1"])))
    }

    fn start_with(shards: u16, tls: Option<TlsFiles>) -> RedisCluster {
        let dir = std::env::temp_dir().join(format!(
            "rocket_twilio_redis_cluster_{}_{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).expect("create the cluster's directory");
        let nodes: Vec<RedisServer> = (0..shards)
            .map(|_| {
                let port = cluster_node_port();
                let config = dir.join(format!("nodes-{port}.conf")).display().to_string();
                // Without full coverage, the shards left serve their slots when one is down, however long.
                let mut args = match &tls {
                    None => vec!["--port".to_owned(), port.to_string()],
                    Some(files) => {
                        let mut args = files.server_args(port);
                        args.extend(["--tls-cluster", "yes"].map(str::to_owned));
                        args
                    }
                };
                args.extend(
                    [
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        &config,
                        "--cluster-require-full-coverage",
                        "no",
                    ]
                    .map(str::to_owned),
                );
                RedisServer::start_with(port, tls.as_ref().map(TlsFiles::share), args)
            })
            .collect();
        let slots = 16_384 / u32::from(shards);
        for (i, node) in nodes.iter().enumerate() {
            let first = slots * i as u32;
            let last = if i + 1 == nodes.len() { 16_383 } else { first + slots - 1 };
            let mut connection = node.connect();
            redis::cmd("CLUSTER")
                .arg("ADDSLOTSRANGE")
                .arg(first)
                .arg(last)
                .query::<()>(&mut connection)
                .expect("CLUSTER ADDSLOTSRANGE");
        }
        let mut first = nodes[0].connect();
        for node in &nodes[1..] {
            redis::cmd("CLUSTER")
                .arg("MEET")
                .arg("127.0.0.1")
                .arg(node.port)
                .query::<()>(&mut first)
                .expect("CLUSTER MEET");
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        for node in &nodes {
            let mut connection = node.connect();
            loop {
                let info: String =
                    redis::cmd("CLUSTER").arg("INFO").query(&mut connection).expect("CLUSTER INFO");
                if info.contains("cluster_state:ok")
                    && info.contains(&format!("cluster_known_nodes:{shards}"))
                {
                    break;
                }
                assert!(Instant::now() < deadline, "the cluster did not form within 30 s:\n{info}");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        RedisCluster { nodes, dir, tls }
    }

    /// The URL of each node (`redis://127.0.0.1:<port>`): seeds for a cluster client.
    pub fn urls(&self) -> Vec<String> {
        self.nodes.iter().map(RedisServer::url).collect()
    }

    /// The certificates of a cluster started by [`start_tls`](Self::start_tls).
    pub fn tls(&self) -> &TlsFiles {
        self.tls.as_ref().expect("a cluster started with start_tls")
    }

    /// Stops node `i` (SIGTERM): its shard's slots have no server until the test ends.
    pub fn stop_node(&mut self, i: usize) {
        self.nodes[i].stop();
    }

    /// How many keys starting with `prefix` each node holds.
    pub fn keys_per_node(&self, prefix: &str) -> Vec<usize> {
        self.nodes
            .iter()
            .map(|node| {
                let keys: Vec<String> =
                    redis::cmd("KEYS").arg(format!("{prefix}*")).query(&mut node.connect()).expect("KEYS");
                keys.len()
            })
            .collect()
    }
}

/// A free port for a cluster node: at most 55 535, with its cluster bus port (the port + 10 000) free too.
/// Redis refuses to start a cluster node on a higher port. (Linux hands out the lower half of its
/// ephemeral range to a listener that sets `SO_REUSEADDR`, as Rust's does, so the first port is almost
/// always one; the check keeps it so on any system.)
fn cluster_node_port() -> u16 {
    for _ in 0..100 {
        let port = free_port();
        let bus_free = port
            .checked_add(10_000)
            .is_some_and(|bus| std::net::TcpListener::bind(("127.0.0.1", bus)).is_ok());
        if port <= 55_535 && bus_free {
            return port;
        }
    }
    panic!("no free port of at most 55535 with its cluster bus port (+10000) free, in 100 tries");
}

impl Drop for RedisCluster {
    fn drop(&mut self) {
        self.nodes.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The PEM files of a TLS `redis-server`: a CA made for it, and a certificate for `localhost` that the CA
/// issued, in a directory of their own under the system's temporary directory.
pub struct TlsFiles {
    dir: PathBuf,
    authenticate_clients: bool,
    /// The names the server's certificate gives.
    names: Vec<String>,
    /// Whether this value removes the directory when dropped (the cluster's nodes share one).
    owner: bool,
}

impl TlsFiles {
    fn create(port: u16, authenticate_clients: bool) -> TlsFiles {
        TlsFiles::create_for(port, authenticate_clients, &["localhost"])
    }

    /// The files, the server's certificate naming `names` (host names, or IP addresses).
    fn create_for(port: u16, authenticate_clients: bool, names: &[&str]) -> TlsFiles {
        use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
        let dir = std::env::temp_dir().join(format!("rocket_twilio_redis_tls_{}_{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the certificates' directory");
        let ca_key = KeyPair::generate().expect("a CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name.push(DnType::CommonName, "rocket_twilio test CA");
        let ca = ca.self_signed(&ca_key).expect("the CA certificate");
        let key = KeyPair::generate().expect("a server key");
        let names_given: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        let server = CertificateParams::new(names_given.clone()).expect("server parameters");
        let server = server.signed_by(&key, &ca, &ca_key).expect("the server certificate");
        let client_key = KeyPair::generate().expect("a client key");
        let mut client = CertificateParams::new(Vec::<String>::new()).expect("client parameters");
        client.distinguished_name.push(DnType::CommonName, "rocket_twilio test client");
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client = client.signed_by(&client_key, &ca, &ca_key).expect("the client certificate");
        for (name, pem) in [
            ("ca.pem", ca.pem()),
            ("server.pem", server.pem()),
            ("server.key", key.serialize_pem()),
            ("client.pem", client.pem()),
            ("client.key", client_key.serialize_pem()),
        ] {
            std::fs::write(dir.join(name), pem).expect("write a PEM file");
        }
        TlsFiles { dir, authenticate_clients, names: names_given, owner: true }
    }

    /// The same files, for one more server; the original removes them.
    fn share(&self) -> TlsFiles {
        TlsFiles {
            dir: self.dir.clone(),
            authenticate_clients: self.authenticate_clients,
            names: self.names.clone(),
            owner: false,
        }
    }

    /// The CA's certificate (PEM): what a client must trust.
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A client certificate the CA issued (PEM).
    pub fn client_certificate(&self) -> PathBuf {
        self.dir.join("client.pem")
    }

    /// The client certificate's private key (PEM).
    pub fn client_key(&self) -> PathBuf {
        self.dir.join("client.key")
    }

    fn server_args(&self, port: u16) -> Vec<String> {
        let path = |name: &str| self.dir.join(name).display().to_string();
        vec![
            "--port".into(),
            "0".into(),
            "--tls-port".into(),
            port.to_string(),
            "--tls-cert-file".into(),
            path("server.pem"),
            "--tls-key-file".into(),
            path("server.key"),
            "--tls-ca-cert-file".into(),
            path("ca.pem"),
            "--tls-auth-clients".into(),
            if self.authenticate_clients { "yes" } else { "no" }.into(),
        ]
    }
}

impl Drop for TlsFiles {
    fn drop(&mut self) {
        if self.owner {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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
    connection(redis::Client::open(url))
}

/// A synchronous connection through `client`, or a panic saying why not.
fn connection(client: redis::RedisResult<redis::Client>) -> redis::Connection {
    client
        .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(5)))
        .unwrap_or_else(|e| panic!("connect to the test Redis: {e}"))
}
