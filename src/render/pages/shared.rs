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
    /// In [`GLOBALS`] order.
    pub values: Vec<Value>,
    /// Their fingerprints, taken from the views (a Tera map's order is not stable).
    fingerprints: Vec<u64>,
}

/// A view as a Tera value, with its fingerprint.
fn both<T: Serialize + ?Sized>(view: &T) -> (Value, u64) {
    (crate::render::value(view), fingerprint(view))
}

impl Shared {
    /// Serializes the views (the article list, the largest, in parallel).
    pub(crate) fn new(views: &Views<'_>) -> Shared {
        let site = views.site;
        let ((articles, matrix), rest) = rayon::join(
            || {
                rayon::join(
                    || {
                        let all: Vec<(Value, u64)> = (0..site.articles.len())
                            .into_par_iter()
                            .map(|i| both(&views.article_summary(i)))
                            .collect();
                        let hashes: Vec<u64> = all.iter().map(|(_, h)| *h).collect();
                        let values: Vec<Value> = all.into_iter().map(|(v, _)| v).collect();
                        (Value::from(values), fingerprint(&hashes))
                    },
                    || both(&views.matrix()),
                )
            },
            || {
                let newest = site.articles.len().saturating_sub(site.config.feed_limit);
                let feed: Vec<_> = (newest..site.articles.len())
                    .rev()
                    .map(|i| views.article_summary(i))
                    .collect();
                [
                    both(&views.site()),
                    both(&views.palette()),
                    both(&views.subjects()),
                    both(&views.criteria()),
                    both(&views.sections()),
                    both(&views.nav()),
                    both(&views.page(&site.home, &views.bodies.home)),
                    both(&views.scoreboard()),
                    both(&feed),
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
        let (values, fingerprints) = [
            site_v, palette, subjects, criteria, articles, sections, nav, home, scoreboard, matrix,
            feed,
        ]
        .into_iter()
        .unzip();
        Shared {
            values,
            fingerprints,
        }
    }

    /// Puts the shared values into Tera's global context.
    pub(crate) fn install(&self, context: &mut Context) {
        for (key, value) in GLOBALS.iter().zip(&self.values) {
            context.insert_value(*key, value.clone());
        }
    }

    /// A fingerprint of each global, to tell which changed between two builds.
    pub(crate) fn fingerprints(&self) -> Vec<u64> {
        self.fingerprints.clone()
    }
}
