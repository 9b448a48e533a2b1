//! The variables every page has (where it is, its breadcrumbs and neighbours), and the frame of a list page.

use super::*;

/// Makes the frame of one job's page: where it is, its breadcrumbs and neighbours.
pub(super) struct Framer<'v> {
    pub(super) views: &'v Views<'v>,
    pub(super) job: &'v Job,
    /// How the page's variables are made.
    pub(super) form: Form,
}

impl<'v> Framer<'v> {
    pub(super) fn home_link(&self) -> NavLink {
        self.views.home_link()
    }

    pub(super) fn frame(
        &self,
        kind: &'static str,
        breadcrumbs: Vec<NavLink>,
        prev: Option<NavLink>,
        next: Option<NavLink>,
    ) -> Frame {
        let path = &self.job.path;
        let url = path.strip_suffix("index.html").unwrap_or(path);
        let config = &self.views.site.config;
        let current_path = format!("{}{url}", config.base_path);
        // Worked out here rather than with a `starting_with` test per link in the template:
        // a Tera call with arguments costs as much as a few dozen lookups.
        let nav_active = self
            .views
            .nav_urls()
            .iter()
            .filter(|u| current_path.starts_with(u.as_str()))
            .cloned()
            .collect();
        Frame {
            kind,
            nav_active,
            current_path,
            canonical: format!("{}{url}", config.base_url),
            breadcrumbs: Reused::View(breadcrumbs),
            prev,
            next,
        }
    }

    /// An article, criterion or subject: breadcrumbs to its list, links to its neighbours
    /// in the list (`item(j)` gives the title and URL path of item `j`).
    pub(super) fn item(
        &self,
        kind: &'static str,
        collection: Collection,
        i: usize,
        item: &dyn Fn(usize) -> (String, String),
    ) -> Frame {
        let (views, site) = (self.views, self.views.site);
        let count = match collection {
            Collection::Articles => site.articles.len(),
            Collection::Criteria => site.criteria.len(),
            Collection::Subjects => site.subjects.len(),
        };
        let link = |j: usize| {
            let (title, path) = item(j);
            NavLink {
                title,
                url: views.url(&path),
            }
        };
        let mut frame = self.frame(
            kind,
            Vec::new(),
            i.checked_sub(1).map(link),
            (i + 1 < count).then(|| link(i + 1)),
        );
        frame.breadcrumbs = views.shared_item_crumbs(collection, self.form);
        frame
    }

    /// Page `number` of the list of `collection`.
    pub(super) fn list(
        &self,
        collection: Collection,
        number: usize,
        form: Form,
    ) -> ListVars<'v, ListPage<'v>> {
        let (views, site) = (self.views, self.views.site);
        let frame = self.frame("list", vec![self.home_link()], None, None);
        let page = list_page(views, collection);
        let (paginator, items) = if collection == Collection::Articles {
            let per_page = site.config.paginate_by;
            let paginator = Paginator::new(number, site.articles.len(), per_page, |n| {
                views.url(&page_path("articles/", n))
            });
            let items = ((number - 1) * per_page..(number * per_page).min(site.articles.len()))
                .map(|i| views.article_summary(i, form))
                .collect();
            (Some(paginator), Some(items))
        } else {
            (None, None)
        };
        let listed = match collection {
            Collection::Articles => None,
            Collection::Criteria => Some(Listed::Criteria(views.criteria())),
            Collection::Subjects => Some(Listed::Subjects(views.subjects())),
        };
        ListVars {
            frame: frame.with(page, paginator),
            list: collection.dir(),
            digests: items,
            listed,
            criteria_count: site.criteria.len(),
        }
    }

    /// The frame of page `i`: breadcrumbs through its sections, links to its siblings.
    pub(super) fn page(&self, i: usize) -> Frame {
        let views = self.views;
        let page = &views.site.pages[i];
        let (siblings, _) = views.children(parent(&page.path));
        let position = siblings
            .iter()
            .position(|p| p.path == page.path)
            .unwrap_or(0);
        let link = |p: &PageView<'_>| NavLink {
            title: p.title.to_string(),
            url: p.url.clone(),
        };
        self.frame(
            "page",
            ancestors(views, &page.path),
            position
                .checked_sub(1)
                .and_then(|i| siblings.get(i))
                .map(link),
            siblings.get(position + 1).map(link),
        )
    }
}

/// The variables every page has.
pub(super) struct Frame {
    kind: &'static str,
    nav_active: Vec<String>,
    pub(super) current_path: String,
    pub(super) canonical: String,
    breadcrumbs: Reused<Vec<NavLink>>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
}

#[derive(Serialize)]
pub(super) struct FrameVars<P: Serialize> {
    kind: &'static str,
    /// The URLs of the header navigation's links that the page is at or under.
    nav_active: Vec<String>,
    current_path: String,
    canonical: String,
    breadcrumbs: Reused<Vec<NavLink>>,
    prev: Option<NavLink>,
    next: Option<NavLink>,
    page: P,
    #[serde(skip_serializing_if = "Option::is_none")]
    paginator: Option<Paginator>,
}

impl Frame {
    pub(super) fn with<P: Serialize>(self, page: P, paginator: Option<Paginator>) -> FrameVars<P> {
        FrameVars {
            kind: self.kind,
            nav_active: self.nav_active,
            current_path: self.current_path,
            canonical: self.canonical,
            breadcrumbs: self.breadcrumbs,
            prev: self.prev,
            next: self.next,
            page,
            paginator,
        }
    }
}

#[derive(Serialize)]
pub(super) struct ListVars<'a, P: Serialize> {
    #[serde(flatten)]
    frame: FrameVars<P>,
    list: &'static str,
    /// The digests on this page of the article list.
    #[serde(skip_serializing_if = "Option::is_none")]
    digests: Option<Vec<crate::render::views::ArticleSummary<'a>>>,
    /// On the criteria list the criteria, on the subjects list the subjects (as the globals
    /// of those names hold them): a list template that reads these rather than the globals
    /// is not rendered again for every page of the article list when a consensus changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    listed: Option<Listed<'a>>,
    /// How many criteria the site has.
    criteria_count: usize,
}

/// What a list page of criteria or subjects lists.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Listed<'a> {
    Criteria(Vec<crate::render::views::CriterionView<'a>>),
    Subjects(Vec<crate::render::views::SubjectView<'a>>),
}

pub(super) fn ancestors(views: &Views<'_>, path: &str) -> Vec<NavLink> {
    let site = views.site;
    let mut crumbs = vec![views.home_link()];
    let mut dir = parent(path);
    let mut chain = Vec::new();
    while !dir.is_empty() {
        if let Some(s) = site.sections.iter().find(|s| s.path == dir) {
            chain.push(NavLink {
                title: s.title.clone(),
                url: views.url(&s.url),
            });
        }
        dir = parent(dir);
    }
    crumbs.extend(chain.into_iter().rev());
    crumbs
}

#[derive(Serialize)]
pub(super) struct ListPage<'a> {
    pub(super) title: String,
    pub(super) description: Option<&'a str>,
    pub(super) content: &'a str,
    pub(super) toc: &'a [Heading],
    pub(super) url: String,
}

pub(super) fn list_page<'a>(views: &'a Views<'a>, collection: Collection) -> ListPage<'a> {
    let site = views.site;
    let intro = site
        .list_intros
        .iter()
        .zip(&views.bodies.list_intros)
        .find(|((c, _), _)| **c == collection);
    ListPage {
        title: list_title(views, collection),
        description: intro.and_then(|((_, p), _)| p.description.as_deref()),
        content: intro.map_or("", |(_, r)| r.html.as_str()),
        toc: intro.map_or(&[], |(_, r)| r.toc.as_slice()),
        url: views.url(&format!("{}/", collection.dir())),
    }
}
