//! Checks on the annotated item. Every problem becomes a `syn::Error` spanned on the offending tokens,
//! and independent problems are reported together.

use syn::ext::IdentExt;
use syn::{FnArg, GenericArgument, ItemFn, Pat, PathArguments, Type};

use crate::route::{self, RouteAttr};

/// Prefix of the parameters the expansion adds; user parameters may not use it.
pub(crate) const HIDDEN_PREFIX: &str = "__twilio_";

/// Combines errors as they are found.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Takes the errors collected so far, leaving none.
    pub(crate) fn take(&mut self) -> Errors {
        Errors(self.0.take())
    }

    /// The collected errors followed by `last`.
    pub(crate) fn with(self, last: syn::Error) -> syn::Error {
        match self.0 {
            Some(mut first) => {
                first.combine(last);
                first
            }
            None => last,
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The item as a function; anything else is an error.
pub(crate) fn function(item: proc_macro2::TokenStream) -> syn::Result<ItemFn> {
    match syn::parse2::<syn::Item>(item)? {
        syn::Item::Fn(f) => Ok(f),
        other => Err(syn::Error::new_spanned(
            other,
            "#[validate_twilio_request] can only be applied to a Rocket route handler function",
        )),
    }
}

/// The one route attribute of `f`, parsed.
pub(crate) fn route(f: &ItemFn, errors: &mut Errors) -> Option<RouteAttr> {
    let mut found = f.attrs.iter().enumerate().filter(|(_, a)| route::is_route_attribute(a));
    let Some((index, attr)) = found.next() else {
        errors.push(no_route_attribute(f));
        return None;
    };
    for (_, extra) in found {
        errors.push(syn::Error::new_spanned(extra, "a validated route takes exactly one route attribute"));
    }
    match route::parse(attr, index) {
        Ok(route) => Some(route),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// Why no route attribute was found, on the most likely culprit.
fn no_route_attribute(f: &ItemFn) -> syn::Error {
    if let Some(catcher) = f.attrs.iter().find(|a| route::is_catcher_attribute(a)) {
        return syn::Error::new_spanned(
            catcher,
            "#[validate_twilio_request] validates routes, and this function is a catcher, not a route: Rocket \
             calls catchers for requests that failed, so there is no webhook to validate here; put the \
             attribute on the route that receives the webhook",
        );
    }
    if let Some(unknown) = f.attrs.iter().find(|a| route::looks_like_route_attribute(a)) {
        let name = unknown.path().segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        return syn::Error::new_spanned(
            unknown.path(),
            format!(
                "#[validate_twilio_request] does not recognise `#[{name}]` as a Rocket route attribute: it \
                 finds #[get], #[put], #[post], #[delete], #[patch], #[head], #[options] and #[route] by the \
                 last segment of their path, so one imported under another name (`use rocket::… as {name};`) \
                 is not found; write it under its own name, e.g. `#[rocket::post(…)]` or `#[rocket::route(…)]`"
            ),
        );
    }
    syn::Error::new_spanned(
        &f.sig.ident,
        "#[validate_twilio_request] must be placed ABOVE the Rocket route attribute \
         (#[get], #[post], … or #[route]); below it, or without one, the route would not be validated",
    )
}

/// No user parameter may be named like the hidden ones. Hidden parameters of the generated types mean
/// the attribute already ran on this function: that is reported once, as "applied twice".
pub(crate) fn parameter_names(f: &ItemFn, errors: &mut Errors) {
    let mut applied_twice = false;
    for arg in &f.sig.inputs {
        let FnArg::Typed(arg) = arg else { continue };
        let Pat::Ident(pat) = &*arg.pat else { continue };
        if !pat.ident.to_string().starts_with(HIDDEN_PREFIX) {
            continue;
        }
        let message = if is_generated_guard(&arg.ty) {
            if std::mem::replace(&mut applied_twice, true) {
                continue;
            }
            "#[validate_twilio_request] is applied twice to this route; remove one".to_owned()
        } else {
            format!(
                "`{}` is reserved: #[validate_twilio_request] adds hidden parameters named `{HIDDEN_PREFIX}…`; \
                 rename this parameter",
                pat.ident
            )
        };
        errors.push(syn::Error::new_spanned(&pat.ident, message));
    }
}

/// Whether `ty` is a guard type this attribute generates (`::rocket_twilio::__private::…`).
fn is_generated_guard(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.iter().any(|s| s.ident == "__private"))
}

/// The index of the argument named by `data = "<name>"`. Rocket matches names without their `r#`, so
/// `data = "<type>"` names `r#type`.
pub(crate) fn data_argument(f: &ItemFn, name: &str, lit: &syn::LitStr) -> syn::Result<usize> {
    f.sig
        .inputs
        .iter()
        .position(|arg| matches!(arg, FnArg::Typed(t) if matches!(&*t.pat, Pat::Ident(p) if p.ident.unraw() == name)))
        .ok_or_else(|| {
            syn::Error::new_spanned(
                lit,
                format!("the data parameter `{name}` is not an argument of this function"),
            )
        })
}

/// A `const fn` cannot unwrap its validated data parameter.
pub(crate) fn not_const(f: &ItemFn, errors: &mut Errors) {
    if let Some(constness) = &f.sig.constness {
        errors.push(syn::Error::new_spanned(
            constness,
            "a validated route with a data parameter cannot be a `const fn`: the handler's first statement \
             unwraps the validated body, which is not a const operation; remove `const` (Rocket calls \
             handlers at run time, so the route works the same)",
        ));
    }
}

/// Rocket's data types that stream or spool the body are refused here, by name, rather than by the
/// `TwilioBody` bound Rocket's codegen checks: that error underlines only the type's first token (Rocket
/// spans it at `ty.span()`, which a stable proc macro cannot widen), this one underlines the whole type
/// and says what to take instead. They are recognised by the last segment of their path, also inside
/// `Option<…>` and `Result<…, E>`; any other type is left to the bound, whose message lists what is
/// supported.
pub(crate) fn data_type(f: &ItemFn, index: usize, errors: &mut Errors) {
    let Some(FnArg::Typed(arg)) = f.sig.inputs.iter().nth(index) else { return };
    if let Some((name, instead)) = streamed_type(&arg.ty) {
        errors.push(syn::Error::new_spanned(
            &arg.ty,
            format!(
                "`{name}` cannot be the data parameter of a #[validate_twilio_request] route: the body is \
                 read whole and its signature checked before the handler runs; {instead}"
            ),
        ));
    }
}

/// The Rocket data type `ty` is or wraps in `Option`/`Result`, with what to take instead.
fn streamed_type(ty: &Type) -> Option<(&'static str, &'static str)> {
    let mut ty = ty;
    while let Type::Group(syn::TypeGroup { elem, .. }) | Type::Paren(syn::TypeParen { elem, .. }) = ty {
        ty = elem;
    }
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    Some(match last.ident.to_string().as_str() {
        "Data" => {
            ("Data", "no unread stream is left to hand over: take `Vec<u8>` or `&[u8]` for the raw bytes")
        }
        "DataStream" => ("DataStream", "no unread stream is left to hand over: take `Vec<u8>` or `&[u8]`"),
        "Capped" => (
            "Capped",
            "a body over its limit is refused, never truncated, so `Capped` has nothing to report: take the \
             type it wraps",
        ),
        "TempFile" => (
            "TempFile",
            "Twilio's webhooks are forms or JSON, never file uploads: take `Vec<u8>` or `&[u8]` for the raw \
             bytes",
        ),
        "Option" | "Result" => {
            let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
            let Some(GenericArgument::Type(inner)) = args.args.first() else { return None };
            return streamed_type(inner);
        }
        _ => return None,
    })
}
