//! The cheaper ways to rebuild a [`Session`]: re-render edited bodies, update from changed content files, re-render after a theme change. Each gives up (`Ok(None)`) when it cannot vouch for the result, and the caller renders everything.

use super::*;

impl Session {
    /// Re-renders only the pages of the changed files when every change since the last good
    /// build is to Markdown bodies and the templates show each body on its own page only.
    /// `None` when a full render is needed.
    pub(super) fn rerender(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        if !self.content_edits_only(pending) {
            return Ok(None);
        }
        let (Some(good), Some(sources)) = (self.good.as_mut(), &self.sources) else {
            return Ok(None);
        };
        let mut bodies = Vec::new();
        for rel in &pending.content {
            let (file, old) = match (sources.get(rel), good.heads.get(rel)) {
                // Not a page before nor now (an editor's backup or swap file).
                (None, None) => continue,
                (Some(file), Some(old)) => (file, old),
                _ => return Ok(None),
            };
            let Some((head, body_line, markdown)) = split_head(&file.text) else {
                return Ok(None);
            };
            if head != old.0 || body_line != old.1 {
                return Ok(None);
            }
            bodies.push((
                rel.as_str(),
                Body {
                    markdown: markdown.to_string(),
                    source: file.display.clone(),
                    first_line: body_line,
                },
            ));
        }
        let edits: Vec<BodyEdit<'_>> = bodies
            .iter()
            .map(|(rel, body)| BodyEdit { rel, body })
            .collect();
        let Some(rendered) = good.kept.rerender(&edits) else {
            return Ok(None);
        };
        let pages = good.pages;
        let updated = self.swap_in(&rendered)?;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: rendered.len(),
            updated,
            removed: Vec::new(),
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        }))
    }

    /// Rebuilds the model from the parsed files (parsing those not parsed yet) and re-renders
    /// the pages whose inputs changed. `None` when a full render is needed.
    pub(super) fn update(
        &mut self,
        pending: &Changes,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        use rayon::prelude::*;
        if !self.content_edits_only(pending) {
            return Ok(None);
        }
        let (Some(loaded), Some(sources)) = (&self.loaded, &self.sources) else {
            return Ok(None);
        };
        if self.good.is_none() {
            return Ok(None);
        }
        self.parsed.retain(|rel, _| sources.contains_key(rel));
        let missing: Vec<(String, content::ParsedFile)> = sources
            .par_iter()
            .filter(|(rel, _)| !self.parsed.contains_key(*rel))
            .map(|(rel, file)| (rel.clone(), content::parse_file(file.clone())))
            .collect();
        self.parsed.extend(missing);
        let (mut content, errors) = content::assemble(self.parsed.values().cloned());
        content.assets = self.assets.files.clone();
        if !errors.is_empty() {
            return Ok(None);
        }
        let Ok(site) = crate::model::build(
            loaded.inputs.config.clone(),
            content,
            loaded.inputs.archive.as_ref().ok(),
        ) else {
            return Ok(None);
        };
        let Some(good) = self.good.as_mut() else {
            return Ok(None);
        };
        let Some(update) = good.kept.update(site, &loaded.inputs.theme) else {
            return Ok(None);
        };
        let mut next: SiteFiles = (*self.files).clone();
        let mut updated = Vec::new();
        for file in update.files {
            if next
                .get(file.path.as_str())
                .is_none_or(|b| **b != *file.bytes)
            {
                next.insert(
                    Arc::from(file.path.as_str()),
                    bytes::Bytes::from(file.bytes),
                );
                updated.push(file.path);
            }
        }
        for path in &update.removed {
            next.remove(path.as_str());
        }
        for rel in &pending.content {
            match sources.get(rel).and_then(|f| split_head(&f.text)) {
                Some((head, line, _)) => {
                    good.heads.insert(rel.clone(), (head.to_string(), line));
                }
                None => {
                    good.heads.remove(rel);
                }
            }
        }
        good.pages = good.kept.pages();
        let pages = good.pages;
        self.write(&next, &updated, &update.removed)?;
        self.files = Arc::new(next);
        self.spare = None;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: update.rendered,
            updated,
            removed: update.removed,
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        }))
    }

    /// After a change to templates or static files alone: re-renders the pages whose
    /// template builds on a changed one and swaps in the new static files. `None` when a
    /// full render is needed.
    pub(super) fn retheme(
        &mut self,
        changes: &Changes,
        started: Instant,
    ) -> Result<Option<Rebuilt>> {
        let (Some(good), Some(loaded)) = (self.good.as_mut(), &self.loaded) else {
            return Ok(None);
        };
        let (inputs, assets) = (&loaded.inputs, &loaded.assets);
        let generated = good.kept.generated_paths();
        let planned = generated.iter().map(String::as_str);
        if !output::path_conflicts(&inputs.theme, planned, good.kept.site()).is_empty() {
            // A static file shadows a generated one or takes its folder: the full render
            // reports it.
            return Ok(None);
        }
        let generated = |path: &str| generated.contains(path);
        let next: SiteFiles = self
            .files
            .iter()
            .filter(|(path, _)| generated(path))
            .map(|(p, b)| (Arc::clone(p), b.clone()))
            .collect();
        let Some(update) = good.kept.retheme(&inputs.theme) else {
            return Ok(None);
        };
        let mut next = next;
        next.extend(assets.iter().map(|(p, b)| (Arc::clone(p), b.clone())));
        let page_assets = self.assets.bytes.iter();
        next.extend(page_assets.map(|(p, b)| (Arc::clone(p), b.clone())));
        for file in update.files {
            next.insert(
                Arc::from(file.path.as_str()),
                bytes::Bytes::from(file.bytes),
            );
        }
        let (updated, removed) = diff(&self.files, &next);
        let pages = good.pages;
        self.write(&next, &updated, &removed)?;
        self.files = Arc::new(next);
        self.spare = None;
        Ok(Some(Rebuilt {
            changed: changes.describe(),
            pages,
            rendered: update.rendered,
            updated,
            removed,
            deferred: Deferred::Nothing,
            elapsed: started.elapsed(),
        }))
    }
}
