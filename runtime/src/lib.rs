//! Prove that every webhook your Rocket app serves really came from Twilio.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

pub mod signature;
#[cfg(feature = "twiml")]
pub mod twiml;

pub use signature::*;
