//! Where the generated code finds the runtime crate: `::rocket_twilio`, the name it was renamed to in
//! `Cargo.toml`, or the path given by `crate = …`.

use proc_macro2::{Span, TokenStream};
use proc_macro_crate::{crate_name, Error, FoundCrate};
use quote::{quote, ToTokens};
use syn::Path;

/// The runtime crate's path as generated code writes it, and whether the user wrote it.
pub(crate) struct Runtime {
    path: TokenStream,
    explicit: bool,
}

const CRATE: &str = "rocket_twilio";

impl Runtime {
    /// The crate given by `crate = path`, else the one `Cargo.toml` names.
    ///
    /// A dependency renamed in `Cargo.toml` (`twilio = { package = "rocket_twilio" }`) is found by its new
    /// name. A crate that depends on rocket_twilio only through another crate (a facade re-exporting the
    /// attribute) cannot be found that way: it is an error asking for `crate = path`. When the manifest
    /// cannot be read (a build that is not run by Cargo), `::rocket_twilio` is assumed.
    pub(crate) fn find(explicit: Option<Path>) -> syn::Result<Runtime> {
        if let Some(path) = explicit {
            return Ok(Runtime { path: path.into_token_stream(), explicit: true });
        }
        let name = match crate_name(CRATE) {
            Ok(FoundCrate::Name(name)) => name,
            Err(Error::CrateNotFound { .. }) => {
                return Err(syn::Error::new(Span::call_site(), NOT_A_DEPENDENCY))
            }
            // Inside rocket_twilio, `extern crate self as rocket_twilio` makes the usual path work. Without
            // a readable manifest, the usual path is the best guess: if it is wrong, the build fails.
            Ok(FoundCrate::Itself) | Err(_) => CRATE.to_owned(),
        };
        let ident = syn::Ident::new(&name, Span::call_site());
        Ok(Runtime { path: quote!(::#ident), explicit: false })
    }

    /// `<runtime>::__private::<item>`, every token at `span`. An absolute path resolves the same
    /// anywhere, so the tokens take `span` whole (errors then read as the user's code, not as coming from
    /// the attribute); a path the user wrote is only shown there and keeps its own resolution.
    pub(crate) fn private(&self, item: &str, span: Span) -> TokenStream {
        let item = syn::Ident::new(item, Span::call_site());
        let path = quote!(#self::__private::#item);
        let explicit = self.explicit;
        path.into_iter()
            .map(|mut token| {
                token.set_span(if explicit { token.span().located_at(span) } else { span });
                token
            })
            .collect()
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.path.to_tokens(tokens);
    }
}

const NOT_A_DEPENDENCY: &str = "#[validate_twilio_request] cannot find the rocket_twilio crate: it is not a \
     dependency in this crate's Cargo.toml (under its own name or a renamed one). If the attribute comes \
     from a crate that re-exports it, that crate must re-export rocket_twilio too, and the route must say \
     where: #[validate_twilio_request(crate = path::to::rocket_twilio)]";

#[cfg(test)]
mod tests {
    use super::*;

    // This crate's own manifest does not depend on rocket_twilio: the lookup a facade's user would hit.
    #[test]
    fn a_crate_without_the_dependency_is_told_to_name_it() {
        let error = Runtime::find(None).err().expect("rocket_twilio is not a dependency here");
        assert!(
            error.to_string().contains("#[validate_twilio_request(crate = path::to::rocket_twilio)]"),
            "{error}"
        );
    }

    #[test]
    fn a_named_crate_is_used_as_written() {
        let path: Path = syn::parse_quote!(crate::facade::twilio);
        let runtime = Runtime::find(Some(path)).expect("no lookup");
        let private = runtime.private("Validated", Span::call_site()).to_string();
        assert_eq!(private, "crate :: facade :: twilio :: __private :: Validated");
    }
}
