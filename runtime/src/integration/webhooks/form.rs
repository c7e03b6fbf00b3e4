//! How the payload types are read from a form: one `FromForm` implementation, generated for each type
//! by [`payload!`], with the same rules for all of them.
//!
//! Rocket's `#[derive(FromForm)]` matches each parameter to one field by its exact name, so it cannot
//! gather `MediaUrl0`, `MediaUrl1`, … into a list. The impl generated here does what the derive does for
//! ordinary fields (each field's own `FromForm` context, created on first use, finalized with the field's
//! name on its errors, `_method` always allowed, unknown parameters refused only in strict mode), and
//! first offers every parameter to an optional [`Gather`] that owns a family of parameters.

use rocket::form::error::ErrorKind;
use rocket::form::name::{Name, NameBuf};
use rocket::form::{self, Errors, FromForm, Options, ValueField};

/// A family of parameters gathered into one field (the media of a message), offered every parameter
/// before the ordinary fields see it.
pub(crate) trait Gather<'r>: Send + Sized {
    /// The field's type.
    type Output;

    /// An empty gatherer.
    fn new() -> Self;

    /// Keeps `field` if it belongs to the family (returns `None`), or hands it back to be matched to an
    /// ordinary field. A gatherer may look at a field it hands back (e.g. the count of its family).
    fn offer(&mut self, field: ValueField<'r>) -> Option<ValueField<'r>>;

    /// Checks the family and builds the field; errors name the parameters at fault.
    fn finish(self) -> Result<Self::Output, Errors<'r>>;
}

/// Finalizes one field's context as Rocket's derive does: a field never pushed takes its type's default
/// (e.g. `None` for an `Option`) or is missing; errors carry the field's name.
pub(crate) fn finish<'r, T: FromForm<'r>>(
    context: Option<T::Context>,
    opts: Options,
    parent: Option<&'r Name>,
    param: &'r str,
) -> form::Result<'r, T> {
    let result = match context {
        Some(context) => T::finalize(context),
        None => T::default(opts).ok_or_else(|| Errors::from(ErrorKind::Missing)),
    };
    result.map_err(|errors| {
        let errors = errors.with_name(NameBuf::from((parent, param)));
        if errors.is_empty() {
            Errors::from(ErrorKind::Unknown)
        } else {
            errors
        }
    })
}

/// Declares a payload struct, documented field by field, and implements `FromForm` for it. Every payload
/// is `Clone`, `Debug`, `PartialEq`, `Serialize` and `#[non_exhaustive]`.
///
/// Each ordinary field is written `"TwilioName" => pub field: Type,` after its doc comment. A group of
/// fields that several payloads share is written `group!(),` and declared once, in
/// [`shared`](super::shared). An optional last field, after `..`, is filled by a [`Gather`] type instead:
/// `pub media: Vec<Media<'r>> = MediaFields<'r>,`.
macro_rules! payload {
    (
        $(#[$attr:meta])*
        pub struct $name:ident<$lt:lifetime> { $($body:tt)* }
    ) => {
        $crate::webhooks::form::payload!(@fields $lt [$(#[$attr])* pub struct $name<$lt>] [] $($body)*);
    };
    // Fields are moved one by one into the second bracket; a group's macro adds its fields there and
    // hands the rest back with the same `@fields` call.
    (@fields $lt:lifetime $head:tt [$($fields:tt)*] $group:ident!(), $($rest:tt)*) => {
        $group!(@fields $lt $head [$($fields)*] $($rest)*);
    };
    (
        @fields $lt:lifetime $head:tt [$($fields:tt)*]
        $(#[$field_attr:meta])* $param:literal => pub $field:ident: $ty:ty,
        $($rest:tt)*
    ) => {
        $crate::webhooks::form::payload!(
            @fields $lt $head [$($fields)* $(#[$field_attr])* $param => pub $field: $ty,] $($rest)*
        );
    };
    (@fields $lt:lifetime [$($head:tt)*] [$($fields:tt)*] $($gathered:tt)*) => {
        $crate::webhooks::form::payload!(@struct $($head)* { $($fields)* $($gathered)* });
    };
    (
        @struct
        $(#[$attr:meta])*
        pub struct $name:ident<$lt:lifetime> {
            $(
                $(#[$field_attr:meta])*
                $param:literal => pub $field:ident: $ty:ty,
            )*
            $(
                ..
                $(#[$gather_attr:meta])*
                pub $gather_field:ident: $gather_ty:ty = $gatherer:ty,
            )?
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, ::rocket::serde::Serialize)]
        #[serde(crate = "rocket::serde")]
        #[non_exhaustive]
        pub struct $name<$lt> {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            $(
                $(#[$gather_attr])*
                pub $gather_field: $gather_ty,
            )?
        }

        const _: () = {
            use ::rocket::form::name::Name;
            use ::rocket::form::{DataField, Error, Errors, FromForm, Options, ValueField};
            #[allow(unused_imports)]
            use $crate::webhooks::form::Gather as _;

            /// The parsing state of one payload: one optional context per field.
            #[doc(hidden)]
            pub struct PayloadContext<$lt> {
                opts: Options,
                errors: Errors<$lt>,
                parent: Option<&$lt Name>,
                $( $field: Option<<$ty as FromForm<$lt>>::Context>, )*
                $( $gather_field: $gatherer, )?
            }

            #[::rocket::async_trait]
            impl<$lt> FromForm<$lt> for $name<$lt> {
                type Context = PayloadContext<$lt>;

                fn init(opts: Options) -> Self::Context {
                    PayloadContext {
                        opts,
                        errors: Errors::new(),
                        parent: None,
                        $( $field: None, )*
                        $( $gather_field: <$gatherer>::new(), )?
                    }
                }

                fn push_value(ctx: &mut Self::Context, field: ValueField<$lt>) {
                    ctx.parent = field.name.parent();
                    $(
                        let Some(field) = ctx.$gather_field.offer(field) else { return };
                    )?
                    let opts = ctx.opts;
                    match field.name.key_lossy().as_str() {
                        $(
                            $param => <$ty as FromForm<$lt>>::push_value(
                                ctx.$field.get_or_insert_with(|| <$ty as FromForm<$lt>>::init(opts)),
                                field.shift(),
                            ),
                        )*
                        key if key == "_method" || !opts.strict => {}
                        _ => ctx.errors.push(field.unexpected()),
                    }
                }

                async fn push_data(ctx: &mut Self::Context, field: DataField<$lt, '_>) {
                    // Twilio never sends multipart forms; a file part is an unknown parameter.
                    if ctx.opts.strict {
                        ctx.errors.push(field.unexpected());
                    }
                }

                fn push_error(ctx: &mut Self::Context, error: Error<$lt>) {
                    ctx.errors.push(error);
                }

                fn finalize(ctx: Self::Context) -> ::rocket::form::Result<$lt, Self> {
                    let PayloadContext { opts, mut errors, parent, $( $field, )* $( $gather_field, )? } = ctx;
                    $(
                        let $field = $crate::webhooks::form::finish::<$ty>($field, opts, parent, $param)
                            .map_err(|e| errors.extend(e))
                            .ok();
                    )*
                    $(
                        let $gather_field = $gather_field.finish().map_err(|e| errors.extend(e)).ok();
                    )?
                    match ($( $field, )* $( $gather_field, )?) {
                        ($( Some($field), )* $( Some($gather_field), )?) if errors.is_empty() => {
                            Ok(Self { $( $field, )* $( $gather_field, )? })
                        }
                        _ if errors.is_empty() => Err(::rocket::form::error::ErrorKind::Unknown.into()),
                        _ => Err(errors),
                    }
                }
            }
        };
    };
}

pub(crate) use payload;
