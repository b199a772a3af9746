/* Small page behaviour; no external requests. */
(function () {
  "use strict";
  // Chinese search: Material's worker segments a Han query greedily against the words
  // of the index, but its loop never tries a piece ending at the last character, so
  // 三重一大 becomes 三重* 一* (every word starting with 一) and 一岗双责 becomes 一* 岗* 双*.
  // One extra Han character (〇) after each run lets the whole query be matched; the
  // extra character itself is never part of a piece. Only search-query messages
  // ({type: 2, data: string}) are touched. Runs at load, before the index is ready.
  function fixChineseQueries() {
    var W = window.Worker;
    if (!W || !W.prototype || W.prototype.hbQueryFix) return;
    var post = W.prototype.postMessage;
    W.prototype.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      if (message && message.type === 2 && typeof message.data === "string") {
        args[0] = { type: 2, data: message.data.replace(/\p{Script=Han}+/gu, "$&\u3007") };
      }
      return post.apply(this, args);
    };
    W.prototype.hbQueryFix = true;
  }
  fixChineseQueries();
  // Material's search dialog has no accessible name (axe: aria-dialog-name).
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }
  // Duty calendar: mark the reader's current month (the built page knows no "today").
  function markThisMonth() {
    var cell = document.querySelector('.hb-month[data-month="' + (new Date().getMonth() + 1) + '"]');
    if (cell && !cell.classList.contains("hb-now")) {
      cell.classList.add("hb-now");
      cell.setAttribute("aria-current", "date");
      cell.closest(".hb-quarter").classList.add("hb-now");
    }
  }
  function ready() { nameSearchDialog(); markThisMonth(); }
  if (window.document$) window.document$.subscribe(ready); else document.addEventListener("DOMContentLoaded", ready);
})();
