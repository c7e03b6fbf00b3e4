//! What is emitted when the attribute is misused: the user's item, unchanged, plus the errors.
//!
//! Re-emitting the item keeps rust-analyzer and the rest of the crate working; the `compile_error!`s still
//! fail the build, so a route can never ship without its validation.

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn emit(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote!(#item #errors)
}
