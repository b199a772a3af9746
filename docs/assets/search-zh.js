/* Chinese search: patches the search worker's messages. Loaded in the page's head, before
   Material's bundle: the bundle posts the search index to its worker as soon as the index
   has arrived (at once in the offline build, where it is inlined), and a patch installed
   after that never sees the index and leaves Chinese queries to the worker's own cutting. */
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
})();
