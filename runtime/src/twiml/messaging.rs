//! `MessagingResponse` and its verbs.

use std::fmt;

use super::attributes::attributes;
use super::xml::{self, Element};
use super::{Method, Redirect};

/// The TwiML answer to a messaging webhook: replies to send, in a `<Response>`.
///
/// ```
/// use rocket_twilio::twiml::MessagingResponse;
///
/// let xml = MessagingResponse::new().message("Got it!").message("Anything else?").to_string();
/// assert_eq!(
///     xml,
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Message>Got it!</Message><Message>Anything else?</Message></Response>"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct MessagingResponse {
    verbs: Vec<MessagingVerb>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum MessagingVerb {
    Message(Message),
    Redirect(Redirect),
}

impl MessagingResponse {
    /// An empty response, `<Response />`: no reply.
    ///
    /// ```
    /// # use rocket_twilio::twiml::MessagingResponse;
    /// assert_eq!(MessagingResponse::new().to_string(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response />");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `<Message>`: a reply. Takes the body as a `&str` or `String`, or a [`Message`] with
    /// media and options.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Message, MessagingResponse};
    /// let xml = MessagingResponse::new().message(Message::new("Here you go").media("https://example.com/a.png"));
    /// assert!(xml.to_string().contains("<Message>Here you go<Media>https://example.com/a.png</Media></Message>"));
    /// ```
    pub fn message(mut self, message: impl Into<Message>) -> Self {
        self.verbs.push(MessagingVerb::Message(message.into()));
        self
    }

    /// Appends `<Redirect>`: continues with the TwiML at a URL. Takes a `&str`, a `String` or a
    /// [`Redirect`].
    ///
    /// ```
    /// # use rocket_twilio::twiml::MessagingResponse;
    /// let xml = MessagingResponse::new().redirect("/sms/next").to_string();
    /// assert!(xml.ends_with("<Response><Redirect>/sms/next</Redirect></Response>"));
    /// ```
    pub fn redirect(mut self, redirect: impl Into<Redirect>) -> Self {
        self.verbs.push(MessagingVerb::Redirect(redirect.into()));
        self
    }

    /// Whether no verb was added (the document is `<Response />`).
    ///
    /// ```
    /// # use rocket_twilio::twiml::MessagingResponse;
    /// assert!(MessagingResponse::new().is_empty());
    /// assert!(!MessagingResponse::new().message("hi").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }

    fn element(&self) -> Element<'_> {
        Element::new("Response").children(self.verbs.iter().map(|verb| match verb {
            MessagingVerb::Message(message) => message.element(),
            MessagingVerb::Redirect(redirect) => redirect.element(),
        }))
    }
}

/// The TwiML document: `<?xml version="1.0" encoding="UTF-8"?><Response>…</Response>`.
impl fmt::Display for MessagingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        xml::write_document(&self.element(), f)
    }
}

/// `<Message>`: a reply with a text body, media, or both.
///
/// Without `to`/`from`, Twilio replies to the sender from the number that received the message.
/// `&str` and `String` convert into a `Message` with that body.
///
/// ```
/// use rocket_twilio::twiml::{Message, MessagingResponse, Method};
///
/// let reply = Message::new("Your order shipped")
///     .to("+14155550100")
///     .from("+14155550199")
///     .action("/sms/status")
///     .method(Method::Post)
///     .media("https://example.com/label.pdf");
/// assert_eq!(
///     MessagingResponse::new().message(reply).to_string(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\
///      <Message action=\"/sms/status\" from=\"+14155550199\" method=\"POST\" to=\"+14155550100\">\
///      Your order shipped<Media>https://example.com/label.pdf</Media></Message></Response>"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[must_use]
pub struct Message {
    body: String,
    attributes: MessageAttributes,
    media: Vec<String>,
}

impl Message {
    /// A message with this text body (`""` for a media-only message).
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Message, MessagingResponse};
    /// let xml = MessagingResponse::new().message(Message::new("").media("https://example.com/cat.gif"));
    /// assert!(xml.to_string().contains("<Message><Media>https://example.com/cat.gif</Media></Message>"));
    /// ```
    pub fn new(body: impl Into<String>) -> Self {
        Message { body: body.into(), ..Self::default() }
    }
}

attributes! {
    Message.attributes: MessageAttributes {
        /// The `to` attribute: the recipient, when not the sender of the incoming message.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Message, MessagingResponse};
        /// let xml = MessagingResponse::new().message(Message::new("Hi").to("+14155550100")).to_string();
        /// assert!(xml.contains("<Message to=\"+14155550100\">Hi</Message>"));
        /// ```
        "to" => pub fn to(number: impl Into<String>);

        /// The `from` attribute: the sending number, when not the one that received the message.
        ///
        /// (This method shadows `From::from` in path syntax: build a `Message` with [`Message::new`] or
        /// `.into()`.)
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Message, MessagingResponse};
        /// let xml = MessagingResponse::new().message(Message::new("Hi").from("+14155550199")).to_string();
        /// assert!(xml.contains("<Message from=\"+14155550199\">Hi</Message>"));
        /// ```
        "from" => pub fn from(number: impl Into<String>);

        /// The `action` attribute: the URL Twilio requests with the message's status.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Message, MessagingResponse};
        /// let xml = MessagingResponse::new().message(Message::new("Hi").action("/status")).to_string();
        /// assert!(xml.contains("<Message action=\"/status\">Hi</Message>"));
        /// ```
        "action" => pub fn action(url: impl Into<String>);

        /// The `method` attribute: how Twilio requests `action`.
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Message, MessagingResponse, Method};
        /// let xml = MessagingResponse::new().message(Message::new("Hi").method(Method::Get)).to_string();
        /// assert!(xml.contains("<Message method=\"GET\">Hi</Message>"));
        /// ```
        "method" => pub fn method(method: Method);

        /// The `statusCallback` attribute, which Twilio deprecates in favor of [`action`](Self::action).
        ///
        /// ```
        /// # use rocket_twilio::twiml::{Message, MessagingResponse};
        /// let xml = MessagingResponse::new().message(Message::new("Hi").status_callback("/cb")).to_string();
        /// assert!(xml.contains("<Message statusCallback=\"/cb\">Hi</Message>"));
        /// ```
        "statusCallback" => pub fn status_callback(url: impl Into<String>);
    }
}

impl Message {
    /// Adds a `<Media>` URL (an image, a PDF…) to send with the message, after the text; Twilio takes
    /// up to 10 per message.
    ///
    /// ```
    /// # use rocket_twilio::twiml::{Message, MessagingResponse};
    /// let reply = Message::new("Two cats").media("https://example.com/1.jpg").media("https://example.com/2.jpg");
    /// assert!(MessagingResponse::new().message(reply).to_string().contains(
    ///     "<Message>Two cats<Media>https://example.com/1.jpg</Media><Media>https://example.com/2.jpg</Media></Message>"
    /// ));
    /// ```
    pub fn media(mut self, url: impl Into<String>) -> Self {
        self.media.push(url.into());
        self
    }

    fn element(&self) -> Element<'_> {
        self.attributes
            .write(Element::new("Message"))
            .text(&self.body)
            .children(self.media.iter().map(|url| Element::new("Media").text(url)))
    }
}
