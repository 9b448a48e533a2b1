//! A safe, lazy stream of YAML events from libyaml (`unsafe-libyaml-norway`), the very parser
//! that `serde_norway` deserializes with: what the front-matter guard sees is exactly what
//! the deserializer will read, event for event, and no more of the text is scanned than the
//! events asked for. The only module with `unsafe` code.

use std::marker::PhantomData;
use std::mem::MaybeUninit;

use unsafe_libyaml_norway as unsafe_sys;

/// One parser event, with what the guard needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlEvent {
    /// A scalar: its value and its anchor.
    Scalar(String, Option<Vec<u8>>),
    /// `*name`.
    Alias(Vec<u8>),
    /// `[` or a block sequence, with its anchor.
    SequenceStart(Option<Vec<u8>>),
    /// `{` or a block mapping, with its anchor.
    MappingStart(Option<Vec<u8>>),
    /// The end of a sequence or mapping.
    End,
    /// Stream and document boundaries.
    Other,
}

/// Where an event starts: 0-based line, and 0-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// 0-based line.
    pub line: usize,
    /// 0-based column, in characters.
    pub column: usize,
}

/// The events of `text`, until its end or the first syntax error (which ends the stream:
/// the deserializer reports it in its own words).
pub struct Events<'a> {
    parser: Box<unsafe_sys::yaml_parser_t>,
    done: bool,
    text: PhantomData<&'a str>,
}

impl<'a> Events<'a> {
    /// A parser over `text`; `None` when libyaml cannot allocate one.
    pub fn new(text: &'a str) -> Option<Events<'a>> {
        let mut parser = Box::<unsafe_sys::yaml_parser_t>::new_uninit();
        // SAFETY: `yaml_parser_initialize` fills the whole struct (it starts by zeroing it)
        // and reports failure; the input pointer stays valid for 'a, which `Events` holds,
        // and the parser never writes through it.
        unsafe {
            let raw: *mut unsafe_sys::yaml_parser_t = parser.as_mut_ptr();
            if unsafe_sys::yaml_parser_initialize(raw).fail {
                return None;
            }
            unsafe_sys::yaml_parser_set_encoding(raw, unsafe_sys::YAML_UTF8_ENCODING);
            unsafe_sys::yaml_parser_set_input_string(raw, text.as_ptr(), text.len() as u64);
            Some(Events {
                parser: parser.assume_init(),
                done: false,
                text: PhantomData,
            })
        }
    }
}

impl Iterator for Events<'_> {
    type Item = (YamlEvent, Mark);

    fn next(&mut self) -> Option<(YamlEvent, Mark)> {
        if self.done {
            return None;
        }
        let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; `yaml_parser_parse` fills `event` when
        // it succeeds, and `yaml_event_delete` frees what it allocated, after the event's
        // strings have been copied out.
        unsafe {
            if self.parser.error != unsafe_sys::YAML_NO_ERROR
                || unsafe_sys::yaml_parser_parse(&mut *self.parser, event.as_mut_ptr()).fail
            {
                self.done = true;
                return None;
            }
            let event = event.as_mut_ptr();
            let converted = convert(&*event);
            let mark = Mark {
                line: (*event).start_mark.line as usize,
                column: (*event).start_mark.column as usize,
            };
            if (*event).type_ == unsafe_sys::YAML_STREAM_END_EVENT {
                self.done = true;
            }
            unsafe_sys::yaml_event_delete(event);
            Some((converted, mark))
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`, deleted once, here.
        unsafe { unsafe_sys::yaml_parser_delete(&mut *self.parser) }
    }
}

/// # Safety
/// `event` must be an event that `yaml_parser_parse` filled and that is not yet deleted.
unsafe fn convert(event: &unsafe_sys::yaml_event_t) -> YamlEvent {
    // SAFETY: the union field read is the one that the event's type says is set; libyaml's
    // strings are NUL-terminated, and a scalar's value is `length` bytes.
    unsafe {
        match event.type_ {
            unsafe_sys::YAML_SCALAR_EVENT => {
                let scalar = event.data.scalar;
                let value = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
                YamlEvent::Scalar(
                    String::from_utf8_lossy(value).into_owned(),
                    c_bytes(scalar.anchor),
                )
            }
            unsafe_sys::YAML_ALIAS_EVENT => {
                YamlEvent::Alias(c_bytes(event.data.alias.anchor).unwrap_or_default())
            }
            unsafe_sys::YAML_SEQUENCE_START_EVENT => {
                YamlEvent::SequenceStart(c_bytes(event.data.sequence_start.anchor))
            }
            unsafe_sys::YAML_MAPPING_START_EVENT => {
                YamlEvent::MappingStart(c_bytes(event.data.mapping_start.anchor))
            }
            unsafe_sys::YAML_SEQUENCE_END_EVENT | unsafe_sys::YAML_MAPPING_END_EVENT => {
                YamlEvent::End
            }
            _ => YamlEvent::Other,
        }
    }
}

/// # Safety
/// `text` must be null or point to a NUL-terminated string.
unsafe fn c_bytes(text: *const u8) -> Option<Vec<u8>> {
    if text.is_null() {
        return None;
    }
    // SAFETY: as the caller promises.
    let text = unsafe { std::ffi::CStr::from_ptr(text.cast()) };
    Some(text.to_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_values_anchors_and_marks() {
        let events: Vec<_> = Events::new("a: &x [1, *x]\nb: {c: d}\n").unwrap().collect();
        let kinds: Vec<&YamlEvent> = events.iter().map(|(e, _)| e).collect();
        assert!(kinds.contains(&&YamlEvent::SequenceStart(Some(b"x".to_vec()))));
        assert!(kinds.contains(&&YamlEvent::Alias(b"x".to_vec())));
        assert!(kinds.contains(&&YamlEvent::Scalar("d".into(), None)));
        let (_, mark) = events
            .iter()
            .find(|(e, _)| *e == YamlEvent::Scalar("b".into(), None))
            .unwrap();
        assert_eq!(*mark, Mark { line: 1, column: 0 });
    }

    #[test]
    fn a_syntax_error_ends_the_stream() {
        let events: Vec<_> = Events::new("a: [unclosed\nb: : c\n").unwrap().collect();
        assert!(events.len() < 10, "{events:?}");
        assert_eq!(Events::new("").unwrap().count(), 2);
    }
}
