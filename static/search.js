/* baoku search: runs from disk (file://) and from any web host.
 * The index is plain scripts under search/ that register themselves
 * (baokuSearch.meta, .fold, .segmeta, .shard, .docs). Documents come in
 * segments, newest first, each indexed apart: a query searches the newest
 * segment, then older ones while it has found less than a page (two at
 * most, unless the reader asks for more), loading only the shards its
 * tokens live in, and the document files of the results it shows; so what
 * it loads is bounded whatever the archive's size.
 * Tokens as the generator makes them: each Chinese character and pair of
 * neighbours, Latin words and numbers; traditional folded to simplified,
 * full width to ASCII, Latin to lower case. Each posting says whether the
 * token stands in the title or in a field (district, paper, section,
 * people) of its document.
 *
 * A query is words apart by spaces. Chinese typed without spaces is taken
 * as the words it is made of: a run matches a document when each of its
 * characters is in a pair of the run the document holds (九亭食堂: 九亭
 * and 食堂, wherever they stand), a single character when it holds it.
 * "…" is a phrase: every pair of it must be there. -word excludes the
 * documents holding every pair of the word. Ranked: all words in the
 * title, then all in the title or the fields, then every pair present
 * (the phrase as typed), then the number of the query's pairs in the
 * title; then newer. */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me.getAttribute("data-root") || "";
  var state = { meta: null, docs: {}, fold: null, shards: {}, seg: {}, loaded: [] };
  var api = (window.baokuSearch = {
    meta: function (m) {
      /* segment s (newest first) is [its number, documents, shards]; its
       * documents are from[s] on, counted newest first */
      var at = 0;
      m.from = m.segs.map(function (g) { var f = at; at += g[1]; return f; });
      m.from.push(at);
      state.meta = m;
    },
    docs: function (n, c, d) { state.docs[n + "-" + c] = d; },
    fold: function (pairs) {
      var f = {}, c = Array.from(pairs);
      for (var i = 0; i + 1 < c.length; i += 2) f[c[i]] = c[i + 1];
      state.fold = f;
    },
    segmeta: function (s, m) { state.seg[s] = { g: numbers(m.g), y: numbers(m.y), p: numbers(m.p) }; },
    shard: function (s, i, t) { state.shards[s + "-" + i] = t; },
  });
  var IN_FIELD = 1, IN_TITLE = 2, MAX_UNITS = 30, AUTO_SEGMENTS = 2;

  function load(name, done) {
    var s = document.createElement("script");
    s.src = root + "search/" + name;
    s.onload = function () { state.loaded.push(name); done(null); };
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

  /* ---------------------------------------------------------------
   * The query
   * ------------------------------------------------------------- */

  /* One word's parts: its Chinese runs (their pairs, or the character of
   * a run of one) and its Latin words and numbers. A part's units are the
   * tokens looked up. */
  function parts(text) {
    var out = [], run = [], word = "";
    function endRun() {
      if (run.length === 1) out.push({ run: run, units: [run[0]] });
      else if (run.length > 1) {
        run = run.slice(0, MAX_UNITS + 1);
        var units = [];
        for (var i = 1; i < run.length; i++) units.push(run[i - 1] + run[i]);
        out.push({ run: run, units: units });
      }
      run = [];
    }
    function endWord() { if (word) out.push({ run: null, units: [word] }); word = ""; }
    Array.from(text).forEach(function (ch) {
      var c = fold(ch);
      if (isHan(c)) { endWord(); run.push(c); }
      else if (/[a-z0-9]/.test(c)) { endRun(); word += c; }
      else { endRun(); endWord(); }
    });
    endRun();
    endWord();
    return out;
  }

  /* The query's words: {text, neg, phrase, parts}; words without tokens
   * are dropped. Curly and corner quotes are quotes too. */
  function parse(q) {
    var s = q.replace(/[“”„「」『』＂]/g, '"'), out = [], re = /(-?)"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(s))) {
      var w;
      if (m[2] !== undefined) w = { text: m[2], neg: m[1] === "-", phrase: true };
      else if (m[3].length > 1 && m[3][0] === "-") w = { text: m[3].slice(1), neg: true, phrase: true };
      else w = { text: m[3], neg: false, phrase: false };
      w.parts = parts(w.text);
      if (w.parts.length) out.push(w);
    }
    return out;
  }

  function unitsOf(words) {
    var u = [];
    words.forEach(function (w) {
      w.parts.forEach(function (p) { p.units.forEach(function (t) { if (u.indexOf(t) < 0) u.push(t); }); });
    });
    return u;
  }

  /* ---------------------------------------------------------------
   * Postings
   * ------------------------------------------------------------- */

  /* Base 32 numbers as the generator writes them: the last character of
   * each from 0-9a-v, the ones before it from A-Z()*+-. */
  var DIGIT = (function () {
    var t = new Int8Array(128).fill(-1), last = "0123456789abcdefghijklmnopqrstuv",
      cont = "ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+-.";
    for (var i = 0; i < 32; i++) { t[last.charCodeAt(i)] = i; t[cont.charCodeAt(i)] = 32 + i; }
    return t;
  })();

  /* A segment's facets: numbers as the postings write them, each + 1. */
  function numbers(s) {
    var out = [], acc = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      if (d >= 32) { acc = acc * 32 + d - 32; continue; }
      out.push(acc * 32 + d - 1);
      acc = 0;
    }
    return out;
  }

  /* Segment s's number, which its files are named by (0 the oldest). */
  function num(s) { return state.meta.segs[s][0]; }

  /* Calls fn(document, where) for each posting of token t in segment s. */
  function eachPosting(s, t, fn) {
    var list = state.shards[num(s) + "-" + shardOf(s, t)][t] || "", acc = 0,
      doc = state.meta.from[s];
    for (var i = 0; i < list.length; i++) {
      var d = DIGIT[list.charCodeAt(i)];
      if (d >= 32) { acc = acc * 32 + d - 32; continue; }
      acc = acc * 32 + d;
      doc += Math.floor(acc / 4);
      fn(doc - 1, acc & 3);
      acc = 0;
    }
  }

  /* A token's shard: h * 31 + each code point, in 32 bits, modulo the
   * segment's shard count (as the generator's search_shard_hash). */
  function shardOf(s, t) {
    var h = 0;
    for (var c of t) h = (Math.imul(h, 31) + c.codePointAt(0)) >>> 0;
    return h % state.meta.segs[s][2];
  }
  /* The segment of document d: the last whose first is d or before. */
  function segOf(d) {
    var lo = 0, hi = state.meta.segs.length - 1, from = state.meta.from;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (from[mid] <= d) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function facetOf(d, k) { var s = segOf(d); return state.seg[num(s)][k][d - state.meta.from[s]]; }

  /* A part's documents in segment s: `docs`, and for each document of
   * the segment (its number less the segment's first) the units present
   * (`all`), in the title (`title`), in the title or a field (`field`),
   * each a bit mask of the part's units. Typed arrays, not a map: a
   * frequent token has a posting in most of a segment's documents. */
  function partDocs(p, s, cache) {
    var key = s + " " + p.units.join(" ");
    if (cache[key]) return cache[key];
    var size = state.meta.segs[s][1], base = state.meta.from[s];
    var out = { docs: [], all: new Int32Array(size), title: new Int32Array(size), field: new Int32Array(size) };
    p.units.forEach(function (t, k) {
      var bit = 1 << k;
      eachPosting(s, t, function (d, where) {
        var i = d - base;
        if (!out.all[i]) out.docs.push(d);
        out.all[i] |= bit;
        if (where & IN_TITLE) out.title[i] |= bit;
        if (where) out.field[i] |= bit;
      });
    });
    return (cache[key] = out);
  }

  /* Whether the units in mask cover every character of the part: a run's
   * character is covered by the pair before it or the one after it. */
  function covers(p, mask) {
    var n = p.units.length;
    if (!p.run || n === 1 && p.run.length === 1) return mask === 1;
    for (var i = 0; i <= n; i++)
      if (!(i > 0 && mask >> (i - 1) & 1) && !(i < n && mask >> i & 1)) return false;
    return true;
  }

  function full(p, mask) { return mask === (1 << p.units.length) - 1; }

  function bits(mask) { var n = 0; for (; mask; mask &= mask - 1) n++; return n; }

  /* The documents of segment s matching words: [{d, score, title}]. */
  function match(words, s, cache) {
    var pos = [], neg = [];
    words.forEach(function (w) {
      var ps = w.parts.map(function (p) { return { p: p, phrase: w.phrase, docs: partDocs(p, s, cache) }; });
      if (w.neg) neg.push(ps);
      else pos = pos.concat(ps);
    });
    if (!pos.length) return [];
    pos.sort(function (a, b) { return a.docs.docs.length - b.docs.docs.length; });
    var list = [], base = state.meta.from[s];
    pos[0].docs.docs.forEach(function (d) {
      var inTitle = true, inFields = true, phrase = true, title = 0, at = d - base;
      for (var i = 0; i < pos.length; i++) {
        var x = pos[i], all = x.docs.all[at];
        if (!all || !(x.phrase ? full(x.p, all) : covers(x.p, all))) return;
        inTitle = inTitle && covers(x.p, x.docs.title[at]);
        inFields = inFields && covers(x.p, x.docs.field[at]);
        phrase = phrase && full(x.p, all);
        title += bits(x.docs.title[at]);
      }
      /* an excluded word: every part of it, whole */
      if (neg.some(function (ps) {
        return ps.every(function (x) { return full(x.p, x.docs.all[at]); });
      })) return;
      list.push({ d: d, score: (inTitle ? 4 : 0) + (inFields ? 2 : 0) + (phrase ? 1 : 0), title: title });
    });
    return list;
  }

  function rank(list) {
    return list.sort(function (a, b) { return b.score - a.score || b.title - a.title || a.d - b.d; });
  }

  /* The query with words[skip] left out, or a word's run cut at one end. */
  function variants(words) {
    var out = [], posn = words.filter(function (w) { return !w.neg; });
    function text(ws) {
      return ws.map(function (w) {
        return (w.neg ? "-" : "") + (w.phrase ? '"' + w.text + '"' : w.text);
      }).join(" ");
    }
    if (posn.length > 1)
      words.forEach(function (w, i) {
        if (!w.neg) out.push(text(words.filter(function (_, j) { return j !== i; })));
      });
    else if (posn.length === 1 && posn[0].parts.length === 1 && posn[0].parts[0].run &&
             posn[0].parts[0].run.length > 2) {
      var r = Array.from(posn[0].text);
      [r.slice(1).join(""), r.slice(0, -1).join("")].forEach(function (t) {
        out.push(text(words.map(function (w) { return w === posn[0] ? { text: t, neg: false, phrase: w.phrase } : w; })));
      });
    }
    return out;
  }

  /* The nearest query with results in the segments searched, by dropping
   * a word (or a character at an end of the only word): {q, n}, or null.
   * Its tokens are among the query's, already loaded. */
  function suggest(words, segs, cache) {
    var best = null;
    variants(words).forEach(function (q) {
      var n = 0, ws = parse(q);
      for (var s = 0; s < segs; s++) n += match(ws, s, cache).length;
      if (n && (!best || n > best.n)) best = { q: q, n: n };
    });
    return best;
  }

  /* The papers the query names: a word that is a paper's name, is in it
   * (two characters or more), or holds it. */
  function papersNamed(words) {
    var out = [];
    (state.meta.papers || []).forEach(function (p, i) {
      var name = Array.from(p[0]).map(fold).join("");
      words.forEach(function (w) {
        var t = Array.from(w.text).map(fold).join("").replace(/\s+/g, "");
        if (!w.neg && p[1] && (Array.from(t).length > 1 && name.indexOf(t) >= 0 || t.indexOf(name) >= 0) &&
            out.indexOf(i) < 0)
          out.push(i);
      });
    });
    return out;
  }

  /* Loads what searching segment s for the tokens ts needs. */
  function loadSegment(s, ts, done) {
    var need = {};
    var g = num(s);
    if (!state.seg[g]) need["seg-" + g + "/meta.js"] = 1;
    ts.forEach(function (t) {
      var n = shardOf(s, t);
      if (state.shards[g + "-" + n] === undefined) need["seg-" + g + "/shard-" + n + ".js"] = 1;
    });
    loadAll(Object.keys(need), done);
  }

  /* The documents matching q, ranked, searching segment after segment
   * while fewer than `want` are found, up to `segs` segments: calls
   * done({list, words, cache, segs: segments searched, ms: time spent
   * matching once the files were loaded}, error). */
  function search(q, want, segs, done) {
    var words = parse(q), ts = unitsOf(words), cache = {}, list = [], s = 0, ms = 0;
    var all = state.meta.segs.length;
    if (!ts.length) return done({ list: [], words: words, cache: cache, segs: 0, ms: 0 });
    (function next() {
      if (s >= all || s >= segs || (s > 0 && list.length >= want))
        return done({ list: list, words: words, cache: cache, segs: s, ms: ms });
      loadSegment(s, ts, function (err) {
        if (err) return done(null, err);
        var t0 = performance.now();
        list = list.concat(match(words, s, cache));
        ms += performance.now() - t0;
        s++;
        next();
      });
    })();
  }

  /* ---------------------------------------------------------------
   * The page
   * ------------------------------------------------------------- */

  /* The pieces of the query to mark in titles and snippets: its pairs,
   * single characters and Latin words. */
  function marksOf(words) {
    return unitsOf(words.filter(function (w) { return !w.neg; }));
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

  /* The query's tokens document d holds, in the order they were typed:
   * what its result says it matched when its title, place and opening
   * text show none of them. */
  function unitsIn(d, words, cache) {
    var out = [];
    words.forEach(function (w) {
      if (w.neg) return;
      w.parts.forEach(function (p) {
        var s = segOf(d), all = partDocs(p, s, cache).all[d - state.meta.from[s]];
        p.units.forEach(function (t, k) {
          if (all >> k & 1 && out.indexOf(t) < 0) out.push(t);
        });
      });
    });
    return out;
  }

  /* Where document d's result is: its segment's number, its file of
   * them (counted from the segment's first) and its place there. */
  function docAt(d) {
    var s = segOf(d), i = d - state.meta.from[s], c = Math.floor(i / state.meta.chunk);
    return { n: num(s), c: c, k: i % state.meta.chunk };
  }

  /* Loads the document files the given results need. */
  function loadDocs(list, done) {
    var need = {};
    list.forEach(function (r) {
      var a = docAt(r.d);
      if (!state.docs[a.n + "-" + a.c]) need["seg-" + a.n + "/docs-" + a.c + ".js"] = 1;
    });
    loadAll(Object.keys(need), done);
  }

  function doc(d) { var a = docAt(d); return state.docs[a.n + "-" + a.c][a.k]; }

  function option(sel, value, label) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    sel.appendChild(o);
  }

  /* A facet: its select filled with the values of the results, each with
   * its count over all of them. of(d) gives a document's value's index,
   * -1 for none; names[i] is [value, label]. */
  function facet(sel, list, of, names, byCount, chosen) {
    var count = {};
    list.forEach(function (r) {
      var i = of(r.d);
      if (i >= 0 && names[i][0]) count[i] = (count[i] || 0) + 1;
    });
    while (sel.options.length > 1) sel.remove(1);
    Object.keys(count).sort(function (a, b) {
      var x = names[a][0], y = names[b][0];
      return byCount ? count[b] - count[a] || (x < y ? -1 : x > y ? 1 : 0) : (x < y ? 1 : x > y ? -1 : 0);
    }).forEach(function (i) { option(sel, names[i][0], names[i][1] + "（" + count[i] + "）"); });
    sel.value = chosen || "";
    return Object.keys(count).length;
  }

  function link(q, params, text) {
    var a = document.createElement("a"), u = new URLSearchParams(params);
    u.set("q", q);
    ["page", "group", "year", "paper"].forEach(function (k) { u.delete(k); });
    a.href = "?" + u.toString();
    a.textContent = text;
    return a;
  }

  /* The papers the query names, linked to their pages, above the results. */
  function showPapers(words) {
    var box = document.getElementById("search-papers");
    if (!box) return;
    box.textContent = "";
    var named = papersNamed(words);
    box.hidden = named.length === 0;
    if (!named.length) return;
    box.appendChild(document.createTextNode("报纸："));
    named.forEach(function (i, k) {
      var p = state.meta.papers[i], a = document.createElement("a");
      if (k) box.appendChild(document.createTextNode("、"));
      a.href = root + p[1];
      a.className = "paper-hit";
      highlight(a, p[0], marksOf(words));
      box.appendChild(a);
    });
  }

  /* Shows the results: counts and filters from meta.js, then the page of
   * results asked for, once its document files are loaded. */
  function show(q, res, params, done) {
    var list = res.list, words = res.words;
    var status = document.getElementById("search-status");
    var ol = document.getElementById("search-results");
    var pager = document.getElementById("search-pager");
    var gsel = document.getElementById("search-group"), ysel = document.getElementById("search-year");
    var psel = document.getElementById("search-paper");
    var m = state.meta, size = pageSize(params);
    ol.textContent = "";
    pager.textContent = "";
    showPapers(words);
    function g(d) { return facetOf(d, "g"); }
    function y(d) { return facetOf(d, "y"); }
    function p(d) { return facetOf(d, "p"); }
    facet(gsel, list, g, m.groups, true, params.get("group"));
    facet(ysel, list, y, m.years.map(function (v) { return [v, v]; }), false, params.get("year"));
    var papers = m.papers.map(function (v) { return [v[0], v[0]]; });
    var np = psel ? facet(psel, list, p, papers, true, params.get("paper")) : 0;
    if (psel) psel.parentNode.hidden = np === 0;
    document.getElementById("search-filters").hidden = list.length === 0;
    var shown = list.filter(function (r) {
      return (!gsel.value || m.groups[g(r.d)][0] === gsel.value) &&
        (!ysel.value || m.years[y(r.d)] === ysel.value) &&
        (!psel || !psel.value || p(r.d) >= 0 && m.papers[p(r.d)][0] === psel.value);
    });
    /* the segments searched: all, or the newest documents of so many */
    var searched = m.from[Math.min(res.segs, m.segs.length)], partial = searched < m.docs;
    var scope = partial ? "在最新的 " + searched + " 篇文章中（共 " + m.docs + " 篇）" : "";
    status.textContent = "";
    if (list.length === 0) {
      status.textContent = scope + "没有找到与“" + q + "”相符的文章。";
      var near = suggest(words, res.segs, res.cache);
      if (near) {
        var s = document.createElement("span");
        s.id = "search-suggest";
        s.appendChild(document.createTextNode("试试："));
        s.appendChild(link(near.q, params, near.q));
        s.appendChild(document.createTextNode("（" + near.n + " 篇）"));
        status.appendChild(s);
      }
    } else {
      status.textContent = scope + "找到 " + shown.length + " 篇" +
        (shown.length !== list.length ? "（共 " + list.length + " 篇）" : "") + "。";
    }
    if (partial) {
      var more = document.createElement("a"), u = new URLSearchParams(params);
      u.set("seg", String(res.segs + 2));
      more.href = "?" + u.toString();
      more.id = "search-more";
      more.textContent = "搜索更早的文章";
      status.appendChild(document.createTextNode(" "));
      status.appendChild(more);
    }
    var page = Math.max(1, Number(params.get("page")) || 1), pages = Math.ceil(shown.length / size);
    var marks = marksOf(words), slice = shown.slice((page - 1) * size, page * size);
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
        /* where it was printed, its place and people: the fields a
         * query may have matched, marked as the title is */
        highlight(meta, !dc[3] ? "本站页面" /* a standalone page: no date, no district */
          : (dc[6] ? dc[6] + " · " : "") + (dc[2] || "日期不详") +
            (dc[7] ? " · " + dc[7] : "") + " · " + dc[3] + (dc[5] ? " · " + dc[5] : ""), marks);
        var p = document.createElement("p");
        p.className = "item-excerpt";
        highlight(p, dc[4] + "…", marks);
        li.appendChild(a);
        li.appendChild(meta);
        li.appendChild(p);
        if (!li.querySelector("mark")) {
          var why = document.createElement("p");
          why.className = "item-why";
          why.appendChild(document.createTextNode("正文中有："));
          unitsIn(r.d, words, res.cache).forEach(function (t, k) {
            var mk = document.createElement("mark");
            mk.textContent = t;
            if (k) why.appendChild(document.createTextNode("、"));
            why.appendChild(mk);
          });
          li.appendChild(why);
        }
        ol.appendChild(li);
      });
      for (var i = 1; i <= pages && pages > 1; i++) {
        var el = document.createElement(i === page ? "span" : "a");
        el.textContent = String(i);
        if (i === page) el.setAttribute("aria-current", "page");
        else {
          var u = new URLSearchParams(params);
          u.set("page", String(i));
          el.href = "?" + u.toString();
        }
        pager.appendChild(el);
      }
      done();
    });
  }

  function pageSize(params) { return Math.min(1000, Math.max(1, Number(params.get("n")) || 20)); }

  function start() {
    var params = new URLSearchParams(location.search);
    var q = (params.get("q") || "").trim();
    var input = document.getElementById("search-q");
    if (!input) return;
    input.value = q;
    input.focus();
    ["group", "year", "paper"].forEach(function (k) {
      var sel = document.getElementById("search-" + k);
      if (sel)
        sel.addEventListener("change", function () {
          var u = new URLSearchParams(location.search);
          u.set(k, this.value);
          u.delete("page");
          location.search = u.toString();
        });
    });
    if (!q) return;
    var status = document.getElementById("search-status");
    status.textContent = "正在搜索……";
    var begun = performance.now();
    loadAll(["meta.js", "fold.js"], function (err) {
      if (err) { status.textContent = "搜索索引没有找到：" + err.message; return; }
      /* seg=N, the reader's asking for more: N segments, however many
       * results the first ones give */
      var asked = Number(params.get("seg")) || 0;
      var want = asked ? Infinity : pageSize(params) * Math.max(1, Number(params.get("page")) || 1);
      var segs = Math.max(AUTO_SEGMENTS, asked);
      search(q, want, segs, function (res, err2) {
        if (err2) { status.textContent = "搜索索引没有找到：" + err2.message; return; }
        var t0 = performance.now();
        rank(res.list);
        var ms = res.ms + performance.now() - t0;
        show(q, res, params, function () {
          /* for tests and the benchmark: the time spent matching and
           * ranking once the files were loaded, from the query to the
           * page shown, and the index files it loaded */
          var body = document.body, now = performance.now();
          body.setAttribute("data-search-ms", String(Math.round(ms)));
          body.setAttribute("data-search-total-ms", String(Math.round(now - begun)));
          body.setAttribute("data-search-files", state.loaded.join(" "));
          body.setAttribute("data-search-done", String(res.list.length));
        });
      });
    });
  }

  api.parse = parse;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
