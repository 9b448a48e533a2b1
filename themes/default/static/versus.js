// versus default theme: the theme toggle, the matrix's filters and sorting, notes on tap,
// and the search page. Everything works without this file; it only adds behaviour.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;

  // Light and dark: follow the system until the reader chooses, then remember the choice.
  var toggle = doc.querySelector(".theme-toggle");
  if (toggle) {
    var system = window.matchMedia("(prefers-color-scheme: dark)");
    var isDark = function () {
      return root.dataset.theme ? root.dataset.theme === "dark" : system.matches;
    };
    var sync = function () { toggle.setAttribute("aria-pressed", String(isDark())); };
    toggle.hidden = false;
    sync();
    system.addEventListener("change", sync);
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("versus-theme", next); } catch (e) { /* private mode */ }
      sync();
    });
  }

  // The matrix: filter rows by consensus and sort them by its strength.
  var controls = doc.getElementById("matrix-controls");
  var table = doc.getElementById("matrix-table");
  if (controls && table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = doc.getElementById("matrix-count");
    var num = function (row, key) { return Number(row.dataset[key]) || 0; };
    var apply = function () {
      var favors = controls.elements.favors.value;
      var status = controls.elements.status.value;
      var sort = controls.elements.sort.value;
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!favors || row.dataset.favors === favors) &&
          (!status || row.dataset.status === status);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      var sign = sort === "weakest" ? -1 : 1;
      var ordered = rows.slice().sort(function (a, b) {
        if (sort) {
          var d = (num(b, "strength") - num(a, "strength")) || (num(b, "support") - num(a, "support"));
          if (d) return sign * d;
        }
        return num(a, "order") - num(b, "order");
      });
      ordered.forEach(function (row) { body.appendChild(row); });
      count.textContent = shown + " of " + rows.length + " criteria shown";
    };
    controls.hidden = false;
    controls.addEventListener("change", apply);
    controls.addEventListener("submit", function (e) { e.preventDefault(); apply(); });

    // On a touch screen the first tap on a cell shows its note, the second follows the link.
    var lastPointer = "mouse";
    table.addEventListener("pointerdown", function (e) { lastPointer = e.pointerType; });
    table.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest(".cell a") : null;
      var open = table.querySelector(".cell.is-open");
      if (link && lastPointer === "touch" && link.parentNode !== open) {
        e.preventDefault();
        if (open) open.classList.remove("is-open");
        link.parentNode.classList.add("is-open");
        link.focus();
      } else if (!link && open) {
        open.classList.remove("is-open");
      }
    });
  }

  // Search: the index is in small files (src/render/search): a manifest, shards of terms by
  // their first two characters, chunks of what results show. A query fetches the manifest,
  // the shard of each of its words and the chunks of the results it shows; every file once.
  var form = doc.querySelector(".search-page-form");
  if (form) {
    var input = doc.getElementById("search-input");
    var list = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    var kinds = { article: "Source digest", criterion: "Criterion", subject: "Subject", page: "Page" };
    // A term's weight by the field it is in: further words, excerpt, summary, title.
    var weights = [1, 2, 4, 10];
    var base = new URL(form.dataset.index, location.href);
    var files = {};
    var manifest = null;
    // Split and lowercased as the index's words are: letters of any script and digits.
    var words = function (text) {
      return text.normalize("NFC").toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
    };
    // One fetch of a JSON file, or null; a failed one is tried once more after a moment
    // (a dropped connection on a busy network), and not cached.
    var fetchJson = function (url, options) {
      return fetch(url, options)
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    };
    var get = function (url, options) {
      if (!files[url]) {
        files[url] = fetchJson(url, options)
          .then(function (json) {
            return json || new Promise(function (resolve) { setTimeout(resolve, 300); })
              .then(function () { return fetchJson(url, options); });
          })
          .then(function (json) {
            if (!json) delete files[url];
            return json;
          });
      }
      return files[url];
    };
    var load = function () {
      if (!manifest) {
        // Revalidated with the server once per page view: its version names this build's files.
        manifest = get(base.href, { cache: "no-cache" }).then(function (m) {
          if (!m) manifest = null;
          return m;
        });
      }
      return manifest;
    };
    var file = function (m, template, n) {
      return get(new URL(template.replace("{n}", n) + "?v=" + m.version, base).href);
    };
    // FNV-1a over the code points of the term's first characters, as the build does.
    var shardOf = function (m, term) {
      var hash = 0x811c9dc5;
      Array.from(term).slice(0, m.prefix).forEach(function (c) {
        hash = Math.imul(hash ^ c.codePointAt(0), 0x01000193);
      });
      return (hash >>> 0) % m.shards;
    };
    // Page → best score of `term` in `shard`: the field's weight, doubled for a whole word.
    var scores = function (shard, term) {
      var best = new Map();
      Object.keys(shard || {}).forEach(function (key) {
        if (key.lastIndexOf(term, 0) !== 0) return;
        var factor = key === term ? 2 : 1;
        var page = 0;
        shard[key].forEach(function (value) {
          page += Math.floor(value / 4);
          var score = weights[value % 4] * factor;
          if (!(best.get(page) >= score)) best.set(page, score);
        });
      });
      return best;
    };
    // The best 30 pages that have every term, with what they show.
    var search = function (m, terms) {
      return Promise.all(terms.map(function (t) { return file(m, m.terms, shardOf(m, t)); }))
        .then(function (shards) {
          var total = null;
          terms.forEach(function (term, i) {
            var best = scores(shards[i], term);
            if (!total) { total = best; return; }
            var next = new Map();
            total.forEach(function (score, page) {
              if (best.has(page)) next.set(page, score + best.get(page));
            });
            total = next;
          });
          var hits = Array.from(total)
            .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
            .slice(0, 30);
          return Promise.all(hits.map(function (h) {
            return file(m, m.docs, Math.floor(h[0] / m.chunk)).then(function (chunk) {
              return chunk && chunk[h[0] % m.chunk];
            });
          }));
        })
        .then(function (docs) { return docs.filter(Boolean); });
    };
    var render = function (query, docs, short) {
      list.textContent = "";
      if (!query) { status.textContent = ""; return; }
      if (short) { status.textContent = "Type at least two letters or digits of a word."; return; }
      status.textContent = docs.length
        ? docs.length + (docs.length === 1 ? " result" : " results") + " for “" + query + "”"
        : "No results for “" + query + "”";
      docs.forEach(function (e) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = e.url;
        a.textContent = e.title;
        var kind = doc.createElement("span");
        kind.className = "kind";
        kind.textContent = kinds[e.kind] || "Page";
        var p = doc.createElement("p");
        p.textContent = e.text;
        li.appendChild(kind);
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
    };
    var run = function () {
      var query = input.value.trim();
      var all = words(query);
      var found = !all.length ? Promise.resolve({ docs: [], empty: true }) : load().then(function (m) {
        var min = m ? m.min : 2;
        var terms = all.filter(function (t, i) {
          return Array.from(t).length >= min && all.indexOf(t) === i;
        });
        if (!m || !terms.length) return { docs: [], short: all.length > 0 && !terms.length };
        return search(m, terms).then(function (docs) { return { docs: docs, short: false }; });
      });
      found.then(function (r) {
        if (input.value.trim() === query) render(r.empty ? "" : query, r.docs, r.short);
      });
    };
    var timer = 0;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("focus", load, { once: true });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var url = new URL(location.href);
      url.searchParams.set("q", input.value.trim());
      history.replaceState(null, "", url);
      run();
    });
    // Arrow keys move between the box and the results.
    form.parentNode.addEventListener("keydown", function (e) {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(doc.activeElement);
      if (!links.length || (at < 0 && doc.activeElement !== input)) return;
      e.preventDefault();
      var next = at + (e.key === "ArrowDown" ? 1 : -1);
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(); }
    if (!q) input.focus();
  }
})();
