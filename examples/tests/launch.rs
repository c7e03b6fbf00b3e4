//! The example server's launch, as a user meets it: the real binary, started with a `Rocket.toml` or
//! environment variables holding a configuration mistake, its output read back.
//!
//! - configuration mistakes are refused at launch with a message naming the key as written, and never
//!   printing a secret, for every secret-bearing key given the wrong type;
//! - a TOML line written below a table header never becomes a signing key;
//! - `ROCKET_TWILIO_AUTH_TOKEN`-style variables are refused with a hint;
//! - the log says where the Auth Token came from and how the URL is rebuilt, before the first request;
//! - a **release** build refuses `disable_validation`, whatever the profile (it builds the binary with
//!   `cargo build --release` into `target/release-launch-test`, once).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A secret-looking value that must never appear in any output.
const SECRET: &str = "918273645546";
const SID: &str = "AC0123456789abcdef0123456789abcdef";

/// A `Rocket.toml` in a fresh directory.
fn rocket_toml(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rocket_twilio_launch_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("Rocket.toml");
    std::fs::write(&file, contents).expect("write Rocket.toml");
    file
}

/// The example binary with a clean environment: no Twilio or Rocket variables but those given.
fn example(binary: &Path, config: &Path, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(binary);
    command.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command.env("ROCKET_CONFIG", config).env("ROCKET_PORT", "0").env("ROCKET_CLI_COLORS", "false");
    for (name, value) in env {
        command.env(name, value);
    }
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn debug_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rocket_twilio_examples"))
}

/// Runs a launch that must fail; returns its whole output.
#[track_caller]
fn refused(binary: &Path, config: &Path, env: &[(&str, &str)]) -> String {
    let output = example(binary, config, env).output().expect("run the example server");
    let all =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(!output.status.success(), "launch should be refused:\n{all}");
    assert!(all.contains("Twilio request validation"), "{all}");
    all
}

/// Starts a launch that must succeed, reads its output until Rocket has launched, and stops it.
#[track_caller]
fn launched(binary: &Path, config: &Path, env: &[(&str, &str)]) -> String {
    let mut child: Child = example(binary, config, env).spawn().expect("start the example server");
    let (lines, output) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
    }
    drop(lines);
    let mut all = String::new();
    // Not a timing assertion: a server that never launches fails the test instead of hanging it.
    while let Ok(line) = output.recv_timeout(Duration::from_secs(60)) {
        all += &line;
        all.push('\n');
        if line.contains("launched from") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(all.contains("launched from"), "the server did not launch:\n{all}");
    all
}

#[test]
fn errors_name_the_key_and_never_print_a_secret() {
    let cases = [
        ("auth_token_number", format!("[default.twilio]\nauth_token = {SECRET}"), "twilio.auth_token"),
        (
            "secondary_number",
            format!("[default.twilio]\nauth_token = \"t\"\nsecondary_auth_token = {SECRET}"),
            "twilio.secondary_auth_token",
        ),
        (
            "auth_token_table",
            format!("[default.twilio]\nauth_token = {{ v = \"{SECRET}\" }}"),
            "twilio.auth_token",
        ),
        ("auth_token_array", format!("[default.twilio]\nauth_token = [\"{SECRET}\"]"), "twilio.auth_token"),
        ("shared_keys_string", format!("[default.twilio]\nshared_keys = \"{SECRET}\""), "twilio.shared_keys"),
        (
            "shared_keys_number",
            format!("[default.twilio]\nshared_keys = {{ k1 = {SECRET} }}"),
            "twilio.shared_keys",
        ),
        (
            "accounts_number",
            format!("[default.twilio]\naccounts = {{ {SID} = {SECRET} }}"),
            "twilio.accounts",
        ),
        ("accounts_string", format!("[default.twilio]\naccounts = \"{SECRET}\""), "twilio.accounts"),
        ("accounts_bad_sid", format!("[default.twilio]\naccounts = {{ not-a-sid = \"{SECRET}\" }}"), "twilio.accounts.not-a-sid"),
        // A Redis URL may hold a password: with or without the `redis` feature, it is never printed.
        ("redis_url_number", format!("[default.twilio]\nauth_token = \"t\"\n[default.twilio.dedupe]\nredis_url = {SECRET}"), "twilio.dedupe.redis_url"),
        ("redis_url_tls_insecure", format!("[default.twilio]\nauth_token = \"t\"\n[default.twilio.dedupe]\nredis_url = \"rediss://:{SECRET}@h/#insecure\""), "twilio.dedupe.redis_url"),
        ("redis_url_not_a_url", format!("[default.twilio]\nauth_token = \"t\"\n[default.twilio.dedupe]\nredis_url = \"{SECRET}\""), "twilio.dedupe.redis_url"),
    ];
    for (name, toml, key) in cases {
        let out = refused(&debug_binary(), &rocket_toml(name, &toml), &[]);
        assert!(out.contains(key), "{name}: the key is not named:\n{out}");
        assert!(!out.contains(SECRET), "{name}: the secret was printed:\n{out}");
        assert!(
            !out.contains(".twilio.auth_token") && !out.contains("auth_token.twilio"),
            "{name}: key path reversed:\n{out}"
        );
    }
    // The whole table from an environment variable that does not parse.
    let empty = rocket_toml("empty", "");
    let out = refused(&debug_binary(), &empty, &[("ROCKET_TWILIO", &format!("{{auth_token: '{SECRET}'"))]);
    assert!(out.contains("twilio must be a table") && !out.contains(SECRET), "{out}");
}

#[test]
fn a_base_url_that_would_never_match_is_refused_at_launch() {
    // Each names what is wrong with the URL; the `user:pass@` one never prints the password.
    for (name, url, why) in [
        ("base_url_credentials", "https://user:s3cr3tpw@example.com", "credentials"),
        ("base_url_empty_userinfo", "https://@example.com", "credentials"),
        ("base_url_empty_port", "https://example.com:", "port is empty"),
        ("base_url_port_zero", "https://example.com:0", "port 0"),
        ("base_url_query", "https://example.com/?a=1", "query or fragment"),
        ("base_url_scheme", "ftp://example.com", "http or https"),
    ] {
        let toml = format!("[default.twilio]\nauth_token = \"t\"\nbase_url = \"{url}\"\n");
        let out = refused(&debug_binary(), &rocket_toml(name, &toml), &[]);
        assert!(out.contains("twilio.base_url") && out.contains(why), "{name}:\n{out}");
        assert!(!out.contains("s3cr3tpw"), "{name}: a password was printed:\n{out}");
    }
    let toml = "[default.twilio]\nauth_token = \"t\"\nbase_url = \"https://example.com\"\ntrust_forwarded_headers = true\n";
    let out = refused(&debug_binary(), &rocket_toml("base_url_and_trust", toml), &[]);
    assert!(out.contains("base_url") && out.contains("trust_forwarded_headers"), "{out}");
}

#[test]
fn a_line_below_a_table_header_never_becomes_a_key() {
    let toml = format!(
        "[default.twilio]\nauth_token = \"t\"\n[default.twilio.accounts]\n{SID} = \"a\"\nbase_url = \"https://example.com\"\n"
    );
    let out = refused(&debug_binary(), &rocket_toml("slip_accounts", &toml), &[]);
    assert!(out.contains("twilio.accounts.base_url") && out.contains("move"), "{out}");
    let toml = "[default.twilio]\nauth_token = \"t\"\n[default.twilio.shared_keys]\nk1 = \"s\"\nbase_url = \"https://example.com\"\n";
    let out = refused(&debug_binary(), &rocket_toml("slip_shared", toml), &[]);
    assert!(out.contains("twilio.shared_keys.base_url"), "{out}");
}

#[test]
fn flat_rocket_twilio_variables_are_refused_with_a_hint() {
    let empty = rocket_toml("flat", "");
    for (variable, setting) in
        [("ROCKET_TWILIO_AUTH_TOKEN", "auth_token"), ("ROCKET_TWILIO_BASE_URL", "base_url")]
    {
        let out = refused(
            &debug_binary(),
            &empty,
            &[(variable, "https://example.com"), ("TWILIO_AUTH_TOKEN", "t")],
        );
        assert!(out.contains(variable) && out.contains(&format!("ROCKET_TWILIO='{{{setting}=…}}'")), "{out}");
    }
}

#[test]
fn the_log_says_where_the_token_came_from_and_how_urls_are_rebuilt() {
    let env_token = "env-token-value-0123";
    let file_token = "file-token-value-4567";
    let both = rocket_toml("both", &format!("[default.twilio]\nauth_token = \"{file_token}\"\n"));
    let out = launched(&debug_binary(), &both, &[("TWILIO_AUTH_TOKEN", env_token)]);
    assert!(out.contains("from twilio.auth_token; TWILIO_AUTH_TOKEN is also set and is NOT used"), "{out}");
    assert!(out.contains("http(s)://<Host header>") && out.contains("twilio.base_url"), "{out}");
    assert!(!out.contains(env_token) && !out.contains(file_token), "{out}");

    let base = rocket_toml("base", "[default.twilio]\nbase_url = \"https://abcd.ngrok.app\"\n");
    let out = launched(&debug_binary(), &base, &[("TWILIO_AUTH_TOKEN", env_token)]);
    assert!(out.contains("primary Auth Token from TWILIO_AUTH_TOKEN"), "{out}");
    assert!(out.contains("checked against https://abcd.ngrok.app/"), "{out}");
}

#[test]
fn only_a_debug_build_in_the_debug_profile_can_switch_validation_off() {
    let off = rocket_toml("off", "[default.twilio]\ndisable_validation = true\n");
    // A debug build, debug profile: allowed, loudly.
    let out = launched(&debug_binary(), &off, &[("ROCKET_PROFILE", "debug")]);
    assert!(out.contains("DISABLED"), "{out}");
    // A debug build, release profile: refused.
    let out = refused(&debug_binary(), &off, &[("ROCKET_PROFILE", "release"), ("TWILIO_AUTH_TOKEN", "t")]);
    assert!(out.contains("disable_validation") && out.contains("`release` profile"), "{out}");
    // A release build, whatever the profile says.
    let release = release_binary();
    for profile in ["debug", "release"] {
        let out = refused(&release, &off, &[("ROCKET_PROFILE", profile), ("TWILIO_AUTH_TOKEN", "t")]);
        assert!(out.contains("this is a release build"), "{profile}: {out}");
    }
}

/// The example binary built with `cargo build --release`, in a target directory of its own (so this
/// does not wait on the lock of the `cargo test` that runs it).
fn release_binary() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), PathBuf::from)
        .join("release-launch-test");
    let status = Command::new(env!("CARGO"))
        .current_dir(workspace)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "rocket_twilio_examples",
            "--bin",
            "rocket_twilio_examples",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("run cargo build --release");
    assert!(status.success(), "cargo build --release of the example failed");
    target.join("release").join("rocket_twilio_examples")
}
