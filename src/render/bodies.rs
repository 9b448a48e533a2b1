//! The Markdown bodies of a site, rendered with the context their `@/` links resolve in.

use super::*;

/// Content path → URL path, for `@/` links, and the ids `templates` reserve.
pub(crate) fn link_context(site: &Site, theme: &Theme) -> LinkContext {
    let templates = &theme.templates;
    let mut pages = HashMap::new();
    pages.insert("_index.md".to_string(), String::new());
    for s in &site.subjects {
        pages.insert(format!("subjects/{}.md", s.id), s.url_path());
    }
    for c in &site.criteria {
        pages.insert(format!("criteria/{}.md", c.id), c.url_path());
    }
    for a in &site.articles {
        pages.insert(format!("articles/{}.md", a.slug), a.url_path());
    }
    for c in site.list_intros.keys() {
        pages.insert(format!("{}/_index.md", c.dir()), format!("{}/", c.dir()));
    }
    for s in &site.sections {
        pages.insert(format!("{}/_index.md", s.path), s.url.clone());
    }
    for p in &site.pages {
        pages.insert(format!("{}.md", p.path), p.url.clone());
    }
    super::assets::add_link_targets(&mut pages, site, theme);
    LinkContext {
        base_path: site.config.base_path.clone(),
        pages,
        highlighter: Default::default(),
        reserved_ids: crate::theme::scan::reserved_ids(templates).into(),
    }
}

/// Every body of `site` rendered, those with errors too, and the errors.
pub(super) fn render_bodies_all(
    site: &Site,
    links: &LinkContext,
    expand: &dyn crate::shortcodes::Expand,
) -> (Bodies, Vec<Diagnostic>) {
    Bodies::build(site, &|b| crate::shortcodes::render_all(b, links, expand))
}

/// Renders every body of `site`, taking from `reuse` those it already has.
pub(crate) fn render_bodies_reusing(
    site: &Site,
    links: &LinkContext,
    expand: &dyn crate::shortcodes::Expand,
    reuse: &(dyn Fn(&Body) -> Option<Rendered> + Sync),
) -> Result<Bodies, Vec<Diagnostic>> {
    let (bodies, errors) = Bodies::build(site, &|b| match reuse(b) {
        Some(rendered) => (rendered, Vec::new()),
        None => match crate::shortcodes::render(b, links, expand) {
            Ok(rendered) => (rendered, Vec::new()),
            Err(errors) => (Rendered::default(), errors),
        },
    });
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(errors)
    }
}

/// One body rendered, and its errors.
type RenderBody<'r> = &'r (dyn Fn(&Body) -> (Rendered, Vec<Diagnostic>) + Sync);

impl Bodies {
    /// Every body of `site` rendered by `render` (in parallel within each kind), and all their
    /// errors, in the order of the bodies.
    fn build(site: &Site, render: RenderBody<'_>) -> (Bodies, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut all = |bodies: Vec<&Body>| -> Vec<Rendered> {
            let results: Vec<_> = bodies.par_iter().map(|b| render(b)).collect();
            results
                .into_iter()
                .map(|(rendered, e)| {
                    errors.extend(e);
                    rendered
                })
                .collect()
        };
        let bodies = Bodies {
            home: all(vec![&site.home.body]).pop().unwrap_or_default(),
            subjects: all(site.subjects.iter().map(|s| &s.body).collect()),
            criteria: all(site.criteria.iter().map(|c| &c.body).collect()),
            articles: all(site.articles.iter().map(|a| &a.body).collect()),
            sections: all(site.sections.iter().map(|p| &p.body).collect()),
            pages: all(site.pages.iter().map(|p| &p.body).collect()),
            list_intros: all(site.list_intros.values().map(|p| &p.body).collect()),
        };
        (bodies, errors)
    }
}
