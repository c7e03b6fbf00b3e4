//! Implementation detail of the [`rocket_twilio`](https://docs.rs/rocket_twilio) crate.
//!
//! Depend on `rocket_twilio` and use `rocket_twilio::validate_twilio_request`; this crate's paths and
//! expansion are not a stable API. Set `TWILIO_CODEGEN_DEBUG=1` while building to print each expansion.

mod args;
mod expand;
mod fallback;
mod route;
mod runtime;
mod valid;

use proc_macro::TokenStream;

// Documented on its re-export, `rocket_twilio::validate_twilio_request`, whose docs rustdoc shows.
#[proc_macro_attribute]
pub fn validate_twilio_request(args: TokenStream, item: TokenStream) -> TokenStream {
    let (args, item) = (args.into(), proc_macro2::TokenStream::from(item));
    expand::expand(args, item.clone()).unwrap_or_else(|error| fallback::emit(item, error)).into()
}
