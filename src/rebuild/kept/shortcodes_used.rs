//! Which bodies a template change reaches through their shortcodes: each rendered body
//! records the shortcodes it calls, so a change to `shortcodes/<name>.html` (or to a template
//! it builds on) renders again exactly the bodies that call it, and the pages that show them.

use std::collections::{BTreeSet, HashSet};

use tera::Tera;

use super::Kept;
use crate::markdown::Rendered;
use crate::model::Body;
use crate::render::pages::What;
use crate::render::shortcodes::{Templates, template_of};
use crate::theme::TemplateSource;
use crate::theme::scan::templates_used;

/// Where a body sits in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Home,
    Subject(usize),
    Criterion(usize),
    Article(usize),
    Section(usize),
    Page(usize),
    ListIntro(usize),
}

impl Kept {
    /// After `changed` templates (the new ones are `templates`, compiled in `tera` without
    /// globals): renders again every body that calls a shortcode whose template builds on a
    /// changed one, and gives the positions of the jobs that show those bodies (all of them
    /// when templates may show a body beyond its own page). `None` when a body fails: the
    /// full render reports it.
    pub(super) fn rerender_shortcodes(
        &mut self,
        templates: &std::collections::BTreeMap<String, TemplateSource>,
        changed: &BTreeSet<String>,
        tera: &Tera,
    ) -> Option<HashSet<usize>> {
        let used = templates_used(templates);
        let reached = |name: &String| {
            let template = template_of(name);
            changed.contains(&template)
                || used
                    .get(&template)
                    .is_some_and(|u| u.iter().any(|t| changed.contains(t)))
        };
        let expand = Templates::with_columns(tera, templates, &self.site, &self.columns);
        let mut again: Vec<(Slot, Rendered)> = Vec::new();
        for (slot, body, rendered) in self.slots() {
            if rendered.shortcodes.iter().any(reached) {
                let new = crate::shortcodes::render(body, &self.links, &expand).ok()?;
                again.push((slot, new));
            }
        }
        let mut shown = HashSet::new();
        for (slot, rendered) in again {
            *self.rendered_mut(slot) = rendered;
            let all = !self.isolated || matches!(slot, Slot::ListIntro(_));
            shown.extend((0..self.jobs.len()).filter(|&i| all || shows(self.jobs[i].what, slot)));
        }
        Some(shown)
    }

    /// Every body with its slot and rendered form.
    pub(super) fn slots(&self) -> Vec<(Slot, &Body, &Rendered)> {
        let (site, b) = (&self.site, &self.bodies);
        let mut all = vec![(Slot::Home, &site.home.body, &b.home)];
        for (i, (x, r)) in site.subjects.iter().zip(&b.subjects).enumerate() {
            all.push((Slot::Subject(i), &x.body, r));
        }
        for (i, (x, r)) in site.criteria.iter().zip(&b.criteria).enumerate() {
            all.push((Slot::Criterion(i), &x.body, r));
        }
        for (i, (x, r)) in site.articles.iter().zip(&b.articles).enumerate() {
            all.push((Slot::Article(i), &x.body, r));
        }
        for (i, (x, r)) in site.sections.iter().zip(&b.sections).enumerate() {
            all.push((Slot::Section(i), &x.body, r));
        }
        for (i, (x, r)) in site.pages.iter().zip(&b.pages).enumerate() {
            all.push((Slot::Page(i), &x.body, r));
        }
        for (i, (x, r)) in site.list_intros.values().zip(&b.list_intros).enumerate() {
            all.push((Slot::ListIntro(i), &x.body, r));
        }
        all
    }

    pub(super) fn rendered_mut(&mut self, slot: Slot) -> &mut Rendered {
        let b = &mut self.bodies;
        match slot {
            Slot::Home => &mut b.home,
            Slot::Subject(i) => &mut b.subjects[i],
            Slot::Criterion(i) => &mut b.criteria[i],
            Slot::Article(i) => &mut b.articles[i],
            Slot::Section(i) => &mut b.sections[i],
            Slot::Page(i) => &mut b.pages[i],
            Slot::ListIntro(i) => &mut b.list_intros[i],
        }
    }
}

/// Whether a page made for `what` shows the body at `slot` as its own.
fn shows(what: What, slot: Slot) -> bool {
    matches!((what, slot), (What::Home, Slot::Home))
        || matches!((what, slot), (What::Subject(a), Slot::Subject(b)) if a == b)
        || matches!((what, slot), (What::Criterion(a, _), Slot::Criterion(b)) if a == b)
        || matches!((what, slot), (What::Article(a), Slot::Article(b)) if a == b)
        || matches!((what, slot), (What::Section(a), Slot::Section(b)) if a == b)
        || matches!((what, slot), (What::Page(a), Slot::Page(b)) if a == b)
}
