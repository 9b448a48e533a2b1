//! The criteria matrix, derived from the articles' claims: per criterion the claims in article
//! order, a tally per verdict and the consensus; per subject where the sources favor it.

use serde::Serialize;

use super::{Article, Criterion, Subject, Verdict};

/// The whole derived matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// One row per criterion, in criterion order.
    pub rows: Vec<Row>,
    /// One standing per subject, in subject order.
    pub standings: Vec<Standing>,
}

/// One criterion's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index into the site's criteria.
    pub criterion: usize,
    /// The claims on this criterion, in article order.
    pub claims: Vec<ClaimRef>,
    /// How many claims give each verdict.
    pub tally: Tally,
    /// What the claims add up to.
    pub consensus: Consensus,
    /// What the claims of the sources without a stake add up to, when that differs from
    /// `consensus` (`None` when leaving them out changes nothing).
    pub without_stakes: Option<Consensus>,
}

/// Points at one claim of one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimRef {
    /// Index into the site's articles.
    pub article: usize,
    /// Index into that article's claims.
    pub claim: usize,
}

/// Claims per verdict on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// Claims favoring each subject, aligned with the site's subjects.
    pub subjects: Vec<usize>,
    /// Claims calling it a tie.
    pub tie: usize,
    /// Claims saying it depends.
    pub depends: usize,
}

impl Tally {
    /// How many claims in all.
    pub fn total(&self) -> usize {
        self.subjects.iter().sum::<usize>() + self.tie + self.depends
    }

    /// Every verdict with its count: subjects in order, then tie, then depends.
    pub fn entries(&self) -> impl Iterator<Item = (Verdict, usize)> + '_ {
        self.subjects
            .iter()
            .enumerate()
            .map(|(i, n)| (Verdict::Subject(i), *n))
            .chain([(Verdict::Tie, self.tie), (Verdict::Depends, self.depends)])
    }

    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Subject(i) => self.subjects[i] += 1,
            Verdict::Tie => self.tie += 1,
            Verdict::Depends => self.depends += 1,
        }
    }
}

/// What the claims on one criterion add up to (DESIGN.md's `consensus.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consensus {
    /// No claims.
    None,
    /// Exactly one claim.
    Single(Verdict),
    /// Two or more claims, all the same verdict.
    Unanimous(Verdict),
    /// One verdict has more than half of the claims.
    Majority(Verdict),
    /// One verdict has strictly more claims than any other, but not more than half.
    Plurality(Verdict),
    /// Two or more verdicts tie for the most claims.
    Split,
}

/// The `status` strings of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No claims.
    None,
    /// One claim.
    Single,
    /// All agree.
    Unanimous,
    /// More than half.
    Majority,
    /// The most, but not more than half.
    Plurality,
    /// A tie for the most.
    Split,
}

impl Consensus {
    /// The status name.
    pub fn status(self) -> Status {
        match self {
            Consensus::None => Status::None,
            Consensus::Single(_) => Status::Single,
            Consensus::Unanimous(_) => Status::Unanimous,
            Consensus::Majority(_) => Status::Majority,
            Consensus::Plurality(_) => Status::Plurality,
            Consensus::Split => Status::Split,
        }
    }

    /// The verdict the claims settle on, if any.
    pub fn favors(self) -> Option<Verdict> {
        match self {
            Consensus::Single(v)
            | Consensus::Unanimous(v)
            | Consensus::Majority(v)
            | Consensus::Plurality(v) => Some(v),
            Consensus::None | Consensus::Split => None,
        }
    }

    /// From a tally, exactly as DESIGN.md defines it.
    pub fn of(tally: &Tally) -> Consensus {
        let total = tally.total();
        if total == 0 {
            return Consensus::None;
        }
        let most = tally.entries().map(|(_, n)| n).max().unwrap_or(0);
        let mut leaders = tally.entries().filter(|(_, n)| *n == most).map(|(v, _)| v);
        let first = leaders.next().unwrap_or(Verdict::Tie);
        if leaders.next().is_some() {
            Consensus::Split
        } else if total == 1 {
            Consensus::Single(first)
        } else if most == total {
            Consensus::Unanimous(first)
        } else if most * 2 > total {
            Consensus::Majority(first)
        } else {
            Consensus::Plurality(first)
        }
    }
}

/// Where the sources favor one subject and where they do not.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    /// Criteria whose consensus favors this subject.
    pub favored: Vec<usize>,
    /// Criteria whose consensus favors another subject.
    pub disfavored: Vec<usize>,
    /// Criteria with claims but no subject winning (split, tie or depends).
    pub unsettled: Vec<usize>,
    /// Claims favoring this subject, over all criteria.
    pub claims_for: usize,
}

/// Derives the matrix. `articles` must already be in article order.
pub fn derive(subjects: &[Subject], criteria: &[Criterion], articles: &[Article]) -> Matrix {
    let mut rows: Vec<Row> = (0..criteria.len())
        .map(|criterion| Row {
            criterion,
            claims: Vec::new(),
            tally: Tally {
                subjects: vec![0; subjects.len()],
                ..Tally::default()
            },
            consensus: Consensus::None,
            without_stakes: None,
        })
        .collect();
    let mut unstaked: Vec<Tally> = vec![
        Tally {
            subjects: vec![0; subjects.len()],
            ..Tally::default()
        };
        criteria.len()
    ];
    for (a, article) in articles.iter().enumerate() {
        for (c, claim) in article.claims.iter().enumerate() {
            let row = &mut rows[claim.criterion];
            row.claims.push(ClaimRef {
                article: a,
                claim: c,
            });
            row.tally.add(claim.favors);
            if article.stake.is_none() {
                unstaked[claim.criterion].add(claim.favors);
            }
        }
    }
    let any_stake = articles.iter().any(|a| a.stake.is_some());
    for (row, unstaked) in rows.iter_mut().zip(&unstaked) {
        row.consensus = Consensus::of(&row.tally);
        let without = Consensus::of(unstaked);
        row.without_stakes = (any_stake && without != row.consensus).then_some(without);
    }
    let standings = (0..subjects.len()).map(|s| standing(s, &rows)).collect();
    Matrix { rows, standings }
}

fn standing(subject: usize, rows: &[Row]) -> Standing {
    let mut standing = Standing::default();
    for row in rows {
        standing.claims_for += row.tally.subjects[subject];
        match row.consensus.favors() {
            Some(Verdict::Subject(s)) if s == subject => standing.favored.push(row.criterion),
            Some(Verdict::Subject(_)) => standing.disfavored.push(row.criterion),
            _ if row.consensus != Consensus::None => standing.unsettled.push(row.criterion),
            _ => {}
        }
    }
    standing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(subjects: &[usize], tie: usize, depends: usize) -> Tally {
        Tally {
            subjects: subjects.to_vec(),
            tie,
            depends,
        }
    }

    #[test]
    fn consensus_follows_the_design_table() {
        use Verdict::*;
        let cases = [
            // none
            (tally(&[0, 0], 0, 0), Consensus::None),
            // single, for each kind of verdict
            (tally(&[0, 1], 0, 0), Consensus::Single(Subject(1))),
            (tally(&[0, 0], 1, 0), Consensus::Single(Tie)),
            (tally(&[0, 0], 0, 1), Consensus::Single(Depends)),
            // unanimous
            (tally(&[3, 0], 0, 0), Consensus::Unanimous(Subject(0))),
            (tally(&[0, 0], 2, 0), Consensus::Unanimous(Tie)),
            // majority: more than half
            (tally(&[1, 3], 0, 1), Consensus::Majority(Subject(1))),
            (tally(&[2, 1], 0, 0), Consensus::Majority(Subject(0))),
            (tally(&[1, 0], 0, 2), Consensus::Majority(Depends)),
            // plurality: the most, but exactly half or less
            (tally(&[1, 1], 0, 2), Consensus::Plurality(Depends)),
            (tally(&[2, 1], 1, 0), Consensus::Plurality(Subject(0))),
            // split
            (tally(&[2, 2], 0, 0), Consensus::Split),
            (tally(&[1, 0], 1, 0), Consensus::Split),
            (tally(&[1, 1, 1], 0, 0), Consensus::Split),
            (tally(&[2, 1, 2], 1, 0), Consensus::Split),
            (tally(&[0, 2, 1], 1, 1), Consensus::Plurality(Subject(1))),
        ];
        for (t, expected) in cases {
            assert_eq!(Consensus::of(&t), expected, "{t:?}");
        }
    }

    #[test]
    fn plurality_with_three_and_four_subjects() {
        use Verdict::*;
        let cases = [
            // three subjects: "Django 2 of 4" is a plurality, not a majority
            (tally(&[2, 1, 1], 0, 0), Consensus::Plurality(Subject(0))),
            (tally(&[1, 2, 1], 0, 0), Consensus::Plurality(Subject(1))),
            (tally(&[1, 1, 3], 0, 0), Consensus::Majority(Subject(2))),
            (tally(&[2, 2, 1], 0, 0), Consensus::Split),
            (tally(&[3, 2, 1], 0, 0), Consensus::Plurality(Subject(0))),
            (tally(&[4, 2, 1], 0, 0), Consensus::Majority(Subject(0))),
            // four subjects
            (tally(&[2, 1, 1, 1], 0, 0), Consensus::Plurality(Subject(0))),
            (tally(&[0, 0, 0, 3], 1, 1), Consensus::Majority(Subject(3))),
            (tally(&[1, 1, 1, 2], 1, 0), Consensus::Plurality(Subject(3))),
            (tally(&[1, 1, 1, 1], 0, 0), Consensus::Split),
            (tally(&[0, 0, 2, 0], 0, 0), Consensus::Unanimous(Subject(2))),
            (tally(&[1, 0, 0, 0], 0, 0), Consensus::Single(Subject(0))),
            (tally(&[0, 3, 3, 1], 0, 0), Consensus::Split),
        ];
        for (t, expected) in cases {
            assert_eq!(Consensus::of(&t), expected, "{t:?}");
        }
    }

    #[test]
    fn statuses_and_favors() {
        assert_eq!(Consensus::Split.status(), Status::Split);
        assert_eq!(Consensus::Split.favors(), None);
        assert_eq!(Consensus::None.favors(), None);
        assert_eq!(
            Consensus::Majority(Verdict::Tie).favors(),
            Some(Verdict::Tie)
        );
        assert_eq!(
            serde_json::to_string(&Status::Unanimous).unwrap(),
            "\"unanimous\""
        );
        assert_eq!(
            Consensus::Plurality(Verdict::Depends).status(),
            Status::Plurality
        );
        assert_eq!(
            Consensus::Plurality(Verdict::Depends).favors(),
            Some(Verdict::Depends)
        );
        assert_eq!(
            serde_json::to_string(&Status::Plurality).unwrap(),
            "\"plurality\""
        );
    }
}
