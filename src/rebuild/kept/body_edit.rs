//! Re-rendering after an edit to Markdown bodies alone: the edited bodies swapped into the kept model, their pages (and search index files) rendered again, swapped back if anything fails.

use super::*;
use crate::rebuild::fingerprint::Pages;

/// A content file whose Markdown body changed and nothing else (same path, same front
/// matter, so the same body line).
pub(in crate::rebuild) struct BodyEdit<'a> {
    /// Path under `content/`.
    pub rel: &'a str,
    /// The new body.
    pub body: &'a Body,
}

impl Kept {
    /// Re-renders the pages of `edits`: their new files, or `None` when this needs a full
    /// render (a template may show the body elsewhere, or something failed and the full
    /// render will report it in detail). On `None` nothing is changed.
    pub(in crate::rebuild) fn rerender(
        &mut self,
        edits: &[BodyEdit<'_>],
    ) -> Option<Vec<OutputFile>> {
        if !self.isolated {
            return None;
        }
        let mut site_bodies = Vec::with_capacity(edits.len());
        for edit in edits {
            let url = self.links.pages.get(edit.rel)?;
            let path = format!("{url}index.html");
            let job = self.jobs.iter().position(|j| j.path == path)?;
            let expand = crate::render::shortcodes::Templates::with_columns(
                &self.shortcode_tera,
                &self.templates,
                &self.site,
                &self.columns,
            );
            let rendered = crate::shortcodes::render(edit.body, &self.links, &expand).ok()?;
            site_bodies.push((job, edit.body.clone(), rendered));
        }
        let positions: Vec<usize> = site_bodies.iter().map(|(job, _, _)| *job).collect();
        // Swap the new bodies in, render, and swap the old ones back if anything fails.
        let mut undo = Vec::with_capacity(site_bodies.len());
        for (job, body, rendered) in site_bodies {
            let what = self.jobs[job].what;
            let Some((old_body, old_rendered)) = self.swap_body(what, body, rendered) else {
                self.swap_back(undo);
                return None;
            };
            undo.push((what, old_body, old_rendered));
        }
        let done = self.render_jobs(positions.into_iter());
        let fine = done.as_ref().is_some_and(|done| {
            let pages: Vec<links::Page<'_>> = done
                .iter()
                .map(|(path, html, links, _)| links::Page { path, html, links })
                .collect();
            self.index.update(&pages)
        });
        let Some(done) = done.filter(|_| fine) else {
            self.swap_back(undo);
            return None;
        };
        let search_edits: Vec<search::Edit> = match &self.search {
            Some(search) => edits
                .iter()
                .filter_map(|e| search.edit(&e.body.source, &e.body.markdown))
                .collect(),
            None => Vec::new(),
        };
        let mut files = Vec::with_capacity(done.len() + 3);
        if let Some(search) = self.search.as_mut() {
            files.extend(search.apply(search_edits));
        }
        for (path, html, _, fingerprint) in done {
            self.fingerprints.insert(path.clone(), fingerprint);
            files.push(OutputFile {
                path,
                bytes: html.into_bytes(),
            });
        }
        Some(files)
    }

    /// Every body of the model with its rendered form.
    pub(super) fn old_bodies(&self) -> Vec<(&Body, &markdown::Rendered)> {
        let (site, b) = (&self.site, &self.bodies);
        let mut all = vec![(&site.home.body, &b.home)];
        all.extend(site.subjects.iter().map(|x| &x.body).zip(&b.subjects));
        all.extend(site.criteria.iter().map(|x| &x.body).zip(&b.criteria));
        all.extend(site.articles.iter().map(|x| &x.body).zip(&b.articles));
        all.extend(site.sections.iter().map(|x| &x.body).zip(&b.sections));
        all.extend(site.pages.iter().map(|x| &x.body).zip(&b.pages));
        all.extend(
            site.list_intros
                .values()
                .map(|x| &x.body)
                .zip(&b.list_intros),
        );
        all
    }

    /// Puts back the bodies [`Kept::swap_body`] took out.
    pub(super) fn swap_back(&mut self, undo: Vec<(What, Body, markdown::Rendered)>) {
        for (what, body, rendered) in undo {
            self.swap_body(what, body, rendered);
        }
    }

    /// Puts a new body into the model for the item `what` shows; returns the old one.
    pub(super) fn swap_body(
        &mut self,
        what: What,
        body: Body,
        rendered: markdown::Rendered,
    ) -> Option<(Body, markdown::Rendered)> {
        let (site, bodies) = (&mut self.site, &mut self.bodies);
        let (slot, rendered_slot) = match what {
            What::Home => (&mut site.home.body, &mut bodies.home),
            What::Article(i) => (&mut site.articles[i].body, &mut bodies.articles[i]),
            What::Criterion(i, 1) => (&mut site.criteria[i].body, &mut bodies.criteria[i]),
            What::Subject(i) => (&mut site.subjects[i].body, &mut bodies.subjects[i]),
            What::Section(i) => (&mut site.sections[i].body, &mut bodies.sections[i]),
            What::Page(i) => (&mut site.pages[i].body, &mut bodies.pages[i]),
            // A list intro, or a body shown on several pages: a full render handles it.
            _ => return None,
        };
        Some((
            std::mem::replace(slot, body),
            std::mem::replace(rendered_slot, rendered),
        ))
    }

    /// Renders the jobs at `positions`: per job its path, HTML, Markdown links and context
    /// fingerprint; `None` if one fails.
    pub(super) fn render_jobs(
        &self,
        positions: impl Iterator<Item = usize>,
    ) -> Option<Vec<RenderedPage>> {
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        let contexts = pages::Contexts::new(&views, &self.jobs);
        let fingerprints = Pages::new(&contexts);
        positions
            .map(|i| {
                let job = &self.jobs[i];
                let html =
                    render::render_page(&self.tera, &job.template, &contexts.context(job)).ok()?;
                let links = self.body_of(job.what)?.links.clone();
                Some((job.path.clone(), html, links, fingerprints.context(job)))
            })
            .collect()
    }

    pub(super) fn body_of(&self, what: What) -> Option<&markdown::Rendered> {
        let b = &self.bodies;
        Some(match what {
            What::Home => &b.home,
            What::Article(i) => &b.articles[i],
            What::Criterion(i, _) => &b.criteria[i],
            What::Subject(i) => &b.subjects[i],
            What::Section(i) => &b.sections[i],
            What::Page(i) => &b.pages[i],
            _ => return None,
        })
    }
}
