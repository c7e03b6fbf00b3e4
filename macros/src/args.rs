//! The attribute's own arguments. Validation is configured at run time, so the only one is
//! `crate = path`: where the runtime crate is, for a crate that reaches it through a re-export.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Path, Token};

/// `#[validate_twilio_request]` or `#[validate_twilio_request(crate = path::to::rocket_twilio)]`.
#[derive(Default)]
pub(crate) struct Args {
    /// The runtime crate's path, when given.
    pub(crate) krate: Option<Path>,
}

pub(crate) fn parse(args: TokenStream) -> syn::Result<Args> {
    syn::parse2(args)
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Args::default());
        }
        if !input.peek(Token![crate]) {
            let rest: TokenStream = input.parse()?;
            return Err(syn::Error::new_spanned(rest, UNKNOWN));
        }
        input.parse::<Token![crate]>()?;
        input.parse::<Token![=]>()?;
        let krate = Path::parse_mod_style(input).map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a path to the rocket_twilio crate: `crate = path::to::rocket_twilio`",
            )
        })?;
        input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            let rest: TokenStream = input.parse()?;
            return Err(syn::Error::new_spanned(rest, UNKNOWN));
        }
        Ok(Args { krate: Some(krate) })
    }
}

const UNKNOWN: &str = "#[validate_twilio_request] takes no arguments: configure validation under \
     [default.twilio] in Rocket.toml (auth_token, base_url, trust_forwarded_headers, …) or with \
     rocket_twilio::Twilio::custom (the only argument, `crate = path::to::rocket_twilio`, is for crates \
     that reach rocket_twilio through a re-export)";
