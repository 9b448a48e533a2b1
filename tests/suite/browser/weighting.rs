//! The reader's weighting on the home page (DESIGN.md, "The reader's weighting"), in a real
//! headless Chromium: URLs with weights and sources left out, the controls operated with the
//! keyboard, the back button, Reset and Copy link, and names that are never clipped at 320 px.
//! Every score the page shows is compared with one this file computes itself from the built
//! `matrix.json`, with the consensus rules of DESIGN.md, independently of the theme's script.
//! Run on the repository's site and on `tests/fixtures/three-subjects` (a plurality, a split
//! and a three-way tie). Without a browser they print "SKIPPED" (or fail, when `CI` is set).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::support::{self, eval, open, wait_until_or_show};
use headless_chrome::browser::tab::Tab;
use serde_json::Value;

/// Weights by criterion id, and the sources left out by slug.
type Case<'a> = (Vec<(&'a str, usize)>, Vec<&'a str>);

/// What the scores are computed from: `matrix.json`, plus which sources have a stake.
struct Model {
    subjects: Vec<String>,
    /// Per criterion: its id and its claims as (article slug, verdict).
    criteria: Vec<(String, Vec<(String, String)>)>,
    /// Sources whose publisher has a stake.
    staked: BTreeSet<String>,
}

impl Model {
    fn load(output: &Path) -> Model {
        let text = std::fs::read_to_string(output.join("matrix.json")).expect("matrix.json");
        let json: Value = serde_json::from_str(&text).expect("matrix.json is JSON");
        let ids = |list: &Value| -> Vec<Value> { list.as_array().expect("an array").clone() };
        let str_of = |v: &Value, key: &str| v[key].as_str().expect(key).to_string();
        Model {
            subjects: ids(&json["subjects"])
                .iter()
                .map(|s| str_of(s, "id"))
                .collect(),
            criteria: ids(&json["criteria"])
                .iter()
                .map(|c| {
                    let claims = ids(&c["claims"])
                        .iter()
                        .map(|k| (str_of(k, "article"), str_of(k, "favors")))
                        .collect();
                    (str_of(c, "id"), claims)
                })
                .collect(),
            staked: ids(&json["articles"])
                .iter()
                .filter(|a| a.get("stake").is_some_and(|s| !s.is_null()))
                .map(|a| str_of(a, "slug"))
                .collect(),
        }
    }

    /// DESIGN.md's consensus of criterion `c` without some sources: its status and the
    /// verdict it favors (`nobody` when none or split).
    fn consensus(&self, c: usize, without: &[&str]) -> (String, String) {
        let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
        for (article, favors) in &self.criteria[c].1 {
            if !without.contains(&article.as_str()) {
                *tally.entry(favors.as_str()).or_default() += 1;
            }
        }
        let total: usize = tally.values().sum();
        let most = tally.values().copied().max().unwrap_or(0);
        let leaders: Vec<&str> = tally
            .iter()
            .filter(|(_, n)| **n == most)
            .map(|(v, _)| *v)
            .collect();
        let status = match (total, leaders.len()) {
            (0, _) => "none",
            (_, 2..) => "split",
            (1, _) => "single",
            _ if most == total => "unanimous",
            _ if 2 * most > total => "majority",
            _ => "plurality",
        };
        let favors = match (status, leaders.first()) {
            ("none" | "split", _) | (_, None) => "nobody",
            (_, Some(one)) => one,
        };
        (status.to_string(), favors.to_string())
    }

    /// DESIGN.md's score: per criterion of weight w > 0, the consensus of the claims left;
    /// when one verdict has strictly the most claims (single, unanimous, majority or
    /// plurality) and it is a subject, that subject scores w.
    fn scores(&self, weights: &[(&str, usize)], without: &[&str], stake: bool) -> Vec<usize> {
        let mut scores = vec![0; self.subjects.len()];
        for (id, claims) in &self.criteria {
            let w = weights.iter().find(|(c, _)| c == id).map_or(1, |(_, w)| *w);
            if w == 0 {
                continue;
            }
            let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
            for (article, favors) in claims {
                let left_out =
                    without.contains(&article.as_str()) || (stake && self.staked.contains(article));
                if !left_out {
                    *tally.entry(favors.as_str()).or_default() += 1;
                }
            }
            let most = tally.values().copied().max().unwrap_or(0);
            let leaders: Vec<&str> = tally
                .iter()
                .filter(|(_, n)| **n == most)
                .map(|(v, _)| *v)
                .collect();
            if let [leader] = leaders[..]
                && let Some(s) = self.subjects.iter().position(|s| s == leader)
            {
                scores[s] += w;
            }
        }
        scores
    }

    /// The standings as the page should show them: (subject id, score).
    fn expected(
        &self,
        weights: &[(&str, usize)],
        without: &[&str],
        stake: bool,
    ) -> Vec<(String, i64)> {
        self.subjects
            .iter()
            .cloned()
            .zip(
                self.scores(weights, without, stake)
                    .into_iter()
                    .map(|s| s as i64),
            )
            .collect()
    }
}

/// The standings the page shows: (subject id, `data-score`), checking that the number shown
/// is the same as the attribute.
const SHOWN: &str = "JSON.stringify([...document.querySelectorAll('[data-versus-standings] [data-subject]')]\
    .map(e => [e.dataset.subject, e.querySelector('[data-points]').textContent === e.dataset.score \
    ? Number(e.dataset.score) : -1]))";

fn shown(tab: &Tab) -> Vec<(String, i64)> {
    let text = eval(tab, SHOWN);
    serde_json::from_str(text.as_str().expect("a JSON string")).expect("standings")
}

/// Waits until the page shows `expected` (after a change the script renders at once; the wait
/// only absorbs the browser's event delivery).
fn wait_for(tab: &Tab, expected: &[(String, i64)], what: &str) {
    let json = serde_json::to_string(expected).expect("JSON");
    wait_until_or_show(
        tab,
        &format!("{SHOWN} === '{json}'"),
        what,
        &format!("[{SHOWN}, location.search]"),
    );
}

/// The query of the reader's weighting URL (DESIGN.md) for `weights` and `without`.
fn query(weights: &[(&str, usize)], without: &[&str]) -> String {
    let w: Vec<String> = weights.iter().map(|(c, w)| format!("{c}:{w}")).collect();
    format!("?weights={}&without={}", w.join(","), without.join(","))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn focus(tab: &Tab, selector: &str) {
    let ok = eval(
        tab,
        &format!(
            "(() => {{ const e = document.querySelector('{selector}'); if (!e) return false; \
             e.focus(); return document.activeElement === e; }})()"
        ),
    );
    assert_eq!(ok, Value::Bool(true), "{selector} takes the focus");
}

fn key(tab: &Tab, key: &str) {
    tab.press_key(key)
        .unwrap_or_else(|e| panic!("press {key}: {e}"));
}

fn search(tab: &Tab) -> String {
    eval(tab, "decodeURIComponent(location.search)")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn without_javascript_the_standings_show_every_weight_at_one() {
    for root in [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        fixture("three-subjects"),
    ] {
        let out = tempfile::tempdir().expect("a temporary folder");
        let options = versus::build::Options {
            root: root.clone(),
            output: Some(out.path().to_path_buf()),
            base_url: None,
            mode: versus::build::Mode::Build,
            evidence: Default::default(),
            drafts: false,
        };
        versus::build::run(&options).expect("the site builds");
        let html = std::fs::read_to_string(out.path().join("index.html")).expect("index.html");
        let model = Model::load(out.path());
        let standings = html
            .split_once("data-versus-standings")
            .expect("the standings")
            .1;
        let found: Vec<(String, i64)> = standings
            .split("data-subject=\"")
            .skip(1)
            .map(|rest| {
                let (id, rest) = rest.split_once('"').expect("an id");
                let score = rest
                    .split_once("data-score=\"")
                    .and_then(|(_, r)| r.split_once('"'))
                    .expect("a score")
                    .0;
                (id.to_string(), score.parse().expect("a number"))
            })
            .collect();
        assert_eq!(found, model.expected(&[], &[], false), "{}", root.display());
        assert!(
            html.contains("Every criterion weighs 1 and every source counts"),
            "the note says how it was computed"
        );
        assert!(
            html.contains("needs JavaScript"),
            "the control says it needs JavaScript"
        );
    }
}

#[test]
fn weights_and_sources_in_the_url_give_the_scores_matrix_json_gives() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start() else { return };
    let model = Model::load(&fx.output.path().join("site"));
    let (tab, errors) = fx.tab(1280, 900);
    let first = model.criteria[0].0.clone();
    let source = model
        .criteria
        .iter()
        .find_map(|(_, claims)| claims.first().map(|c| c.0.clone()))
        .expect("a claim");
    let cases: Vec<Case> = vec![
        (vec![], vec![]),
        (
            vec![("security", 3), ("database", 2), (first.as_str(), 0)],
            vec![],
        ),
        (vec![("performance", 3)], vec![source.as_str()]),
        (
            vec![("security", 0), ("scalability", 3), ("community", 2)],
            vec![source.as_str(), "devto-key-differences"],
        ),
    ];
    for (weights, without) in &cases {
        let url = fx.url(&query(weights, without));
        open(&tab, &url);
        // The first paint after the script is already right: no wait.
        assert_eq!(
            shown(&tab),
            model.expected(weights, without, false),
            "{url}"
        );
        for (c, weight) in weights {
            let value = eval(&tab, &format!("document.getElementById('w-{c}').value"));
            assert_eq!(
                value,
                Value::from(weight.to_string()),
                "{url}: the control shows {c}"
            );
        }
    }
    // The criterion weighed 3 is named with its weight where it decided the score.
    open(&tab, &fx.url("?weights=security:3"));
    let why = eval(
        &tab,
        "[...document.querySelectorAll('[data-why]')].map(e => e.textContent).join(' | ')",
    );
    assert!(why.as_str().unwrap_or("").contains("Security ×3"), "{why}");
    // The list of sources names them as the matrix's columns do (labels the dataset leaves
    // out are derived from the slug).
    let same = eval(
        &tab,
        "(() => { document.getElementById('weigh-tool').open = true; \
         document.getElementById('source-pick').open = true; \
         return new Promise(r => setTimeout(r, 50)).then(() => JSON.stringify([\
           [...document.querySelectorAll('#source-list label')].map(l => l.textContent.trim()), \
           [...document.querySelectorAll('#matrix-table th.source a')].map(a => a.textContent)])); })()",
    );
    let (listed, columns): (Vec<String>, Vec<String>) =
        serde_json::from_str(same.as_str().expect("JSON")).expect("labels");
    // A source with a stake is listed with it: "Celadonsoft (stake: Node.js)".
    let names: Vec<&str> = listed
        .iter()
        .map(|l| l.split(" (stake: ").next().unwrap_or(l))
        .collect();
    assert_eq!(names, columns);
    assert!(
        listed.iter().any(|l| l.ends_with("(stake: Node.js)")),
        "the staked source is marked: {listed:?}"
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

#[test]
fn the_controls_work_by_keyboard_keep_the_url_and_the_back_button() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start_at(&fixture("three-subjects")) else {
        return;
    };
    let model = Model::load(&fx.output.path().join("site"));
    let (tab, errors) = fx.tab(1280, 900);
    open(&tab, &fx.url(""));
    let base = model.expected(&[], &[], false);
    assert_eq!(shown(&tab), base);
    let places = eval(
        &tab,
        "[...document.querySelectorAll('[data-place]')].map(e => e.textContent).join(',')",
    );
    assert_eq!(
        places,
        Value::from("tied 1st,tied 1st,tied 1st"),
        "a tie shows as a tie"
    );

    // Open the control with Enter on its summary, then raise Speed to 3 with the arrow keys.
    focus(&tab, "#weigh-tool > summary");
    key(&tab, "Enter");
    wait_until_or_show(
        &tab,
        "document.getElementById('weigh-tool').open",
        "Enter opens it",
        "0",
    );
    focus(&tab, "#w-speed");
    key(&tab, "ArrowDown");
    key(&tab, "ArrowDown");
    let speed3 = model.expected(&[("speed", 3)], &[], false);
    wait_for(&tab, &speed3, "Speed weighs 3");
    assert_eq!(search(&tab), "?weights=speed:3");
    let announced = eval(&tab, "document.getElementById('weigh-status').textContent");
    assert!(
        announced
            .as_str()
            .unwrap_or("")
            .contains("PostgreSQL 3 of 7, 1st"),
        "the live region says it: {announced}"
    );
    // Tab moves on to the next criterion's control.
    key(&tab, "Tab");
    let next = eval(&tab, "document.activeElement.id");
    assert_eq!(next, Value::from("w-features"));

    // Leave out the first source from the list of sources, with the space bar.
    focus(&tab, "#source-pick > summary");
    key(&tab, "Enter");
    wait_until_or_show(
        &tab,
        "document.querySelectorAll('#source-list input[data-i]').length === 5",
        "the list of sources is built when it opens",
        "document.getElementById('source-list').innerHTML",
    );
    focus(&tab, "#source-list input[data-i=\"0\"]");
    key(&tab, " ");
    let without_one = model.expected(&[("speed", 3)], &["one"], false);
    wait_for(&tab, &without_one, "source one is left out");
    assert_eq!(search(&tab), "?weights=speed:3&without=one");
    let out = eval(
        &tab,
        "document.querySelector('th[data-source=one]').classList.contains('is-out')",
    );
    assert_eq!(
        out,
        Value::Bool(true),
        "the matrix marks the column left out"
    );

    // A link reproduces it exactly, in another tab.
    let href = eval(&tab, "location.href").as_str().unwrap().to_string();
    let (other, _) = fx.tab(1280, 900);
    open(&other, &href);
    assert_eq!(
        shown(&other),
        without_one,
        "the link gives the same standings"
    );
    let boxed = eval(&other, "document.getElementById('w-speed').value");
    assert_eq!(boxed, Value::from("3"));

    // Back: the source is counted again; back again: every weight 1; forward: Speed 3.
    eval(&tab, "history.back()");
    wait_for(&tab, &speed3, "back restores the previous state");
    eval(&tab, "history.back()");
    wait_for(&tab, &base, "back again restores the defaults");
    assert_eq!(
        eval(&tab, "document.getElementById('w-speed').value"),
        Value::from("1")
    );
    eval(&tab, "history.forward()");
    wait_for(&tab, &speed3, "forward");

    // Reset, by keyboard.
    focus(&tab, "#weigh-reset");
    key(&tab, "Enter");
    wait_for(&tab, &base, "Reset");
    assert_eq!(search(&tab), "");

    // Copy link: copied, or (without clipboard access) shown to copy by hand.
    focus(&tab, "#weigh-copy");
    key(&tab, "Enter");
    wait_until_or_show(
        &tab,
        "['Link copied.', location.href].includes(document.getElementById('weigh-copied').textContent)",
        "Copy link answers",
        "document.getElementById('weigh-copied').textContent",
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

#[test]
fn a_plurality_counts_and_a_split_does_not_with_three_subjects() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start_at(&fixture("three-subjects")) else {
        return;
    };
    let model = Model::load(&fx.output.path().join("site"));
    let (tab, errors) = fx.tab(1280, 900);
    let cases: Vec<Case> = vec![
        // Speed: PostgreSQL 2 of 5, a plurality.
        (vec![("speed", 3)], vec![]),
        // Without source one Speed splits four ways and Features has a single claim.
        (vec![("speed", 3), ("features", 2)], vec!["one"]),
        (
            vec![("operations", 0), ("licence", 2)],
            vec!["three", "four"],
        ),
        (
            vec![
                ("speed", 0),
                ("features", 0),
                ("operations", 0),
                ("licence", 0),
                ("embedding", 0),
            ],
            vec![],
        ),
    ];
    for (weights, without) in &cases {
        let url = fx.url(&query(weights, without));
        open(&tab, &url);
        assert_eq!(
            shown(&tab),
            model.expected(weights, without, false),
            "{url}"
        );
    }
    // With a source left out the matrix's rows carry the consensus of the sources counted,
    // and its filters use it: without source three, Speed is a plurality for PostgreSQL.
    open(&tab, &fx.url("?without=three"));
    let rows = eval(
        &tab,
        "JSON.stringify([...document.querySelectorAll('#matrix-table tbody tr')].map(r => \
         [r.dataset.status, r.dataset.favors, (r.querySelector('.recount') || {}).textContent || '']))",
    );
    let rows: Vec<(String, String, String)> =
        serde_json::from_str(rows.as_str().expect("JSON")).expect("rows");
    assert_eq!(rows.len(), model.criteria.len());
    for (c, (status, favors, note)) in rows.iter().enumerate() {
        let expected = model.consensus(c, &["three"]);
        assert_eq!((status, favors), (&expected.0, &expected.1), "row {c}");
        assert!(
            note.to_lowercase().contains(status.as_str()) || status == "none",
            "{note}"
        );
    }
    assert_eq!(model.consensus(0, &["three"]).0, "plurality");
    eval(
        &tab,
        "(() => { const s = document.getElementById('filter-status'); s.value = 'plurality'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); })()",
    );
    let shown_rows = eval(
        &tab,
        "[...document.querySelectorAll('#matrix-table tbody tr')].filter(r => !r.hidden).map(r => r.id).join()",
    );
    assert_eq!(shown_rows, Value::from("row-speed"));

    // The plurality decides: PostgreSQL alone first.
    open(&tab, &fx.url("?weights=speed:3"));
    let first = eval(
        &tab,
        "document.querySelector('[data-subject=postgresql] [data-place]').textContent",
    );
    assert_eq!(first, Value::from("1st"));
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

/// `without=stake`: source `one` of the fixture has a stake; the script leaves it out, alone
/// or with named sources, as the test's own count from `matrix.json` does.
#[test]
fn without_stake_leaves_out_the_sources_with_a_stake() {
    let _serial = support::one_at_a_time();
    let Some(fx) = support::start_at(&fixture("three-subjects")) else {
        return;
    };
    let site = fx.output.path().join("site");
    let model = Model::load(&site);
    assert_eq!(
        model.staked,
        BTreeSet::from(["one".to_string()]),
        "matrix.json names the staked source"
    );

    let (tab, errors) = fx.tab(1280, 900);
    for (weights, without, stake) in [
        (vec![("speed", 3)], vec![], true),
        (vec![("speed", 3)], vec!["two"], true),
        (vec![("speed", 3)], vec![], false),
    ] {
        let mut words: Vec<&str> = if stake { vec!["stake"] } else { vec![] };
        words.extend(&without);
        let url = fx.url(&query(&weights, &words));
        open(&tab, &url);
        let expected = model.expected(&weights, &without, stake);
        assert_eq!(shown(&tab), expected, "{url}");
        let checked = eval(&tab, "document.getElementById('without-stake').checked");
        assert_eq!(checked, Value::Bool(stake));
    }
    // The checkbox does it too, and writes it into the URL.
    open(&tab, &fx.url("?weights=speed:3"));
    eval(&tab, "document.getElementById('weigh-tool').open = true");
    focus(&tab, "#without-stake");
    key(&tab, " ");
    wait_for(
        &tab,
        &model.expected(&[("speed", 3)], &[], true),
        "the checkbox leaves it out",
    );
    assert_eq!(search(&tab), "?weights=speed:3&without=stake");
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}

/// Every standing's name in full at 320 px: not clipped, not under its bar or its score, and
/// the page does not scroll sideways; bars do not animate when the reader asks for less motion.
#[test]
fn the_scoreboard_never_clips_a_name_at_320_px() {
    let _serial = support::one_at_a_time();
    for root in [
        fixture("three-subjects"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    ] {
        let Some(fx) = support::start_at(&root) else {
            return;
        };
        let (tab, errors) = fx.tab(320, 800);
        open(&tab, &fx.url("?weights=speed:3"));
        let names = eval(
            &tab,
            "JSON.stringify([...document.querySelectorAll('[data-versus-standings] [data-subject]')].map(li => { \
               const n = li.querySelector('.standing-name'), box = li.getBoundingClientRect(); \
               const overlaps = (a, b) => { const r = a.getBoundingClientRect(), s = b.getBoundingClientRect(); \
                 return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; }; \
               const rects = [...n.getClientRects()]; \
               return [n.textContent, rects.every(r => r.left >= box.left - 0.5 && r.right <= box.right + 0.5) \
                 && !overlaps(n, li.querySelector('.standing-track')) && !overlaps(n, li.querySelector('.standing-score')) \
                 && n.scrollWidth <= Math.ceil(rects.reduce((w, r) => Math.max(w, r.width), 0)) + 1]; }))",
        );
        let names: Vec<(String, bool)> =
            serde_json::from_str(names.as_str().expect("JSON")).expect("names");
        assert!(names.len() >= 2, "{names:?}");
        assert!(
            names.iter().all(|(_, whole)| *whole),
            "{}: {names:?}",
            root.display()
        );
        if root.ends_with("three-subjects") {
            let all: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(all, ["PostgreSQL", "MySQL Community Server", "SQLite"]);
        }
        let wide = eval(&tab, "document.documentElement.scrollWidth <= innerWidth");
        assert_eq!(wide, Value::Bool(true), "no sideways scrolling at 320 px");

        tab.call_method(
            headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
                media: None,
                features: Some(vec![
                    headless_chrome::protocol::cdp::Emulation::MediaFeature {
                        name: "prefers-reduced-motion".into(),
                        value: "reduce".into(),
                    },
                ]),
            },
        )
        .expect("emulate reduced motion");
        let still = eval(
            &tab,
            "getComputedStyle(document.querySelector('.standing-bar')).transitionDuration",
        );
        assert_eq!(still, Value::from("0s"), "no animation with reduced motion");
        assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
    }
}

/// A copy of the `three-subjects` fixture with `extra` more sources, their verdicts varied
/// by number, in a temporary folder.
fn many_sources(extra: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let from = fixture("three-subjects");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("a fixture file");
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("a folder");
        } else {
            std::fs::copy(entry.path(), &to).expect("a copy");
        }
    }
    let verdicts = ["postgresql", "mysql", "sqlite", "tie", "depends"];
    let criteria = ["speed", "embedding", "features", "licence", "operations"];
    for i in 0..extra {
        let mut text = format!(
            "+++\ntitle = \"Source {i}\"\npublisher = \"Press {i}\"\npublished = 2021-01-01\n\
             summary = \"A made-up source.\"\nleaning = \"tie\"\n"
        );
        for (c, criterion) in criteria.iter().enumerate() {
            if (i + c) % 3 != 0 {
                let favors = verdicts[(i * 7 + c * 3) % verdicts.len()];
                text.push_str(&format!(
                    "\n[claims.{criterion}]\nfavors = \"{favors}\"\nnote = \"Says so.\"\n"
                ));
            }
        }
        text.push_str("+++\nA made-up digest.\n");
        let path = dir.path().join(format!("content/articles/many-{i:04}.md"));
        std::fs::write(path, text).expect("a digest");
    }
    dir
}

#[test]
fn past_a_thousand_sources_the_dataset_is_fetched_and_gives_the_same_scores() {
    let _serial = support::one_at_a_time();
    let site = many_sources(1000);
    let Some(fx) = support::start_at(site.path()) else {
        return;
    };
    let output = fx.output.path().join("site");
    let model = Model::load(&output);
    let home = std::fs::read_to_string(output.join("index.html")).expect("the home page");
    assert!(
        home.contains("data-src=") && !home.contains("\"sources\":"),
        "the home page of 1,005 sources leaves the dataset to weighting.json"
    );
    assert!(
        home.len() < 200_000,
        "the home page stays small: {} bytes",
        home.len()
    );
    let data = std::fs::read_to_string(output.join("weighting.json")).expect("weighting.json");
    let data: Value = serde_json::from_str(&data).expect("weighting.json is JSON");
    assert_eq!(data["sources"].as_array().map(Vec::len), Some(1005));
    let (tab, errors) = fx.tab(1280, 900);
    let cases: Vec<Case> = vec![
        (vec![("speed", 3), ("licence", 0)], vec![]),
        (vec![("features", 2)], vec!["one", "many-0007"]),
    ];
    for (weights, without) in &cases {
        let url = fx.url(&query(weights, without));
        open(&tab, &url);
        // The dataset is fetched first: the scores follow it.
        wait_for(&tab, &model.expected(weights, without, false), &url);
    }
    // Without weights in the URL nothing is fetched until the tool is opened; then the
    // controls work.
    open(&tab, &fx.url(""));
    assert_eq!(shown(&tab), model.expected(&[], &[], false));
    eval(
        &tab,
        "document.getElementById('weigh-tool').open = true; true",
    );
    wait_until_or_show(
        &tab,
        "!document.querySelector('#weigh-form fieldset').disabled",
        "the controls are enabled once the dataset is in",
        "document.getElementById('weigh-form').outerHTML.slice(0, 300)",
    );
    eval(
        &tab,
        "(() => { const s = document.getElementById('w-speed'); s.value = '3'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true; })()",
    );
    wait_for(
        &tab,
        &model.expected(&[("speed", 3)], &[], false),
        "after weighing speed 3",
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock());
}
