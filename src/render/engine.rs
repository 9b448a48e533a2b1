//! Tera, set up for versus: the theme's templates compiled with versus's `url` function,
//! `thousands` filter and a `range` that shares one budget per page, one job rendered, and
//! Tera's errors turned into diagnostics that name the template file, line and column.

use std::cell::Cell;
use std::collections::BTreeMap;

use tera::{Context, Kwargs, State, Tera};

use super::{errors, pages};
use crate::error::Diagnostic;
use crate::theme::{TemplateSource, Theme};

/// Compiles the theme's templates and registers versus's template functions.
pub(crate) fn templates(
    theme: &Theme,
    base_path: &str,
    base_url: &str,
) -> Result<Tera, Vec<Diagnostic>> {
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
    tera.register_function("range", range);
    let sources = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), source.text.as_str()));
    tera.add_raw_templates(sources)
        .map_err(|e| errors::compile(&e, &theme.templates))?;
    Ok(tera)
}

/// How many numbers `range` may hand out while one page renders, over all its calls: Tera
/// bounds each call (100,000), but loops nested in each other multiply (three nested
/// `range(end=1000)` are a billion steps). A theme's real loops stay far below.
pub(crate) const RANGE_BUDGET: u64 = 1_000_000;

thread_local! {
    /// What is left of [`RANGE_BUDGET`] for the page this thread is rendering: one Tera
    /// render runs on one thread from start to end, and [`render_page`] refills it.
    static RANGE_LEFT: Cell<u64> = const { Cell::new(RANGE_BUDGET) };
}

/// Renders one page's template with a fresh [`RANGE_BUDGET`].
pub(crate) fn render_page(
    tera: &Tera,
    template: &str,
    context: &Context,
) -> tera::TeraResult<String> {
    RANGE_LEFT.with(|left| left.set(RANGE_BUDGET));
    tera.render(template, context)
}

/// Tera's `range(start, end, step_by)`, counted against the page's budget.
fn range(kwargs: Kwargs, _: &State) -> tera::TeraResult<Vec<i64>> {
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "`range` was called with a `step_by` of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "`range` was called with a `start` greater than its `end`",
        ));
    }
    let span = (i128::from(end) - i128::from(start)).unsigned_abs();
    let count = if (end > start) == (step > 0) {
        span.div_ceil(u128::from(step.unsigned_abs()))
    } else {
        0
    };
    let count = u64::try_from(count).unwrap_or(u64::MAX);
    let left = RANGE_LEFT.with(Cell::get);
    if count > left {
        return Err(tera::Error::message(format!(
            "this page's loops do too much work: `range` would hand out more than {} numbers \
             while rendering one page, which exceeds the limit (nested loops multiply their \
             lengths); loop over less",
            thousands(RANGE_BUDGET as i64)
        )));
    }
    RANGE_LEFT.with(|l| l.set(left - count));
    let at = |i: u64| i128::from(start) + i128::from(i) * i128::from(step);
    // Every value lies between `start` and `end`, so it fits.
    Ok((0..count).map(|i| at(i) as i64).collect())
}

/// Renders one job's template into its text.
pub(super) fn render_text(
    tera: &Tera,
    job: &pages::Job,
    context: &Context,
    theme: &Theme,
) -> Result<String, Diagnostic> {
    render_page(tera, &job.template, context)
        .map_err(|e| template_error(&e, &theme.templates, Some(job)))
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
    fn render(template: &str) -> tera::TeraResult<String> {
        let mut tera = tera::Tera::new();
        tera.register_function("range", super::range);
        tera.add_raw_template("t", template)?;
        super::render_page(&tera, "t", &tera::Context::new())
    }

    #[test]
    fn range_counts_like_teras() {
        let loops = "{% for i in range(end=5, start=1) %}{{i}}{% endfor %}|\
            {% for i in range(start=9223372036854775807, end=-9223372036854775807, \
               step_by=-9223372036854775807) %}[{{i}}]{% endfor %}|\
            {% for i in range(end=3, start=10, step_by=-3) %}{{i}}{% endfor %}|\
            {% for i in range(end=0) %}x{% endfor %}|\
            {% for i in range(end=10, step_by=4) %}{{i}}{% endfor %}";
        assert_eq!(
            render(loops).unwrap(),
            "1234|[9223372036854775807][0]|1074||048"
        );
    }

    #[test]
    fn nested_ranges_share_one_budget_per_page() {
        let nested = "{% for i in range(end=1000) %}{% for j in range(end=1000) %}\
            {% for k in range(end=1000) %}{% endfor %}{% endfor %}{% endfor %}";
        let error = format!("{:?}", render(nested).unwrap_err());
        assert!(error.contains("loops do too much work"), "{error}");
        // The budget is per page: the next render starts afresh.
        let one = "{% for i in range(end=1000000) %}{% endfor %}ok";
        assert_eq!(render(one).unwrap(), "ok");
        assert_eq!(render(one).unwrap(), "ok");
    }
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
