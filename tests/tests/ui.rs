//! Compile-time behaviour of `#[validate_twilio_request]`: misuse is a spanned error on the user's tokens
//! (never a silently unprotected route), and every supported route shape compiles without warnings.
//!
//! Snapshots are regenerated with `TRYBUILD=overwrite cargo test -p rocket_twilio_tests --test ui` and
//! reviewed in the diff; they follow the stable toolchain the workspace is built with.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
