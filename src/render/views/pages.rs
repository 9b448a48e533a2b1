//! Free pages, sections, navigation and pagination, as templates see them.

use super::*;

/// Where a page sits in a paginated list (`paginator`).
#[derive(Debug, Serialize)]
pub(crate) struct Paginator {
    /// This page's number, from 1.
    pub number: usize,
    /// Pages in all.
    pub pages: usize,
    pub per_page: usize,
    /// Items over all pages.
    pub total: usize,
    /// 1-based position of this page's first item.
    pub first_item: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Links to the first, last and nearby pages, in order; `None` marks a gap.
    pub links: Vec<Option<PageLink>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

/// The URL path of page `number` of a list whose first page is at `first` (`articles/`).
pub(crate) fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    pub path: &'a str,
    pub url: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub weight: i64,
    /// `YYYY-MM-DD`, and as words (`4 March 2023`).
    pub date: Option<String>,
    pub date_human: Option<String>,
    pub updated: Option<String>,
    pub updated_human: Option<String>,
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    pub content: &'a str,
    pub toc: &'a [Heading],
    #[serde(skip)]
    pub sort_date: Option<crate::content::raw::Date>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SectionView<'a> {
    #[serde(flatten)]
    pub page: PageView<'a>,
    /// Pages directly in this section, by weight then title.
    pub pages: Vec<PageView<'a>>,
    /// Sections directly below this one.
    pub subsections: Vec<PageView<'a>>,
}

/// A link in navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct NavLink {
    pub title: String,
    pub url: String,
}

impl<'a> Views<'a> {
    pub(crate) fn page(&self, page: &'a Page, body: &'a Rendered) -> PageView<'a> {
        PageView {
            path: &page.path,
            url: self.url(&page.url),
            title: &page.title,
            description: page.description.as_deref(),
            weight: page.weight,
            date: page.date.map(|d| d.to_string()),
            date_human: page.date.map(|d| human_date(d.year, d.month, d.day)),
            updated: page.updated.map(|d| d.to_string()),
            updated_human: page.updated.map(|d| human_date(d.year, d.month, d.day)),
            extra: &page.extra,
            content: &body.html,
            toc: &body.toc,
            sort_date: page.date,
        }
    }

    /// Pages and sections whose parent folder is `dir` (`""` for the top level).
    pub(crate) fn children(&self, dir: &str) -> (Vec<PageView<'a>>, Vec<PageView<'a>>) {
        let site = self.site;
        let in_dir = |path: &str| parent(path) == dir;
        let mut pages: Vec<PageView<'a>> = site
            .pages
            .iter()
            .zip(&self.bodies.pages)
            .filter(|(p, _)| in_dir(&p.path))
            .map(|(p, b)| self.page(p, b))
            .collect();
        let mut sections: Vec<PageView<'a>> = site
            .sections
            .iter()
            .zip(&self.bodies.sections)
            .filter(|(p, _)| in_dir(&p.path))
            .map(|(p, b)| self.page(p, b))
            .collect();
        let order = |a: &PageView<'_>, b: &PageView<'_>| {
            (a.weight, a.title, a.path).cmp(&(b.weight, b.title, b.path))
        };
        let sort_by = site
            .sections
            .iter()
            .find(|s| s.path == dir)
            .map_or_else(Default::default, |s| s.sort_by);
        match sort_by {
            crate::model::SortBy::Weight => pages.sort_by(order),
            // Newest first, undated last.
            crate::model::SortBy::Date => pages.sort_by(|a, b| {
                (b.sort_date.is_some(), b.sort_date, a.title, a.path).cmp(&(
                    a.sort_date.is_some(),
                    a.sort_date,
                    b.title,
                    b.path,
                ))
            }),
        }
        sections.sort_by(order);
        (pages, sections)
    }

    pub(crate) fn sections(&self) -> Vec<SectionView<'a>> {
        (0..self.site.sections.len())
            .map(|i| self.section(i))
            .collect()
    }

    pub(crate) fn section(&self, i: usize) -> SectionView<'a> {
        let s = &self.site.sections[i];
        let (pages, subsections) = self.children(&s.path);
        SectionView {
            page: self.page(s, &self.bodies.sections[i]),
            pages,
            subsections,
        }
    }

    /// The header navigation: the three lists, then top-level sections and pages.
    pub(crate) fn nav(&self) -> Vec<NavLink> {
        let site = self.site;
        let mut nav: Vec<NavLink> = crate::content::Collection::ALL
            .iter()
            .map(|c| NavLink {
                title: site
                    .list_intros
                    .get(c)
                    .map_or_else(|| capitalize(c.dir()), |p| p.title.clone()),
                url: self.url(&format!("{}/", c.dir())),
            })
            .collect();
        let (pages, sections) = self.children("");
        nav.extend(sections.iter().chain(&pages).map(|p| NavLink {
            title: p.title.to_string(),
            url: p.url.clone(),
        }));
        nav
    }
}

impl Paginator {
    /// Page `number` (from 1) of `total` items, `per_page` a page; `url(n)` links page `n`.
    pub(crate) fn new(
        number: usize,
        total: usize,
        per_page: usize,
        url: impl Fn(usize) -> String,
    ) -> Self {
        let pages = total.div_ceil(per_page).max(1);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(number) <= 2 {
                if n > last_shown + 1 {
                    links.push(None);
                }
                links.push(Some(PageLink {
                    number: n,
                    url: url(n),
                    current: n == number,
                }));
                last_shown = n;
            }
        }
        Paginator {
            number,
            pages,
            per_page,
            total,
            first_item: (number - 1) * per_page + 1,
            prev: (number > 1).then(|| url(number - 1)),
            next: (number < pages).then(|| url(number + 1)),
            links,
        }
    }
}
