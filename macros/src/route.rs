//! Finding and reading the Rocket route attribute below ours.

use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

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
    attr.path().segments.last().is_some_and(|s| ROUTE_ATTRIBUTES.iter().any(|name| s.ident == name))
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
        let Expr::Assign(assign) = arg else { continue };
        let Expr::Path(key) = &*assign.left else { continue };
        if !key.path.is_ident("data") {
            continue;
        }
        let Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) = &*assign.right else {
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

/// The method of `#[route(METHOD, …)]`: an identifier (`POST`) or a string (`"POST"`), any case.
fn method_of(expr: &Expr) -> syn::Result<String> {
    let text = match expr {
        Expr::Path(p) if p.path.get_ident().is_some() => p.path.get_ident().map(|i| i.to_string()),
        Expr::Lit(ExprLit { lit: Lit::Str(s), .. }) => Some(s.value()),
        _ => None,
    };
    let method = text.map(|t| t.to_ascii_lowercase()).filter(|m| {
        ["get", "put", "post", "delete", "patch", "head", "options", "connect", "trace"].contains(&m.as_str())
    });
    method.ok_or_else(|| syn::Error::new(expr.span(), "expected an HTTP method such as `GET` or `POST`"))
}
