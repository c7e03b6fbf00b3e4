//! Finding and reading the Rocket route attribute below ours.

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, Token};

/// The attribute names Rocket's codegen handles (matched on the path's last segment, so that
/// `#[rocket::post]` counts too).
const ROUTE_ATTRIBUTES: [&str; 8] = ["get", "put", "post", "delete", "patch", "head", "options", "route"];

/// What the expansion needs to know about a route attribute.
pub(crate) struct RouteAttr {
    /// Index of the attribute in the function's attribute list.
    pub(crate) index: usize,
    /// Whether the method carries a body (POST, PUT, PATCH, DELETE).
    pub(crate) supports_payload: bool,
    /// The `data = "<name>"` parameter name, with the literal it came from.
    pub(crate) data: Option<(String, LitStr)>,
}

pub(crate) fn is_route_attribute(attr: &Attribute) -> bool {
    last_segment_is(attr, &ROUTE_ATTRIBUTES)
}

/// `#[catch(…)]` or `#[rocket::catch(…)]`.
pub(crate) fn is_catcher_attribute(attr: &Attribute) -> bool {
    last_segment_is(attr, &["catch"])
}

fn last_segment_is(attr: &Attribute, names: &[&str]) -> bool {
    attr.path().segments.last().is_some_and(|s| names.iter().any(|name| s.ident == name))
}

/// Whether `attr` looks like a Rocket route attribute under a name we do not know (`use rocket::post as
/// rpost; #[rpost("/x")]`): arguments that start with a URI (`"/…"`), or that name one (`uri = "/…"`).
pub(crate) fn looks_like_route_attribute(attr: &Attribute) -> bool {
    let Meta::List(list) = &attr.meta else { return false };
    let Ok(args) = list.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated) else {
        return false;
    };
    let is_uri = |expr: &Expr| matches!(ungroup(expr), Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) if s.value().starts_with('/'));
    args.iter().enumerate().any(|(i, arg)| match ungroup(arg) {
        Expr::Assign(assign) => matches!(ungroup(&assign.left), Expr::Path(p) if p.path.is_ident("uri")),
        other => i < 2 && is_uri(other),
    })
}

/// Reads the route attribute at `index`.
pub(crate) fn parse(attr: &Attribute, index: usize) -> syn::Result<RouteAttr> {
    let name = attr.path().segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    let args = attr.parse_args_with(Punctuated::<Expr, Token![,]>::parse_terminated)?;
    let method = if name == "route" {
        let first = args
            .first()
            .ok_or_else(|| syn::Error::new_spanned(attr, "expected `#[route(METHOD, uri = \"…\")]`"))?;
        method_of(first)?
    } else {
        name
    };
    let supports_payload = matches!(method.as_str(), "post" | "put" | "patch" | "delete");

    let mut data = None;
    for arg in &args {
        let Expr::Assign(assign) = ungroup(arg) else { continue };
        let Expr::Path(key) = ungroup(&assign.left) else { continue };
        if !key.path.is_ident("data") {
            continue;
        }
        // `data = $data` in a `macro_rules!` with `$data:literal` arrives as an invisible group.
        let Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) = ungroup(&assign.right) else {
            return Err(syn::Error::new_spanned(&assign.right, "expected `data = \"<name>\"`"));
        };
        let value = lit.value();
        let name = value
            .trim()
            .strip_prefix('<')
            .and_then(|v| v.strip_suffix('>'))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| syn::Error::new_spanned(lit, "expected `data = \"<name>\"`"))?;
        data = Some((name.to_owned(), lit.clone()));
    }
    Ok(RouteAttr { index, supports_payload, data })
}

/// The method of `#[route(METHOD, …)]`, as Rocket reads it: the last segment of a path (`POST`,
/// `Method::Post`, `rocket::http::Method::Post`), any case. A string (`"POST"`) is taken too; Rocket
/// itself reports it.
fn method_of(expr: &Expr) -> syn::Result<String> {
    let text = match ungroup(expr) {
        Expr::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.unraw().to_string()),
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
        _ => None,
    };
    let method = text.map(|t| t.to_ascii_lowercase()).filter(|m| {
        ["get", "put", "post", "delete", "patch", "head", "options", "connect", "trace"].contains(&m.as_str())
    });
    method.ok_or_else(|| {
        syn::Error::new(expr.span(), "expected an HTTP method such as `POST` or `Method::Post`")
    })
}

/// `expr` without the invisible groups `macro_rules!` fragments (`$x:literal`, `$x:expr`) arrive in.
fn ungroup(mut expr: &Expr) -> &Expr {
    while let Expr::Group(group) = expr {
        expr = &group.expr;
    }
    expr
}
