/* Small page behaviour; no external requests. */
(function () {
  "use strict";
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
  // Source pages and clause cards (sourcedoc): the outline starts closed on a phone; a
  // corrected passage shows its original when its button is pressed; each citation gets a
  // one-tap copy button. The citation text is the page's (built in Python); the script only
  // writes in the absolute address the browser resolves when the build did not know it.
  document.documentElement.classList.add("hb-js");
  function closeOutlineOnPhone() {
    var outline = document.querySelector(".hb-outline details");
    if (outline && window.matchMedia("(max-width: 44.9375em)").matches && !outline.dataset.hbSeen) {
      outline.open = false;
    }
    if (outline) outline.dataset.hbSeen = "1";
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }
  function addCiteButtons() {
    document.querySelectorAll(".hb-cite:not([data-hb-ready])").forEach(function (cite) {
      cite.setAttribute("data-hb-ready", "");
      var link = cite.querySelector("a[data-hb-resolve]");
      if (link) link.textContent = link.href;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hb-cite-btn";
      button.textContent = "复制引用";
      var status = document.createElement("span");
      status.className = "hb-cite-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      button.addEventListener("click", function () {
        var text = cite.querySelector(".hb-cite-text").textContent.replace(/\s+/g, " ").trim();
        copyText(text).then(function () { status.textContent = "已复制"; }, function () {
          cite.open = true;  // the reader can still select the text by hand
          status.textContent = "无法自动复制，请手动选择下方文字";
        });
        setTimeout(function () { status.textContent = ""; }, 4000);
      });
      cite.parentNode.insertBefore(button, cite);
      cite.parentNode.insertBefore(status, cite);
    });
  }
  // Phones: a table wider than its scroll box says so (hint above, faded right edge).
  function markScrollBoxes() {
    document.querySelectorAll(".hb-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (!box.hasAttribute("data-hb-scroll")) {
        box.setAttribute("data-hb-scroll", "");
        hint = document.createElement("p");
        hint.className = "hb-scroll-hint";
        hint.setAttribute("aria-hidden", "true");  // the table itself is a labelled, focusable region
        hint.textContent = "表格较宽，左右滑动查看更多 →";
        box.parentNode.insertBefore(hint, box);
        var update = function () {
          var wide = box.scrollWidth > box.clientWidth + 1;
          box.classList.toggle("hb-scrolls", wide);
          box.classList.toggle("hb-at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
          hint.hidden = !wide;
        };
        box.addEventListener("scroll", update, { passive: true });
        window.addEventListener("resize", update);
        update();
      }
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".hb-fix-btn");
    if (button) button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
  function ready() { nameSearchDialog(); markThisMonth(); closeOutlineOnPhone(); addCiteButtons(); markScrollBoxes(); }
  if (window.document$) window.document$.subscribe(ready); else document.addEventListener("DOMContentLoaded", ready);
})();
