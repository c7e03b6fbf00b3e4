//! `--help` works for every command and documents the secrets and the exit codes.

mod common;

use common::{run_with, Run};

fn help(args: &[&str]) -> Run {
    let r = run_with(None, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.all());
    assert!(r.stderr.is_empty(), "{args:?}: {}", r.all());
    r
}

#[test]
fn every_command_has_help_with_exit_codes_and_secrets() {
    for command in [&[][..], &["sign"], &["check"], &["explain"]] {
        for flag in ["--help", "-h"] {
            let mut args = command.to_vec();
            args.push(flag);
            let r = help(&args);
            assert!(r.stdout.contains("Usage: twilio-webhook"), "{args:?}: {}", r.stdout);
            for line in [
                "Exit codes:",
                "  0  success",
                "  1  verdict failed",
                "  2  usage or configuration error",
                "  3  network error",
                "TWILIO_AUTH_TOKEN",
                "--auth-token-file",
            ] {
                assert!(r.stdout.contains(line), "{args:?} lacks {line:?}: {}", r.stdout);
            }
        }
    }
}

#[test]
fn each_command_documents_its_options() {
    let sign = help(&["sign", "--help"]).stdout;
    for option in ["[NAME=VALUE]...", "--json-body <FILE>", "--algorithm <ALGORITHM>", "sha256", "bodySHA256"]
    {
        assert!(sign.contains(option), "sign lacks {option}: {sign}");
    }
    let check = help(&["check", "--help"]).stdout;
    for option in [
        "--method <METHOD>",
        "both",
        "--param <NAME=VALUE>",
        "--basic <USER:PASS>",
        "--digest <USER:PASS>",
        "--timeout <SECONDS>",
        "[default: 10]",
    ] {
        assert!(check.contains(option), "check lacks {option}: {check}");
    }
    let explain = help(&["explain", "--help"]).stdout;
    for option in [
        "--signature <SIG>",
        "--host <HOST[:PORT]>",
        "--prefix </PREFIX>",
        "--secondary-token-file <FILE>",
        "TWILIO_AUTH_TOKEN_SECONDARY",
    ] {
        assert!(explain.contains(option), "explain lacks {option}: {explain}");
    }
}

#[test]
fn the_help_subcommand_and_version() {
    for command in ["sign", "check", "explain"] {
        let r = help(&["help", command]);
        assert!(r.stdout.contains(&format!("Usage: twilio-webhook {command}")), "{}", r.stdout);
    }
    let r = help(&["--version"]);
    assert_eq!(r.stdout, format!("twilio-webhook {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_command_is_a_usage_error() {
    for args in [&[][..], &["frobnicate"]] {
        let r = run_with(None, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.all());
        assert!(r.stderr.contains("Usage: twilio-webhook"), "{}", r.all());
    }
}
