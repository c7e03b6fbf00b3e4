//! The media attached to an incoming message: `NumMedia` items, each sent as a `MediaUrl{i}` and a
//! `MediaContentType{i}` parameter (`i` from 0).

use std::collections::BTreeMap;

use rocket::form::name::{Name, NameBuf};
use rocket::form::{Error, Errors, ValueField};
use rocket::serde::Serialize;

use super::form::Gather;

/// One media item of an [`IncomingMessage`](super::IncomingMessage) (a picture, audio, a vCard…).
///
/// Twilio's URL serves the file; if "HTTP Basic Authentication for media access" is enabled on the
/// account, fetching it needs your Account SID and Auth Token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(crate = "rocket::serde")]
#[non_exhaustive]
pub struct Media<'r> {
    /// `MediaUrl{i}`: where the file is, e.g.
    /// `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…`.
    pub url: &'r str,
    /// `MediaContentType{i}`: its MIME type, e.g. `image/jpeg`.
    pub content_type: &'r str,
}

/// Which of the two per-item parameters a name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Url,
    ContentType,
}

impl Part {
    fn param(self, index: u32) -> String {
        match self {
            Part::Url => format!("MediaUrl{index}"),
            Part::ContentType => format!("MediaContentType{index}"),
        }
    }
}

/// `MediaUrl{i}` or `MediaContentType{i}` with `i` written as Twilio writes it (decimal, no sign, no
/// leading zero); other names, such as `MediaUrl01` or a bare `MediaUrl`, are not media parameters.
fn media_param(name: &str) -> Option<(Part, u32)> {
    let (part, index) = if let Some(index) = name.strip_prefix("MediaUrl") {
        (Part::Url, index)
    } else {
        (Part::ContentType, name.strip_prefix("MediaContentType")?)
    };
    let canonical = index.bytes().all(|b| b.is_ascii_digit()) && (index == "0" || !index.starts_with('0'));
    if !canonical {
        return None;
    }
    index.parse().ok().map(|index| (part, index))
}

/// Gathers [`Media`] from the form; see [`IncomingMessage::media`](super::IncomingMessage::media) for the
/// rule it enforces.
pub(crate) struct MediaFields<'r> {
    parent: Option<&'r Name>,
    /// The first `NumMedia` value (the `num_media` field parses and reports it).
    count: Option<&'r str>,
    urls: BTreeMap<u32, &'r str>,
    content_types: BTreeMap<u32, &'r str>,
    errors: Errors<'r>,
}

impl<'r> MediaFields<'r> {
    fn error(&mut self, message: String, param: String) {
        self.errors.push(Error::validation(message).with_name(NameBuf::from((self.parent, param))));
    }

    fn entries(&self, part: Part) -> &BTreeMap<u32, &'r str> {
        match part {
            Part::Url => &self.urls,
            Part::ContentType => &self.content_types,
        }
    }
}

impl<'r> Gather<'r> for MediaFields<'r> {
    type Output = Vec<Media<'r>>;

    fn new() -> Self {
        MediaFields {
            parent: None,
            count: None,
            urls: BTreeMap::new(),
            content_types: BTreeMap::new(),
            errors: Errors::new(),
        }
    }

    fn offer(&mut self, field: ValueField<'r>) -> Option<ValueField<'r>> {
        let name = field.name.key_lossy().as_str();
        if name == "NumMedia" {
            self.count.get_or_insert(field.value);
            return Some(field);
        }
        let Some((part, index)) = media_param(name) else {
            return Some(field);
        };
        self.parent = field.name.parent();
        let entries = match part {
            Part::Url => &mut self.urls,
            Part::ContentType => &mut self.content_types,
        };
        if entries.insert(index, field.value).is_some() {
            let param = part.param(index);
            self.error(format!("{param} is sent more than once"), param);
        }
        None
    }

    fn finish(mut self) -> Result<Vec<Media<'r>>, Errors<'r>> {
        let count = match self.count.map(str::parse::<u32>) {
            Some(Ok(count)) => Some(count),
            // Not a number: the `num_media` field reports it.
            Some(Err(_)) => return if self.errors.is_empty() { Ok(Vec::new()) } else { Err(self.errors) },
            None => None,
        };
        for part in [Part::Url, Part::ContentType] {
            let first_extra = self.entries(part).keys().find(|&&i| count.is_none_or(|n| i >= n)).copied();
            if let Some(index) = first_extra {
                let param = part.param(index);
                let message = match count {
                    Some(n) => format!("NumMedia is {n} but {param} is sent"),
                    None => format!("{param} is sent without NumMedia"),
                };
                self.error(message, param);
            }
        }
        let count = count.unwrap_or(0);
        // Each of 0..count needs both parts; the first gap is reported (never loops past the items sent).
        for part in [Part::Url, Part::ContentType] {
            let entries = self.entries(part);
            let first_gap = (0..count).find(|i| !entries.contains_key(i));
            if let Some(index) = first_gap {
                let param = part.param(index);
                self.error(format!("NumMedia is {count} but {param} is missing"), param);
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(self
            .urls
            .into_values()
            .zip(self.content_types.into_values())
            .map(|(url, content_type)| Media { url, content_type })
            .collect())
    }
}
