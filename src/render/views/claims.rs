//! Subjects and the claims articles make about them, with their consensus, as templates see them.

use super::*;

#[derive(Debug, Serialize)]
pub(crate) struct SubjectView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// The name again, so that every page has a `title`.
    pub title: &'a str,
    pub tagline: Option<&'a str>,
    pub color: Option<&'a str>,
    /// Black or white, whichever reads better on `color` (`None` without a colour).
    pub ink: Option<&'static str>,
    pub homepage: Option<&'a str>,
    pub url: String,
    pub content: &'a str,
    pub toc: &'a [Heading],
    /// Criteria (ids) whose consensus favors this subject.
    pub favored: Vec<&'a str>,
    /// Criteria whose consensus favors another subject.
    pub disfavored: Vec<&'a str>,
    /// Criteria with claims where no subject wins.
    pub unsettled: Vec<&'a str>,
    /// Claims favoring this subject.
    pub claims_for: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct ClaimView<'a> {
    pub criterion: &'a str,
    pub criterion_title: &'a str,
    pub criterion_url: String,
    pub article: &'a str,
    pub article_title: &'a str,
    pub publisher: &'a str,
    /// The claim's place on its article's page.
    pub url: String,
    /// The claim's place on its criterion's page (the page of the list that holds it).
    pub permalink: String,
    /// The id of its card on the criterion page (`claim-<article slug>`).
    pub anchor: String,
    pub favors: Reused<VerdictView<'a>>,
    pub note: &'a str,
    /// The article's exact words, when the claim quotes it.
    pub quote: Option<&'a str>,
    /// Whether the quote was found in the article's archived copy.
    pub verified: bool,
    /// When the archived copy was taken (`2026-11-20`, and `20 November 2026`).
    pub retrieved: Option<String>,
    pub retrieved_human: Option<String>,
    /// The article's own address, and a public archived copy, when known.
    pub source_url: Option<&'a str>,
    pub archive_url: Option<&'a str>,
    /// The publisher's stake, when it has one.
    pub stake: Option<StakeView<'a>>,
}

/// A publisher's commercial tie to a subject, for badges.
#[derive(Debug, Serialize)]
pub(crate) struct StakeView<'a> {
    pub subject: Reused<VerdictView<'a>>,
    pub disclosure: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct ConsensusView<'a> {
    pub status: Status,
    pub favors: Option<VerdictView<'a>>,
    /// "Plurality: Django, 2 of 4", "Unanimous: Django", "Split", "No claims", for display.
    pub label: String,
    /// 0 (none), 1 (split), 2 (single), 3 (plurality), 4 (majority), 5 (unanimous): for
    /// sorting by strength.
    pub strength: u8,
    /// Claims that give the leading verdict (0 when there are none), to break ties in sorting.
    pub support: usize,
    /// Claims on the criterion in all.
    pub claims: usize,
    /// The CSS class of the leading verdict, or `v-split` / `v-none`.
    pub class: String,
}

impl<'a> Views<'a> {
    pub(crate) fn subjects(&self) -> Vec<SubjectView<'a>> {
        (0..self.site.subjects.len())
            .map(|i| self.subject(i))
            .collect()
    }

    pub(crate) fn subject(&self, i: usize) -> SubjectView<'a> {
        let site = self.site;
        let ids = |list: &[usize]| list.iter().map(|c| site.criteria[*c].id.as_str()).collect();
        let (s, standing, body) = (
            &site.subjects[i],
            &site.matrix.standings[i],
            &self.bodies.subjects[i],
        );
        SubjectView {
            id: &s.id,
            name: &s.name,
            title: &s.name,
            tagline: s.tagline.as_deref(),
            color: s.color.as_deref(),
            ink: s.color.as_deref().map(ink_on),
            homepage: s.homepage.as_deref(),
            url: self.url(&s.url_path()),
            content: &body.html,
            toc: &body.toc,
            favored: ids(&standing.favored),
            disfavored: ids(&standing.disfavored),
            unsettled: ids(&standing.unsettled),
            claims_for: standing.claims_for,
        }
    }

    pub(crate) fn claim(&self, article: usize, claim: usize, form: Form) -> ClaimView<'a> {
        let site = self.site;
        let a = &site.articles[article];
        let c = &a.claims[claim];
        let criterion = &site.criteria[c.criterion];
        let base = self.site.config.base_path.as_str();
        let criterion_path = criterion.url_path();
        let article_path = a.url_path();
        let criterion_page = page_path(
            &criterion_path,
            self.criterion_page_of(article, c.criterion),
        );
        let permalink = [base, &criterion_page, "#claim-", &a.slug].concat();
        ClaimView {
            criterion: &criterion.id,
            criterion_title: &criterion.title,
            criterion_url: [base, &criterion_path].concat(),
            article: &a.slug,
            article_title: &a.title,
            publisher: &a.publisher,
            url: [base, &article_path, "#claim-", &criterion.id].concat(),
            permalink,
            anchor: ["claim-", &a.slug].concat(),
            favors: self.shared_verdict(c.favors, form),
            note: &c.note,
            quote: c.quote.as_deref(),
            verified: c.verified,
            retrieved: a.retrieved.map(|d| d.to_string()),
            retrieved_human: a.retrieved.map(|d| human_date(d.year, d.month, d.day)),
            source_url: a.url.as_deref(),
            archive_url: a.archive_url.as_deref(),
            stake: self.stake(article, form),
        }
    }

    /// Article `article`'s stake, for badges.
    pub(crate) fn stake(&self, article: usize, form: Form) -> Option<StakeView<'a>> {
        let stake = self.site.articles[article].stake.as_ref()?;
        Some(StakeView {
            subject: self.shared_verdict(Verdict::Subject(stake.subject), form),
            disclosure: &stake.disclosure,
        })
    }

    /// The number (from 1) of the page of criterion `criterion`'s claims that lists the claim
    /// of article `article`.
    pub(crate) fn criterion_page_of(&self, article: usize, criterion: usize) -> usize {
        let claims = &self.site.matrix.rows[criterion].claims;
        let position = claims.partition_point(|r| r.article < article);
        position / self.site.config.paginate_by.max(1) + 1
    }

    pub(crate) fn consensus(&self, consensus: Consensus) -> ConsensusView<'a> {
        let favors = consensus.favors().map(|v| self.verdict(v));
        let label = match (consensus.status(), &favors) {
            (Status::None, _) => "No claims".to_string(),
            (Status::Split, _) => "Split".to_string(),
            (status, Some(v)) => format!("{}: {}", capitalize(status), v.label),
            (status, None) => capitalize(status),
        };
        let strength = match consensus.status() {
            Status::None => 0,
            Status::Split => 1,
            Status::Single => 2,
            Status::Plurality => 3,
            Status::Majority => 4,
            Status::Unanimous => 5,
        };
        let class = match (consensus, &favors) {
            (Consensus::None, _) => "v-none".to_string(),
            (_, Some(v)) => v.class.clone(),
            (_, None) => "v-split".to_string(),
        };
        ConsensusView {
            status: consensus.status(),
            favors,
            label,
            strength,
            support: 0,
            claims: 0,
            class,
        }
    }

    /// The consensus of a row with its counts: "Plurality: Django, 2 of 4".
    pub(crate) fn counted_consensus(&self, row: &Row) -> ConsensusView<'a> {
        let support = row.tally.entries().map(|(_, n)| n).max().unwrap_or(0);
        let claims = row.tally.total();
        let mut view = self.consensus(row.consensus);
        if view.favors.is_some() && claims > 1 {
            view.label = format!("{}, {support} of {claims}", view.label);
        }
        ConsensusView {
            support,
            claims,
            ..view
        }
    }
}
