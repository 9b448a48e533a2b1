//! Checks YAML front matter, event by event, before it is deserialized: the limits that keep
//! a hostile file from hanging the build (nesting depth). Every refusal is positioned at the
//! offending node.

use saphyr_parser::{Event, Parser};

use super::frontmatter::{FrontMatter, FrontMatterError};
use crate::error::Position;

/// How deep collections may nest in YAML front matter; no page needs more than a few. The
/// YAML deserializer takes time quadratic in the nesting of flow collections (`[[[…]]]`).
pub const MAX_NESTING: usize = 100;

/// Refuses front matter that nests too deeply or that is not YAML.
pub fn check(front: &FrontMatter<'_>) -> Result<(), FrontMatterError> {
    let position = |line: usize, col: usize| Position {
        line: front.first_line + line.saturating_sub(1),
        column: col + 1,
    };
    let mut depth = 0usize;
    for event in Parser::new_from_str(front.text) {
        let (event, span) = event.map_err(|e| FrontMatterError {
            // The scanner stops at 255 open flow collections, ahead of the events.
            message: if e.info() == "recursion limit exceeded" {
                too_deep()
            } else {
                format!("invalid YAML: {}", e.info())
            },
            position: Some(position(e.marker().line(), e.marker().col())),
        })?;
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                // The top-level mapping is not a level of nesting.
                if depth > MAX_NESTING {
                    return Err(FrontMatterError {
                        message: too_deep(),
                        position: Some(position(span.start.line(), span.start.col())),
                    });
                }
                depth += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn too_deep() -> String {
    format!("YAML nested more than {MAX_NESTING} levels deep: front matter holds short values")
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
    fn invalid_yaml_is_an_error_at_its_position() {
        let (message, at) = refused("title: T\nname: [unclosed\n");
        assert!(message.starts_with("invalid YAML: "), "{message}");
        assert!(at.line >= 3, "{at:?}");
        checked("").unwrap();
    }
}
