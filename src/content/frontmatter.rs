//! Front matter: splitting a Markdown file into its TOML (`+++`) or YAML (`---`) header and
//! its body, deserializing the header, and finding where a key sits for error messages.

use serde::de::DeserializeOwned;

use crate::error::Position;

/// The language of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

/// The header of a content file.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// TOML or YAML.
    pub format: Format,
    /// The text between the delimiter lines.
    pub text: &'a str,
    /// The file line on which `text` starts (1-based).
    pub first_line: usize,
}

/// A content file cut into header and body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The header.
    pub front: FrontMatter<'a>,
    /// The Markdown after the closing delimiter.
    pub body: &'a str,
    /// The file line on which `body` starts (1-based).
    pub body_line: usize,
}

/// A problem with a front-matter block, positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// What is wrong.
    pub message: String,
    /// Where, when the parser says.
    pub position: Option<Position>,
}

/// Cuts `text` (BOM already removed) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let (first, rest) = next_line(text);
    let format = match first.trim_end() {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Err(FrontMatterError {
                message: "missing front matter: the file must start with a `+++` line (TOML) \
                          or a `---` line (YAML)"
                    .into(),
                position: Some(Position { line: 1, column: 1 }),
            });
        }
    };
    let delimiter = first.trim_end();
    let header_start = text.len() - rest.len();
    let mut offset = header_start;
    let mut line = 2;
    let mut remaining = rest;
    while !remaining.is_empty() {
        let (current, after) = next_line(remaining);
        if current.trim_end() == delimiter {
            return Ok(Split {
                front: FrontMatter {
                    format,
                    text: &text[header_start..offset],
                    first_line: 2,
                },
                body: after,
                body_line: line + 1,
            });
        }
        offset += remaining.len() - after.len();
        remaining = after;
        line += 1;
    }
    Err(FrontMatterError {
        message: format!(
            "front matter opened with `{delimiter}` on line 1 is never closed: \
             add a `{delimiter}` line after the last key"
        ),
        position: Some(Position { line: 1, column: 1 }),
    })
}

/// The first line of `text` (without its line break) and everything after it. Both are
/// slices of `text`, even when empty: callers find where the body starts by its address.
fn next_line(text: &str) -> (&str, &str) {
    match text.find('\n') {
        Some(i) => (text[..i].trim_end_matches('\r'), &text[i + 1..]),
        None => (text, &text[text.len()..]),
    }
}

/// Deserializes the header into `T`, positioning any error in the file.
pub fn parse<T: DeserializeOwned>(front: &FrontMatter<'_>) -> Result<T, FrontMatterError> {
    match front.format {
        Format::Toml => toml::from_str(front.text).map_err(|e| FrontMatterError {
            message: first_line_of(e.message()),
            position: e
                .span()
                .map(|s| Position::of_offset(front.text, s.start, front.first_line)),
        }),
        Format::Yaml => {
            super::yaml_guard::check(front)?;
            // An empty YAML document is `null`, which no struct accepts: read it as `{}`.
            let text = if front.text.trim().is_empty() {
                "{}"
            } else {
                front.text
            };
            serde_norway::from_str(text).map_err(|e| FrontMatterError {
                message: strip_yaml_location(&e.to_string()),
                position: e.location().map(|l| Position {
                    line: front.first_line + l.line() - 1,
                    column: l.column(),
                }),
            })
        }
    }
}

fn first_line_of(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// serde_norway appends " at line L column C"; we print the position ourselves.
fn strip_yaml_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Where the value of the key at `path` (e.g. `["claims", "performance", "favors"]`) sits in
/// the file, or the deepest enclosing key found. Used only to position validation errors.
pub fn locate(front: &FrontMatter<'_>, path: &[&str]) -> Option<Position> {
    match front.format {
        Format::Toml => locate_toml(front, path),
        Format::Yaml => locate_yaml(front, path),
    }
}

fn locate_toml(front: &FrontMatter<'_>, path: &[&str]) -> Option<Position> {
    let table = toml::de::DeTable::parse(front.text).ok()?;
    let mut current = table.get_ref();
    let mut found = None;
    for (i, key) in path.iter().enumerate() {
        let (key_span, value) = current
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == *key)
            .map(|(k, v)| (k.span(), v))?;
        let span = if i + 1 == path.len() {
            value.span()
        } else {
            key_span
        };
        found = Some(Position::of_offset(
            front.text,
            span.start,
            front.first_line,
        ));
        match value.get_ref().as_table() {
            Some(t) => current = t,
            None => break,
        }
    }
    found
}

/// Where item `index` of the top-level array `key` (e.g. the second of `aliases`) sits, or
/// the key's value when the item cannot be told apart. Used only to position errors.
pub fn locate_item(front: &FrontMatter<'_>, key: &str, index: usize) -> Option<Position> {
    let item = match front.format {
        Format::Toml => toml::de::DeTable::parse(front.text).ok().and_then(|table| {
            let (_, value) = table
                .get_ref()
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == key)?;
            let span = value.get_ref().as_array()?.get(index)?.span();
            Some(Position::of_offset(
                front.text,
                span.start,
                front.first_line,
            ))
        }),
        Format::Yaml => locate_yaml_item(front, key, index),
    };
    item.or_else(|| locate(front, &[key]))
}

/// Item `index` of a block list (`- x` lines) under the top-level YAML `key`.
fn locate_yaml_item(front: &FrontMatter<'_>, key: &str, index: usize) -> Option<Position> {
    let start = locate_yaml(front, &[key])?.line - front.first_line;
    let mut seen = 0;
    for (i, line) in front.text.lines().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let value = trimmed.strip_prefix('-')?;
        if seen == index {
            let column = line.len() - value.trim_start().len();
            return Some(Position {
                line: front.first_line + i,
                column: column + 1,
            });
        }
        seen += 1;
    }
    None
}

/// A line-based search: good enough for the block-style YAML that front matter uses.
fn locate_yaml(front: &FrontMatter<'_>, path: &[&str]) -> Option<Position> {
    let mut found = None;
    let mut min_indent = 0;
    let mut depth = 0;
    for (i, line) in front.text.lines().enumerate() {
        if depth == path.len() {
            break;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if depth > 0 && indent < min_indent {
            break;
        }
        let key = path[depth];
        let is_key = trimmed
            .strip_prefix(key)
            .or_else(|| {
                trimmed
                    .strip_prefix('"')
                    .and_then(|t| t.strip_prefix(key))
                    .and_then(|t| t.strip_prefix('"'))
            })
            .is_some_and(|t| t.trim_start().starts_with(':'));
        if is_key && indent >= min_indent {
            let column = if depth + 1 == path.len() {
                line.find(':').map_or(indent, |c| {
                    c + 1 + line[c + 1..].len() - line[c + 1..].trim_start().len()
                })
            } else {
                indent
            };
            found = Some(Position {
                line: front.first_line + i,
                column: column + 1,
            });
            depth += 1;
            min_indent = indent + 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Header {
        title: String,
        order: Option<i64>,
    }

    #[test]
    fn splits_toml_and_yaml() {
        let s = split("+++\ntitle = \"A\"\n+++\nBody\n").unwrap();
        assert_eq!(s.front.format, Format::Toml);
        assert_eq!(s.front.text, "title = \"A\"\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\ntitle: A\n---\n").unwrap();
        assert_eq!(s.front.format, Format::Yaml);
        assert_eq!(s.body, "");
    }

    #[test]
    fn splits_crlf_files() {
        let s = split("+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n").unwrap();
        assert_eq!(s.front.text, "title = \"A\"\r\n");
        assert_eq!(s.body, "Body\r\n");
        let h: Header = parse(&s.front).unwrap();
        assert_eq!(h.title, "A");
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_errors() {
        let e = split("# Title\n").unwrap_err();
        assert!(e.message.contains("missing front matter"));
        let e = split("+++\ntitle = \"A\"\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
        assert_eq!(e.position, Some(Position { line: 1, column: 1 }));
        assert!(split("").is_err());
    }

    #[test]
    fn a_closing_delimiter_without_a_line_break_ends_the_file_with_an_empty_body() {
        let text = "+++\ntitle = \"A\"\n+++";
        let s = split(text).unwrap();
        assert_eq!(s.body, "");
        assert_eq!(
            s.body.as_ptr() as usize,
            text.as_ptr() as usize + text.len()
        );
    }

    #[test]
    fn a_delimiter_of_the_other_kind_does_not_close() {
        let e = split("+++\ntitle = \"A\"\n---\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn toml_errors_carry_the_file_line() {
        let s = split("+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n").unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        assert_eq!(e.position.unwrap().line, 3);
        let s = split("+++\ntitle = \"A\"\norder = \"x\"\n+++\n").unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert_eq!(e.position.unwrap().line, 3);
        let s = split("+++\ntitle = \n+++\n").unwrap();
        assert!(parse::<Header>(&s.front).is_err());
    }

    #[test]
    fn yaml_errors_carry_the_file_line() {
        let s = split("---\ntitle: A\ntitel: B\n---\n").unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert!(e.message.contains("titel"), "{}", e.message);
        assert_eq!(e.position.unwrap().line, 3);
        let s = split("---\n---\n").unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert!(e.message.contains("title"), "{}", e.message);
    }

    #[test]
    fn deeply_nested_yaml_is_refused_before_parsing() {
        let deep = format!(
            "---\ntitle: x\nlist: {}{}\n---\n",
            "[".repeat(101),
            "]".repeat(101)
        );
        let s = split(&deep).unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert!(e.message.contains("nested more than 100"), "{}", e.message);
        assert_eq!(
            e.position,
            Some(Position {
                line: 3,
                column: 107
            })
        );
        // Brackets in quotes and comments are text.
        let text = format!(
            "---\ntitle: \"{0}\\\\\"\norder: 1 # {0}\n---\n",
            "[".repeat(200)
        );
        let s = split(&text).unwrap();
        let h: Header = parse(&s.front).unwrap();
        assert!(h.title.starts_with("[[["), "{}", h.title);
        // A quote inside a plain value does not hide what follows, and brackets inside a
        // plain value are text.
        let sneaky = format!(
            "---\ntitle: five \" tall, it's\norder: {}\n---\n",
            "[".repeat(100_000)
        );
        let s = split(&sneaky).unwrap();
        let e = parse::<Header>(&s.front).unwrap_err();
        assert!(e.message.contains("nested more than"), "{}", e.message);
        assert_eq!(e.position.map(|p| p.line), Some(3));
        let plain = format!("---\ntitle: it's {}\n---\n", "[".repeat(101));
        let h: Header = parse(&split(&plain).unwrap().front).unwrap();
        assert!(h.title.ends_with("[[["), "{}", h.title);
    }

    #[test]
    fn locates_nested_keys_in_toml() {
        let text = "+++\ntitle = \"A\"\n\n[claims.speed]\nfavors = \"x\"\n+++\n";
        let s = split(text).unwrap();
        let p = locate(&s.front, &["claims", "speed", "favors"]).unwrap();
        assert_eq!((p.line, p.column), (5, 10));
        let p = locate(&s.front, &["claims", "speed"]).unwrap();
        assert_eq!(p.line, 4);
        assert_eq!(locate(&s.front, &["nothing"]), None);
    }

    #[test]
    fn locates_array_items() {
        let text = "+++\ntitle = \"A\"\naliases = [\n  \"/a/\",\n  \"b.html\",\n]\n+++\n";
        let s = split(text).unwrap();
        let p = locate_item(&s.front, "aliases", 1).unwrap();
        assert_eq!((p.line, p.column), (5, 3));
        let text = "---\ntitle: A\naliases:\n  - /a/\n  # old\n  - b.html\n---\n";
        let s = split(text).unwrap();
        let p = locate_item(&s.front, "aliases", 1).unwrap();
        assert_eq!((p.line, p.column), (6, 5));
        let text = "---\ntitle: A\naliases: [/a/, b.html]\n---\n";
        let s = split(text).unwrap();
        assert_eq!(locate_item(&s.front, "aliases", 1).unwrap().line, 3);
    }

    #[test]
    fn locates_nested_keys_in_yaml() {
        let text = "---\ntitle: A\nclaims:\n  speed:\n    favors: x\n---\n";
        let s = split(text).unwrap();
        let p = locate(&s.front, &["claims", "speed", "favors"]).unwrap();
        assert_eq!((p.line, p.column), (5, 13));
        let p = locate(&s.front, &["title"]).unwrap();
        assert_eq!(p.line, 2);
    }
}
