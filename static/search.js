/* baoku search: runs from disk (file://) and from any web host.
 * The index is plain scripts under search/ that register themselves
 * (baokuSearch.meta, .docs, .fold, .shard); a query loads only the shards
 * its tokens live in, and the document files of the results it shows. Tokens as the generator makes them: each Chinese
 * character and pair of neighbours, Latin words and numbers; traditional
 * folded to simplified, full width to ASCII, Latin to lower case. */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me.getAttribute("data-root") || "";
  var PAGE = 20;
  var state = { meta: null, docs: {}, fold: null, shards: {} };
  var api = (window.baokuSearch = {
    meta: function (m) { state.meta = m; },
    docs: function (c, d) { state.docs[c] = d; },
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

  /* Base 32 numbers as the generator writes them: the last character of
   * each from 0-9a-v, the ones before it from A-Z()*+-. */
  var DIGIT = (function () {
    var t = new Int8Array(128).fill(-1), last = "0123456789abcdefghijklmnopqrstuv",
      cont = "ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+-.";
    for (var i = 0; i < 32; i++) { t[last.charCodeAt(i)] = i; t[cont.charCodeAt(i)] = 32 + i; }
    return t;
  })();

  /* A token's postings as [document, in title] pairs, flattened. */
  function postings(s) {
    var out = [], acc = 0, doc = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      if (d >= 32) { acc = acc * 32 + d - 32; continue; }
      acc = acc * 32 + d;
      doc += Math.floor(acc / 2);
      out.push(doc - 1, acc & 1);
      acc = 0;
    }
    return out;
  }

  function shardOf(t) { return t.codePointAt(0) % state.meta.shards; }

  /* The documents with every term, title hits first, then newer (a
   * document's number is its place, newest first). */
  function search(q, done) {
    var ts = terms(q);
    if (!ts.length) return done([]);
    var need = {};
    ts.forEach(function (t) { need["shard-" + shardOf(t) + ".js"] = 1; });
    loadAll(Object.keys(need).filter(function (n) {
      return state.shards[Number(n.slice(6, -3))] === undefined;
    }), function (err) {
      if (err) return done(null, err);
      var t0 = performance.now();
      /* rarest term first, so the others only check its documents */
      var lists = ts.map(function (t) { return state.shards[shardOf(t)][t] || ""; });
      lists.sort(function (a, b) { return a.length - b.length; });
      var hits = null;
      lists.forEach(function (s) {
        var p = postings(s), found = new Map();
        for (var i = 0; i < p.length; i += 2) {
          var d = p[i];
          if (hits && !hits.has(d)) continue;
          found.set(d, (hits ? hits.get(d) : true) && p[i + 1] === 1);
        }
        hits = found;
      });
      var list = [];
      hits.forEach(function (title, d) { list.push({ d: d, title: title }); });
      list.sort(function (a, b) {
        if (a.title !== b.title) return a.title ? -1 : 1;
        return a.d - b.d;
      });
      done(list, null, t0);
    });
  }

  /* Loads the document files the given results need. */
  function loadDocs(list, done) {
    var need = {};
    list.forEach(function (r) {
      var c = Math.floor(r.d / state.meta.chunk);
      if (!state.docs[c]) need["docs-" + c + ".js"] = 1;
    });
    loadAll(Object.keys(need), done);
  }

  function doc(d) { return state.docs[Math.floor(d / state.meta.chunk)][d % state.meta.chunk]; }

  function option(sel, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    sel.appendChild(o);
  }

  /* Shows the results: counts and filters from meta.js, then the page of
   * results asked for, once its document files are loaded. */
  function show(q, list, params, done) {
    var status = document.getElementById("search-status");
    var ol = document.getElementById("search-results");
    var pager = document.getElementById("search-pager");
    var gsel = document.getElementById("search-group"), ysel = document.getElementById("search-year");
    var m = state.meta;
    ol.textContent = "";
    pager.textContent = "";
    /* filters from the results */
    var groups = {}, years = {};
    list.forEach(function (r) {
      groups[m.g[r.d]] = 1;
      if (m.y[r.d] >= 0) years[m.y[r.d]] = 1;
    });
    [gsel, ysel].forEach(function (s) { while (s.options.length > 1) s.remove(1); });
    Object.keys(groups).map(function (g) { return m.groups[g]; })
      .filter(function (g) { return g[0]; }) /* a site page has no district */
      .sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; })
      .forEach(function (g) { option(gsel, g[0], g[1]); });
    Object.keys(years).map(function (y) { return m.years[y]; }).sort().reverse()
      .forEach(function (y) { option(ysel, y, y); });
    gsel.value = params.get("group") || "";
    ysel.value = params.get("year") || "";
    document.getElementById("search-filters").hidden = list.length === 0;
    var shown = list.filter(function (r) {
      return (!gsel.value || m.groups[m.g[r.d]][0] === gsel.value) &&
        (!ysel.value || m.years[m.y[r.d]] === ysel.value);
    });
    status.textContent = list.length === 0 ? "没有找到与“" + q + "”相符的文章。"
      : "找到 " + shown.length + " 篇" + (shown.length !== list.length ? "（共 " + list.length + " 篇）" : "") + "。";
    var page = Math.max(1, Number(params.get("page")) || 1), pages = Math.ceil(shown.length / PAGE);
    var marks = pieces(q), slice = shown.slice((page - 1) * PAGE, page * PAGE);
    loadDocs(slice, function (err) {
      if (err) { status.textContent = "搜索索引没有找到：" + err.message; return done(); }
      slice.forEach(function (r) {
        var dc = doc(r.d);
        var li = document.createElement("li"), a = document.createElement("a");
        li.className = "item";
        a.className = "item-title";
        a.href = root + dc[1];
        highlight(a, dc[0], marks);
        var meta = document.createElement("span");
        meta.className = "item-meta";
        meta.textContent = !dc[3] ? "本站页面" /* a standalone page: no date, no district */
          : (dc[6] ? dc[6] + " · " : "") + (dc[2] || "日期不详") +
            (dc[7] ? " · " + dc[7] : "") + " · " + dc[3] + (dc[5] ? " · " : "");
        if (dc[5]) highlight(meta, dc[5], marks);
        var p = document.createElement("p");
        p.className = "item-excerpt";
        highlight(p, dc[4] + "…", marks);
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
      done();
    });
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
    loadAll(["meta.js", "fold.js"], function (err) {
      if (err) { status.textContent = "搜索索引没有找到：" + err.message; return; }
      var start = performance.now();
      search(q, function (list, err2, loaded) {
        if (err2) { status.textContent = "搜索索引没有找到：" + err2.message; return; }
        var ranked = performance.now();
        show(q, list, params, function () {
          /* for tests and the benchmark: the time from the shards being
           * loaded to the results ranked, and to the page shown */
          var body = document.body, now = performance.now();
          body.setAttribute("data-search-ms", String(Math.round(ranked - (loaded || start))));
          body.setAttribute("data-search-total-ms", String(Math.round(now - start)));
          body.setAttribute("data-search-done", String(list.length));
        });
      });
    });
  }

  api.terms = terms;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
