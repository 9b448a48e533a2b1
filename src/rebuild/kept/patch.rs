//! Patching what a full render kept after edits to articles that keep their place
//! ([`Plan::Articles`](crate::rebuild::plan::Plan::Articles)): the edited articles are
//! swapped into the kept model and the matrix derived again; their bodies (and those that
//! show the model through a shortcode) are rendered again; every global but the article
//! list is made again (the list's mark from the kept marks of its articles, only the edited
//! ones marked again); only the pages that [`plan::check`] picks are fingerprinted, and those
//! that changed or read a changed global are rendered. The search index and the matrix files
//! are made again for what changed only.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::shortcodes_used::Slot;
use super::{Kept, Update, changed_pages, render_some};
use crate::markdown::Rendered;
use crate::model::Article;
use crate::model::matrix::Row;
use crate::output::OutputFile;
use crate::rebuild::Deferred;
use crate::rebuild::fingerprint::{self, Pages};
use crate::rebuild::plan::{self, Patched, Shown};
use crate::render::pages::{self, Job, What};
use crate::render::shortcodes::{Templates, shows_model};
use crate::render::views::Views;
use crate::render::{self, links};

/// What a patch that defers leaves for [`Kept::finish`]: what changed (the pages to render
/// are picked from it), and whether the matrix files must be made again.
pub(super) struct Later {
    /// What the patch changed.
    patched: Patched,
    matrix: bool,
    /// The links of the pages made first, checked with the rest.
    links: Vec<links::Changed>,
}

/// What became of a patch.
pub(in crate::rebuild) enum Patch {
    /// Done: the files it made.
    Done(Update),
    /// Declined before anything changed: another way may take the edit.
    Declined,
    /// Failed halfway: what is kept no longer matches the output, render everything.
    Spoilt,
}

/// The positions of the jobs to render, the new fingerprints of the pages compared, and the
/// globals' marks.
type RenderPlan = (Vec<usize>, Vec<(String, u64)>, Vec<u64>);

impl Kept {
    /// Brings the output up to date after the articles at the positions of `edited` were
    /// replaced (see the module documentation). With `defer`, only the edited articles' own
    /// pages (and the search index) are made: the rest waits for [`Kept::finish`], and
    /// [`Update::deferred`] names it.
    pub(in crate::rebuild) fn patch(
        &mut self,
        edited: Vec<(usize, Article)>,
        defer: bool,
    ) -> Patch {
        if !self.isolated
            || edited.is_empty()
            || self.reads_article_list()
            || !self.same_criterion_pages(&edited)
        {
            return Patch::Declined;
        }
        let old_rows = self.site.matrix.rows.clone();
        let mut old = Vec::with_capacity(edited.len());
        for (at, article) in edited {
            old.push((at, std::mem::replace(&mut self.site.articles[at], article)));
        }
        let t = crate::timing::span("patch.matrix");
        let site = &mut self.site;
        site.matrix = crate::model::matrix::derive(&site.subjects, &site.criteria, &site.articles);
        drop(t);
        match self.patched(&old, &old_rows, defer) {
            Some(update) => Patch::Done(update),
            None => Patch::Spoilt,
        }
    }

    /// Whether every criterion keeps its number of list pages once `edited` are in (the
    /// set of pages stays the same).
    fn same_criterion_pages(&self, edited: &[(usize, Article)]) -> bool {
        let rows = &self.site.matrix.rows;
        let mut counts: Vec<usize> = rows.iter().map(|r| r.claims.len()).collect();
        for (at, new) in edited {
            for c in &self.site.articles[*at].claims {
                counts[c.criterion] = counts[c.criterion].saturating_sub(1);
            }
            for c in &new.claims {
                counts[c.criterion] += 1;
            }
        }
        let per_page = self.site.config.paginate_by.max(1);
        let pages = |n: usize| n.div_ceil(per_page).max(1);
        rows.iter()
            .zip(counts)
            .all(|(r, n)| pages(r.claims.len()) == pages(n))
    }

    /// Whether a template reads the article list (whose value a patch leaves as it was).
    fn reads_article_list(&self) -> bool {
        let templates: BTreeSet<&str> = self.jobs.iter().map(|j| j.template.as_str()).collect();
        templates
            .into_iter()
            .any(|t| self.reads.get(t).is_none_or(|r| r.contains("articles")))
    }

    /// [`Kept::patch`] once the model is patched; `old` are the replaced articles.
    fn patched(
        &mut self,
        old: &[(usize, Article)],
        old_rows: &[Row],
        defer: bool,
    ) -> Option<Update> {
        let per_page = self.site.config.paginate_by.max(1);
        let articles: Vec<usize> = old.iter().map(|(at, _)| *at).collect();
        let t = crate::timing::span("patch.bodies");
        let reshown = self.reshow(old)?;
        drop(t);
        let rows = &self.site.matrix.rows;
        let retitled = old
            .iter()
            .filter(|(at, before)| before.title != self.site.articles[*at].title)
            .map(|(at, _)| *at)
            .collect();
        let patched = Patched {
            rows: changed_rows(old_rows, rows, &articles, per_page),
            moved: moved_claims(old_rows, rows, per_page),
            retitled,
            articles,
            reshown,
            per_page,
        };
        let t = crate::timing::span("patch.first");
        let first = self.first_pages(&patched.articles);
        let (mut files, links) = self.render_positions(&first)?;
        drop(t);
        let t = crate::timing::span("patch.search");
        files.extend(self.patch_search(&patched.articles)?);
        drop(t);
        let matrix = old.iter().any(|(at, before)| {
            let now = &self.site.articles[*at];
            // `matrix.json` names each article by its title too.
            before.claims != now.claims
                || before.leaning != now.leaning
                || before.title != now.title
        });
        let later = Later {
            patched,
            matrix,
            links,
        };
        let mut rendered = first.len();
        let deferred = if defer {
            self.later = Some(later);
            Deferred::AllBut {
                done: first.iter().map(|&i| self.jobs[i].path.clone()).collect(),
                search: true,
            }
        } else {
            let made = self.made_later(later)?;
            rendered += made.len();
            files.extend(made);
            Deferred::Nothing
        };
        Some(Update {
            rendered,
            files,
            removed: Vec::new(),
            deferred,
        })
    }

    /// The positions of the edited articles' own pages, with the globals their templates
    /// read made again and installed, and their fingerprints taken.
    fn first_pages(&mut self, articles: &[usize]) -> Vec<usize> {
        let first: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| matches!(self.jobs[i].what, What::Article(a) if articles.contains(&a)))
            .collect();
        let names: BTreeSet<&'static str> = first
            .iter()
            .filter_map(|&i| self.reads.get(&self.jobs[i].template))
            .flatten()
            .copied()
            .collect();
        let names: Vec<&'static str> = names.into_iter().collect();
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        pages::Shared::install_named(&views, self.tera.global_context(), &names);
        let contexts = pages::Contexts::new(&views, &self.jobs);
        let prints = Pages::new(&contexts);
        for &i in &first {
            let job = &self.jobs[i];
            self.fingerprints.insert(job.path.clone(), prints.job(job));
        }
        first
    }

    /// Makes what the last patch deferred: `None` when nothing was, `Some(None)` when it
    /// failed (what is kept is spoilt: render everything).
    pub(in crate::rebuild) fn finish(&mut self) -> Option<Option<Vec<OutputFile>>> {
        let later = self.later.take()?;
        Some(self.made_later(later))
    }

    fn made_later(&mut self, later: Later) -> Option<Vec<OutputFile>> {
        let t = crate::timing::span("later.plan");
        let (dirty, fresh, globals) = self.patch_render_plan(&later.patched)?;
        drop(t);
        let t = crate::timing::span("later.render");
        let (mut files, mut links) = self.render_positions(&dirty)?;
        drop(t);
        self.fingerprints.extend(fresh);
        self.globals = globals;
        links.extend(later.links);
        if !self.apply_links(links, &[]) {
            return None;
        }
        if later.matrix {
            files.extend(render::matrix_files(&self.site));
        }
        Some(files)
    }

    /// Renders the jobs at `positions`: the files, and their links for the link index.
    fn render_positions(
        &mut self,
        positions: &[usize],
    ) -> Option<(Vec<OutputFile>, Vec<links::Changed>)> {
        if positions.is_empty() {
            return Some((Vec::new(), Vec::new()));
        }
        let base_path = self.site.config.base_path.clone();
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        let contexts = pages::Contexts::new(&views, &self.jobs);
        let rendered = render_some(&self.tera, &contexts, &self.jobs, positions, &base_path)?;
        drop(contexts);
        drop(views);
        let links = changed_pages(&rendered);
        Some((rendered.into_iter().map(|(f, _)| f).collect(), links))
    }

    /// Makes the globals again (installing those that changed) and fingerprints the pages
    /// `patched` picks: the positions of the jobs to render, the new fingerprints, the
    /// globals' marks.
    fn patch_render_plan(&mut self, patched: &Patched) -> Option<RenderPlan> {
        let views = Views::with_columns(&self.site, &self.bodies, &self.columns);
        // No template reads the article list (a patch would decline): it is not made.
        let read = self.reads.values().flatten().copied().collect();
        let t = crate::timing::span("plan.globals");
        let shared = pages::Shared::marked(&views, &fingerprint::global, &read);
        drop(t);
        let globals = shared.marks();
        let changed = self.changed_globals(&globals);
        shared.install_only(self.tera.global_context(), &|g| changed.contains(g));
        let t = crate::timing::span("plan.prints");
        let contexts = pages::Contexts::new(&views, &self.jobs);
        let prints = Pages::new(&contexts);
        let checked: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| plan::check(patched, self.jobs[i].what))
            .collect();
        let fresh: Vec<(usize, u64)> = checked
            .par_iter()
            .map(|&i| (i, prints.job(&self.jobs[i])))
            .collect();
        drop(t);
        let reads_changed = |job: &Job| {
            self.reads
                .get(&job.template)
                .is_none_or(|reads| reads.iter().any(|g| changed.contains(g)))
        };
        let mut dirty: BTreeSet<usize> = fresh
            .iter()
            .filter(|(i, f)| self.fingerprints.get(&self.jobs[*i].path) != Some(f))
            .map(|(i, _)| *i)
            .collect();
        if !changed.is_empty() {
            dirty.extend((0..self.jobs.len()).filter(|&i| reads_changed(&self.jobs[i])));
        }
        let fresh = fresh
            .into_iter()
            .map(|(i, f)| (self.jobs[i].path.clone(), f))
            .collect();
        Some((dirty.into_iter().collect(), fresh, globals))
    }

    /// Renders again the edited articles' bodies that changed, and every body that shows
    /// the model through a shortcode; says which of them show on pages [`plan::check`]
    /// picks by kind. `None` when one fails (the full render reports it).
    fn reshow(&mut self, old: &[(usize, Article)]) -> Option<Vec<Shown>> {
        let expand = Templates::with_columns(
            &self.shortcode_tera,
            &self.templates,
            &self.site,
            &self.columns,
        );
        let edited = |slot: Slot| {
            old.iter().any(|(at, before)| {
                slot == Slot::Article(*at) && before.body != self.site.articles[*at].body
            })
        };
        let again: Vec<(Slot, Rendered)> = self
            .slots()
            .into_iter()
            .filter(|(slot, _, rendered)| edited(*slot) || shows_model(&rendered.shortcodes))
            .map(|(slot, body, _)| {
                let rendered = crate::shortcodes::render(body, &self.links, &expand).ok()?;
                Some((slot, rendered))
            })
            .collect::<Option<_>>()?;
        let intros: Vec<_> = self.site.list_intros.keys().copied().collect();
        let mut shown = Vec::with_capacity(again.len());
        for (slot, rendered) in again {
            let model = shows_model(&rendered.shortcodes);
            *self.rendered_mut(slot) = rendered;
            shown.push(match slot {
                Slot::Article(i) if model => Shown::Article(i),
                Slot::Criterion(i) => Shown::Criterion(i),
                Slot::ListIntro(i) => Shown::ListIntro(*intros.get(i)?),
                _ => Shown::Other,
            });
        }
        Some(shown)
    }

    /// The search index files the edited articles change; `None` when the index cannot
    /// tell (the full render makes it again).
    fn patch_search(&mut self, articles: &[usize]) -> Option<Vec<OutputFile>> {
        let Some(index) = self.search.as_mut() else {
            return Some(Vec::new());
        };
        let mut edits = Vec::with_capacity(articles.len());
        for &i in articles {
            edits.extend(index.article_edit(&self.site, i)?);
        }
        Some(index.apply(edits))
    }
}

/// Per criterion whose claims by `articles` changed between `old` and `new` rows: `None`
/// when what every page of it shows changed, else the pages (numbered from 1, `per_page`
/// claims each) that list those claims.
fn changed_rows(
    old: &[Row],
    new: &[Row],
    articles: &[usize],
    per_page: usize,
) -> Vec<(usize, Option<Vec<usize>>)> {
    let head = |r: &Row| {
        (
            r.claims.len(),
            r.tally.clone(),
            r.consensus,
            r.without_stakes,
        )
    };
    old.iter()
        .zip(new)
        .enumerate()
        .filter(|(_, (o, n))| {
            o != n
                || articles
                    .iter()
                    .any(|a| claims_on(o, *a) || claims_on(n, *a))
        })
        .map(|(c, (o, n))| {
            if head(o) != head(n) {
                return (c, None);
            }
            let pages = articles
                .iter()
                .filter_map(|a| {
                    let at = n.claims.partition_point(|r| r.article < *a);
                    claims_on(n, *a).then_some(at / per_page + 1)
                })
                .collect();
            (c, Some(pages))
        })
        .collect()
}

/// Whether `article` has a claim in `row`.
fn claims_on(row: &Row, article: usize) -> bool {
    let at = row.claims.partition_point(|r| r.article < article);
    row.claims.get(at).is_some_and(|r| r.article == article)
}

/// The articles whose claim on some criterion is on another page of its list in `new` than
/// in `old` (claims added or taken out before it move it).
fn moved_claims(old: &[Row], new: &[Row], per_page: usize) -> Vec<usize> {
    let mut moved = BTreeSet::new();
    for (o, n) in old.iter().zip(new) {
        if o.claims.len() == n.claims.len() {
            continue;
        }
        for (k, r) in n.claims.iter().enumerate() {
            let before = o.claims.partition_point(|x| x.article < r.article);
            if claims_on(o, r.article) && before / per_page != k / per_page {
                moved.insert(r.article);
            }
        }
    }
    moved.into_iter().collect()
}
