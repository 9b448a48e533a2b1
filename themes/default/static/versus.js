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

  // Search: the index is fetched on first use and searched in the browser.
  var form = doc.querySelector(".search-page-form");
  if (form) {
    var input = doc.getElementById("search-input");
    var list = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    var index = null;
    var kinds = { article: "Source digest", criterion: "Criterion", subject: "Subject", page: "Page" };
    var words = function (text) {
      return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    };
    var load = function () {
      if (!index) {
        index = fetch(form.dataset.index)
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (entries) {
            return entries.map(function (e) {
              return {
                e: e,
                fields: [[words(e.title), 10], [words(e.summary), 4], [words(e.excerpt), 2], [words(e.words), 1]]
              };
            });
          })
          .catch(function () { return []; });
      }
      return index;
    };
    var score = function (item, terms) {
      var total = 0;
      for (var i = 0; i < terms.length; i += 1) {
        var best = 0;
        item.fields.forEach(function (field) {
          field[0].forEach(function (w) {
            if (w === terms[i]) best = Math.max(best, field[1] * 2);
            else if (w.indexOf(terms[i]) === 0) best = Math.max(best, field[1]);
          });
        });
        if (!best) return 0;
        total += best;
      }
      return total;
    };
    var render = function (query, entries) {
      var terms = words(query);
      list.textContent = "";
      if (!terms.length) { status.textContent = ""; return; }
      var hits = entries
        .map(function (item) { return { item: item, score: score(item, terms) }; })
        .filter(function (h) { return h.score > 0; })
        .sort(function (a, b) { return b.score - a.score; })
        .slice(0, 30);
      status.textContent = hits.length
        ? hits.length + (hits.length === 1 ? " result" : " results") + " for “" + query + "”"
        : "No results for “" + query + "”";
      hits.forEach(function (h) {
        var e = h.item.e;
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = e.url;
        a.textContent = e.title;
        var kind = doc.createElement("span");
        kind.className = "kind";
        kind.textContent = kinds[e.kind] || "Page";
        var p = doc.createElement("p");
        var text = e.summary || e.excerpt;
        p.textContent = text.length > 220 ? text.slice(0, 220).replace(/\s+\S*$/, "") + "…" : text;
        li.appendChild(kind);
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
    };
    var run = function () {
      var query = input.value.trim();
      load().then(function (entries) { if (input.value.trim() === query) render(query, entries); });
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
