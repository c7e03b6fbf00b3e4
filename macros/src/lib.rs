//! Implementation detail of the [`rocket_twilio`](https://docs.rs/rocket_twilio) crate.
//!
//! Depend on `rocket_twilio` and use `rocket_twilio::validate_twilio_request` instead of this crate.
