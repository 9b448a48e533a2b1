//! Checks YAML front matter, event by event, before it is deserialized: the limits that keep
//! a hostile file from hanging the build or filling memory (nesting depth, alias expansion)
//! and the rule that TOML enforces and YAML parsers do not (a key set twice in one map).
//! The events come from the deserializer's own parser ([`super::yaml_events`]), so the
//! guard sees exactly what will be deserialized; a syntax error ends the check and is left
//! to the deserializer to report. Every refusal is positioned at the offending node.

use std::collections::HashMap;

use super::yaml_events::{Events, Mark, YamlEvent};

use super::frontmatter::{FrontMatter, FrontMatterError};
use crate::error::Position;

/// How deep collections may nest in YAML front matter; no page needs more than a few. The
/// YAML deserializer takes time quadratic in the nesting of flow collections (`[[[…]]]`).
pub const MAX_NESTING: usize = 100;

/// How many bytes aliases may add to a front matter on top of its own length: one anchor
/// aliased thousands of times (or aliases of aliases) would otherwise cost gigabytes.
pub const MAX_ALIAS_EXPANSION: u64 = 64 * 1024;

/// Refuses front matter that nests too deeply, whose aliases expand it past its own size
/// plus [`MAX_ALIAS_EXPANSION`], or that sets a key twice in one map.
pub fn check(front: &FrontMatter<'_>) -> Result<(), FrontMatterError> {
    let mut guard = Guard {
        front,
        frames: Vec::new(),
        anchors: HashMap::new(),
        expansion: 0,
        budget: MAX_ALIAS_EXPANSION.saturating_add(front.text.len() as u64),
    };
    let Some(events) = Events::new(front.text) else {
        return Err(FrontMatterError {
            message: "out of memory for the YAML parser".into(),
            position: None,
        });
    };
    for (event, mark) in events {
        guard.event(event, mark)?;
    }
    Ok(())
}

fn too_deep() -> String {
    format!("YAML nested more than {MAX_NESTING} levels deep: front matter holds short values")
}

/// What an anchor stands for: its expanded size and, for a scalar, its text (a key).
struct Anchored {
    weight: u64,
    key: Option<String>,
}

/// An open sequence or mapping.
struct Frame {
    /// Its anchor.
    anchor: Option<Vec<u8>>,
    /// Its expanded size so far.
    weight: u64,
    /// For a mapping: the keys seen, where, and whether the next node is a key.
    keys: Option<(HashMap<String, Position>, bool)>,
}

struct Guard<'f, 'a> {
    front: &'f FrontMatter<'a>,
    frames: Vec<Frame>,
    anchors: HashMap<Vec<u8>, Anchored>,
    expansion: u64,
    budget: u64,
}

impl Guard<'_, '_> {
    /// A libyaml mark (0-based line and column in characters) in the file.
    fn at(&self, mark: Mark) -> Position {
        Position {
            line: self.front.first_line + mark.line,
            column: mark.column + 1,
        }
    }

    fn error(&self, mark: Mark, message: String) -> FrontMatterError {
        FrontMatterError {
            message,
            position: Some(self.at(mark)),
        }
    }

    fn event(&mut self, event: YamlEvent, mark: Mark) -> Result<(), FrontMatterError> {
        match event {
            YamlEvent::Scalar(value, anchor) => {
                let weight = value.len() as u64 + 1;
                if let Some(anchor) = anchor {
                    let key = Some(value.clone());
                    self.anchors.insert(anchor, Anchored { weight, key });
                }
                self.node(weight, Some(&value), mark)
            }
            YamlEvent::Alias(id) => {
                let (weight, key) = self
                    .anchors
                    .get(&id)
                    .map_or((1, None), |a| (a.weight, a.key.clone()));
                self.expansion = self.expansion.saturating_add(weight);
                if self.expansion > self.budget {
                    return Err(self.error(
                        mark,
                        format!(
                            "YAML aliases expand this front matter by more than {} bytes: \
                             write the values out instead of repeating an anchor",
                            self.budget
                        ),
                    ));
                }
                self.node(weight, key.as_deref(), mark)
            }
            YamlEvent::SequenceStart(anchor) => self.open(anchor, None, mark),
            YamlEvent::MappingStart(anchor) => {
                self.open(anchor, Some((HashMap::new(), true)), mark)
            }
            YamlEvent::End => {
                let Some(frame) = self.frames.pop() else {
                    return Ok(());
                };
                let weight = frame.weight.saturating_add(1);
                if let Some(anchor) = frame.anchor {
                    let anchored = Anchored { weight, key: None };
                    self.anchors.insert(anchor, anchored);
                }
                self.node(weight, None, mark)
            }
            YamlEvent::Other => Ok(()),
        }
    }

    fn open(
        &mut self,
        anchor: Option<Vec<u8>>,
        keys: Option<(HashMap<String, Position>, bool)>,
        mark: Mark,
    ) -> Result<(), FrontMatterError> {
        // The top-level mapping is not a level of nesting.
        if self.frames.len() > MAX_NESTING {
            return Err(self.error(mark, too_deep()));
        }
        self.frames.push(Frame {
            anchor,
            weight: 0,
            keys,
        });
        Ok(())
    }

    /// A finished node of this size in the innermost collection; `key` is its text when it
    /// is a scalar, and so can be a key.
    fn node(&mut self, weight: u64, key: Option<&str>, mark: Mark) -> Result<(), FrontMatterError> {
        let position = self.at(mark);
        let Some(frame) = self.frames.last_mut() else {
            return Ok(());
        };
        frame.weight = frame.weight.saturating_add(weight);
        let Some((keys, is_key)) = &mut frame.keys else {
            return Ok(());
        };
        let was_key = *is_key;
        *is_key = !*is_key;
        if let (true, Some(key)) = (was_key, key)
            && let Some(first) = keys.insert(key.to_string(), position)
        {
            // Keep the first place the key was set: the message points back to it.
            keys.insert(key.to_string(), first);
            return Err(FrontMatterError {
                message: format!(
                    "duplicate key `{}`: it is already set on line {}; a map holds each key once",
                    key.escape_debug(),
                    first.line
                ),
                position: Some(position),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::Format;

    fn checked(text: &str) -> Result<(), FrontMatterError> {
        check(&FrontMatter {
            format: Format::Yaml,
            text,
            first_line: 2,
        })
    }

    fn refused(text: &str) -> (String, Position) {
        let e = checked(text).unwrap_err();
        (e.message, e.position.unwrap())
    }

    #[test]
    fn nesting_is_counted_by_the_parser_not_by_guessing() {
        let deep = format!("title: x\nlist: {}{}\n", "[".repeat(101), "]".repeat(101));
        let (message, at) = refused(&deep);
        assert!(message.contains("nested more than 100"), "{message}");
        assert_eq!((at.line, at.column), (3, 107));
        // A quote inside a plain value opens no string: the brackets after it still count.
        let sneaky = format!(
            "title: five \" tall\norder: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(refused(&sneaky).0.contains("nested more than"));
        let sneaky = format!("title: it's {{\norder: {}\n", "{".repeat(100_000));
        assert!(refused(&sneaky).0.contains("nested more than"));
        // Brackets in quotes and comments are text; 100 levels are allowed.
        let text = format!(
            "title: \"{0}\\\\\"\norder: 1 # {0}\nlist: {1}{2}\n",
            "[".repeat(200),
            "[".repeat(100),
            "]".repeat(100)
        );
        checked(&text).unwrap();
        let mut block = String::new();
        for depth in 0..102 {
            block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        assert!(refused(&block).0.contains("nested more than"));
    }

    #[test]
    fn aliases_may_not_blow_up_the_front_matter() {
        checked("a: &x short\nb: *x\nc: &m {k: v}\nd: *m\n").unwrap();
        let big = "x".repeat(1_000_000);
        let mut text = format!("title: &a \"{big}\"\nclaims:\n");
        for i in 0..3000 {
            text.push_str(&format!("  c{i}: *a\n"));
        }
        let (message, at) = refused(&text);
        assert!(message.contains("YAML aliases expand"), "{message}");
        // The first alias stays within the budget (the file's own length); the second not.
        assert_eq!((at.line, at.column), (5, 7));
        // Aliases of aliases, a few hundred bytes growing tenfold per level.
        let mut laughs =
            String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let refs = vec![format!("*l{}", level - 1); 10].join(", ");
            laughs.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        let (message, at) = refused(&laughs);
        assert!(message.contains("YAML aliases expand"), "{message}");
        assert!(at.line >= 4, "{at:?}");
    }

    #[test]
    fn a_key_set_twice_in_one_map_is_refused_at_the_second() {
        let text = "title: T\nclaims:\n  taste:\n    favors: tea\n    note: first\n  taste:\n    favors: coffee\n";
        let (message, at) = refused(text);
        assert!(
            message.contains("duplicate key `taste`: it is already set on line 4"),
            "{message}"
        );
        assert_eq!((at.line, at.column), (7, 3));
        let (message, at) = refused("title: T\n\"title\": U\n");
        assert!(message.contains("duplicate key `title`"), "{message}");
        assert_eq!((at.line, at.column), (3, 1));
        assert!(refused("a: {b: 1, b: 2}\n").0.contains("`b`"));
        assert!(
            refused("k: &k title\ntitle: x\n*k : y\n")
                .0
                .contains("`title`")
        );
        // The same key in two maps, or a value equal to a key, is fine.
        checked("a: {b: 1}\nc: {b: 2}\nd: a\nlist: [{x: 1}, {x: 2}]\n").unwrap();
    }

    #[test]
    fn syntax_errors_are_left_to_the_deserializer() {
        // libyaml reads a quoted value continued on an unindented line; so does the guard.
        checked("name: \"two\nlines\"\norder: 3\n").unwrap();
        checked("title: T\nname: [unclosed\n").unwrap();
        checked("").unwrap();
        let front = FrontMatter {
            format: crate::content::frontmatter::Format::Yaml,
            text: "title: T\nname: [unclosed\n",
            first_line: 2,
        };
        let e = crate::content::frontmatter::parse::<serde_norway::Value>(&front).unwrap_err();
        assert!(e.position.is_some_and(|p| p.line >= 3), "{e:?}");
    }
}
