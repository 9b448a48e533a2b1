//! Drafts: which content files are drafts (`draft = true`, or a page below a draft
//! section), what a build without `--drafts` leaves out of the content before the model is
//! made, and the references from published digests to a draft subject, which are errors.
//! Claims on a draft criterion are left out with the criterion's row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::content::raw::RawArticle;
use crate::content::{Collection, Content, Document};
use crate::error::Diagnostic;

/// What became of the drafts of a build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts {
    /// With `--drafts`: the URL paths (relative to the base path, e.g. `guide/new/`) of the
    /// drafts built, to mark them as drafts.
    pub shown: BTreeSet<String>,
    /// Without: each left-out draft by its path under `content/` (`articles/x.md`), to tell
    /// a link to a draft from a broken one.
    pub left_out: BTreeMap<String, LeftOut>,
}

/// A draft a build left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Its page's URL path, relative to the base path.
    pub url: String,
    /// Its file, as messages name it.
    pub file: PathBuf,
}

impl Drafts {
    /// Whether the page at `url` (relative to the base path) is a draft that is built.
    pub fn shows(&self, url: &str) -> bool {
        self.shown.contains(url)
    }

    /// The left-out draft whose page is at `url`.
    pub fn left_out_at(&self, url: &str) -> Option<&LeftOut> {
        self.left_out.values().find(|d| d.url == url)
    }
}

/// Sorts the drafts of `content` out: with `include`, keeps them and records where they are;
/// without, takes them out (and the claims on draft criteria), and reports every reference
/// of a published digest to a draft subject.
pub fn split(mut content: Content, include: bool) -> (Content, Drafts, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    if let Some(home) = &content.home
        && home.raw.draft
    {
        errors.push(home.error_at(
            &["draft"],
            "the home page cannot be a draft: remove `draft` from content/_index.md",
        ));
    }
    let subjects: BTreeMap<String, PathBuf> = content
        .subjects
        .iter()
        .filter(|d| d.raw.draft)
        .map(|d| (d.id.clone(), d.file.display.clone()))
        .collect();
    let criteria: BTreeSet<String> = content
        .criteria
        .iter()
        .filter(|d| d.raw.draft)
        .map(|d| d.id.clone())
        .collect();
    let drafts = sort_out(&mut content, include);
    if !include {
        for article in &mut content.articles {
            errors.extend(draft_subjects(article, &subjects));
            article.raw.claims.retain(|id, _| !criteria.contains(id));
        }
    }
    (content, drafts, errors)
}

/// Records every draft of `content`, and without `include` takes it out.
fn sort_out(content: &mut Content, include: bool) -> Drafts {
    let mut drafts = Drafts::default();
    let draft_dirs: Vec<String> = content
        .sections
        .iter()
        .filter(|d| d.raw.draft)
        .map(|d| format!("{}/", d.id))
        .collect();
    let below_draft = |id: &str| {
        draft_dirs
            .iter()
            .any(|dir| format!("{id}/").starts_with(dir))
    };
    let mut keep = |is_draft: bool, file: &crate::content::SourceFile, url: &dyn Fn() -> String| {
        if is_draft && include {
            drafts.shown.insert(url());
        } else if is_draft {
            let left_out = LeftOut {
                url: url(),
                file: file.display.clone(),
            };
            drafts.left_out.insert(file.rel.clone(), left_out);
        }
        include || !is_draft
    };
    let item = |c: Collection, id: &str| super::item_path(c, id);
    content
        .subjects
        .retain(|d| keep(d.raw.draft, &d.file, &|| item(Collection::Subjects, &d.id)));
    content
        .criteria
        .retain(|d| keep(d.raw.draft, &d.file, &|| item(Collection::Criteria, &d.id)));
    content
        .articles
        .retain(|d| keep(d.raw.draft, &d.file, &|| item(Collection::Articles, &d.id)));
    for docs in [&mut content.sections, &mut content.pages] {
        docs.retain(|d| {
            let draft = d.raw.draft || below_draft(&d.id);
            keep(draft, &d.file, &|| format!("{}/", d.id))
        });
    }
    // A list's intro as a draft: the generated list stays, without the intro.
    content.list_intros.retain(|(_, d)| include || !d.raw.draft);
    drafts
}

/// Every verdict, stake and leaning of a published digest that names a draft subject: the
/// digest would misstate its article with it gone, so the editor decides.
fn draft_subjects(d: &Document<RawArticle>, drafts: &BTreeMap<String, PathBuf>) -> Vec<Diagnostic> {
    let message = |what: &str, id: &str| {
        let file = drafts
            .get(id)
            .map_or(Path::new(""), PathBuf::as_path)
            .display();
        format!(
            "{what}: `{id}` is a draft subject ({file} has draft = true), \
             and this digest is published: publish the subject, make this digest a draft \
             too, or build with --drafts"
        )
    };
    let mut errors = Vec::new();
    if drafts.contains_key(&d.raw.leaning) {
        errors.push(d.error_at(&["leaning"], message("leaning", &d.raw.leaning)));
    }
    if let Some(stake) = &d.raw.stake
        && drafts.contains_key(stake)
    {
        errors.push(d.error_at(&["stake"], message("stake", stake)));
    }
    for (criterion, claim) in &d.raw.claims {
        if drafts.contains_key(&claim.favors) {
            errors.push(d.error_at(
                &["claims", criterion, "favors"],
                message("favors", &claim.favors),
            ));
        }
    }
    errors
}

/// A link error from rendering, re-worded when the missing page is a left-out draft: the
/// page exists, the link is to a draft (Zola's rule: a published page may not link to one).
pub fn explain(mut error: Diagnostic, drafts: &Drafts) -> Diagnostic {
    if drafts.left_out.is_empty() || !error.message.starts_with("broken link `") {
        return error;
    }
    let draft = drafts.left_out.iter().find(|(rel, _)| {
        error
            .message
            .ends_with(&format!(": there is no file content/{rel}"))
    });
    let draft = draft.map(|(_, d)| d).or_else(|| {
        let (_, target) = error
            .message
            .rsplit_once(": no page or file is built at /")?;
        let url = target.split(' ').next().unwrap_or_default();
        let url = url.trim_start_matches('/');
        drafts
            .left_out_at(url)
            .or_else(|| drafts.left_out_at(&format!("{url}/")))
    });
    if let Some(draft) = draft {
        let link = error.message.split(": ").next().unwrap_or_default();
        let link = link.strip_prefix("broken ").unwrap_or(link);
        error.message = format!(
            "{link} is to a draft: {} has draft = true; publish it, remove the \
             link, or build with --drafts",
            draft.file.display()
        );
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{SourceFile, parse};

    fn content(files: &[(&str, &str)]) -> Content {
        let files = files
            .iter()
            .map(|(rel, text)| SourceFile::in_content(rel, text))
            .collect();
        let (content, errors) = parse(files);
        assert!(errors.is_empty(), "{errors:?}");
        content
    }

    const ARTICLE: &str = "+++\ntitle = \"T\"\npublisher = \"P\"\nsummary = \"S\"\n\
        leaning = \"tie\"\n[claims.speed]\nfavors = \"a\"\nnote = \"n\"\n\
        [claims.cost]\nfavors = \"tie\"\nnote = \"n\"\n+++\n";

    fn site_files() -> Vec<(&'static str, &'static str)> {
        vec![
            ("subjects/a.md", "+++\nname = \"A\"\n+++\n"),
            ("criteria/speed.md", "+++\ntitle = \"S\"\n+++\n"),
            (
                "criteria/cost.md",
                "+++\ntitle = \"C\"\ndraft = true\n+++\n",
            ),
            ("articles/x.md", ARTICLE),
            ("guide/_index.md", "+++\ntitle = \"G\"\ndraft = true\n+++\n"),
            ("guide/deep/page.md", "+++\ntitle = \"P\"\n+++\n"),
            ("guides.md", "+++\ntitle = \"Not below guide/\"\n+++\n"),
        ]
    }

    #[test]
    fn drafts_are_left_out_with_the_pages_below_a_draft_section() {
        let (content, drafts, errors) = split(content(&site_files()), false);
        assert!(errors.is_empty(), "{errors:?}");
        let criteria: Vec<&str> = content.criteria.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(criteria, ["speed"]);
        assert!(content.sections.is_empty());
        let pages: Vec<&str> = content.pages.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(pages, ["guides"]);
        let claims: Vec<&String> = content.articles[0].raw.claims.keys().collect();
        assert_eq!(
            claims,
            ["speed"],
            "the claim on the draft criterion is left out"
        );
        assert_eq!(
            drafts.left_out.keys().collect::<Vec<_>>(),
            ["criteria/cost.md", "guide/_index.md", "guide/deep/page.md"]
        );
        assert_eq!(
            drafts.left_out_at("guide/deep/page/").map(|d| &d.file),
            Some(&PathBuf::from("content/guide/deep/page.md"))
        );
        assert!(drafts.shown.is_empty());
    }

    #[test]
    fn with_drafts_everything_stays_and_drafts_are_marked() {
        let (content, drafts, errors) = split(content(&site_files()), true);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(content.criteria.len(), 2);
        assert_eq!(content.articles[0].raw.claims.len(), 2);
        assert_eq!(
            drafts.shown.iter().collect::<Vec<_>>(),
            ["criteria/cost/", "guide/", "guide/deep/page/"]
        );
        assert!(drafts.shows("criteria/cost/") && !drafts.shows("guides/"));
        assert!(drafts.left_out.is_empty());
    }

    #[test]
    fn a_published_digest_naming_a_draft_subject_is_an_error_at_the_line() {
        let mut files = site_files();
        files[0] = ("subjects/a.md", "+++\nname = \"A\"\ndraft = true\n+++\n");
        let (_, _, errors) = split(content(&files), false);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(
            text[0].starts_with("content/articles/x.md:7:10: favors: `a` is a draft subject"),
            "{}",
            text[0]
        );
        let (_, _, errors) = split(content(&files), true);
        assert!(errors.is_empty());
        let home = ("_index.md", "+++\ndraft = true\n+++\n");
        let (_, _, errors) = split(content(&[home]), true);
        assert!(
            errors[0]
                .to_string()
                .contains("_index.md:2:9: the home page cannot")
        );
    }

    #[test]
    fn link_errors_to_drafts_are_reworded() {
        let (_, drafts, _) = split(content(&site_files()), false);
        let at = |m: &str| explain(Diagnostic::new("content/about.md", m).at(3, 4), &drafts);
        let e =
            at("broken link `@/guide/deep/page.md`: there is no file content/guide/deep/page.md");
        assert_eq!(
            e.to_string(),
            "content/about.md:3:4: link `@/guide/deep/page.md` is to a draft: \
             content/guide/deep/page.md has draft = true; publish it, remove the link, or \
             build with --drafts"
        );
        let e = at("broken link `/criteria/cost/`: no page or file is built at /criteria/cost/");
        assert!(
            e.message.contains("content/criteria/cost.md has draft"),
            "{}",
            e.message
        );
        let e = at("broken link `@/nope.md`: there is no file content/nope.md");
        assert!(e.message.starts_with("broken link"), "{}", e.message);
    }
}
