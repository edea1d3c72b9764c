"""The articles each query must find, computed apart from baoku's own
search: Python reimplements the token rules (each Chinese character and
neighbouring pair, Latin words; traditional folded with data/t2s.tsv, full
width to ASCII, lower case) over `baoku parse --json` output, and a query
matches an article when every one of its terms is among the article's.
Usage: search_oracle.py ARTICLES.json T2S.tsv QUERY... > expected.json"""
import json
import re
import sys

articles = json.load(open(sys.argv[1], encoding="utf-8"))
t2s = {}
for line in open(sys.argv[2], encoding="utf-8"):
    if not line.startswith("#") and "\t" in line:
        t, s = line.rstrip("\n").split("\t")
        t2s[t] = s


def fold(c):
    if "\uff01" <= c <= "\uff5e":
        c = chr(ord(c) - 0xFEE0)
    return t2s.get(c.lower(), c.lower())


def han(c):
    return bool(re.match(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", c))


def tokens(text, query=False):
    out, run, word = [], [], ""
    for c in map(fold, text + " "):
        if han(c):
            if word:
                out.append(word)
                word = ""
            run.append(c)
        elif re.match(r"[a-z0-9]", c):
            if run:
                out += run if not query else ([run[0]] if len(run) == 1 else [])
                out += [a + b for a, b in zip(run, run[1:])]
                run = []
            word += c
        else:
            if run:
                out += run if not query else ([run[0]] if len(run) == 1 else [])
                out += [a + b for a, b in zip(run, run[1:])]
                run = []
            if word:
                out.append(word)
                word = ""
    return out


expected = {}
for q in sys.argv[3:]:
    terms = set(tokens(q, query=True))
    found = []
    for a in articles:
        if a["kind"] != "article":
            continue
        texts = [a["title"], a["kicker"] or "", a["subtitle"] or ""] + a["reporters"] + a["photographers"]
        texts += [b["text"] or b["caption"] or "" for b in a["blocks"]]
        have = set()
        for t in texts:
            have.update(tokens(t))
        if terms and terms <= have:
            found.append(a["title"])
    expected[q] = sorted(found)
json.dump(expected, sys.stdout, ensure_ascii=False)
