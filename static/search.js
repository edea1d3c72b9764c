/* baoku search: runs from disk (file://) and from any web host.
 * The index is plain scripts under search/ that register themselves
 * (baokuSearch.meta, .docs, .fold, .shard); a query loads only the shards
 * its tokens live in. Tokens as the generator makes them: each Chinese
 * character and pair of neighbours, Latin words and numbers; traditional
 * folded to simplified, full width to ASCII, Latin to lower case. */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me.getAttribute("data-root") || "";
  var PAGE = 20;
  var state = { meta: null, docs: null, fold: null, shards: {} };
  var api = (window.baokuSearch = {
    meta: function (m) { state.meta = m; },
    docs: function (d) { state.docs = d; },
    fold: function (f) { state.fold = f; },
    shard: function (i, s) { state.shards[i] = s; },
  });

  function load(name, done) {
    var s = document.createElement("script");
    s.src = root + "search/" + name;
    s.onload = function () { done(null); };
    s.onerror = function () { done(new Error(name)); };
    document.head.appendChild(s);
  }

  function loadAll(names, done) {
    var left = names.length, failed = null;
    if (!left) return done(null);
    names.forEach(function (n) {
      load(n, function (err) {
        failed = failed || err;
        if (--left === 0) done(failed);
      });
    });
  }

  function isHan(c) { return /\p{Script=Han}/u.test(c); }

  function fold(c) {
    var cp = c.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) c = String.fromCodePoint(cp - 0xfee0);
    c = c.toLowerCase();
    return (state.fold && state.fold[c]) || c;
  }

  /* The query's terms: pairs inside a Chinese run (a run of one is that
   * character), Latin words whole. Every term must match. */
  function terms(q) {
    var out = [], run = [], word = "";
    function endRun() {
      if (run.length === 1) out.push(run[0]);
      for (var i = 1; i < run.length; i++) out.push(run[i - 1] + run[i]);
      run = [];
    }
    function endWord() { if (word) out.push(word); word = ""; }
    Array.from(q).forEach(function (ch) {
      var c = fold(ch);
      if (isHan(c)) { endWord(); run.push(c); }
      else if (/[a-z0-9]/.test(c)) { endRun(); word += c; }
      else { endRun(); endWord(); }
    });
    endRun();
    endWord();
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  /* The pieces of the query to mark in titles and snippets. */
  function pieces(q) {
    return Array.from(q).map(fold).join("").split(/[^\p{Script=Han}a-z0-9]+/u)
      .filter(function (p) { return p; });
  }

  function highlight(el, text, marks) {
    var folded = Array.from(text).map(fold), hit = new Array(folded.length).fill(false);
    marks.forEach(function (m) {
      var mm = Array.from(m);
      for (var i = 0; i + mm.length <= folded.length; i++) {
        var same = true;
        for (var j = 0; j < mm.length && same; j++) same = folded[i + j] === mm[j];
        if (same) for (j = 0; j < mm.length; j++) hit[i + j] = true;
      }
    });
    var chars = Array.from(text), i = 0;
    while (i < chars.length) {
      var j = i;
      while (j < chars.length && hit[j] === hit[i]) j++;
      var piece = chars.slice(i, j).join("");
      if (hit[i]) {
        var m = document.createElement("mark");
        m.textContent = piece;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(piece));
      }
      i = j;
    }
  }

  function search(q, done) {
    var ts = terms(q);
    if (!ts.length) return done([]);
    var need = {};
    ts.forEach(function (t) { need["shard-" + (t.codePointAt(0) % state.meta.shards) + ".js"] = 1; });
    loadAll(Object.keys(need).filter(function (n) {
      return state.shards[Number(n.slice(6, -3))] === undefined;
    }), function (err) {
      if (err) return done(null, err);
      var hits = null;
      ts.forEach(function (t) {
        var p = state.shards[t.codePointAt(0) % state.meta.shards][t] || [], found = {};
        for (var i = 0; i < p.length; i += 3) {
          var d = p[i];
          if (hits && !hits[d]) continue;
          var prev = hits ? hits[d] : { title: true, score: 0 };
          found[d] = { title: prev.title && p[i + 1] > 0, score: prev.score + p[i + 1] * 10 + p[i + 2] };
        }
        hits = found;
      });
      var list = Object.keys(hits || {}).map(function (d) {
        var doc = state.docs[d];
        return { d: Number(d), title: hits[d].title, score: hits[d].score, doc: doc };
      });
      /* title hits first, then newer, then stronger, then as indexed */
      list.sort(function (a, b) {
        if (a.title !== b.title) return a.title ? -1 : 1;
        if (a.doc[2] !== b.doc[2]) return a.doc[2] > b.doc[2] ? -1 : 1;
        if (a.score !== b.score) return b.score - a.score;
        return a.d - b.d;
      });
      done(list);
    });
  }

  function option(sel, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    sel.appendChild(o);
  }

  function show(q, list, params) {
    var status = document.getElementById("search-status");
    var ol = document.getElementById("search-results");
    var pager = document.getElementById("search-pager");
    var gsel = document.getElementById("search-group"), ysel = document.getElementById("search-year");
    ol.textContent = "";
    pager.textContent = "";
    /* filters from the results */
    var groups = {}, years = {};
    list.forEach(function (r) { groups[r.doc[4]] = r.doc[3]; if (r.doc[5]) years[r.doc[5]] = 1; });
    [gsel, ysel].forEach(function (s) { while (s.options.length > 1) s.remove(1); });
    Object.keys(groups).sort().forEach(function (g) { option(gsel, g, groups[g]); });
    Object.keys(years).sort().reverse().forEach(function (y) { option(ysel, y, y); });
    gsel.value = params.get("group") || "";
    ysel.value = params.get("year") || "";
    document.getElementById("search-filters").hidden = list.length === 0;
    var shown = list.filter(function (r) {
      return (!gsel.value || r.doc[4] === gsel.value) && (!ysel.value || r.doc[5] === ysel.value);
    });
    status.textContent = list.length === 0 ? "没有找到与“" + q + "”相符的文章。"
      : "找到 " + shown.length + " 篇" + (shown.length !== list.length ? "（共 " + list.length + " 篇）" : "") + "。";
    var page = Math.max(1, Number(params.get("page")) || 1), pages = Math.ceil(shown.length / PAGE);
    var marks = pieces(q);
    shown.slice((page - 1) * PAGE, page * PAGE).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a");
      li.className = "item";
      a.className = "item-title";
      a.href = root + r.doc[1];
      highlight(a, r.doc[0], marks);
      var meta = document.createElement("span");
      meta.className = "item-meta";
      meta.textContent = (r.doc[2] || "日期不详") + " · " + r.doc[3] + (r.doc[7] ? " · " : "");
      if (r.doc[7]) highlight(meta, r.doc[7], marks);
      var p = document.createElement("p");
      p.className = "item-excerpt";
      highlight(p, r.doc[6] + "…", marks);
      li.appendChild(a);
      li.appendChild(meta);
      li.appendChild(p);
      ol.appendChild(li);
    });
    for (var i = 1; i <= pages && pages > 1; i++) {
      var link = document.createElement(i === page ? "span" : "a");
      link.textContent = String(i);
      if (i === page) link.setAttribute("aria-current", "page");
      else {
        var u = new URLSearchParams(params);
        u.set("page", String(i));
        link.href = "?" + u.toString();
      }
      pager.appendChild(link);
    }
  }

  function start() {
    var params = new URLSearchParams(location.search);
    var q = (params.get("q") || "").trim();
    var input = document.getElementById("search-q");
    if (!input) return;
    input.value = q;
    input.focus();
    ["search-group", "search-year"].forEach(function (id) {
      document.getElementById(id).addEventListener("change", function () {
        var u = new URLSearchParams(location.search);
        u.set(id === "search-group" ? "group" : "year", this.value);
        u.delete("page");
        location.search = u.toString();
      });
    });
    if (!q) return;
    var status = document.getElementById("search-status");
    status.textContent = "正在搜索……";
    loadAll(["meta.js", "docs.js", "fold.js"], function (err) {
      if (err) { status.textContent = "搜索索引没有找到：" + err.message; return; }
      var t0 = performance.now();
      search(q, function (list, err2) {
        if (err2) { status.textContent = "搜索索引没有找到：" + err2.message; return; }
        show(q, list, params);
        document.body.setAttribute("data-search-ms", String(Math.round(performance.now() - t0)));
        document.body.setAttribute("data-search-done", String(list.length));
      });
    });
  }

  api.terms = terms;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
