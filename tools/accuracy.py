#!/usr/bin/env python3
"""Scores the page reader against hand-made labels.

    tools/accuracy.py [--baoku bin/baoku] [--require] [-v] PAGE.txt...

Each PAGE.txt is read with `baoku parse --json`; its labels are
PAGE.expected.json beside it (the format is in tests/corpus/README.md) or,
for the seed pages, tests/regress/segment/NAME.json (the reviewed output,
whose keys are a superset of the labels'). Expected and found articles are
aligned in reading order; then every labelled field of every aligned
article is checked. Prints one line a page and the totals; with -v, what
differs. With --require, exits 1 unless every check passes.
"""
import argparse
import json
import os
import re
import subprocess
import sys

WIDTH = str.maketrans("，：；？！（）【】", ",:;?!()[]")
BULLETS = "■□●○◆◇▲△★☆▼◎"
METRICS = ["articles", "titles", "kickers", "subtitles", "labels", "kinds", "datelines",
           "people", "credits", "joins", "continuations", "districts", "page"]


def norm(s):
    if s is None:
        return None
    s = re.sub(r"\s+", "", str(s)).translate(WIDTH)
    return s.lstrip(BULLETS)


def load_labels(page):
    base = page[:-4] if page.endswith(".txt") else page
    path = base + ".expected.json"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f), path
    seed = os.path.join("tests/regress/segment", os.path.basename(base) + ".json")
    if os.path.exists(seed):
        with open(seed, encoding="utf-8") as f:
            return {"articles": json.load(f)}, seed
    return None, None


def first_text(a):
    for b in a.get("blocks") or []:
        t = b.get("text") or b.get("caption")
        if t:
            return norm(t)[:12]
    return ""


def same_article(e, a):
    if not e.get("title") and not e.get("blocks") and e.get("kind"):
        return e["kind"] == a.get("kind")  # labelled by its kind only
    if e.get("title") and not e.get("title_derived"):
        if norm(e["title"]) == norm(a.get("title")):
            return True
    fe, fa = first_text(e), first_text(a)
    return bool(fe) and fe == fa


def align(exp, got):
    """Longest common subsequence of the two lists of articles."""
    n, m = len(exp), len(got)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if same_article(exp[i], got[j]):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if same_article(exp[i], got[j]) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def blocks_of(a):
    out = []
    for b in a.get("blocks") or []:
        if b.get("type") == "figure":
            out.append(("figure", norm(b.get("caption")), norm(b.get("credit"))))
        else:
            out.append((b.get("type"), norm(b.get("text"))))
    return out


def credits_of(a):
    return sorted((c["name"], c.get("role", "")) for c in a.get("credits") or [])


def district_of(d):
    d = d or {}
    return {"group": d.get("group"), "county": d.get("county")}


def compare(e, a, score, notes):
    """Checks each labelled field of e against a."""
    def check(metric, ok, what):
        score[metric][1] += 1
        if ok:
            score[metric][0] += 1
        else:
            notes.append("%s: %s" % (metric, what))

    label = e.get("title") or first_text(e)
    if "title" in e and not e.get("title_derived"):
        check("titles", norm(e["title"]) == norm(a.get("title")),
              "%r, found %r" % (e["title"], a.get("title")))
    if e.get("title_derived"):
        check("titles", bool(a.get("title_derived")), "%r: the title should be derived" % label)
    for key, metric in (("kicker", "kickers"), ("subtitle", "subtitles"), ("label", "labels"),
                        ("dateline", "datelines")):
        if key in e:
            check(metric, norm(e[key]) == norm(a.get(key)),
                  "%r: %s %r, found %r" % (label, key, e[key], a.get(key)))
    if "kind" in e:
        check("kinds", e["kind"] == a.get("kind"),
              "%r: kind %s, found %s" % (label, e["kind"], a.get("kind")))
    if "reporters" in e or "photographers" in e:
        want = (sorted(e.get("reporters", [])), sorted(e.get("photographers", [])))
        have = (sorted(a.get("reporters") or []), sorted(a.get("photographers") or []))
        check("people", want == have, "%r: %s, found %s" % (label, want, have))
    if "credits" in e:
        check("credits", credits_of(e) == credits_of(a),
              "%r: %s, found %s" % (label, credits_of(e), credits_of(a)))
    if "blocks" in e:
        want, have = blocks_of(e), blocks_of(a)
        what = "%r: %d blocks, found %d" % (label, len(want), len(have))
        for k, (x, y) in enumerate(zip(want, have)):
            if x != y:
                what += "; block %d: %s / found %s" % (k + 1, str(x)[:90], str(y)[:90])
                break
        check("joins", want == have, what)
    for key in ("continued_from", "continues_on"):
        if key in e:
            check("continuations", str(e[key]) == str(a.get(key)),
                  "%r: %s %s, found %s" % (label, key, e[key], a.get(key)))
    if "district" in e:
        want = district_of(e["district"])
        have = district_of(a.get("district"))
        if e["district"].get("county", "-") == "-" or "county" not in e["district"]:
            want.pop("county"), have.pop("county")
        check("districts", want == have, "%r: %s, found %s" % (label, want, have))


TEXT_ROLES_BEYOND = {"通讯员", "实习生", "见习记者", "融媒体记者", "全媒体记者", "特约记者",
                     "评论员", "文", "摄影"}
PATTERNS = [
    ("page headers", lambda m, arts: any(k in m for k in ("paper", "date", "page"))),
    ("section labels", lambda m, arts: any(a.get("label") and a.get("kind") != "notice"
                                           for a in arts)),
    ("roundups", lambda m, arts: max([sum(1 for a in arts if a.get("label") == lab)
                                      for lab in {a.get("label") for a in arts
                                                  if a.get("label")}] or [0]) >= 2),
    ("photo news", lambda m, arts: any(a.get("kind") == "photo" for a in arts)),
    ("bylines beyond 记者", lambda m, arts: any(c.get("role") in TEXT_ROLES_BEYOND
                                             for a in arts for c in a.get("credits") or [])),
    ("datelines with people", lambda m, arts: any(a.get("dateline") and a.get("credits")
                                                 for a in arts)),
    ("kickers and subtitles", lambda m, arts: any(a.get("kicker") or a.get("subtitle")
                                                  for a in arts)),
    ("editor lines", lambda m, arts: bool(m.get("editors"))),
    ("subheads, 编者按, interviews", lambda m, arts: any(
        b.get("type") == "h" or re.match(r"(编者|问[:：]|记者[:：])", b.get("text") or "")
        for a in arts for b in a.get("blocks") or [])),
    ("continuations", lambda m, arts: any(a.get("continued_from") or a.get("continues_on")
                                          for a in arts)),
    ("figures", lambda m, arts: any(b.get("type") == "figure"
                                    for a in arts for b in a.get("blocks") or [])),
    ("notices", lambda m, arts: any(a.get("kind") == "notice" for a in arts)),
]


def coverage(pages):
    """How many labelled pages exercise each pattern."""
    counts = {name: 0 for name, _ in PATTERNS}
    for page in pages:
        labels, _ = load_labels(page)
        if not labels or "meta" not in labels:
            continue
        for name, test in PATTERNS:
            counts[name] += bool(test(labels["meta"], labels["articles"]))
    return counts


def score_page(baoku, page):
    labels, where = load_labels(page)
    if labels is None:
        return None, ["no labels for %s" % page]
    run = subprocess.run([baoku, "parse", "--json", page], capture_output=True, text=True)
    if run.returncode != 0:
        return None, ["parse failed: %s" % run.stderr.strip()]
    got = json.loads(run.stdout)
    exp = labels["articles"]
    score = {m: [0, 0] for m in METRICS}
    notes = []
    pairs = align(exp, got)
    score["articles"] = [len(pairs), max(len(exp), len(got))]
    matched_e = {i for i, _ in pairs}
    matched_a = {j for _, j in pairs}
    for i, e in enumerate(exp):
        if i not in matched_e:
            notes.append("articles: missed %r" % (e.get("title") or first_text(e)))
    for j, a in enumerate(got):
        if j not in matched_a:
            notes.append("articles: extra %r (line %s)" % (a.get("title"), a.get("line")))
    for i, j in pairs:
        compare(exp[i], got[j], score, notes)
    meta = labels.get("meta") or {}
    found = (got[0].get("page") if got else None) or {}
    for key, want in meta.items():
        have = found.get(key)
        ok = sorted(want) == sorted(have or []) if isinstance(want, list) else \
            norm(want) == norm(have)
        score["page"][1] += 1
        if ok:
            score["page"][0] += 1
        else:
            notes.append("page: %s %r, found %r" % (key, want, have))
    return score, notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baoku", default=os.environ.get("BAOKU", "bin/baoku"))
    ap.add_argument("--require", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--coverage", action="store_true",
                    help="print how many pages exercise each pattern (each needs two)")
    ap.add_argument("pages", nargs="+")
    args = ap.parse_args()
    if args.coverage:
        counts = coverage(args.pages)
        for name, n in counts.items():
            print("%-30s %3d page%s%s" % (name, n, "" if n == 1 else "s",
                                          "" if n >= 2 else "  (fewer than two)"))
        return 1 if args.require and min(counts.values()) < 2 else 0
    total = {m: [0, 0] for m in METRICS}
    failed = 0
    head = "%-34s" % "page" + "".join("%9s" % m[:8] for m in METRICS)
    print(head)
    for page in args.pages:
        score, notes = score_page(args.baoku, page)
        name = os.path.basename(page)[:-4]
        if score is None:
            print("%-34s %s" % (name[:34], notes[0]))
            failed += 1
            continue
        cells = []
        for m in METRICS:
            right, n = score[m]
            total[m][0] += right
            total[m][1] += n
            cells.append("%9s" % ("-" if not n else "%d/%d" % (right, n)))
        bad = any(r != n for r, n in score.values())
        failed += bad
        print("%-34s" % name[:34] + "".join(cells) + ("  *" if bad else ""))
        if args.verbose and notes:
            for n in notes:
                print("    " + n)
    cells = []
    right_all = checked_all = 0
    for m in METRICS:
        right, n = total[m]
        right_all += right
        checked_all += n
        cells.append("%9s" % ("-" if not n else "%.1f%%" % (100.0 * right / n)))
    print("%-34s" % "total" + "".join(cells))
    print("%d pages, %d checks, %d right (%.1f%%); %d pages with a miss" % (
        len(args.pages), checked_all, right_all,
        100.0 * right_all / max(checked_all, 1), failed))
    return 1 if args.require and failed else 0


if __name__ == "__main__":
    sys.exit(main())
