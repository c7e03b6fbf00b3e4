//! The rewrite: the handler's signature gains validating guards; its body is left as written.
//!
//! - A data parameter `x: T` becomes `x: Validated<T>`, and `let x = Validated::into_inner(x);` is
//!   spliced in as the body's first statement (moving `ref`, `mut` and the parameter's attributes there).
//! - A POST, PUT, PATCH or DELETE route without one gets `data = "<__twilio_body>"` and a parameter
//!   `__twilio_body: Validated<()>`: its body is still read and signed.
//! - Both get `__twilio_signature: SignaturePresent` as their first parameter: Rocket runs data guards
//!   last, and this request guard refuses a request without a usable signature header before any other.
//! - Any other route (GET…) gets `__twilio_request: ValidatedRequest` as its first parameter, so the
//!   signature is checked before the other guards run.
//!
//! Generated code names runtime items through `<runtime>::__private` only (see [`Runtime`]).

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::{parse_quote, parse_quote_spanned, FnArg, Ident, ItemFn, Meta, Pat, ReturnType, Stmt, Token, Type};

use crate::route::RouteAttr;
use crate::runtime::Runtime;
use crate::valid::{self, Errors};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = crate::args::parse(args).map_err(|e| errors.push(e)).unwrap_or_default();
    let mut f = valid::function(item).map_err(|e| errors.take().with(e))?;
    valid::parameter_names(&f, &mut errors);
    let route = valid::route(&f, &mut errors);
    let data = route
        .as_ref()
        .and_then(|route| route.data.as_ref())
        .and_then(|(name, lit)| valid::data_argument(&f, name, lit).map_err(|e| errors.push(e)).ok());
    if let Some(index) = data {
        valid::not_const(&f, &mut errors);
        valid::data_type(&f, index, &mut errors);
    }
    let runtime = Runtime::find(args.krate).map_err(|e| errors.push(e)).ok();
    errors.finish()?;
    let (route, runtime) = (
        route.expect("no errors means the route attribute was parsed"),
        runtime.expect("no errors means the runtime crate was found"),
    );

    restore_macro_hygiene(&mut f);
    match data {
        Some(index) => {
            wrap_data_argument(&mut f, index, &runtime);
            insert_guard(&mut f, "__twilio_signature", "SignaturePresent", &runtime);
        }
        None if route.supports_payload => {
            add_body_guard(&mut f, &route, &runtime);
            insert_guard(&mut f, "__twilio_signature", "SignaturePresent", &runtime);
        }
        None => insert_guard(&mut f, "__twilio_request", "ValidatedRequest", &runtime),
    }

    let tokens = f.into_token_stream();
    if std::env::var_os("TWILIO_CODEGEN_DEBUG").is_some() {
        eprintln!("#[validate_twilio_request] expansion:\n{tokens}");
    }
    Ok(tokens)
}

/// Types from `macro_rules!` fragments (`-> $ret` with `$ret:ty`) arrive in invisible groups whose span
/// carries the macro's hygiene. rustc drops those groups when it hands our output to Rocket's attribute,
/// and Rocket names its own variables (`__req`) at a type's span: with the group gone, that is the span
/// of the type's first token, from outside the macro, where `__req` does not exist. So each such type
/// loses its group here and its first token takes the group's hygiene (its place in the source is kept).
fn restore_macro_hygiene(f: &mut ItemFn) {
    for arg in &mut f.sig.inputs {
        if let FnArg::Typed(arg) = arg {
            ungroup(&mut arg.ty);
        }
    }
    if let ReturnType::Type(_, ty) = &mut f.sig.output {
        ungroup(ty);
    }
}

fn ungroup(ty: &mut Type) {
    let Type::Group(group) = ty else { return };
    let hygiene = group.group_token.span;
    let mut inner = &*group.elem;
    while let Type::Group(group) = inner {
        inner = &group.elem;
    }
    let mut tokens = inner.to_token_stream().into_iter();
    let first = tokens.next().map(|mut token| {
        // `$crate` is resolved by its own hygiene, which must not change.
        if !matches!(&token, TokenTree::Ident(i) if i == "$crate") {
            token.set_span(token.span().resolved_at(hygiene));
        }
        token
    });
    if let Ok(ungrouped) = syn::parse2::<Type>(first.into_iter().chain(tokens).collect()) {
        *ty = ungrouped;
    }
}

fn wrap_data_argument(f: &mut ItemFn, index: usize, runtime: &Runtime) {
    let FnArg::Typed(arg) = &mut f.sig.inputs[index] else {
        unreachable!("data_argument returns typed args")
    };
    let Pat::Ident(pat) = &mut *arg.pat else { unreachable!("data_argument returns ident patterns") };

    // Every generated token is shown at the type's first token. Rocket's codegen re-spans its data guard
    // call at the type's span, which a stable proc macro cannot join past the first token; a closing `>`
    // at the type's last token would add a second copy of an unsupported-type error, not widen the first.
    // (Rocket's streaming types are refused before this, on the whole type: `valid::data_type`.)
    let ty = &arg.ty;
    let first = first_span(ty);
    let validated = runtime.private("Validated", first);
    let (lt, gt) = (Token![<](first), Token![>](first));
    *arg.ty = parse_quote!(#validated #lt #ty #gt);

    // The parameter is now used (unwrapped) and never mutated; the binding the body sees is the `let`,
    // so `ref`, `mut` and lint attributes (`#[allow(unused_variables)]`) go there. `#[cfg]` stays on both.
    let by_ref = pat.by_ref.take();
    let mutability = pat.mutability.take();
    let ident = &pat.ident;
    let attrs = std::mem::take(&mut arg.attrs);
    arg.attrs = attrs.iter().filter(|a| a.path().is_ident("cfg")).cloned().collect();
    // `_sms` is meant to be unused; unwrapping it is not a use of the user's.
    let underscore = ident
        .unraw()
        .to_string()
        .starts_with('_')
        .then(|| quote_spanned!(ident.span()=> #[allow(clippy::used_underscore_binding)]));
    let validated = runtime.private("Validated", ident.span());
    let unwrap: Stmt = parse_quote_spanned! {ident.span()=>
        #(#attrs)* #underscore
        let #by_ref #mutability #ident = #validated::into_inner(#ident);
    };
    f.block.stmts.insert(0, unwrap);
}

/// The span of the first token of `ty`.
fn first_span(ty: &Type) -> Span {
    ty.to_token_stream().into_iter().next().map_or_else(Span::call_site, |token| token.span())
}

fn add_body_guard(f: &mut ItemFn, route: &RouteAttr, runtime: &Runtime) {
    let ident = Ident::new("__twilio_body", Span::call_site());
    let attr = &mut f.attrs[route.index];
    if let Meta::List(list) = &mut attr.meta {
        let data = format!("<{ident}>");
        let separator = if list.tokens.is_empty() || list.tokens.to_string().trim_end().ends_with(',') {
            quote!()
        } else {
            quote!(,)
        };
        list.tokens.extend(quote!(#separator data = #data));
    }
    let validated = runtime.private("Validated", Span::call_site());
    f.sig.inputs.push(parse_quote!(#ident: #validated<()>));
}

/// Adds the request guard `__private::<item>` as the first parameter, named `name`.
fn insert_guard(f: &mut ItemFn, name: &str, item: &str, runtime: &Runtime) {
    let ident = Ident::new(name, Span::call_site());
    let guard = runtime.private(item, Span::call_site());
    f.sig.inputs.insert(0, parse_quote!(#ident: #guard));
}
