// Added to every page by `versus serve` (never by `versus build`): reloads the page after each
// rebuild, and shows the error of a failed rebuild in an overlay until the next good one.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var overlay = null;
  // The page's own styles must not reach the overlay (a theme's `pre` background made its
  // text unreadable): every element starts from `all:initial` and sets its own colours, on
  // an opaque background, whatever the page's theme.
  var RESET = "all:initial;display:block;box-sizing:border-box;";
  var INK = "#f3f4f6", PAPER = "#1b1d21";
  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "versus-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = RESET + "position:fixed;inset:0;z-index:2147483647;" +
        "overflow:auto;padding:2rem;background:" + PAPER + ";color:" + INK + ";" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "";
    var title = document.createElement("h2");
    title.textContent = "The last rebuild failed; showing the last good version.";
    title.style.cssText = RESET + "margin:0 0 1rem;background:" + PAPER + ";color:#ffb4b4;" +
      "font:bold 16px/1.4 system-ui,sans-serif";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.cssText = RESET + "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;" +
      "background:" + PAPER + ";color:" + INK + ";font:inherit";
    overlay.appendChild(title);
    overlay.appendChild(pre);
  }
  var events = new EventSource("/__versus/events?v=" + encodeURIComponent(version));
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
})();
