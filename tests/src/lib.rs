//! Support for the workspace's tests: access to the official Twilio helper libraries.

pub mod interop;
