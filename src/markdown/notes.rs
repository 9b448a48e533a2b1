//! GitHub-style alerts (`> [!NOTE]` …) as labelled callouts, and footnotes numbered by first
//! reference, gathered at the end of the body with a back-link to each reference.

use pulldown_cmark::BlockQuoteKind;
use rustc_hash::FxHashMap;

/// The opening of an alert's callout, its title included.
pub(super) fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n"
    )
}

/// The closing of an alert's callout.
pub(super) const ALERT_CLOSE: &str = "</div>\n";

/// The footnotes of one body: numbers, how often each is referenced, and the notes' HTML.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    /// Label to number (1, 2, …, in order of first reference, then of definition).
    numbers: FxHashMap<String, usize>,
    /// By number - 1: references made so far, and the note's HTML once defined.
    notes: Vec<(usize, Option<String>)>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> usize {
        if let Some(&n) = self.numbers.get(label) {
            return n;
        }
        self.notes.push((0, None));
        let n = self.notes.len();
        self.numbers.insert(label.to_string(), n);
        n
    }

    /// The HTML of a reference to `label`: a superscript link to its note.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let count = &mut self.notes[n - 1].0;
        *count += 1;
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn:{n}\" id=\"{}\">{n}</a></sup>",
            reference_id(n, *count)
        )
    }

    /// Records the note `label`, already rendered to HTML.
    pub(super) fn define(&mut self, label: &str, html: String) {
        let n = self.number(label);
        self.notes[n - 1].1.get_or_insert(html);
    }

    /// The list of notes for the end of the body, or `None` if it has none; empties `self`.
    pub(super) fn section(&mut self) -> Option<String> {
        if self.notes.iter().all(|(_, html)| html.is_none()) {
            return None;
        }
        let mut out =
            String::from("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
        for (i, (count, html)) in std::mem::take(&mut self.notes).into_iter().enumerate() {
            let n = i + 1;
            let Some(html) = html else { continue };
            let back: String = (1..=count)
                .map(|k| {
                    let label = if count > 1 { format!("{n}.{k}") } else { n.to_string() };
                    format!(
                        " <a class=\"footnote-back\" href=\"#{}\" aria-label=\"Back to reference {label}\">↩</a>",
                        reference_id(n, k)
                    )
                })
                .collect();
            out.push_str(&format!(
                "<li id=\"fn:{n}\">\n{}</li>\n",
                with_back(&html, &back)
            ));
        }
        out.push_str("</ol>\n</section>\n");
        Some(out)
    }
}

/// `fnref:2` for the first reference to note 2, `fnref:2:3` for its third.
fn reference_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref:{n}")
    } else {
        format!("fnref:{n}:{k}")
    }
}

/// The note's HTML with the back-links at the end of its last paragraph.
fn with_back(html: &str, back: &str) -> String {
    let trimmed = html.trim_end();
    match trimmed.strip_suffix("</p>") {
        Some(head) => format!("{head}{back}</p>\n"),
        None => format!("{trimmed}{back}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_numbered_by_first_reference_with_a_back_link_per_reference() {
        let mut f = Footnotes::default();
        assert_eq!(
            f.reference("b"),
            "<sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"
        );
        assert!(f.reference("a").contains("id=\"fnref:2\""));
        assert!(f.reference("b").contains("href=\"#fn:1\" id=\"fnref:1:2\""));
        f.define("a", "<p>A.</p>\n".into());
        f.define("b", "<p>B.</p>\n".into());
        f.define("unused", "<p>U.</p>\n".into());
        let s = f.section().unwrap();
        assert!(s.contains("<li id=\"fn:1\">\n<p>B. <a class=\"footnote-back\" href=\"#fnref:1\" aria-label=\"Back to reference 1.1\">↩</a> <a class=\"footnote-back\" href=\"#fnref:1:2\" aria-label=\"Back to reference 1.2\">↩</a></p>\n</li>"), "{s}");
        assert!(s.contains("<li id=\"fn:2\">\n<p>A. <a class=\"footnote-back\" href=\"#fnref:2\" aria-label=\"Back to reference 2\">↩</a></p>"), "{s}");
        assert!(s.contains("<li id=\"fn:3\">\n<p>U.</p>"), "{s}");
        assert_eq!(f.section(), None);
    }
}
