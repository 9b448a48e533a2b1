//! Edits to articles that keep their place, for a [`Session`]: the edited files parsed, each
//! article validated on its own against the kept model ([`crate::model::patch`]), and the
//! kept render patched ([`Kept::patch`]); the new files swapped into the output without
//! copying the others.

use super::*;
use crate::rebuild::kept::Patch;

impl Session {
    /// Patches the kept render with the edited articles. `None` when another way must take
    /// the edit (a costlier one, or everything when the patch failed halfway).
    pub(super) fn patch(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        if !self.content_edits_only(pending) {
            return Ok(None);
        }
        let t = crate::timing::span("patch.model");
        let Some(edited) = self.patched_articles(pending) else {
            return Ok(None);
        };
        drop(t);
        let Some(good) = self.good.as_mut() else {
            return Ok(None);
        };
        let t = crate::timing::span("patch.kept");
        let update = match good.kept.patch(edited, self.defer) {
            Patch::Done(update) => update,
            Patch::Declined => return Ok(None),
            Patch::Spoilt => {
                self.good = None;
                return Ok(None);
            }
        };
        drop(t);
        if let Some(sources) = &self.sources {
            for rel in &pending.content {
                if let Some((head, line, _)) = sources.get(rel).and_then(|f| split_head(&f.text)) {
                    good.heads.insert(rel.clone(), (head.to_string(), line));
                }
            }
        }
        let pages = good.pages;
        let updated = self.swap_in(&update.files)?;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: update.rendered,
            updated,
            removed: Vec::new(),
            deferred: update.deferred,
            elapsed: started.elapsed(),
        }))
    }

    /// Makes what the last rebuild deferred (see [`Session::defer`]): `None` when it
    /// deferred nothing. When that fails, everything is rendered again.
    pub fn finish(&mut self) -> Option<Result<Rebuilt>> {
        let started = Instant::now();
        if let Some((pending, changes, before)) = self.unfinished.take() {
            return Some(self.finish_update(&pending, &changes, before, started));
        }
        let good = self.good.as_mut()?;
        let pages = good.pages;
        let Some(files) = good.kept.finish()? else {
            self.good = None;
            let everything = Changes::default();
            return Some(self.render_all(&everything, started).map(|(r, _)| r));
        };
        let updated = match self.swap_in(&files) {
            Ok(updated) => updated,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(Rebuilt {
            changed: "the rest of the last edit".to_string(),
            pages,
            rendered: updated.len(),
            updated,
            removed: Vec::new(),
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        }))
    }

    /// The edited articles, parsed and validated against the kept model, with their
    /// positions: `None` unless every changed file is such an article.
    fn patched_articles(
        &mut self,
        pending: &Changes,
    ) -> Option<Vec<(usize, crate::model::Article)>> {
        let (sources, good, loaded) = (
            self.sources.as_ref()?,
            self.good.as_ref()?,
            self.loaded.as_ref()?,
        );
        let site = good.kept.site();
        let archive = loaded.inputs.archive.as_ref().ok();
        let mut edited: Vec<(usize, crate::model::Article)> = Vec::new();
        for rel in &pending.content {
            let (None, None) = (sources.get(rel), good.heads.get(rel)) else {
                let file = sources.get(rel)?;
                good.heads.get(rel)?;
                let parsed = content::parse_file(file.clone());
                let doc = parsed.article()?.clone();
                self.parsed.insert(rel.clone(), parsed);
                let (at, article) = crate::model::patch::article(site, doc, archive)?;
                if edited.iter().any(|(other, _)| *other == at) {
                    return None;
                }
                edited.push((at, article));
                continue;
            };
        }
        Some(edited)
    }

    /// The rebuild [`Session::early`] began: on failure the output before it is put back.
    fn finish_update(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        before: Arc<SiteFiles>,
        started: Instant,
    ) -> Result<Rebuilt> {
        let done = match self.update(pending, changes, started) {
            Ok(Some(rebuilt)) => Ok(rebuilt),
            Ok(None) => self.render_all(changes, started).map(|(r, _)| r),
            Err(e) => Err(e),
        };
        if done.is_err() {
            // The first part showed what the rest refused: back to the last good output,
            // and to a full render next time (what is kept saw the first part).
            self.files = before;
            self.spare = None;
            self.good = None;
        } else {
            self.pending = Changes::default();
        }
        done
    }

    /// Swaps into the output those of `files` whose bytes differ from it (updating the
    /// previous output in place when nobody holds it) and writes them; returns their paths.
    pub(super) fn swap_in(&mut self, files: &[OutputFile]) -> Result<Vec<String>> {
        let changed: Delta = files
            .iter()
            .filter(|f| {
                self.files
                    .get(f.path.as_str())
                    .is_none_or(|b| **b != *f.bytes)
            })
            .map(|f| {
                (
                    Arc::from(f.path.as_str()),
                    bytes::Bytes::copy_from_slice(&f.bytes),
                )
            })
            .collect();
        let updated: Vec<String> = changed.iter().map(|(p, _)| p.to_string()).collect();
        let mut next = match self.spare.take() {
            Some((mut old, delta)) => match Arc::get_mut(&mut old) {
                Some(map) => {
                    map.extend(delta);
                    old
                }
                None => Arc::clone(&self.files),
            },
            None => Arc::clone(&self.files),
        };
        Arc::make_mut(&mut next).extend(changed.iter().cloned());
        self.write(&next, &updated, &[])?;
        let previous = std::mem::replace(&mut self.files, next);
        self.spare = Some((previous, changed));
        Ok(updated)
    }
}
