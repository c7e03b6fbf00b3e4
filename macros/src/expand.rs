//! The rewrite: the handler's signature gains a validating guard; its body is left as written.
//!
//! - A data parameter `x: T` becomes `x: Validated<T>`, and `let x = Validated::into_inner(x);` is
//!   spliced in as the body's first statement (moving a `mut` there).
//! - A POST, PUT, PATCH or DELETE route without one gets `data = "<__twilio_body>"` and a parameter
//!   `__twilio_body: Validated<()>`: its body is still read and signed.
//! - Any other route (GET…) gets `__twilio_request: ValidatedRequest` as its first parameter, so the
//!   signature is checked before the other guards run.
//!
//! Generated code names runtime items through `::rocket_twilio::__private` only.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;
use syn::{parse_quote, parse_quote_spanned, FnArg, Ident, ItemFn, Meta, Pat, Stmt};

use crate::route::RouteAttr;
use crate::valid::{self, Errors};

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    if let Err(e) = crate::args::check(args) {
        errors.push(e);
    }
    let mut f = valid::function(item).map_err(|e| errors.take().with(e))?;
    valid::parameter_names(&f, &mut errors);
    let route = valid::route(&f, &mut errors);
    errors.finish()?;
    let route = route.expect("no errors means the route attribute was parsed");

    match &route.data {
        Some((name, lit)) => {
            let index = valid::data_argument(&f, name, lit)?;
            wrap_data_argument(&mut f, index);
        }
        None if route.supports_payload => add_body_guard(&mut f, &route),
        None => add_request_guard(&mut f),
    }

    let tokens = f.into_token_stream();
    if std::env::var_os("TWILIO_CODEGEN_DEBUG").is_some() {
        eprintln!("#[validate_twilio_request] expansion:\n{tokens}");
    }
    Ok(tokens)
}

fn wrap_data_argument(f: &mut ItemFn, index: usize) {
    let FnArg::Typed(arg) = &mut f.sig.inputs[index] else {
        unreachable!("data_argument returns typed args")
    };
    let Pat::Ident(pat) = &mut *arg.pat else { unreachable!("data_argument returns ident patterns") };
    let ty = &arg.ty;
    let wrapped = parse_quote_spanned!(ty.span()=> ::rocket_twilio::__private::Validated<#ty>);
    *arg.ty = wrapped;
    let mutability = pat.mutability.take();
    let ident = &pat.ident;
    let unwrap: Stmt = parse_quote_spanned! {ident.span()=>
        let #mutability #ident = ::rocket_twilio::__private::Validated::into_inner(#ident);
    };
    f.block.stmts.insert(0, unwrap);
}

fn add_body_guard(f: &mut ItemFn, route: &RouteAttr) {
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
    f.sig.inputs.push(parse_quote!(#ident: ::rocket_twilio::__private::Validated<()>));
}

fn add_request_guard(f: &mut ItemFn) {
    let ident = Ident::new("__twilio_request", Span::call_site());
    let guard: FnArg = parse_quote!(#ident: ::rocket_twilio::__private::ValidatedRequest);
    f.sig.inputs.insert(0, guard);
}
