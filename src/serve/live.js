// Added to every page by `versus serve` (never by `versus build`): reloads the page after each
// rebuild, and shows the error of a failed rebuild in an overlay until the next good one.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var overlay = null;
  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "versus-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var title = document.createElement("h2");
    title.textContent = "The last rebuild failed; showing the last good version.";
    title.style.cssText = "color:#ff8080;font:bold 16px sans-serif;margin:0 0 1rem";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.whiteSpace = "pre-wrap";
    overlay.appendChild(title);
    overlay.appendChild(pre);
  }
  var events = new EventSource("/__versus/events?v=" + encodeURIComponent(version));
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
})();
