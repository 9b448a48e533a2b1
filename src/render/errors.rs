//! Errors found while compiling the templates, turned into diagnostics that name the template
//! file and line. Tera reports some of them as one text holding several reports, and others
//! (inheritance loops, a missing parent) with template names but no position.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Diagnostic, Position};
use crate::theme::TemplateSource;

/// One diagnostic per problem Tera found in the set of templates.
pub(super) fn compile(
    error: &tera::Error,
    templates: &BTreeMap<String, TemplateSource>,
) -> Vec<Diagnostic> {
    let at = |name: &str, needle: &str, message: String| {
        let source = templates.get(name);
        let display = source.map_or_else(|| PathBuf::from(name), |t| t.display.clone());
        let position = source
            .and_then(|t| t.text.find(needle).map(|i| (t, i)))
            .map(|(t, i)| Position::of_offset(&t.text, i, 1));
        Diagnostic::new(display, message).at_position(position)
    };
    match error.kind() {
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let first = inheritance_chain.first().unwrap_or(tpl);
            let cycle = closed(inheritance_chain, first).join(" extends ");
            vec![at(
                first,
                "extends",
                format!("circular extends: {cycle}; a template cannot be its own ancestor"),
            )]
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            let first = include_chain.first().unwrap_or(tpl);
            let cycle = include_chain.join(" includes ");
            vec![at(
                first,
                "include",
                format!("circular include: {cycle}; a template cannot include itself"),
            )]
        }
        tera::ErrorKind::MissingParent { current, parent } => vec![at(
            current,
            &format!("\"{parent}\""),
            format!(
                "{current} extends `{parent}`, which does not exist: add templates/{parent} \
                 or themes/<theme>/templates/{parent}"
            ),
        )],
        tera::ErrorKind::Msg(text) => reports(text, templates)
            .unwrap_or_else(|| vec![super::engine::template_error(error, templates, None)]),
        _ => vec![super::engine::template_error(error, templates, None)],
    }
}

/// `chain` with its first template repeated at the end, to show the loop.
fn closed<'a>(chain: &'a [String], first: &'a str) -> Vec<&'a str> {
    let mut cycle: Vec<&str> = chain.iter().map(String::as_str).collect();
    if cycle.last() != Some(&first) || cycle.len() == 1 {
        cycle.push(first);
    }
    cycle
}

/// Reads the reports Tera joins into one message after checking every template:
/// `error: <message>\n --> <template>:<line>:<column>\n…`. `None` when the text has another
/// shape, so that nothing is lost.
fn reports(text: &str, templates: &BTreeMap<String, TemplateSource>) -> Option<Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let locus = lines.next()?.trim_start().strip_prefix("--> ")?;
        let mut parts = locus.rsplitn(3, ':');
        let column: usize = parts.next()?.parse().ok()?;
        let line: usize = parts.next()?.parse().ok()?;
        let name = parts.next()?;
        let source = templates.get(name);
        let display = source.map_or_else(|| PathBuf::from(name), |t| t.display.clone());
        let mut message = message.to_string();
        if message.ends_with("is not defined in any parent template")
            && let Some(parent) = source.and_then(|t| parent_of(&t.text))
            && let Some(parent_source) = templates.get(parent)
        {
            message.push_str(&format!(
                " (it extends {})",
                parent_source.display.display()
            ));
        }
        diagnostics.push(Diagnostic::new(display, message).at(line, column));
    }
    (!diagnostics.is_empty()).then_some(diagnostics)
}

/// The template named by the first `{% extends "…" %}` of `text`.
fn parent_of(text: &str) -> Option<&str> {
    let after = &text[text.find("extends")? + "extends".len()..];
    let after = after.trim_start();
    let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let name = &after[1..];
    Some(&name[..name.find(quote)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(list: &[(&str, &str)]) -> BTreeMap<String, TemplateSource> {
        list.iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    TemplateSource {
                        display: format!("templates/{name}").into(),
                        text: text.to_string(),
                    },
                )
            })
            .collect()
    }

    fn errors(list: &[(&str, &str)]) -> Vec<String> {
        let sources = templates(list);
        let mut tera = tera::Tera::new();
        let error = tera
            .add_raw_templates(sources.iter().map(|(k, v)| (k, &v.text)))
            .unwrap_err();
        compile(&error, &sources)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_report_names_its_template_and_line() {
        let e = errors(&[
            ("base.html", "{% block content %}{% endblock content %}"),
            (
                "page.html",
                "{% extends \"base.html\" %}\n{% block side %}{{ x | shout }}{% endblock side %}",
            ),
        ]);
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e.iter().any(|m| m.starts_with("templates/page.html:2:")
                && m.contains("Block `side` is not defined in any parent template (it extends templates/base.html)")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.starts_with("templates/page.html:2:24: Unknown filter `shout`")),
            "{e:?}"
        );
    }

    #[test]
    fn inheritance_problems_name_the_template() {
        let e = errors(&[("page.html", "\n{% extends \"page.html\" %}")]);
        assert_eq!(
            e,
            [
                "templates/page.html:2:4: circular extends: page.html extends page.html; a template cannot be its own ancestor"
            ]
        );
        let e = errors(&[("page.html", "{% extends \"layout.html\" %}")]);
        assert!(
            e[0].starts_with(
                "templates/page.html:1:12: page.html extends `layout.html`, which does not exist"
            ),
            "{e:?}"
        );
    }
}
