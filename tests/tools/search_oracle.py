"""The articles each query must find, computed apart from baoku's own
search: Python reimplements the documented rules over `baoku parse --json`
output, sharing no code with static/search.js or src/search_*.c.

An article is its title, its fields (reporters, photographers, its
district's group, sub-group, county, city and province when it is placed,
its page's paper and section) and its text (kicker, subtitle, paragraphs,
captions); notices are not indexed. Text is folded (traditional to
simplified with data/t2s.tsv, full width to ASCII, lower case) and made
of Chinese characters, pairs of neighbouring characters inside each piece
of text, and Latin words and numbers.

A query is words apart by spaces; "..." is a phrase, -word an exclusion.
Within a word, each run of Chinese characters and each Latin word is a
part. A part matches an article when:
  - a Latin word or a single character: the article holds it;
  - a run of two or more, typed as it comes: every character of the run
    is in one of the run's pairs the article holds (九亭食堂: 九亭 and
    食堂, wherever they stand);
  - a run in a phrase: the article holds every pair of the run.
An article is found when every part of every word matches and no excluded
word has all of its pairs (and characters, and Latin words) there.

Usage: search_oracle.py ARTICLES.json T2S.tsv QUERIES.tsv > expected.json
ARTICLES.json: one array of articles, or several one after the other.
QUERIES.tsv: a query, a tab, the title its first result must have (or
nothing), a tab and what the query is for; # starts a comment line.
Prints {query: {"titles": [sorted titles], "first": title or null}}."""
import json
import re
import sys


def arrays(text):
    """The articles of one or more JSON arrays one after the other (what
    `xargs baoku parse --json` prints when it runs baoku more than once)."""
    out, at, dec = [], 0, json.JSONDecoder()
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return out
        value, at = dec.raw_decode(text, at)
        out += value


articles = arrays(open(sys.argv[1], encoding="utf-8").read())
t2s = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if not line.startswith("#") and "\t" in line:
        t, s = line.rstrip("\n").split("\t")
        t2s[t] = s


def fold(c):
    if "\uff01" <= c <= "\uff5e":
        c = chr(ord(c) - 0xFEE0)
    c = c.lower()
    return t2s.get(c, c)


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
LATIN = re.compile(r"[a-z0-9]")


def pieces(text):
    """The runs of Chinese characters and the Latin words of text, folded:
    [("han", "九亭镇"), ("latin", "g60")]."""
    out, kind, cur = [], None, ""
    for c in map(fold, text):
        k = "han" if HAN.match(c) else "latin" if LATIN.match(c) else None
        if k != kind and cur:
            out.append((kind, cur))
            cur = ""
        kind = k
        if k:
            cur += c
    if cur:
        out.append((kind, cur))
    return out


def tokens(text):
    out = set()
    for kind, s in pieces(text or ""):
        if kind == "latin":
            out.add(s)
        else:
            out.update(s)
            out.update(s[i:i + 2] for i in range(len(s) - 1))
    return out


def article_tokens(a):
    d = a["district"] or {}
    fields = list(a["reporters"]) + list(a["photographers"])
    if d.get("code"):
        fields += [d.get(k) or "" for k in ("group", "subgroup", "county", "city", "province")]
    page = a.get("page") or {}
    fields += [page.get("paper") or "", page.get("section") or ""]
    body = [a["kicker"], a["subtitle"]] + [b["text"] or b["caption"] or "" for b in a["blocks"]]
    have = tokens(a["title"])
    for t in fields + body:
        have |= tokens(t)
    return have


def parse(q):
    q = re.sub("[“”„「」『』＂]", '"', q)
    words = []
    for m in re.finditer(r'(-?)"([^"]*)"?|(\S+)', q):
        if m.group(2) is not None:
            neg, phrase, text = m.group(1) == "-", True, m.group(2)
        elif len(m.group(3)) > 1 and m.group(3).startswith("-"):
            neg, phrase, text = True, True, m.group(3)[1:]
        else:
            neg, phrase, text = False, False, m.group(3)
        ps = pieces(text)
        if ps:
            words.append((neg, phrase, ps))
    return words


def part_matches(kind, s, phrase, have):
    if kind == "latin" or len(s) == 1:
        return s in have
    pairs = [s[i:i + 2] in have for i in range(len(s) - 1)]
    if phrase:
        return all(pairs)
    return all((i > 0 and pairs[i - 1]) or (i < len(pairs) and pairs[i]) for i in range(len(s)))


def found(words, have):
    if not any(not neg for neg, _, _ in words):
        return False
    for neg, phrase, ps in words:
        whole = all(part_matches(k, s, True, have) for k, s in ps)
        if neg and whole:
            return False
        if not neg and not all(part_matches(k, s, phrase, have) for k, s in ps):
            return False
    return True


indexed = [(a["title"], article_tokens(a)) for a in articles if a["kind"] != "notice"]
expected = {}
for line in open(sys.argv[3], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    cols = line.split("\t")
    words = parse(cols[0])
    titles = sorted(t for t, have in indexed if found(words, have))
    first = cols[1] if len(cols) > 1 and cols[1] else None
    expected[cols[0]] = {"titles": titles, "first": first}
json.dump(expected, sys.stdout, ensure_ascii=False, indent=0)
