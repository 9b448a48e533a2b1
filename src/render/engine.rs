//! Tera, set up for versus: the theme's templates compiled with versus's `url` function and
//! `thousands` filter, one job rendered, and Tera's errors turned into diagnostics that name
//! the template file, line and column.

use std::collections::BTreeMap;

use tera::{Context, Kwargs, State, Tera};

use super::{errors, pages};
use crate::error::Diagnostic;
use crate::output::OutputFile;
use crate::theme::{TemplateSource, Theme};

/// Compiles the theme's templates and registers versus's template functions.
pub fn templates(theme: &Theme, base_path: &str, base_url: &str) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    let base_path = base_path.to_string();
    let base_url = base_url.to_string();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let absolute: bool = kwargs.get("absolute")?.unwrap_or(false);
            let path = path.trim_start_matches('/');
            Ok(if absolute {
                format!("{base_url}{path}")
            } else {
                format!("{base_path}{path}")
            })
        },
    );
    tera.register_filter("thousands", |n: i64, _: Kwargs, _: &State| thousands(n));
    let sources = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|e| errors::compile(&e, &theme.templates))?;
    Ok(tera)
}

pub(super) fn render_job(
    tera: &Tera,
    job: &pages::Job,
    context: &Context,
    theme: &Theme,
) -> Result<OutputFile, Diagnostic> {
    match tera.render(&job.template, context) {
        Ok(text) => Ok(OutputFile {
            path: job.path.clone(),
            bytes: text.into_bytes(),
        }),
        Err(e) => Err(template_error(&e, &theme.templates, Some(job))),
    }
}

/// Turns a Tera error into a diagnostic that names the template file, line and column.
pub(super) fn template_error(
    error: &tera::Error,
    templates: &BTreeMap<String, TemplateSource>,
    job: Option<&pages::Job>,
) -> Diagnostic {
    let display = |name: &str| {
        templates
            .get(name)
            .map_or_else(|| name.into(), |t| t.display.clone())
    };
    let context = job.map_or_else(String::new, |j| format!(" (while rendering /{})", j.path));
    let mut message = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            return Diagnostic::new(
                display(report.filename()),
                format!("{}{context}", report.message()),
            )
            .at(span.start_line, span.start_col + 1);
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            format!(
                "template `{name}` not found: add themes/<theme>/templates/{name} or templates/{name}"
            )
        }
        other => other.to_string(),
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let file = job.map_or_else(|| "templates".into(), |j| display(&j.template));
    Diagnostic::new(file, format!("{message}{context}"))
}

/// `12345` → `12,345`: the `thousands` filter, for counts that grow with the site.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (12345, "12,345"),
            (-1234567, "-1,234,567"),
        ] {
            assert_eq!(super::thousands(n), text);
        }
    }
}
