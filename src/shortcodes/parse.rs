//! Finding shortcode calls in a Markdown body: inline `{{ name(arg=value) }}`, with a body
//! `{% name(arg=value) %}…{% end %}`, and the literal forms `{{/* … */}}` and `{%/* … */%}`
//! that print a call as written. Calls inside code (spans and blocks, given as byte ranges)
//! are left alone. Arguments are read as a TOML inline table, so strings, numbers, booleans
//! and arrays are written as in `site.toml`.

use std::ops::Range;

/// One call of a shortcode.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    /// The shortcode's name (`claim`).
    pub name: String,
    /// Its arguments, by name.
    pub args: toml::Table,
    /// The whole call in the text, its body and `{% end %}` included.
    pub range: Range<usize>,
    /// The text between `%}` and `{% end %}`, for a call with a body.
    pub body: Option<Range<usize>>,
}

/// What the scan found: a call, or a literal marker to print in place of the text at `range`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    /// A call to expand.
    Call(Call),
    /// `{{/*` and the like, printed as `{{`.
    Literal(Range<usize>, &'static str),
}

/// A mistake in a call, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Where, as a byte offset.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

/// What a scan learnt that holds for the rest of the text, so that it stays linear however
/// many broken calls there are: how far a failed call read, and whether a closing marker is
/// missing from some point on.
#[derive(Default)]
struct Memo {
    /// Where the last failed call stopped reading.
    resume: usize,
    /// No `{% end %}` from here on.
    no_end_from: Option<usize>,
    /// No `*/}}` (index 0) or `*/%}` (index 1) from here on.
    no_literal_close_from: [Option<usize>; 2],
}

/// Whether byte `at` is inside one of the sorted ranges `code`.
fn in_code(code: &[Range<usize>], at: usize) -> bool {
    let i = code.partition_point(|r| r.end <= at);
    code.get(i).is_some_and(|r| r.start <= at)
}

/// Whether `text` may hold a call at all: the cheap test that keeps bodies without
/// shortcodes on the plain Markdown path.
pub(crate) fn may_have_calls(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"{{").is_some()
        || memchr::memmem::find(text.as_bytes(), b"{%").is_some()
}

/// Every call and literal marker of `text` outside the byte ranges `code` (sorted), in order,
/// and every mistake.
pub(crate) fn scan(text: &str, code: &[Range<usize>]) -> (Vec<Found>, Vec<SyntaxError>) {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let all_code = code;
    let mut code = code.iter().peekable();
    let mut memo = Memo::default();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'{', &bytes[i.min(bytes.len())..]).map(|p| p + i) {
        i = at + 1;
        while code.peek().is_some_and(|r| r.end <= at) {
            code.next();
        }
        if let Some(r) = code.peek().filter(|r| r.start <= at) {
            i = r.end;
            continue;
        }
        let rest = &text[at..];
        if let Some((open, close, print)) = literal(rest) {
            let kind = usize::from(open == "{%/*");
            let missing = memo.no_literal_close_from[kind].is_some_and(|p| p <= at);
            match rest[open.len()..].find(close).filter(|_| !missing) {
                Some(end) => {
                    let end = at + open.len() + end;
                    found.push(Found::Literal(at..at + open.len(), print.0));
                    found.push(Found::Literal(end..end + close.len(), print.1));
                    i = end + close.len();
                }
                None => memo.no_literal_close_from[kind] = Some(at),
            }
            continue;
        }
        let with_body = rest.starts_with("{%");
        if !with_body && !rest.starts_with("{{") {
            continue;
        }
        match call_at(text, at, with_body, all_code, &mut memo) {
            Ok(Some(call)) => {
                i = call.range.end;
                found.push(Found::Call(call));
            }
            Ok(None) => i = at + 2,
            Err(e) => {
                i = memo.resume.max(at + 2);
                errors.push(e);
            }
        }
    }
    (found, errors)
}

/// The literal markers `rest` starts with: the opening, the closing, and what they print.
fn literal(rest: &str) -> Option<(&'static str, &'static str, (&'static str, &'static str))> {
    if rest.starts_with("{{/*") {
        Some(("{{/*", "*/}}", ("{{", "}}")))
    } else if rest.starts_with("{%/*") {
        Some(("{%/*", "*/%}", ("{%", "%}")))
    } else {
        None
    }
}

/// The call at byte `at` (`{{` or `{%`), `None` when the text there is no call (`{{ x }}`
/// without parentheses is plain text), or the mistake in it. A body's `{% end %}` is never
/// inside `code`.
fn call_at(
    text: &str,
    at: usize,
    with_body: bool,
    code: &[Range<usize>],
    memo: &mut Memo,
) -> Result<Option<Call>, SyntaxError> {
    let mut p = skip_space(text, at + 2);
    let name_start = p;
    p += text[p..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len() - p);
    let name = &text[name_start..p];
    let starts_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !starts_name {
        return Ok(None);
    }
    p = skip_space(text, p);
    if with_body && name == "end" && text[p..].starts_with("%}") {
        return Err(SyntaxError {
            at,
            message: "`{% end %}` without a shortcode to close: a body starts with \
                      `{% name(…) %}`"
                .into(),
        });
    }
    if !text[p..].starts_with('(') {
        return Ok(None);
    }
    let (args_end, args) = arguments(text, at, name, p, memo)?;
    let close = if with_body { "%}" } else { "}}" };
    let after = skip_space(text, args_end + 1);
    if !text[after..].starts_with(close) {
        return Err(SyntaxError {
            at: after,
            message: format!("expected `{close}` to end the call of shortcode `{name}`"),
        });
    }
    let end = after + close.len();
    let mut call = Call {
        name: name.to_string(),
        args,
        range: at..end,
        body: None,
    };
    if with_body {
        let found_end = match memo.no_end_from {
            Some(from) if from <= end => None,
            _ => find_end(text, end, code),
        };
        let Some((inner_end, end_tag_end)) = found_end else {
            memo.no_end_from = Some(end);
            return Err(SyntaxError {
                at,
                message: format!(
                    "shortcode `{name}` opens a body with `{{% … %}}` that no `{{% end %}}` \
                     closes"
                ),
            });
        };
        if let Some(nested) = nested_body(text, end..inner_end, code) {
            return Err(SyntaxError {
                at: nested,
                message: format!(
                    "a shortcode with a body inside the body of `{name}`: bodies do not nest \
                     (inline `{{{{ … }}}}` calls inside a body are fine)"
                ),
            });
        }
        call.body = Some(end..inner_end);
        call.range = at..end_tag_end;
    }
    Ok(Some(call))
}

/// Where in `range` a call with a body opens (`{% name(`), outside `code`.
fn nested_body(text: &str, range: Range<usize>, code: &[Range<usize>]) -> Option<usize> {
    let mut p = range.start;
    while let Some(found) = text[p..range.end].find("{%") {
        let start = p + found;
        p = start + 2;
        if in_code(code, start) {
            continue;
        }
        let q = skip_space(text, p);
        let name_end = q + text[q..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - q);
        if name_end > q && text[skip_space(text, name_end)..].starts_with('(') {
            return Some(start);
        }
    }
    None
}

/// The first `{% end %}` from `from` outside `code`: where it starts and where it ends.
fn find_end(text: &str, from: usize, code: &[Range<usize>]) -> Option<(usize, usize)> {
    let mut p = from;
    while let Some(found) = text[p..].find("{%") {
        let start = p + found;
        if in_code(code, start) {
            p = start + 2;
            continue;
        }
        let q = skip_space(text, start + 2);
        if let Some(rest) = text[q..].strip_prefix("end") {
            let r = skip_space(text, text.len() - rest.len());
            if text[r..].starts_with("%}") {
                return Some((start, r + 2));
            }
        }
        p = start + 2;
    }
    None
}

fn skip_space(text: &str, from: usize) -> usize {
    from + text[from..]
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(text.len() - from)
}

/// The arguments from the `(` at byte `open`: the offset of the closing `)` and the table.
fn arguments(
    text: &str,
    at: usize,
    name: &str,
    open: usize,
    memo: &mut Memo,
) -> Result<(usize, toml::Table), SyntaxError> {
    let close = closing_paren(text, open).map_err(|(pos, stop, what)| {
        memo.resume = stop;
        SyntaxError {
            at: pos.unwrap_or(at),
            message: format!("the arguments of shortcode `{name}` {what}"),
        }
    })?;
    let inner = &text[open + 1..close];
    const PREFIX: &str = "args = {";
    let doc = format!("{PREFIX}{inner}}}");
    let table: toml::Table = toml::from_str(&doc).map_err(|e| SyntaxError {
        at: e.span().map_or(open, |s| {
            (open + 1 + s.start.saturating_sub(PREFIX.len())).min(close)
        }),
        message: format!(
            "in the arguments of shortcode `{name}`: {} (write them as `name(text=\"…\", \
             n=3, flag=true, list=[\"a\", \"b\"])`)",
            e.message().trim()
        ),
    })?;
    let Some(toml::Value::Table(args)) = table.into_iter().next().map(|(_, v)| v) else {
        return Err(SyntaxError {
            at: open,
            message: format!("the arguments of shortcode `{name}` are not `name=value` pairs"),
        });
    };
    for (key, value) in &args {
        if let Some(kind) = unsupported(value) {
            return Err(SyntaxError {
                at: open + 1 + inner.find(key.as_str()).unwrap_or(0),
                message: format!(
                    "argument `{key}` of shortcode `{name}` is {kind}: arguments are strings, \
                     numbers, booleans or arrays of them"
                ),
            });
        }
    }
    Ok((close, args))
}

/// What kind of value an argument may not be, if it is one.
fn unsupported(value: &toml::Value) -> Option<&'static str> {
    match value {
        toml::Value::Table(_) => Some("a table"),
        toml::Value::Datetime(_) => Some("a date"),
        toml::Value::Array(items) => items.iter().find_map(unsupported),
        _ => None,
    }
}

/// How deep arrays in arguments may nest.
const MAX_DEPTH: usize = 32;

/// The byte offset of the `)` that closes the `(` at `open`, skipping strings and brackets;
/// or where and how the arguments go wrong, and where the reading stopped. A blank line ends
/// them too.
fn closing_paren(text: &str, open: usize) -> Result<usize, (Option<usize>, usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut p = open + 1;
    while p < bytes.len() {
        match bytes[p] {
            quote @ (b'"' | b'\'') => {
                let start = p;
                p += 1;
                while p < bytes.len() && bytes[p] != quote {
                    if bytes[p] == b'\n' {
                        return Err((
                            Some(start),
                            p,
                            "have a string that does not end on its line",
                        ));
                    }
                    if quote == b'"' && bytes[p] == b'\\' {
                        p += 1;
                    }
                    p += 1;
                }
                if p >= bytes.len() {
                    return Err((Some(start), p, "have a string that does not end"));
                }
            }
            b'[' | b'{' if depth >= MAX_DEPTH => {
                return Err((Some(p), p, "nest arrays more than 32 deep"));
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b')' if depth == 0 => return Ok(p),
            b'}' | b'%' if depth == 0 && bytes.get(p + 1) == Some(&b'}') => {
                return Err((Some(p), p, "are not closed with `)`"));
            }
            b'\n' if bytes.get(p + 1) == Some(&b'\n') => {
                return Err((Some(p), p, "are not closed with `)` before the blank line"));
            }
            _ => {}
        }
        p += 1;
    }
    Err((None, p, "are not closed with `)`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<Call> {
        let (found, errors) = scan(text, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        found
            .into_iter()
            .filter_map(|f| match f {
                Found::Call(c) => Some(c),
                Found::Literal(..) => None,
            })
            .collect()
    }

    fn error(text: &str) -> SyntaxError {
        let (_, errors) = scan(text, &[]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors[0].clone()
    }

    #[test]
    fn reads_every_kind_of_argument() {
        let text =
            "See {{ yt(id=\"x\", n=3, r=-1.5, flag=true, list=[\"a\", 'b'], s=\"a)}\") }} now.";
        let c = &calls(text)[0];
        assert_eq!(c.name, "yt");
        assert_eq!(c.args["id"].as_str(), Some("x"));
        assert_eq!(c.args["n"].as_integer(), Some(3));
        assert_eq!(c.args["r"].as_float(), Some(-1.5));
        assert_eq!(c.args["flag"].as_bool(), Some(true));
        assert_eq!(c.args["list"].as_array().unwrap().len(), 2);
        assert_eq!(c.args["s"].as_str(), Some("a)}"));
        assert_eq!(&text[c.range.clone()], &text[4..text.len() - 5]);
        assert!(calls("{{ empty() }}")[0].args.is_empty());
    }

    #[test]
    fn a_body_runs_to_the_first_end() {
        let text = "{% note(kind=\"tip\") %}\nInside *this*.\n{%   end   %}\nafter {% end %}";
        let (found, errors) = scan(text, &[]);
        assert_eq!(
            errors[0].at,
            text.len() - 9,
            "the second end closes nothing"
        );
        let Found::Call(c) = &found[0] else {
            panic!("{found:?}")
        };
        assert_eq!(&text[c.body.clone().unwrap()], "\nInside *this*.\n");
        assert_eq!(
            &text[c.range.clone()],
            &text[..text.find("\nafter").unwrap()]
        );
    }

    #[test]
    fn text_that_is_no_call_is_left_alone() {
        for text in ["{{ title }}", "{{ 3(x=1) }}", "{% if x %}", "a { b } {"] {
            let (found, errors) = scan(text, &[]);
            assert!(found.is_empty() && errors.is_empty(), "{text}");
        }
    }

    #[test]
    fn calls_in_code_are_skipped_and_literals_print_the_call() {
        let text = "`{{ a() }}` {{/* b() */}} {{ c() }}";
        let code = vec![Range { start: 0, end: 11 }];
        let (found, _) = scan(text, &code);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], Found::Literal(12..16, "{{"));
        assert_eq!(found[1], Found::Literal(21..25, "}}"));
        assert!(matches!(&found[2], Found::Call(c) if c.name == "c"));
    }

    #[test]
    fn mistakes_say_where() {
        let e = error("x {{ a(n=) }}");
        assert!(
            e.message.contains("in the arguments of shortcode `a`"),
            "{e:?}"
        );
        assert_eq!(e.at, 9);
        let e = error("{{ a(n=1 }}");
        assert!(e.message.contains("not closed with `)`"), "{e:?}");
        assert_eq!(e.at, 9);
        let e = error("{{ a(s=\"open) }}");
        assert!(e.message.contains("string that does not end"), "{e:?}");
        let e = error("{{ a(n=1) %}");
        assert!(e.message.contains("expected `}}`"), "{e:?}");
        let e = error("{% a() %} no end");
        assert!(e.message.contains("no `{% end %}` closes"), "{e:?}");
        assert_eq!(e.at, 0);
        let e = error("text {% end %}");
        assert!(e.message.contains("without a shortcode to close"), "{e:?}");
        let e = error("{{ a(d=1979-05-27) }}");
        assert!(e.message.contains("is a date"), "{e:?}");
        let e = error("{{ a(n=1, n=2) }}");
        assert!(e.message.contains("duplicate"), "{e:?}");
    }
}
