// versus default theme: the theme toggle, the matrix's filters and sorting, notes on tap,
// the reader's weighting of the scoreboard, and the search page. Everything works without this file; it only adds behaviour.
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
        if (sort === "weight") {
          var dw = num(b, "weight") - num(a, "weight");
          if (dw) return dw;
        } else if (sort) {
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

  // The reader's weighting (DESIGN.md): a weight of 0 to 3 per criterion and sources left
  // out, kept in the URL query (?weights=id:w,…&without=slug,…|stake). The standings are
  // recomputed from every claim, in the page's dataset (src/render/weighting.rs): per
  // criterion one character per source, "." for no claim, else 48 + the verdict's code.
  var dataEl = doc.getElementById("weighting-data");
  var board = doc.querySelector("[data-versus-standings]");
  var wform = doc.getElementById("weigh-form");
  var weigh = function () {
    // The dataset is read on first need: a link with weights, or the reader's first change.
    // Until then the standings are the build's, so a site of many sources pays nothing.
    var subjects, crit, src, n, names, critIndex, srcIndex;
    var ready = function () {
      if (crit) return;
      var data = JSON.parse(dataEl.textContent);
      subjects = data.subjects;
      crit = data.criteria;
      src = data.sources;
      n = subjects.length;
      names = subjects.map(function (id) {
        var a = board.querySelector('[data-subject="' + id + '"] .standing-name');
        return a ? a.textContent : id;
      });
      critIndex = {};
      srcIndex = {};
      crit.forEach(function (c, i) { critIndex[c[0]] = i; });
      src.forEach(function (s, i) { srcIndex[s[0]] = i; });
      parse();
    };
    // A source's label, or its slug in words when the dataset leaves the label out.
    var label = function (i) {
      var s = src[i][0];
      return src[i][1] || s.charAt(0).replace(/[a-z]/, function (c) { return c.toUpperCase(); }) +
        s.slice(1).replace(/-/g, " ");
    };
    var hasStake = function (i) { return src[i].length > 2 && src[i][2] !== null; };
    var weights, out, stake;
    var parse = function () {
      var q = new URLSearchParams(location.search);
      weights = crit.map(function () { return 1; });
      out = src.map(function () { return false; });
      stake = false;
      (q.get("weights") || "").split(",").forEach(function (part) {
        var kv = part.split(":"), i = critIndex[kv[0]], w = Number(kv[1]);
        if (i !== undefined && kv.length === 2 && /^[0-3]$/.test(kv[1])) weights[i] = w;
      });
      (q.get("without") || "").split(",").forEach(function (slug) {
        if (slug === "stake") stake = true;
        else if (srcIndex[slug] !== undefined) out[srcIndex[slug]] = true;
      });
    };
    var isOut = function (i) { return out[i] || (stake && hasStake(i)); };
    // The consensus of the claims counted, by the build's rules (DESIGN.md): its status, and
    // its verdict code when one verdict has strictly the most claims, else -1.
    var consensus = function (verdicts) {
      var counts = [], best = -1, most = 0, tie = false, total = 0;
      for (var i = 0; i < verdicts.length; i++) {
        var v = verdicts.charCodeAt(i) - 48;
        if (v >= 0 && !isOut(i)) { counts[v] = (counts[v] || 0) + 1; total += 1; }
      }
      counts.forEach(function (k, v) {
        if (k > most) { most = k; best = v; tie = false; } else if (k === most) tie = true;
      });
      var status = !total ? "none" : tie ? "split" : total === 1 ? "single" :
        most === total ? "unanimous" : 2 * most > total ? "majority" : "plurality";
      return { status: status, code: tie ? -1 : best, most: most, total: total };
    };
    var leader = function (verdicts) { return consensus(verdicts).code; };
    var verdictId = function (code) {
      return code < 0 ? "nobody" : code < n ? subjects[code] : code === n ? "tie" : "depends";
    };
    var verdictName = function (code) {
      return code < n ? names[code] : code === n ? "Tie" : "Depends";
    };
    var compute = function () {
      var scores = subjects.map(function () { return 0; });
      var why = subjects.map(function () { return []; });
      var max = 0;
      crit.forEach(function (c, i) {
        var w = weights[i];
        if (!w) return;
        max += w;
        var f = leader(c[2]);
        if (f >= 0 && f < n) { scores[f] += w; why[f].push(i); }
      });
      return { scores: scores, why: why, max: max };
    };
    var ordinal = function (r) {
      var s = r % 100 >= 11 && r % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][r % 10] || "th";
      return r + s;
    };
    var place = function (scores, s) {
      var above = scores.filter(function (o) { return o > scores[s]; }).length;
      var same = scores.filter(function (o) { return o === scores[s]; }).length;
      return (same > 1 ? "tied " : "") + ordinal(above + 1);
    };
    var decided = function (list) {
      if (!list.length) return "No criterion goes its way.";
      var sorted = list.slice().sort(function (a, b) { return weights[b] - weights[a] || a - b; });
      var text = sorted.slice(0, 6).map(function (i) { return crit[i][1] + " \u00d7" + weights[i]; }).join(", ");
      return "Decided by " + text + (sorted.length > 6 ? " and " + (sorted.length - 6) + " more" : "");
    };
    var counted = function () {
      return src.filter(function (s, i) { return !isOut(i); }).length;
    };
    var changedWeights = function () {
      return crit.filter(function (c, i) { return weights[i] !== 1; }).length;
    };
    var stateText = function () {
      var w = changedWeights(), left = src.length - counted();
      return (w ? w + (w === 1 ? " weight" : " weights") + " changed" : "every weight 1") + ", " +
        (left ? left + " of " + src.length + " sources left out" : "all " + src.length + " sources");
    };
    var table = doc.getElementById("matrix-table");
    var showMatrix = function () {
      if (!table) return;
      crit.forEach(function (c, i) {
        var row = doc.getElementById("row-" + c[0]);
        if (!row) return;
        row.dataset.weight = weights[i];
        row.classList.toggle("is-weight-0", !weights[i]);
        var tag = row.querySelector("[data-weight-tag]");
        if (tag) tag.textContent = weights[i] === 1 ? "" : "\u00d7" + weights[i];
      });
      var heads = table.tHead.rows[0].cells;
      for (var h = 0; h < heads.length; h++) {
        var slug = heads[h].dataset.source;
        if (!slug) continue;
        var gone = isOut(srcIndex[slug]);
        heads[h].classList.toggle("is-out", gone);
        Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
          if (r.cells[h]) r.cells[h].classList.toggle("is-out", gone);
        });
      }
      // With sources left out, the matrix's filters use the consensus of the sources counted.
      var recount = src.length - counted() > 0;
      crit.forEach(function (c) {
        var row = doc.getElementById("row-" + c[0]);
        if (!row) return;
        var d = row.dataset, cell = row.querySelector(".consensus-cell");
        if (d.origFavors === undefined) { d.origFavors = d.favors; d.origStatus = d.status; }
        var note = cell.querySelector(".recount");
        if (!recount) {
          d.favors = d.origFavors;
          d.status = d.origStatus;
          if (note) note.remove();
          return;
        }
        var k = consensus(c[2]);
        d.favors = k.status === "none" ? "nobody" : verdictId(k.code);
        d.status = k.status;
        if (!note) {
          note = doc.createElement("span");
          note.className = "recount";
          cell.appendChild(note);
        }
        note.textContent = "Your sources: " + (k.status === "none" ? "no claims" :
          k.status.charAt(0).toUpperCase() + k.status.slice(1) +
          (k.code >= 0 ? ", " + verdictName(k.code) : "") + (k.total > 1 ? " " + k.most + " of " + k.total : ""));
      });
      var mc = doc.getElementById("matrix-controls");
      if (mc && !mc.hidden && (mc.elements.favors.value || mc.elements.status.value || mc.elements.sort.value === "weight")) {
        mc.dispatchEvent(new Event("change"));
      }
    };
    var status = doc.getElementById("weigh-status");
    var render = function (announce) {
      var r = compute();
      Array.prototype.forEach.call(board.querySelectorAll("[data-subject]"), function (li) {
        var s = subjects.indexOf(li.dataset.subject);
        if (s < 0) return;
        li.dataset.score = r.scores[s];
        li.querySelector("[data-points]").textContent = r.scores[s];
        li.querySelector("[data-max]").textContent = r.max;
        li.querySelector("[data-place]").textContent = place(r.scores, s);
        li.querySelector("[data-why]").textContent = decided(r.why[s]);
        li.querySelector(".standing-bar").style.width = (r.max ? 100 * r.scores[s] / r.max : 0) + "%";
      });
      var note = doc.querySelector("[data-versus-note]");
      var left = src.length - counted();
      if (note && (changedWeights() || left)) {
        var ws = crit.map(function (c, i) { return weights[i] !== 1 ? c[1] + " \u00d7" + weights[i] : ""; }).filter(Boolean);
        note.textContent = "Your weighting: " + (ws.length ? ws.join(", ") : "every criterion weighs 1") +
          "; " + (left ? left + " of " + src.length + " sources left out." : "every source counts.");
      } else if (note && note.dataset.original) {
        note.textContent = note.dataset.original;
      }
      doc.querySelector("[data-weigh-state]").textContent = stateText();
      Array.prototype.forEach.call(wform.querySelectorAll("[data-counted]"), function (e) { e.textContent = counted(); });
      showMatrix();
      if (announce) {
        status.textContent = subjects.map(function (id, s) { return names[s] + " " + r.scores[s] + " of " + r.max + ", " + place(r.scores, s); }).join("; ") + ".";
      }
    };
    var list = doc.getElementById("source-list");
    var syncForm = function () {
      Array.prototype.forEach.call(wform.querySelectorAll("select[data-criterion]"), function (sel) {
        sel.value = String(weights[critIndex[sel.dataset.criterion]]);
      });
      doc.getElementById("without-stake").checked = stake;
      Array.prototype.forEach.call(list.querySelectorAll("input[data-i]"), function (box) {
        var i = Number(box.dataset.i);
        box.checked = !out[i];
        box.disabled = stake && hasStake(i);
      });
    };
    var query = function () {
      var q = new URLSearchParams(location.search);
      q.delete("weights");
      q.delete("without");
      var parts = q.toString() ? [q.toString()] : [];
      var ws = crit.map(function (c, i) { return weights[i] !== 1 ? c[0] + ":" + weights[i] : ""; }).filter(Boolean);
      var wo = (stake ? ["stake"] : []).concat(src.filter(function (s, i) { return out[i]; }).map(function (s) { return s[0]; }));
      if (ws.length) parts.push("weights=" + ws.map(encodeURIComponent).join(",").replace(/%3A/g, ":"));
      if (wo.length) parts.push("without=" + wo.map(encodeURIComponent).join(","));
      return location.pathname + (parts.length ? "?" + parts.join("&") : "") + location.hash;
    };
    // One history entry per control: stepping one weight from 1 to 3 is one step back.
    var last = null;
    var commit = function (control) {
      var url = query();
      if (url !== location.pathname + location.search + location.hash) {
        if (control && control === last) history.replaceState(null, "", url);
        else history.pushState(null, "", url);
      }
      last = control;
      render(true);
    };
    // Built on first opening, so that a site with thousands of sources pays nothing until then.
    var buildList = function () {
      if (list.childNodes.length) return;
      ready();
      var frag = doc.createDocumentFragment();
      if (src.length > 12) {
        var f = doc.createElement("input");
        f.type = "search";
        f.className = "source-filter";
        f.setAttribute("aria-label", "Find a source");
        f.placeholder = "Find a source";
        f.addEventListener("input", function () {
          var t = f.value.toLowerCase();
          Array.prototype.forEach.call(list.querySelectorAll("label"), function (l) {
            l.hidden = t && l.textContent.toLowerCase().indexOf(t) < 0;
          });
        });
        frag.appendChild(f);
      }
      src.forEach(function (s, i) {
        var item = doc.createElement("label");
        item.className = "check";
        var box = doc.createElement("input");
        box.type = "checkbox";
        box.dataset.i = i;
        item.appendChild(box);
        item.appendChild(doc.createTextNode(" " + label(i) + (hasStake(i) ? " (stake: " + names[s[2]] + ")" : "")));
        frag.appendChild(item);
      });
      list.appendChild(frag);
      syncForm();
    };
    var note = doc.querySelector("[data-versus-note]");
    if (note) note.dataset.original = note.textContent;
    if (/[?&](weights|without)=/.test(location.search)) {
      ready();
      syncForm();
      render(false);
    }
    Array.prototype.forEach.call(wform.querySelectorAll("fieldset, button"), function (e) { e.disabled = false; });
    var pick = doc.getElementById("source-pick");
    pick.addEventListener("toggle", buildList);
    if (pick.open) buildList();
    wform.addEventListener("submit", function (e) { e.preventDefault(); });
    wform.addEventListener("change", function (e) {
      var t = e.target;
      ready();
      if (t.dataset.criterion) weights[critIndex[t.dataset.criterion]] = Number(t.value);
      else if (t.id === "without-stake") stake = t.checked;
      else if (t.dataset.i) out[Number(t.dataset.i)] = !t.checked;
      else return;
      syncForm();
      commit(t);
    });
    doc.getElementById("weigh-reset").addEventListener("click", function () {
      ready();
      weights = crit.map(function () { return 1; });
      out = src.map(function () { return false; });
      stake = false;
      syncForm();
      commit();
    });
    var copied = doc.getElementById("weigh-copied");
    doc.getElementById("weigh-copy").addEventListener("click", function () {
      var href = location.href;
      var done = function () { copied.textContent = "Link copied."; status.textContent = "Link copied."; };
      var fallback = function () { copied.textContent = href; };
      if (navigator.clipboard) navigator.clipboard.writeText(href).then(done, fallback);
      else fallback();
    });
    window.addEventListener("popstate", function () { last = null; ready(); parse(); syncForm(); render(true); });
    var jump = doc.getElementById("matrix-weigh-link");
    if (jump) jump.addEventListener("click", function () { doc.getElementById("weigh-tool").open = true; });
  };
  if (dataEl && board && wform) {
    var dataSrc = dataEl.getAttribute("data-src");
    var tool = doc.getElementById("weigh-tool");
    if (!dataSrc) weigh();
    else {
      // A large site's dataset is a file of its own (weighting.json), fetched when the reader
      // opens the tool or follows a link with weights; the controls stay disabled until then.
      var asked = false;
      var load = function () {
        if (asked) return;
        asked = true;
        fetch(dataSrc).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.text();
        }).then(function (text) {
          dataEl.textContent = text;
          weigh();
        }, function () { asked = false; });
      };
      if (/[?&](weights|without)=/.test(location.search) || (tool && tool.open)) load();
      if (tool) tool.addEventListener("toggle", load);
      var link = doc.getElementById("matrix-weigh-link");
      if (link) link.addEventListener("click", load);
    }
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
    // (a dropped connection on a busy network), and not cached. A request that stalls for
    // 8 s counts as failed, so one stuck connection cannot hold a query forever.
    var fetchJson = function (url, options) {
      var opts = Object.assign({}, options);
      if (window.AbortSignal && AbortSignal.timeout) opts.signal = AbortSignal.timeout(8000);
      return fetch(url, opts)
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
