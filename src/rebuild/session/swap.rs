//! Page assets edited in place: their new bytes swapped into a [`Session`]'s output with
//! nothing rendered (see [`crate::rebuild::assets`] for what counts as in place).

use super::*;

impl Session {
    /// When every change since the last good build is to page assets that were there and
    /// still are, swaps their new bytes into the output: no page reads them. Otherwise
    /// (an asset came or went, or other changes wait) marks the content to be read again.
    pub(super) fn swap_assets(
        &mut self,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        let content_dir = self.options.root.join("content");
        // A file that was no asset and is gone again changes nothing: the temporary file an
        // editor writes and renames over the page it saves (`a.md___jb_tmp___`). Taken for
        // an asset, it made every such save a full render.
        let known = &self.assets.files;
        self.pending
            .assets
            .retain(|rel| known.contains_key(rel) || content_dir.join(rel).exists());
        if self.pending.assets.is_empty() {
            return Ok(None);
        }
        let only_assets = Changes {
            assets: self.pending.assets.clone(),
            ..Changes::default()
        } == self.pending;
        let in_place = only_assets
            && self.read_errors.is_empty()
            && self.assets.same_set(&content_dir, &self.pending.assets);
        let Some(good) = self.good.as_ref().filter(|_| in_place) else {
            self.pending.rescan = true;
            return Ok(None);
        };
        let pages = good.pages;
        let changed = std::mem::take(&mut self.pending.assets);
        let updated = match self.assets.reread(&changed) {
            Ok(updated) => updated,
            Err(e) => {
                self.pending.assets = changed;
                self.pending.rescan = true;
                return Err(e);
            }
        };
        let mut next: SiteFiles = (*self.files).clone();
        for path in &updated {
            next.insert(
                Arc::from(path.as_str()),
                self.assets.bytes[path.as_str()].clone(),
            );
        }
        if let Err(e) = self.write(&next, &updated, &[]) {
            self.pending.rescan = true;
            return Err(e);
        }
        self.files = Arc::new(next);
        self.spare = None;
        self.pending = Changes::default();
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: 0,
            updated,
            removed: Vec::new(),
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        }))
    }
}
