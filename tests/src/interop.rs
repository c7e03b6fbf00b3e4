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
