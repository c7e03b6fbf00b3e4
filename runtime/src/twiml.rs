//! TwiML responses (placeholder: being written).
