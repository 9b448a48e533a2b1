//! The link check of a whole render: every body's links and every generated file's, with broken links a template wrote named at that template.

use super::*;

/// Checks every internal link of the bodies and of the generated files.
pub(super) fn check_links(
    site: &Site,
    bodies: &Bodies,
    extracted: &[links::Extracted],
    jobs: &[pages::Job],
    theme: &Theme,
) -> Result<(), Vec<Diagnostic>> {
    let sources = link_sources(site, bodies);
    let link_errors = links::check_extracted(extracted, &sources.borrowed());
    if link_errors.is_empty() {
        Ok(())
    } else {
        Err(name_templates(link_errors, jobs, theme))
    }
}

/// A broken link that a template wrote is found in a generated page (`output/<path>`): name
/// the template that page is made with instead, so the message points at a file to fix.
pub(super) fn name_templates(
    errors: Vec<Diagnostic>,
    jobs: &[pages::Job],
    theme: &Theme,
) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|mut d| {
            let output = d.path.to_string_lossy();
            let Some(path) = output.strip_prefix("output/") else {
                return d;
            };
            let Some(job) = jobs.iter().find(|j| j.path == path) else {
                return d;
            };
            let template = theme
                .templates
                .get(&job.template)
                .map_or_else(|| job.template.clone().into(), |t| t.display.clone());
            d.message = d.message.replace(
                "in the generated page",
                &format!("in the generated /{}", links::url_path(path)),
            );
            d.message = d.message.replace(
                "(check the template that writes it)",
                "(written by this template or one it builds on)",
            );
            d.path = template;
            d
        })
        .collect()
}

/// Every Markdown body's links, with the page they show on and the file they were written in.
pub(crate) struct LinkSources {
    owned: Vec<(
        String,
        Vec<crate::markdown::InternalLink>,
        std::path::PathBuf,
    )>,
}

impl LinkSources {
    pub(crate) fn borrowed(&self) -> Vec<links::SourceLinks<'_>> {
        self.owned
            .iter()
            .map(|(page, links, source)| links::SourceLinks {
                page,
                links,
                source,
            })
            .collect()
    }
}

pub(crate) fn link_sources(site: &Site, bodies: &Bodies) -> LinkSources {
    let mut owned = Vec::new();
    let mut add = |url: String, rendered: &Rendered, body: &Body| {
        if !rendered.links.is_empty() {
            owned.push((url, rendered.links.clone(), body.source.clone()));
        }
    };
    add(String::new(), &bodies.home, &site.home.body);
    for (s, r) in site.subjects.iter().zip(&bodies.subjects) {
        add(s.url_path(), r, &s.body);
    }
    for (c, r) in site.criteria.iter().zip(&bodies.criteria) {
        add(c.url_path(), r, &c.body);
    }
    for (a, r) in site.articles.iter().zip(&bodies.articles) {
        add(a.url_path(), r, &a.body);
    }
    for (p, r) in site
        .sections
        .iter()
        .zip(&bodies.sections)
        .chain(site.pages.iter().zip(&bodies.pages))
    {
        add(p.url.clone(), r, &p.body);
    }
    for ((c, p), r) in site.list_intros.iter().zip(&bodies.list_intros) {
        add(format!("{}/", Collection::dir(*c)), r, &p.body);
    }
    LinkSources { owned }
}
