//! How a builder sets and writes its optional attributes, declared once per attribute.
//!
//! - [`attributes!`] declares the optional attributes of an element, each as its TwiML name and the
//!   builder method that sets it: it generates the stored values, the methods, and the code that writes
//!   them into the [`Element`].
//! - [`attribute_enum!`] declares an enum of attribute values with its `as_str` and `Display`.
//! - [`from_text!`] lets a `&str` or `String` convert into a builder made by `new(text)`.
//!
//! Doc comments are written at each declaration and carried onto the generated items.

use std::borrow::Cow;

/// What an attribute value looks like in the document.
pub(crate) trait AttrValue {
    /// The attribute's text, before escaping.
    fn attr_value(&self) -> Cow<'_, str>;
}

impl AttrValue for String {
    fn attr_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl AttrValue for u32 {
    fn attr_value(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// `true` or `false`, as twilio-python writes a `bool`.
impl AttrValue for bool {
    fn attr_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

/// Declares the optional attributes of a builder type, one line each after its doc comment:
/// `"twimlName" => pub fn method(parameter: Type);`.
///
/// `Owner.field: Attributes { … }` generates the private struct `Attributes` (every value `None` by
/// default, `Attributes::write` adds those set to an [`Element`](super::xml::Element)) and, on `Owner`
/// (which stores it in `field`), each builder method: it sets the attribute, replacing a previous value.
/// A parameter of type `impl Into<String>` is stored as a `String`; any other type (an enum, `u32`,
/// `bool`) as itself, written through [`AttrValue`].
macro_rules! attributes {
    (
        $owner:ident.$field:ident: $attributes:ident {
            $(
                $(#[$doc:meta])*
                $name:literal => pub fn $method:ident($param:ident: $($ty:tt)+);
            )*
        }
    ) => {
        #[doc = concat!("The optional attributes of [`", stringify!($owner), "`].")]
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
        struct $attributes {
            $( $method: Option<$crate::twiml::attributes::stored_type!($($ty)+)>, )*
        }

        impl $attributes {
            /// Adds the attributes that are set to `element`.
            fn write<'a>(
                &'a self,
                element: $crate::twiml::xml::Element<'a>,
            ) -> $crate::twiml::xml::Element<'a> {
                use $crate::twiml::attributes::AttrValue as _;
                element $( .attr($name, self.$method.as_ref().map(|value| value.attr_value())) )*
            }
        }

        impl $owner {
            $(
                $(#[$doc])*
                pub fn $method(mut self, $param: $($ty)+) -> Self {
                    self.$field.$method = Some($crate::twiml::attributes::stored_value!($param: $($ty)+));
                    self
                }
            )*
        }
    };
}

/// The type [`attributes!`] stores for a parameter type: `String` for `impl Into<String>`, else the
/// type itself.
macro_rules! stored_type {
    (impl Into<String>) => {
        String
    };
    ($ty:ty) => {
        $ty
    };
}

/// The value [`attributes!`] stores for a parameter: a `String` for `impl Into<String>`, else the value
/// itself.
macro_rules! stored_value {
    ($param:ident: impl Into<String>) => {
        $param.into()
    };
    ($param:ident: $ty:ty) => {
        $param
    };
}

/// Declares an enum of attribute values, one line each after its doc comment: `Variant = "value",`.
///
/// A closed set (written with `pub const fn as_str(self) -> &'static str;`) is `Copy`. An open set
/// ends with `..` and an `Other(String)` variant for values added after this crate, written as given
/// (and then `pub fn as_str(&self) -> &str;`); it is `#[non_exhaustive]`. Both get `as_str` (documented
/// by the doc comment before its signature), `Display` (the same text) and [`AttrValue`].
macro_rules! attribute_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$variant_doc:meta])* $variant:ident = $value:literal, )*
        }
        $(#[$as_str_doc:meta])*
        pub const fn as_str(self) -> &'static str;
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$variant_doc])* $variant, )*
        }

        impl $name {
            $(#[$as_str_doc])*
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )*
                }
            }
        }

        $crate::twiml::attributes::attribute_enum!(@text $name);
    };
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $( $(#[$variant_doc:meta])* $variant:ident = $value:literal, )*
            ..
            $(#[$other_doc:meta])*
            Other(String),
        }
        $(#[$as_str_doc:meta])*
        pub fn as_str(&self) -> &str;
    ) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_doc])* $variant, )*
            $(#[$other_doc])*
            Other(String),
        }

        impl $name {
            $(#[$as_str_doc])*
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Other(value) => value,
                }
            }
        }

        $crate::twiml::attributes::attribute_enum!(@text $name);
    };
    (@text $name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::twiml::attributes::AttrValue for $name {
            fn attr_value(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
}

/// `From<&str>` and `From<String>` for builders whose `new` takes the one text they need (a URL, a
/// number, the text to say…).
macro_rules! from_text {
    ($($ty:ident),* $(,)?) => {$(
        impl From<&str> for $ty {
            fn from(text: &str) -> Self {
                $ty::new(text)
            }
        }

        impl From<String> for $ty {
            fn from(text: String) -> Self {
                $ty::new(text)
            }
        }
    )*};
}

pub(crate) use {attribute_enum, attributes, from_text, stored_type, stored_value};
