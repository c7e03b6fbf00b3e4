//! Support for the workspace's tests: the official Twilio helper libraries, real HTTP servers, and real
//! Redis servers.

pub mod interop;
pub mod raw_http;
pub mod redis;
pub mod rng;
pub mod server;
