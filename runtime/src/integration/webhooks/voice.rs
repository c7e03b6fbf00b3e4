//! Programmable Voice webhooks: the requests a call's TwiML makes (the incoming call, `<Gather>`,
//! `<Record>`, `<Dial>` actions…), call status callbacks and recording status callbacks.

use super::enums::{AnsweredBy, CallStatus, RecordingStatus, TranscriptionStatus};
use super::form::payload;
use super::shared::{call, geography};

payload! {
    /// A voice webhook: the request Twilio makes for an incoming call, and for every later TwiML request
    /// of the call (`<Gather>`, `<Record>` and `<Dial>` actions, `<Redirect>`, transcription callbacks…)
    /// ([TwiML request parameters](https://www.twilio.com/docs/voice/twiml#request-parameters)).
    ///
    /// Use it as `Form<IncomingCall<'_>>` (POST), or read the same parameters from the query of a GET
    /// webhook. The standard call parameters `CallSid`, `AccountSid`, `From`, `To`, `CallStatus` and
    /// `Direction` are required; the fields of a verb's action (`Digits`, `SpeechResult`,
    /// `RecordingUrl`, `DialCallStatus`…) and everything else are `Option`s, `None` when Twilio did not
    /// send them (or sent a value of another type). Unlisted parameters, such as SIP headers
    /// (`SipHeader_X-…`), are accepted and ignored; they are still covered by the signature.
    ///
    /// ```
    /// use rocket::form::Form;
    /// use rocket_twilio::webhooks::{CallStatus, IncomingCall};
    ///
    /// // A `<Gather input="speech">` action request.
    /// let form = "CallSid=CA1&AccountSid=AC1&From=+14155550100&To=+14155550199&CallStatus=in-progress\
    ///             &Direction=inbound&SpeechResult=Sales please.&Confidence=0.92";
    /// let call: IncomingCall<'_> = Form::parse(form).unwrap();
    /// assert_eq!(call.call_status, CallStatus::InProgress);
    /// assert_eq!((call.speech_result, call.confidence), (Some("Sales please."), Some(0.92)));
    /// ```
    pub struct IncomingCall<'r> {
        call!(),
        /// `ApplicationSid`: the TwiML App handling the call (`AP…`), if any.
        "ApplicationSid" => pub application_sid: Option<&'r str>,
        /// `ForwardedFrom`: the number that forwarded the call, when the carrier says so.
        "ForwardedFrom" => pub forwarded_from: Option<&'r str>,
        /// `CallerName`: the caller's name (CNAM lookup), when enabled on the number.
        "CallerName" => pub caller_name: Option<&'r str>,
        /// `ParentCallSid`: the call that created this one (e.g. with `<Dial>`), if any.
        "ParentCallSid" => pub parent_call_sid: Option<&'r str>,
        /// `CallToken`: a token for forwarding this call's caller ID in a new call (incoming PSTN calls).
        "CallToken" => pub call_token: Option<&'r str>,
        /// `Caller`: the same value as `From` (legacy).
        "Caller" => pub caller: Option<&'r str>,
        /// `Called`: the same value as `To` (legacy).
        "Called" => pub called: Option<&'r str>,
        /// `StirVerstat`: the SHAKEN/STIR verification of the caller ID, e.g. `TN-Validation-Passed-A`.
        "StirVerstat" => pub stir_verstat: Option<&'r str>,

        geography!(),

        /// `Digits` (`<Gather>` and `<Record>` actions): the keys the caller pressed, e.g. `1234`, `#`,
        /// or `hangup` when a `<Record>` ended because the caller hung up.
        "Digits" => pub digits: Option<&'r str>,
        /// `FinishedOnKey` (`<Gather>` action): the key that ended the input (`#` by default), or empty.
        "FinishedOnKey" => pub finished_on_key: Option<&'r str>,
        /// `SpeechResult` (`<Gather input="speech">` action): the transcribed speech.
        "SpeechResult" => pub speech_result: Option<&'r str>,
        /// `Confidence` (`<Gather input="speech">` action): how sure the recognizer is, from 0.0 to 1.0.
        "Confidence" => pub confidence: Option<f64>,

        /// `RecordingUrl` (`<Record>` and `<Dial record>` actions): where the recording is (add `.mp3`
        /// or `.wav` for a format).
        "RecordingUrl" => pub recording_url: Option<&'r str>,
        /// `RecordingSid`: the recording's ID (`RE…`).
        "RecordingSid" => pub recording_sid: Option<&'r str>,
        /// `RecordingDuration`: the recording's length, in seconds.
        "RecordingDuration" => pub recording_duration: Option<u32>,

        /// `TranscriptionSid` (`<Record transcribeCallback>`): the transcription's ID (`TR…`).
        "TranscriptionSid" => pub transcription_sid: Option<&'r str>,
        /// `TranscriptionText`: the transcribed text.
        "TranscriptionText" => pub transcription_text: Option<&'r str>,
        /// `TranscriptionStatus`: `completed` or `failed`.
        "TranscriptionStatus" => pub transcription_status: Option<TranscriptionStatus<'r>>,
        /// `TranscriptionUrl`: the transcription resource's URL.
        "TranscriptionUrl" => pub transcription_url: Option<&'r str>,

        /// `DialCallSid` (`<Dial>` action): the dialed call's ID.
        "DialCallSid" => pub dial_call_sid: Option<&'r str>,
        /// `DialCallStatus` (`<Dial>` action): how the dialed call ended (`completed`, `busy`,
        /// `no-answer`, `failed`, `canceled`) or `answered`.
        "DialCallStatus" => pub dial_call_status: Option<CallStatus<'r>>,
        /// `DialCallDuration` (`<Dial>` action): the dialed call's length, in seconds.
        "DialCallDuration" => pub dial_call_duration: Option<u32>,
        /// `DialBridged` (`<Dial>` action): whether the dialed party was connected to the caller.
        "DialBridged" => pub dial_bridged: Option<bool>,

        /// `SipDomain` (calls to a SIP domain): the domain called, e.g. `example.sip.twilio.com`.
        "SipDomain" => pub sip_domain: Option<&'r str>,
        /// `SipDomainSid`: the SIP domain's ID (`SD…`).
        "SipDomainSid" => pub sip_domain_sid: Option<&'r str>,
        /// `SipCallId`: the SIP `Call-ID` of the incoming INVITE.
        "SipCallId" => pub sip_call_id: Option<&'r str>,
        /// `SipSourceIp`: the IP address the INVITE came from.
        "SipSourceIp" => pub sip_source_ip: Option<&'r str>,
        /// `SipResponseCode` (`<Dial><Sip>` action): the final SIP response code of the dialed leg.
        "SipResponseCode" => pub sip_response_code: Option<u16>,

        /// `AnsweredBy` (answering machine detection): who answered.
        "AnsweredBy" => pub answered_by: Option<AnsweredBy<'r>>,
        /// `MachineDetectionDuration`: how long detection took, in milliseconds.
        "MachineDetectionDuration" => pub machine_detection_duration: Option<u32>,
    }
}

payload! {
    /// A call status callback: Twilio calls the call's `StatusCallback` URL for the events it subscribed
    /// to (`initiated`, `ringing`, `answered`, `completed`)
    /// ([StatusCallback](https://www.twilio.com/docs/voice/api/call-resource#statuscallback)).
    ///
    /// The standard call parameters `CallSid`, `AccountSid`, `From`, `To`, `CallStatus` and `Direction`
    /// are required; the rest are `Option`s. Callbacks may arrive out of order: sort them by
    /// `sequence_number`.
    ///
    /// ```
    /// use rocket::form::Form;
    /// use rocket_twilio::webhooks::{CallStatus, CallStatusCallback};
    ///
    /// let form = "CallSid=CA1&AccountSid=AC1&From=+14155550100&To=+14155550199&CallStatus=completed\
    ///             &Direction=outbound-api&CallDuration=42&SequenceNumber=3";
    /// let callback: CallStatusCallback<'_> = Form::parse(form).unwrap();
    /// assert_eq!(callback.call_status, CallStatus::Completed);
    /// assert_eq!((callback.call_duration, callback.sequence_number), (Some(42), Some(3)));
    /// ```
    pub struct CallStatusCallback<'r> {
        call!(),
        /// `ForwardedFrom`: the number that forwarded the call, when known.
        "ForwardedFrom" => pub forwarded_from: Option<&'r str>,
        /// `CallerName`: the caller's name (CNAM lookup), when enabled.
        "CallerName" => pub caller_name: Option<&'r str>,
        /// `ParentCallSid`: the call that created this one, if any.
        "ParentCallSid" => pub parent_call_sid: Option<&'r str>,
        /// `Caller`: the same value as `From` (legacy).
        "Caller" => pub caller: Option<&'r str>,
        /// `Called`: the same value as `To` (legacy).
        "Called" => pub called: Option<&'r str>,

        geography!(),

        /// `CallDuration` (`completed`): the call's length, in seconds.
        "CallDuration" => pub call_duration: Option<u32>,
        /// `Timestamp`: when the event happened, RFC 2822 (e.g. `Mon, 16 Aug 2010 03:45:01 +0000`).
        "Timestamp" => pub timestamp: Option<&'r str>,
        /// `CallbackSource`: what sent the callback, `call-progress-events`.
        "CallbackSource" => pub callback_source: Option<&'r str>,
        /// `SequenceNumber`: the order of the events of this call, from 0.
        "SequenceNumber" => pub sequence_number: Option<u32>,
        /// `SipResponseCode`: the final SIP response code, for SIP calls.
        "SipResponseCode" => pub sip_response_code: Option<u16>,
        /// `RecordingUrl` (recorded calls): where the call's recording is.
        "RecordingUrl" => pub recording_url: Option<&'r str>,
        /// `RecordingSid` (recorded calls): the recording's ID.
        "RecordingSid" => pub recording_sid: Option<&'r str>,
        /// `RecordingDuration` (recorded calls): the recording's length, in seconds.
        "RecordingDuration" => pub recording_duration: Option<u32>,
        /// `AnsweredBy` (answering machine detection): who answered.
        "AnsweredBy" => pub answered_by: Option<AnsweredBy<'r>>,
        /// `MachineDetectionDuration`: how long detection took, in milliseconds.
        "MachineDetectionDuration" => pub machine_detection_duration: Option<u32>,
    }
}

payload! {
    /// A recording status callback: Twilio calls the `recordingStatusCallback` URL of a call, `<Dial>`,
    /// `<Record>`, `<Conference>` or `<Start><Recording>` as its recording progresses
    /// ([recordingStatusCallback](https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback)).
    ///
    /// Unlike the other voice requests this one carries no caller information: `AccountSid`,
    /// `RecordingSid`, `RecordingUrl` and `RecordingStatus` are required; `CallSid` is absent for a
    /// conference recording.
    ///
    /// ```
    /// use rocket::form::Form;
    /// use rocket_twilio::webhooks::{RecordingStatus, RecordingStatusCallback};
    ///
    /// let form = "AccountSid=AC1&CallSid=CA1&RecordingSid=RE1&RecordingUrl=https://api.twilio.com/r/RE1\
    ///             &RecordingStatus=completed&RecordingDuration=7&RecordingChannels=1";
    /// let callback: RecordingStatusCallback<'_> = Form::parse(form).unwrap();
    /// assert_eq!(callback.recording_status, RecordingStatus::Completed);
    /// assert_eq!(callback.recording_duration, Some(7));
    /// ```
    pub struct RecordingStatusCallback<'r> {
        /// `AccountSid`: the account the recording belongs to.
        "AccountSid" => pub account_sid: &'r str,
        /// `CallSid`: the recorded call, when a call was recorded.
        "CallSid" => pub call_sid: Option<&'r str>,
        /// `ConferenceSid`: the recorded conference, when a conference was recorded.
        "ConferenceSid" => pub conference_sid: Option<&'r str>,
        /// `RecordingSid`: the recording's ID (`RE…`).
        "RecordingSid" => pub recording_sid: &'r str,
        /// `RecordingUrl`: where the recording is (add `.mp3` or `.wav` for a format).
        "RecordingUrl" => pub recording_url: &'r str,
        /// `RecordingStatus`: `in-progress`, `completed`, `absent` or `failed`.
        "RecordingStatus" => pub recording_status: RecordingStatus<'r>,
        /// `RecordingDuration`: the recording's length, in seconds.
        "RecordingDuration" => pub recording_duration: Option<u32>,
        /// `RecordingChannels`: 1 (mono) or 2 (dual-channel).
        "RecordingChannels" => pub recording_channels: Option<u8>,
        /// `RecordingStartTime`: when recording started, RFC 2822.
        "RecordingStartTime" => pub recording_start_time: Option<&'r str>,
        /// `RecordingSource`: what started the recording, e.g. `RecordVerb`, `DialVerb`,
        /// `OutboundAPI`, `StartCallRecordingAPI`.
        "RecordingSource" => pub recording_source: Option<&'r str>,
        /// `RecordingTrack`: which audio was recorded: `inbound`, `outbound` or `both`.
        "RecordingTrack" => pub recording_track: Option<&'r str>,
        /// `ErrorCode`: why the recording failed (`0` or absent on success).
        "ErrorCode" => pub error_code: Option<u32>,
    }
}
