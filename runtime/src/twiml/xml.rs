//! The one place TwiML becomes text: an element tree written by quick-xml.
//!
//! Every string from a builder reaches the output through [`Element::text`] or [`Element::attr`], and
//! [`write_document`] sends both through [`xml_chars`] and then quick-xml's escaping. Element and
//! attribute names are `&'static str` literals from this module's callers, never user input.

use std::borrow::Cow;
use std::fmt;
use std::io;

use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// What a character that XML 1.0 cannot represent becomes: U+FFFD REPLACEMENT CHARACTER.
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// One TwiML element: a verb or noun, its attributes, its text, then its nested elements.
#[derive(Debug)]
pub(crate) struct Element<'a> {
    name: &'static str,
    attrs: Vec<(&'static str, Cow<'a, str>)>,
    text: &'a str,
    children: Vec<Element<'a>>,
}

impl<'a> Element<'a> {
    /// `<name />`.
    pub(crate) fn new(name: &'static str) -> Self {
        Element { name, attrs: Vec::new(), text: "", children: Vec::new() }
    }

    /// Adds `key="value"` when `value` is `Some` (attributes are written sorted by name).
    pub(crate) fn attr(mut self, key: &'static str, value: Option<impl Into<Cow<'a, str>>>) -> Self {
        if let Some(value) = value {
            self.attrs.push((key, value.into()));
        }
        self
    }

    /// Sets the text, written before the nested elements; `""` means none.
    pub(crate) fn text(mut self, text: &'a str) -> Self {
        self.text = text;
        self
    }

    /// Appends nested elements.
    pub(crate) fn children(mut self, children: impl IntoIterator<Item = Element<'a>>) -> Self {
        self.children.extend(children);
        self
    }
}

/// Is `c` a `Char` of XML 1.0 (fifth edition, production 2)? Rust `char`s are never surrogates.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with every character XML 1.0 cannot represent, even as a character reference (C0 controls
/// other than tab, LF and CR; U+FFFE; U+FFFF), replaced by [`REPLACEMENT`].
pub(crate) fn xml_chars(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(|c| if is_xml_char(c) { c } else { REPLACEMENT }).collect())
    }
}

/// Writes `<?xml version="1.0" encoding="UTF-8"?>` and `root`, with no whitespace between elements.
pub(crate) fn write_document(root: &Element<'_>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut writer = Writer::new(Vec::new());
    // `<Hangup />`, as Python's ElementTree (and so twilio-python) writes empty elements.
    writer.config_mut().add_space_before_slash_in_empty_elements = true;
    let written = writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| write_element(&mut writer, root));
    // Writing to a `Vec` cannot fail, and everything written came from `&str`s.
    written.map_err(|_| fmt::Error)?;
    f.write_str(std::str::from_utf8(&writer.into_inner()).map_err(|_| fmt::Error)?)
}

fn write_element(writer: &mut Writer<Vec<u8>>, element: &Element<'_>) -> io::Result<()> {
    let mut attrs: Vec<_> = element.attrs.iter().collect();
    // twilio-python sorts attributes by name; so do we, to produce the same bytes.
    attrs.sort_by_key(|(key, _)| *key);
    let mut start = BytesStart::new(element.name);
    for (key, value) in attrs {
        // quick-xml escapes attribute values: `<>&'"` and tab, LF, CR as character references.
        start.push_attribute((*key, xml_chars(value)));
    }
    if element.text.is_empty() && element.children.is_empty() {
        return writer.write_event(Event::Empty(start));
    }
    writer.write_event(Event::Start(start.borrow()))?;
    if !element.text.is_empty() {
        // `<>&` as entities and CR as `&#13;` (so that it survives end-of-line normalization); quotes
        // stay as they are in text, like twilio-python's output.
        let escaped = partial_escape(xml_chars(element.text));
        writer.write_event(Event::Text(BytesText::from_escaped(escaped)))?;
    }
    for child in &element.children {
        write_element(writer, child)?;
    }
    writer.write_event(Event::End(start.to_end()))
}
