//! Fenced code highlighted at build time into `hl-` CSS classes (syntect, with bat's syntax
//! set from two-face). The syntax set is loaded once per [`Highlighter`], and only when a
//! page first has fenced code; an unknown language renders plain. A block repeated across
//! pages (an install command, a config example) is highlighted once per build.

use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape;

/// The class prefix of every highlighted token (`hl-keyword hl-control`).
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Languages written under a name the syntax set does not know as a token.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("console", "sh"),
    ("zsh", "sh"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("py3", "py"),
    ("node", "js"),
];

/// Highlights code blocks; shared by every page of a build.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    /// Highlighted HTML by (language, code): a pure function of both, so sharing it across
    /// the pages of a build changes nothing but the time.
    done: Mutex<FxHashMap<(String, String), String>>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("loaded", &self.syntaxes.get().is_some())
            .finish()
    }
}

impl Highlighter {
    /// The HTML of one fenced block whose info string is `info` (`rust`, `py title=x`).
    pub fn code_block(&self, info: &str, code: &str) -> String {
        let language = language_of(info);
        if language.is_empty() {
            return format!("<pre tabindex=\"0\"><code>{}</code></pre>\n", escape(code));
        }
        let key = (language.to_string(), code.to_string());
        if let Some(html) = self.done.lock().ok().and_then(|d| d.get(&key).cloned()) {
            return html;
        }
        let html = self.highlight(language, code);
        if let Ok(mut done) = self.done.lock() {
            done.insert(key, html.clone());
        }
        html
    }

    fn highlight(&self, language: &str, code: &str) -> String {
        let syntaxes = self.syntaxes.get_or_init(two_face::syntax::extra_newlines);
        let highlighted = find(syntaxes, language).and_then(|s| classed(syntaxes, s, code));
        let class = escape(language);
        match highlighted {
            Some(html) => {
                format!(
                    "<pre class=\"hl\" tabindex=\"0\"><code class=\"language-{class}\">{html}</code></pre>\n"
                )
            }
            None => format!(
                "<pre tabindex=\"0\"><code class=\"language-{class}\">{}</code></pre>\n",
                escape(code)
            ),
        }
    }
}

/// The language of an info string: its first word, before any attributes.
fn language_of(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or_default()
}

fn find<'a>(syntaxes: &'a SyntaxSet, language: &str) -> Option<&'a SyntaxReference> {
    let lower = language.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, token)| token);
    syntaxes.find_syntax_by_token(token)
}

/// Token spans for `code`, or `None` if the grammar fails on it (then it renders plain).
fn classed(syntaxes: &SyntaxSet, syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &[(&str, &str, &str)] = &[
        ("python", "def f(x):\n    return 'a' # c\n", "hl-keyword"),
        ("py", "import os\n", "hl-keyword"),
        ("javascript", "const x = \"s\"; // c\n", "hl-storage"),
        ("js", "function f() { return 1 }\n", "hl-function"),
        ("typescript", "interface A { b: number }\n", "hl-storage"),
        ("ts", "let a: string = 'x';\n", "hl-string"),
        ("json", "{\"a\": [1, true]}\n", "hl-string"),
        ("toml", "[table]\nkey = \"value\" # c\n", "hl-string"),
        ("yaml", "key: value # c\n", "hl-comment"),
        ("sh", "echo \"$HOME\" # c\n", "hl-comment"),
        ("bash", "if [ -f x ]; then echo y; fi\n", "hl-keyword"),
        ("shell", "export A=1\n", "hl-storage"),
        ("html", "<p class=\"x\">hi</p>\n", "hl-tag"),
        ("css", "a { color: red; }\n", "hl-property-name"),
        ("sql", "SELECT a FROM t WHERE b = 1;\n", "hl-keyword"),
        ("rust", "fn main() { let s = \"x\"; }\n", "hl-storage"),
    ];

    #[test]
    fn every_listed_language_gets_classes() {
        let h = Highlighter::default();
        for (language, code, class) in SAMPLES {
            let html = h.code_block(language, code);
            assert!(
                html.starts_with(&format!(
                    "<pre class=\"hl\" tabindex=\"0\"><code class=\"language-{language}\">"
                )),
                "{language}: {html}"
            );
            assert!(html.contains(class), "{language} lacks {class}: {html}");
            assert!(!html.contains("style="), "{language}: {html}");
        }
    }

    #[test]
    fn unknown_or_missing_language_is_plain_and_escaped() {
        let h = Highlighter::default();
        assert_eq!(
            h.code_block("no-such-lang", "a < b && \"c\"\n"),
            "<pre tabindex=\"0\"><code class=\"language-no-such-lang\">a &lt; b &amp;&amp; &quot;c&quot;\n</code></pre>\n"
        );
        let fresh = Highlighter::default();
        assert_eq!(
            fresh.code_block("", "<x>"),
            "<pre tabindex=\"0\"><code>&lt;x&gt;</code></pre>\n"
        );
        assert!(fresh.syntaxes.get().is_none(), "no language, no syntax set");
    }

    #[test]
    fn highlighted_code_is_escaped_and_deterministic() {
        let h = Highlighter::default();
        let code = "<script>alert('&')</script>\n";
        let html = h.code_block("html", code);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
        assert_eq!(html, Highlighter::default().code_block("html", code));
        assert_eq!(html, h.code_block("html", code));
    }

    #[test]
    fn info_string_attributes_are_ignored() {
        let h = Highlighter::default();
        let html = h.code_block("rust,ignore", "fn a() {}\n");
        assert!(html.contains("language-rust\""), "{html}");
        assert!(html.contains("hl-"), "{html}");
        assert!(
            h.code_block("RUST {hl_lines=[1]}", "fn a() {}\n")
                .contains("hl-")
        );
    }
}
