/* Small page behaviour; no external requests. */
(function () {
  "use strict";
  // Chinese search. The index holds the words jieba cut at build time (with the data's
  // terms kept whole: handbook/search.py). Material's worker cuts a Han query greedily
  // against those words, but its loop never tries a piece ending at the query's last
  // character (三重一大 becomes 三重* 一* …), and a query none of whose beginnings is a
  // word (诫) is searched as typed plus a wildcard. So the query is cut here, against the
  // same words (learnt from the index as it is handed to the worker), into pieces the
  // worker then keeps as they are:
  //   a whole word         -> word〇  (〇 ends the run, so the worker's loop reaches the
  //                                    word's last character; 〇 itself is never a piece)
  //   a word's beginning   -> as is   (searched as typed*: 诫勉 finds 诫勉谈话)
  //   one character that is no word (诫) -> *诫 (lunr: every word containing it, 告诫 too)
  // Only the messages between page and worker are touched: the index (type 0), queries
  // (type 2) and results (type 3).
  var SETUP = 0, QUERY = 2, RESULT = 3, END = "\u3007";
  var HAN = /\p{Script=Han}+/gu;
  var words = null, starts = null; // the index's Han words, and every beginning of one
  function learn(index) {
    var separator = new RegExp(index.config.separator, "u");
    words = new Set();
    starts = new Set();
    index.docs.forEach(function (doc) {
      [doc.title, doc.text].forEach(function (field) {
        (field || "").split(separator).forEach(function (token) {
          (token.match(HAN) || []).forEach(function (word) {
            if (words.has(word)) return;
            words.add(word);
            for (var k = 1; k <= word.length; k++) starts.add(word.slice(0, k));
          });
        });
      });
    });
  }
  function cut(run) {
    var out = [];
    for (var i = 0; i < run.length;) {
      var length = 0;
      for (var j = run.length; j > i && !length; j--) if (starts.has(run.slice(i, j))) length = j - i;
      var piece = run.slice(i, i + (length || 1));
      if (words.has(piece)) out.push(piece + END);
      else if (length > 1) out.push(piece);
      else out.push("*" + piece); // one character: every word containing it (告诫 and 诫勉谈话 for 诫)
      i += piece.length;
    }
    return out.join(" ");
  }
  // Material lists a query term as missing (缺少) when no word of the result begins with
  // it, although the result may contain it (诫 in 告诫): a term the result's own text
  // contains is not missing, and it is highlighted on the page the result opens.
  function plain(html) { return (html || "").replace(/<[^>]*>/g, "").replace(/\u200b/g, ""); }
  function fixResults(result) {
    (result.items || []).forEach(function (group) {
      group.forEach(function (doc) {
        var text = plain(doc.title) + plain(doc.text);
        Object.keys(doc.terms || {}).forEach(function (term) {
          if (!doc.terms[term] && text.indexOf(term) !== -1) doc.terms[term] = true;
        });
      });
    });
  }
  function fixChineseQueries() {
    var W = window.Worker;
    if (!W || !W.prototype || W.prototype.hbQueryFix) return;
    var post = W.prototype.postMessage;
    W.prototype.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      if (message && message.type === SETUP && message.data && message.data.docs) learn(message.data);
      if (message && message.type === QUERY && typeof message.data === "string" && words) {
        args[0] = { type: QUERY, data: message.data.replace(HAN, cut) };
      }
      return post.apply(this, args);
    };
    var listen = W.prototype.addEventListener;
    W.prototype.addEventListener = function (type, listener) {
      var args = Array.prototype.slice.call(arguments);
      if (type === "message" && typeof listener === "function") {
        args[1] = function (event) {
          if (event.data && event.data.type === RESULT && event.data.data) fixResults(event.data.data);
          return listener.apply(this, arguments);
        };
      }
      return listen.apply(this, args);
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
