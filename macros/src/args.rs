//! The attribute's own arguments: there are none.

use proc_macro2::TokenStream;

/// `#[validate_twilio_request]` takes no arguments: everything is configured at run time.
pub(crate) fn check(args: TokenStream) -> syn::Result<()> {
    if args.is_empty() {
        return Ok(());
    }
    Err(syn::Error::new_spanned(
        args,
        "#[validate_twilio_request] takes no arguments: configure validation under [default.twilio] in \
         Rocket.toml (auth_token, base_url, trust_forwarded_headers, …) or with rocket_twilio::Twilio::custom",
    ))
}
