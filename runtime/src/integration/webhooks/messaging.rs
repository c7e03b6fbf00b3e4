//! Programmable Messaging webhooks: an incoming SMS, MMS or WhatsApp message, and the status callbacks of
//! the messages you send.

use super::enums::MessageStatus;
use super::form::payload;
use super::media::{Media, MediaFields};
use super::shared::geography;

payload! {
    /// An incoming message (SMS, MMS, WhatsApp, RCS…): what Twilio sends to your number's or Messaging
    /// Service's messaging webhook
    /// ([Twilio's request to your incoming message webhook URL](https://www.twilio.com/docs/messaging/guides/webhook-request)).
    ///
    /// Use it as `Form<IncomingMessage<'_>>`. `MessageSid`, `AccountSid`, `From`, `To`, `Body` and
    /// `NumMedia`, which Twilio always sends, are required; every other field is an `Option` (`None` when
    /// Twilio did not send it, or sent a value of another type). Parameters not listed here are accepted
    /// and ignored (they are still covered by the signature). See the [module docs](super) for
    /// `Strict` and for the rule on media.
    ///
    /// ```
    /// use rocket::form::Form;
    /// use rocket_twilio::webhooks::IncomingMessage;
    ///
    /// // `Form::parse` takes decoded text (a validated route decodes the body for you).
    /// let form = "MessageSid=SM1&AccountSid=AC1&From=+14155550100&To=+14155550199&Body=Hi&NumMedia=1\
    ///             &MediaUrl0=https://api.twilio.com/m/ME1&MediaContentType0=image/jpeg&SomeNewParameter=1";
    /// let message: IncomingMessage<'_> = Form::parse(form).unwrap();
    /// assert_eq!((message.from, message.body, message.num_media), ("+14155550100", "Hi", 1));
    /// assert_eq!(message.media[0].content_type, "image/jpeg");
    /// ```
    pub struct IncomingMessage<'r> {
        /// `MessageSid`: the message's 34-character unique ID (`SM…`, or `MM…` for MMS); use it to fetch
        /// the message from the REST API.
        "MessageSid" => pub message_sid: &'r str,
        /// `SmsSid`: the same value as `MessageSid` (deprecated).
        "SmsSid" => pub sms_sid: Option<&'r str>,
        /// `SmsMessageSid`: the same value as `MessageSid` (deprecated).
        "SmsMessageSid" => pub sms_message_sid: Option<&'r str>,
        /// `AccountSid`: the account the message belongs to (`AC…`).
        "AccountSid" => pub account_sid: &'r str,
        /// `MessagingServiceSid`: the Messaging Service that received the message (`MG…`), if any.
        "MessagingServiceSid" => pub messaging_service_sid: Option<&'r str>,
        /// `From`: the sender: a phone number in E.164 (`+14155550100`) or a channel address
        /// (`whatsapp:+14155550100`).
        "From" => pub from: &'r str,
        /// `To`: your number or channel address that received the message.
        "To" => pub to: &'r str,
        /// `Body`: the text of the message, up to 1600 characters (may be empty, e.g. for a picture).
        "Body" => pub body: &'r str,
        /// `NumMedia`: how many media items the message has; always equal to `media.len()`.
        "NumMedia" => pub num_media: u32,
        /// `NumSegments`: how many SMS segments the message arrived in (1 for WhatsApp).
        "NumSegments" => pub num_segments: Option<u32>,
        /// `SmsStatus`: the message's status, `received` for an incoming message.
        "SmsStatus" => pub sms_status: Option<MessageStatus<'r>>,
        /// `ApiVersion`: the Twilio API version, `2010-04-01`.
        "ApiVersion" => pub api_version: Option<&'r str>,
        /// `MessageType`: the kind of WhatsApp message (`text`, `image`, `location`, `button`,
        /// `interactive`…).
        "MessageType" => pub message_type: Option<&'r str>,

        geography!(),

        /// `ProfileName` (WhatsApp): the sender's WhatsApp profile name.
        "ProfileName" => pub profile_name: Option<&'r str>,
        /// `WaId` (WhatsApp): the sender's WhatsApp ID, usually their phone number without `+`.
        "WaId" => pub wa_id: Option<&'r str>,
        /// `Forwarded` (WhatsApp): `true` if the message was forwarded.
        "Forwarded" => pub forwarded: Option<bool>,
        /// `FrequentlyForwarded` (WhatsApp): `true` if the message was forwarded many times.
        "FrequentlyForwarded" => pub frequently_forwarded: Option<bool>,
        /// `ButtonText` (WhatsApp): the text of the quick-reply button the sender tapped.
        "ButtonText" => pub button_text: Option<&'r str>,
        /// `ButtonPayload` (WhatsApp): the payload (ID) of the quick-reply button the sender tapped.
        "ButtonPayload" => pub button_payload: Option<&'r str>,
        /// `OriginalRepliedMessageSender` (WhatsApp): the sender of the message this one replies to.
        "OriginalRepliedMessageSender" => pub original_replied_message_sender: Option<&'r str>,
        /// `OriginalRepliedMessageSid` (WhatsApp): the SID of the message this one replies to.
        "OriginalRepliedMessageSid" => pub original_replied_message_sid: Option<&'r str>,

        /// `Latitude` (WhatsApp location): the shared location's latitude.
        "Latitude" => pub latitude: Option<f64>,
        /// `Longitude` (WhatsApp location): the shared location's longitude.
        "Longitude" => pub longitude: Option<f64>,
        /// `Address` (WhatsApp location): the shared place's address.
        "Address" => pub address: Option<&'r str>,
        /// `Label` (WhatsApp location): the shared place's name.
        "Label" => pub label: Option<&'r str>,

        /// `ReferralBody` (WhatsApp, from a Click-to-WhatsApp ad or post): the ad's body text.
        "ReferralBody" => pub referral_body: Option<&'r str>,
        /// `ReferralHeadline`: the ad's headline.
        "ReferralHeadline" => pub referral_headline: Option<&'r str>,
        /// `ReferralSourceId`: the Meta ID of the ad or post.
        "ReferralSourceId" => pub referral_source_id: Option<&'r str>,
        /// `ReferralSourceType`: the kind of source, `ad` or `post`.
        "ReferralSourceType" => pub referral_source_type: Option<&'r str>,
        /// `ReferralSourceUrl`: the URL of the ad or post.
        "ReferralSourceUrl" => pub referral_source_url: Option<&'r str>,
        /// `ReferralMediaId`: the Meta ID of the ad's media.
        "ReferralMediaId" => pub referral_media_id: Option<&'r str>,
        /// `ReferralMediaContentType`: the MIME type of the ad's media.
        "ReferralMediaContentType" => pub referral_media_content_type: Option<&'r str>,
        /// `ReferralMediaUrl`: where the ad's media is.
        "ReferralMediaUrl" => pub referral_media_url: Option<&'r str>,
        /// `ReferralNumMedia`: how many media items the referral has (`0` on ordinary messages).
        "ReferralNumMedia" => pub referral_num_media: Option<u32>,
        /// `ReferralCtwaClid`: the Click-to-WhatsApp click ID, for attributing the conversation to the ad.
        "ReferralCtwaClid" => pub referral_ctwa_clid: Option<&'r str>,
        ..
        /// The media items, from `MediaUrl{i}` and `MediaContentType{i}` for `i` in `0..NumMedia`, in
        /// order.
        ///
        /// The form is refused (422, with a message naming the parameter) unless the items sent are
        /// exactly those `NumMedia` announces: every `i` below `NumMedia` has both a `MediaUrl{i}` and a
        /// `MediaContentType{i}`, none is sent twice, and no `i` at or above `NumMedia` is sent.
        pub media: Vec<Media<'r>> = MediaFields<'r>,
    }
}

payload! {
    /// A status callback for a message you sent: Twilio calls the message's `StatusCallback` URL (or
    /// the Messaging Service's) each time its status changes
    /// ([message status values](https://www.twilio.com/docs/messaging/api/message-resource#message-status-values),
    /// [tracking outbound message status](https://www.twilio.com/docs/messaging/guides/track-outbound-message-status)).
    ///
    /// Twilio sends "a subset of the standard request properties" here, so only `MessageSid`,
    /// `MessageStatus` and `AccountSid` are required. Callbacks may arrive out of order.
    ///
    /// ```
    /// use rocket::form::Form;
    /// use rocket_twilio::webhooks::{MessageStatus, MessageStatusCallback};
    ///
    /// let form = "MessageSid=SM1&MessageStatus=undelivered&AccountSid=AC1&ErrorCode=30003";
    /// let callback: MessageStatusCallback<'_> = Form::parse(form).unwrap();
    /// assert_eq!(callback.message_status, MessageStatus::Undelivered);
    /// assert_eq!(callback.error_code, Some(30003));
    /// ```
    pub struct MessageStatusCallback<'r> {
        /// `MessageSid`: the message whose status changed.
        "MessageSid" => pub message_sid: &'r str,
        /// `MessageStatus`: its new status.
        "MessageStatus" => pub message_status: MessageStatus<'r>,
        /// `AccountSid`: the account the message belongs to.
        "AccountSid" => pub account_sid: &'r str,
        /// `SmsSid`: the same value as `MessageSid` (deprecated).
        "SmsSid" => pub sms_sid: Option<&'r str>,
        /// `SmsStatus`: the same value as `MessageStatus` (deprecated).
        "SmsStatus" => pub sms_status: Option<MessageStatus<'r>>,
        /// `From`: the sender (your number, alphanumeric sender ID or channel address).
        "From" => pub from: Option<&'r str>,
        /// `To`: the recipient.
        "To" => pub to: Option<&'r str>,
        /// `ApiVersion`: the Twilio API version, `2010-04-01`.
        "ApiVersion" => pub api_version: Option<&'r str>,
        /// `MessagingServiceSid`: the Messaging Service that sent the message, if any.
        "MessagingServiceSid" => pub messaging_service_sid: Option<&'r str>,
        /// `ErrorCode`: why the message failed or was undelivered
        /// ([error codes](https://www.twilio.com/docs/api/errors), e.g. `30003`).
        "ErrorCode" => pub error_code: Option<u32>,
        /// `ErrorMessage`: a description of the error, when Twilio sends one.
        "ErrorMessage" => pub error_message: Option<&'r str>,
        /// `RawDlrDoneDate` (SMS/MMS, `delivered` and `undelivered`): the carrier's delivery receipt
        /// "done date", `YYMMDDhhmm`, passed through as is.
        "RawDlrDoneDate" => pub raw_dlr_done_date: Option<&'r str>,
        /// `ChannelInstallSid` (WhatsApp and other channels): the installed channel that sent the message.
        "ChannelInstallSid" => pub channel_install_sid: Option<&'r str>,
        /// `ChannelStatusMessage` (WhatsApp and other channels): the channel's error message, on failure.
        "ChannelStatusMessage" => pub channel_status_message: Option<&'r str>,
        /// `ChannelPrefix` (WhatsApp and other channels): the channel, e.g. `whatsapp`.
        "ChannelPrefix" => pub channel_prefix: Option<&'r str>,
        /// `EventType` (channels with read receipts): a post-delivery event, e.g. `READ`.
        "EventType" => pub event_type: Option<&'r str>,
    }
}
