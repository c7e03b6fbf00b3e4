//! Twilio's enumerated values (statuses, directions…) as Rust enums that keep values they do not know.
//!
//! Twilio adds values without notice (a message became `read`, then `partially_delivered`), so every
//! enum here has an `Other` variant holding the value as sent: a new value reaches your handler instead
//! of failing the whole form with a 422. Parsing never fails, is exact (case-sensitive) and never yields
//! `Other` for a value the enum names.

use std::fmt;

use rocket::form::{self, FromFormField, ValueField};
use rocket::serde::{Serialize, Serializer};

/// Declares an enum of Twilio string values with an `Other(&'r str)` variant, and its conversions.
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_attr:meta])*
                $variant:ident = $value:literal,
            )*
        }
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name<'r> {
            $(
                $(#[$variant_attr])*
                #[doc = concat!("\n\nTwilio's value: `", $value, "`.")]
                $variant,
            )*
            /// A value this version does not know, exactly as Twilio sent it.
            Other(&'r str),
        }

        impl<'r> $name<'r> {
            /// Reads Twilio's value. Never fails: a value not listed above becomes `Other`.
            pub fn parse(value: &'r str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Other(other),
                }
            }

            /// The value as Twilio writes it.
            pub fn as_str(&self) -> &'r str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl<'r> From<&'r str> for $name<'r> {
            fn from(value: &'r str) -> Self {
                Self::parse(value)
            }
        }

        impl fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'r> FromFormField<'r> for $name<'r> {
            fn from_value(field: ValueField<'r>) -> form::Result<'r, Self> {
                Ok(Self::parse(field.value))
            }
        }

        impl Serialize for $name<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// The status of a message: `MessageStatus` and `SmsStatus`
    /// ([message status values](https://www.twilio.com/docs/messaging/api/message-resource#message-status-values)).
    pub enum MessageStatus {
        /// The API request to send the message succeeded and Twilio queued it.
        Queued = "queued",
        /// Twilio is sending the message.
        Sending = "sending",
        /// The carrier or channel accepted the message.
        Sent = "sent",
        /// The message could not be sent (see `ErrorCode`).
        Failed = "failed",
        /// The carrier or channel confirmed delivery.
        Delivered = "delivered",
        /// The carrier or channel reported that the message was not delivered (see `ErrorCode`).
        Undelivered = "undelivered",
        /// An inbound message is arriving.
        Receiving = "receiving",
        /// An inbound message arrived.
        Received = "received",
        /// A Messaging Service accepted the message and is choosing a sender.
        Accepted = "accepted",
        /// The message is scheduled to be sent later.
        Scheduled = "scheduled",
        /// The recipient opened the message (WhatsApp and other channels with read receipts).
        Read = "read",
        /// Some segments of a multi-segment message were delivered.
        PartiallyDelivered = "partially_delivered",
        /// A scheduled message was canceled.
        Canceled = "canceled",
    }
}

string_enum! {
    /// The status of a call: `CallStatus`, and `DialCallStatus` for the dialed leg
    /// ([call status values](https://www.twilio.com/docs/voice/api/call-resource#call-status-values)).
    pub enum CallStatus {
        /// The call is waiting to be dialed.
        Queued = "queued",
        /// Twilio started dialing the call (status callback event `initiated`).
        Initiated = "initiated",
        /// The call is ringing.
        Ringing = "ringing",
        /// The call was answered and is in progress.
        InProgress = "in-progress",
        /// The call was answered and has ended normally.
        Completed = "completed",
        /// The callee was busy.
        Busy = "busy",
        /// The call could not be completed (e.g. the number does not exist).
        Failed = "failed",
        /// The callee did not answer.
        NoAnswer = "no-answer",
        /// The call was canceled before it was answered.
        Canceled = "canceled",
        /// `DialCallStatus` only: the dialed party answered and the call is still bridged.
        Answered = "answered",
    }
}

string_enum! {
    /// Which way a call or message goes: `Direction`.
    pub enum Direction {
        /// Into your Twilio number (or SIP domain, client…).
        Inbound = "inbound",
        /// Created through the REST API.
        OutboundApi = "outbound-api",
        /// Created by `<Dial>` in a call's TwiML.
        OutboundDial = "outbound-dial",
        /// A message sent by `<Message>` (or `<Sms>`) during a call.
        OutboundCall = "outbound-call",
        /// A message sent by `<Message>` in reply to an incoming message.
        OutboundReply = "outbound-reply",
    }
}

string_enum! {
    /// Who answered, with answering machine detection: `AnsweredBy`
    /// ([AMD](https://www.twilio.com/docs/voice/answering-machine-detection)).
    pub enum AnsweredBy {
        /// A person.
        Human = "human",
        /// A machine; returned right away when detection ends without waiting for the greeting.
        MachineStart = "machine_start",
        /// A machine, after its greeting ended with a beep.
        MachineEndBeep = "machine_end_beep",
        /// A machine, after its greeting ended with silence.
        MachineEndSilence = "machine_end_silence",
        /// A machine, after its greeting ended otherwise.
        MachineEndOther = "machine_end_other",
        /// A fax machine.
        Fax = "fax",
        /// Detection could not decide.
        Unknown = "unknown",
    }
}

string_enum! {
    /// The status of a recording: `RecordingStatus`
    /// ([recording status callback](https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback)).
    pub enum RecordingStatus {
        /// Recording has started.
        InProgress = "in-progress",
        /// The recording is complete and available.
        Completed = "completed",
        /// The recording is absent (e.g. silence only, so no file was kept).
        Absent = "absent",
        /// The recording failed (see `ErrorCode`).
        Failed = "failed",
    }
}

string_enum! {
    /// The status of a `<Record transcribe>` transcription: `TranscriptionStatus`.
    pub enum TranscriptionStatus {
        /// The transcription succeeded; `TranscriptionText` holds it.
        Completed = "completed",
        /// The transcription failed.
        Failed = "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_parse_to_their_variants_and_back() {
        for (value, status) in [
            ("delivered", MessageStatus::Delivered),
            ("partially_delivered", MessageStatus::PartiallyDelivered),
            ("read", MessageStatus::Read),
        ] {
            assert_eq!(MessageStatus::parse(value), status);
            assert_eq!(status.as_str(), value);
            assert_eq!(status.to_string(), value);
        }
        assert_eq!(CallStatus::parse("in-progress"), CallStatus::InProgress);
        assert_eq!(CallStatus::parse("no-answer"), CallStatus::NoAnswer);
        assert_eq!(Direction::parse("outbound-dial"), Direction::OutboundDial);
        assert_eq!(AnsweredBy::parse("machine_end_beep"), AnsweredBy::MachineEndBeep);
    }

    #[test]
    fn unknown_values_are_kept_not_refused() {
        assert_eq!(MessageStatus::parse("teleported"), MessageStatus::Other("teleported"));
        assert_eq!(MessageStatus::parse("teleported").as_str(), "teleported");
        // Exact match: Twilio writes these in lower case; another spelling is kept, not guessed at.
        assert_eq!(CallStatus::parse("Completed"), CallStatus::Other("Completed"));
        assert_eq!(Direction::parse(""), Direction::Other(""));
    }
}
