//! The values every template reads ([`GLOBALS`]), serialized once into Tera's global context.

use super::*;

/// Names of the values every template can read, in the order they are installed.
pub(crate) const GLOBALS: [&str; 11] = [
    "site",
    "palette",
    "subjects",
    "criteria",
    "articles",
    "sections",
    "nav",
    "home",
    "scoreboard",
    "matrix",
    "feed",
];

/// Values every template can read, serialized once.
pub(crate) struct Shared {
    /// In [`GLOBALS`] order; `None` for a global no template reads.
    pub values: Vec<Option<Value>>,
    /// In the same order, what the caller's [`Mark`] made of each.
    marks: Vec<u64>,
}

/// What a caller makes of each global's view as it is serialized (rebuilding fingerprints
/// them, to tell which changed; a build marks nothing).
pub(crate) type Mark<'m> = &'m (dyn Fn(&dyn erased_serde::Serialize) -> u64 + Sync);

/// A view as a Tera value, with what `mark` makes of it.
fn both<T: Serialize>(view: &T, mark: Mark<'_>) -> (Option<Value>, u64) {
    (Some(crate::render::value(view)), mark(view))
}

/// The globals some template of a theme reads ([`crate::theme::scan::globals_read`]): only
/// they are made. The list of every article, for one, is the largest, and the default
/// theme's pages never read it.
pub(crate) fn read_by(
    templates: &std::collections::BTreeMap<String, crate::theme::TemplateSource>,
) -> Read {
    crate::theme::scan::globals_read(templates, &GLOBALS)
        .into_values()
        .flatten()
        .collect()
}

/// See [`read_by`].
pub(crate) type Read = std::collections::BTreeSet<&'static str>;

impl Shared {
    /// Serializes the views that templates read.
    pub(crate) fn new(views: &Views<'_>, read: &Read) -> Shared {
        Shared::marked(views, &|_| 0, read)
    }

    /// Serializes the views that templates read (the article list, the largest, in
    /// parallel), each seen by `mark` as well (the article list as the marks of its
    /// articles). A global no template reads is not made (and marked 0).
    pub(crate) fn marked(views: &Views<'_>, mark: Mark<'_>, read: &Read) -> Shared {
        let site = views.site;
        let unread = || (None, 0);
        let ((articles, matrix), rest) = rayon::join(
            || {
                rayon::join(
                    || {
                        if !read.contains("articles") {
                            return unread();
                        }
                        let all: Vec<(Value, u64)> = (0..site.articles.len())
                            .into_par_iter()
                            .map(|i| {
                                let summary = views.article_summary(i, Form::Views);
                                (crate::render::value(&summary), mark(&summary))
                            })
                            .collect();
                        let hashes: Vec<u64> = all.iter().map(|(_, h)| *h).collect();
                        let values: Vec<Value> = all.into_iter().map(|(v, _)| v).collect();
                        (Some(Value::from(values)), mark(&hashes))
                    },
                    || both(&views.matrix(), mark),
                )
            },
            || {
                let newest = site.articles.len().saturating_sub(site.config.feed_limit);
                let feed: Vec<_> = (newest..site.articles.len())
                    .rev()
                    .map(|i| views.article_summary(i, Form::Views))
                    .collect();
                [
                    both(&views.site(), mark),
                    both(&views.palette(), mark),
                    both(&views.subjects(), mark),
                    both(&views.criteria(), mark),
                    both(&views.sections(), mark),
                    both(&views.nav(), mark),
                    both(&views.page(&site.home, &views.bodies.home), mark),
                    both(&views.scoreboard(), mark),
                    both(&feed, mark),
                ]
            },
        );
        let [
            site_v,
            palette,
            subjects,
            criteria,
            sections,
            nav,
            home,
            scoreboard,
            feed,
        ] = rest;
        let (values, marks) = [
            site_v, palette, subjects, criteria, articles, sections, nav, home, scoreboard, matrix,
            feed,
        ]
        .into_iter()
        .unzip();
        Shared { values, marks }
    }

    /// Puts the shared values into Tera's global context.
    pub(crate) fn install(&self, context: &mut Context) {
        for (key, value) in GLOBALS.iter().zip(&self.values) {
            if let Some(value) = value {
                context.insert_value(*key, value.clone());
            }
        }
    }

    /// Puts the shared values that `wanted` names into Tera's global context.
    pub(crate) fn install_only(&self, context: &mut Context, wanted: &dyn Fn(&str) -> bool) {
        for (key, value) in GLOBALS.iter().zip(&self.values) {
            if let Some(value) = value.as_ref().filter(|_| wanted(key)) {
                context.insert_value(*key, value.clone());
            }
        }
    }

    /// Makes the globals `names` (never the article list) and installs them: for a caller
    /// that renders a few pages whose templates read only those.
    pub(crate) fn install_named(views: &Views<'_>, context: &mut Context, names: &[&'static str]) {
        for name in names {
            if let Some(value) = Shared::one(views, name) {
                context.insert_value(*name, value);
            }
        }
    }

    /// The global `name` as a Tera value (`None` for the article list and for a name not in
    /// [`GLOBALS`]).
    fn one(views: &Views<'_>, name: &str) -> Option<Value> {
        let site = views.site;
        Some(match name {
            "site" => crate::render::value(&views.site()),
            "palette" => crate::render::value(&views.palette()),
            "subjects" => crate::render::value(&views.subjects()),
            "criteria" => crate::render::value(&views.criteria()),
            "sections" => crate::render::value(&views.sections()),
            "nav" => crate::render::value(&views.nav()),
            "home" => crate::render::value(&views.page(&site.home, &views.bodies.home)),
            "scoreboard" => crate::render::value(&views.scoreboard()),
            "matrix" => crate::render::value(&views.matrix()),
            "feed" => {
                let newest = site.articles.len().saturating_sub(site.config.feed_limit);
                let feed: Vec<_> = (newest..site.articles.len())
                    .rev()
                    .map(|i| views.article_summary(i, Form::Views))
                    .collect();
                crate::render::value(&feed)
            }
            _ => return None,
        })
    }

    /// What [`Shared::marked`]'s `mark` made of each global.
    pub(crate) fn marks(&self) -> Vec<u64> {
        self.marks.clone()
    }
}
