/* Small page behaviour; no external requests. */
(function () {
  "use strict";
  // Material's search dialog has no accessible name (axe: aria-dialog-name).
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }
  // Checklist pages: the chosen paper size selects a named @page in print.css.
  function paperChoice() {
    var root = document.documentElement;
    document.querySelectorAll('input[name="hb-paper"]').forEach(function (input) {
      input.addEventListener("change", function () {
        root.classList.remove("hb-paper-a5", "hb-paper-a4");
        if (input.value !== "a6") root.classList.add("hb-paper-" + input.value);
      });
    });
  }
  function ready() { nameSearchDialog(); paperChoice(); }
  if (window.document$) window.document$.subscribe(ready); else document.addEventListener("DOMContentLoaded", ready);
})();
