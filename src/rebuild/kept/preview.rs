//! The page of a new article made ahead of the rest of its rebuild: the article is put into
//! the kept model (the matrix derived again, the column labels made again) and its page
//! rendered alone. The rest follows from [`Kept::update`] with the whole new model, which
//! takes what is kept here as its starting point.

use super::{Kept, Patch, Update};
use crate::model::Article;
use crate::output::OutputFile;
use crate::rebuild::Deferred;
use crate::render::pages::{self, Job, What};
use crate::render::shortcodes::Templates;
use crate::render::views::{Views, column_labels};

impl Kept {
    /// Puts `article` into the model at `at` and renders its page (see the module
    /// documentation). [`Patch::Declined`] leaves everything as it was.
    pub(in crate::rebuild) fn preview(&mut self, at: usize, article: Article) -> Patch {
        if !self.isolated || at > self.site.articles.len() {
            return Patch::Declined;
        }
        let expand = Templates::with_columns(
            &self.shortcode_tera,
            &self.templates,
            &self.site,
            &self.columns,
        );
        // Its `@/` links resolve against the pages there were: one to itself fails here, and
        // the whole rebuild takes it.
        let Ok(rendered) = crate::shortcodes::render(&article.body, &self.links, &expand) else {
            return Patch::Declined;
        };
        let job = Job {
            path: format!("{}index.html", article.url_path()),
            template: "article.html".to_string(),
            what: What::Article(at),
        };
        let t = crate::timing::span("preview.model");
        self.site.articles.insert(at, article);
        drop(t);
        let t = crate::timing::span("preview.derive");
        let site = &mut self.site;
        site.matrix = crate::model::matrix::derive(&site.subjects, &site.criteria, &site.articles);
        drop(t);
        let t = crate::timing::span("preview.bodies");
        self.bodies.articles.insert(at, rendered);
        drop(t);
        let t = crate::timing::span("preview.columns");
        self.columns = column_labels(&self.site.articles);
        drop(t);
        let t = crate::timing::span("preview.page");
        let names: Vec<&'static str> = self
            .reads
            .get(&job.template)
            .map(|r| r.iter().copied().collect())
            .unwrap_or_default();
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        pages::Shared::install_named(&views, self.tera.global_context(), &names);
        let jobs = std::slice::from_ref(&job);
        let contexts = pages::Contexts::new(&views, jobs);
        let Ok(html) =
            crate::render::render_page(&self.tera, &job.template, &contexts.context(&job))
        else {
            return Patch::Spoilt;
        };
        drop(t);
        Patch::Done(Update {
            rendered: 1,
            files: vec![OutputFile {
                path: job.path.clone(),
                bytes: html.into_bytes(),
            }],
            removed: Vec::new(),
            deferred: Deferred::Nothing,
        })
    }
}
