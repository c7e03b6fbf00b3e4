//! Groups of parameters that several payloads share, each declared once for
//! [`payload!`](super::form::payload): a payload lists a group as `group!(),` among its fields, and gets
//! the group's fields, in this order, at that place.
//!
//! A group's macro receives the payload's `@fields` call, adds its fields, and hands the call back.

/// `CallSid`, `AccountSid`, `From`, `To`, `CallStatus`, `Direction` and `ApiVersion`: the call parameters
/// Twilio sends in every voice webhook and call status callback.
macro_rules! call {
    (@fields $lt:lifetime $head:tt [$($fields:tt)*] $($rest:tt)*) => {
        $crate::webhooks::form::payload!(@fields $lt $head [$($fields)*
            /// `CallSid`: the call's 34-character unique ID (`CA…`).
            "CallSid" => pub call_sid: &$lt str,
            /// `AccountSid`: the account the call belongs to (`AC…`).
            "AccountSid" => pub account_sid: &$lt str,
            /// `From`: the caller: a phone number in E.164, a `client:` identity or a SIP URI.
            "From" => pub from: &$lt str,
            /// `To`: the called number, client or SIP URI.
            "To" => pub to: &$lt str,
            /// `CallStatus`: the call's status when the request was made (`ringing`, `in-progress`…); in a
            /// status callback, its status at the event.
            "CallStatus" => pub call_status: $crate::webhooks::CallStatus<$lt>,
            /// `Direction`: `inbound`, `outbound-api` or `outbound-dial`.
            "Direction" => pub direction: $crate::webhooks::Direction<$lt>,
            /// `ApiVersion`: the Twilio API version, `2010-04-01`.
            "ApiVersion" => pub api_version: Option<&$lt str>,
        ] $($rest)*);
    };
}

/// `FromCity` … `ToCountry`: where the sender or caller (`From`) and the number messaged or called
/// (`To`) are, as far as Twilio knows; sent with messages, calls and call status callbacks.
macro_rules! geography {
    (@fields $lt:lifetime $head:tt [$($fields:tt)*] $($rest:tt)*) => {
        $crate::webhooks::form::payload!(@fields $lt $head [$($fields)*
            /// `FromCity`: the city of the sender or caller, when known (may be empty).
            "FromCity" => pub from_city: Option<&$lt str>,
            /// `FromState`: the state or province of the sender or caller, when known.
            "FromState" => pub from_state: Option<&$lt str>,
            /// `FromZip`: the postal code of the sender or caller, when known.
            "FromZip" => pub from_zip: Option<&$lt str>,
            /// `FromCountry`: the country of the sender or caller (ISO 3166-1 alpha-2, e.g. `US`), when known.
            "FromCountry" => pub from_country: Option<&$lt str>,
            /// `ToCity`: the city of the number messaged or called, when known.
            "ToCity" => pub to_city: Option<&$lt str>,
            /// `ToState`: the state or province of the number messaged or called, when known.
            "ToState" => pub to_state: Option<&$lt str>,
            /// `ToZip`: the postal code of the number messaged or called, when known.
            "ToZip" => pub to_zip: Option<&$lt str>,
            /// `ToCountry`: the country of the number messaged or called, when known.
            "ToCountry" => pub to_country: Option<&$lt str>,
        ] $($rest)*);
    };
}

pub(crate) use {call, geography};
