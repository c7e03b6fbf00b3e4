//! Support for the workspace's tests: the official Twilio helper libraries, and real HTTP servers.

pub mod interop;
pub mod raw_http;
pub mod rng;
pub mod server;
