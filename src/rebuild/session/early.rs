//! New and deleted digests, for a [`Session`] that defers: the new article's page is made
//! (or the deleted one's taken out) and shown first; the whole rebuild ([`Session::update`])
//! follows in [`Session::finish`], and requests for any other page wait for it.

use super::*;
use crate::rebuild::kept::Patch;

/// A new article with its position, and the output paths of deleted ones.
type AddedAndGone = (Option<(usize, crate::model::Article)>, Vec<String>);

impl Session {
    /// Shows the page of one new article, or takes out the pages of deleted ones, ahead of
    /// the rebuild (see the module documentation). `None` when the changes are not only
    /// that, or the session does not defer.
    pub(super) fn early(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        if !self.defer || !self.content_edits_only(pending) || !pending.assets.is_empty() {
            return Ok(None);
        }
        let t = crate::timing::span("early.parse");
        let Some((added, gone)) = self.added_and_gone(pending) else {
            return Ok(None);
        };
        drop(t);
        let t = crate::timing::span("early.copy");
        let mut files: SiteFiles = (*self.files).clone();
        drop(t);
        let mut done = std::collections::BTreeSet::new();
        if let Some((at, article)) = added {
            let Some(good) = self.good.as_mut() else {
                return Ok(None);
            };
            match good.kept.preview(at, article) {
                Patch::Done(update) => {
                    for file in update.files {
                        done.insert(file.path.clone());
                        files.insert(
                            Arc::from(file.path.as_str()),
                            bytes::Bytes::from(file.bytes),
                        );
                    }
                }
                Patch::Declined => return Ok(None),
                // Nothing kept can be trusted: render everything.
                Patch::Spoilt => {
                    self.good = None;
                    return Ok(None);
                }
            }
        }
        for path in gone {
            files.remove(path.as_str());
            done.insert(path);
        }
        let before = std::mem::replace(&mut self.files, Arc::new(files));
        self.spare = None;
        self.unfinished = Some((pending.clone(), changes.clone(), before));
        let pages = self.good.as_ref().map_or(0, |g| g.pages);
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: done.len(),
            updated: done.iter().cloned().collect(),
            removed: Vec::new(),
            deferred: Deferred::AllBut {
                done,
                search: false,
            },
            elapsed: started.elapsed(),
        }))
    }

    /// The new article (at most one, validated against the kept model, with its position)
    /// and the output paths of the deleted ones: `None` unless every changed file is one of
    /// those.
    fn added_and_gone(&self, pending: &Changes) -> Option<AddedAndGone> {
        let (sources, good, loaded) = (
            self.sources.as_ref()?,
            self.good.as_ref()?,
            self.loaded.as_ref()?,
        );
        let site = good.kept.site();
        let mut added = None;
        let mut gone = Vec::new();
        for rel in &pending.content {
            let Ok(content::Kind::Article(slug)) = content::classify(rel) else {
                continue;
            };
            match (sources.get(rel), good.heads.contains_key(rel)) {
                (Some(file), false) if added.is_none() => {
                    let parsed = content::parse_file(file.clone());
                    let doc = parsed.article()?.clone();
                    let archive = loaded.inputs.archive.as_ref().ok();
                    added = Some(crate::model::patch::new_article(site, doc, archive)?);
                }
                (None, true) => {
                    gone.push(format!(
                        "{}index.html",
                        crate::model::item_path(content::Collection::Articles, &slug)
                    ));
                }
                (None, false) => {}
                _ => return None,
            }
        }
        (added.is_some() || !gone.is_empty()).then_some((added, gone))
    }
}
