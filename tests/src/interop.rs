//! The official Twilio helper libraries (twilio-python 9.13.0, twilio-node 6.2.0), installed on demand.
//!
//! `tests/interop/setup.sh` installs them under `target/interop/`; `.ci/run` calls it up front, and the
//! first test that needs them calls it too (under `flock`, so parallel test processes install once). A
//! missing `python3`, `node` or network is a test failure with the setup script's output, never a skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The workspace root.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace root")
}

fn interop_dir() -> PathBuf {
    workspace_root().join("target").join("interop")
}

fn ensure_installed() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = interop_dir();
        std::fs::create_dir_all(&dir).expect("create target/interop");
        let script = workspace_root().join("tests/interop/setup.sh");
        let out = Command::new("flock")
            .arg(dir.join(".lock"))
            .arg(&script)
            .arg(&dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run flock {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "installing the official Twilio libraries failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// A `python` that can `import twilio` (9.13.0).
pub fn python() -> PathBuf {
    ensure_installed().join("venv/bin/python")
}

/// The `node_modules` directory holding `twilio` (6.2.0), for `NODE_PATH`.
pub fn node_modules() -> PathBuf {
    ensure_installed().join("node/node_modules")
}

/// Runs a Python script with twilio-python importable, feeding `stdin`; panics with its stderr on failure.
pub fn run_python(script: &str, stdin: &[u8]) -> Vec<u8> {
    let mut cmd = Command::new(python());
    cmd.arg("-c").arg(script);
    run(cmd, stdin, "python")
}

/// Runs a Node.js script with twilio-node resolvable, feeding `stdin`; panics with its stderr on failure.
pub fn run_node(script: &str, stdin: &[u8]) -> Vec<u8> {
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(script).env("NODE_PATH", node_modules());
    run(cmd, stdin, "node")
}

fn run(mut cmd: Command, stdin: &[u8], what: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let Output { status, stdout, stderr } = child.wait_with_output().expect("wait for child");
    writer.join().expect("stdin writer").unwrap_or_else(|e| panic!("writing to {what}: {e}"));
    assert!(status.success(), "{what} failed ({status}):\n{}", String::from_utf8_lossy(&stderr));
    stdout
}

/// An official helper library acting as Twilio: signs requests and sends them over HTTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    /// twilio-python 9.13.0 `RequestValidator`, sending with `requests` (`tests/interop/python_client.py`).
    Python,
    /// twilio-node 6.2.0 `getExpectedTwilioSignature`, sending with `fetch` (`tests/interop/node_client.js`).
    Node,
}

/// What the server answered to one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// Response body.
    pub body: String,
    /// `Content-Type` response header ("" when absent).
    pub content_type: String,
}

/// Has `signer` sign and send each case (see the client scripts for the case format) with `token`;
/// returns the answers by case name.
pub fn sign_and_send(
    signer: Signer,
    token: &str,
    cases: &serde_json::Value,
) -> std::collections::HashMap<String, Answer> {
    let input = serde_json::json!({ "token": token, "cases": cases }).to_string();
    let read = |name: &str| {
        std::fs::read_to_string(workspace_root().join("tests/interop").join(name))
            .unwrap_or_else(|e| panic!("tests/interop/{name}: {e}"))
    };
    let out = match signer {
        Signer::Python => run_python(&read("python_client.py"), input.as_bytes()),
        Signer::Node => run_node(&read("node_client.js"), input.as_bytes()),
    };
    let answers: Vec<serde_json::Value> = serde_json::from_slice(&out).expect("the client prints JSON");
    answers
        .into_iter()
        .map(|a| {
            let text = |key: &str| a[key].as_str().unwrap_or_default().to_owned();
            let status = a["status"].as_u64().and_then(|s| u16::try_from(s).ok()).expect("a status");
            (text("name"), Answer { status, body: text("body"), content_type: text("content_type") })
        })
        .collect()
}
