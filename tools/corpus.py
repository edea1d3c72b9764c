#!/usr/bin/env python3
"""Writes a benchmark archive: N articles recombined from the seed pages.

    tools/corpus.py --articles 100000 --out DIR [--hugo DIR] [--seed 1]
                    [--per-page 3-8] [--text seed|words]

DIR gets a project (content/, templates/, static/ and site.yml copied from
this one) whose content/ holds page files of 3-8 articles each (--per-page:
another range, or one number such as 1 for one article a page file), under
content/PAPER/YYYY-MM-DD/NN.txt with a _meta.yml per paper. Headlines,
bylines and body lines come from the seed pages in content/ (top level),
their place names swapped for the article's own county and one of its
townships, so the articles spread over real districts. Most pages are
UTF-8; some are GB18030 and some Big5 (in traditional characters).

With --text words, each body line is replaced by text of its length drawn
from a lexicon of made-up words (make_lexicon), whose vocabulary grows as
a real archive's does: 63,600 distinct pairs of characters in the first
209,000 characters of body, against 56,800 in a novel of that length, and
149,000 tokens in a search block of 1,024 articles, where recombined seed
lines give 11,700.

With --hugo, the same articles are also written as a Hugo site (Markdown
with front matter, a district taxonomy with pagination, article pages and
a home page), so the two generators can be timed on one corpus.

The output depends only on the seed pages, the gazetteer and --seed.
"""

import argparse
import datetime
import os
import random
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Cities whose counties the articles are spread over: Shanghai's districts
# weigh most, as in the seed papers.
CITIES = [("3101", 6), ("3301", 2), ("3304", 2), ("3310", 1), ("3205", 1), ("3302", 1)]

PAPERS = [
    ("songjiang", "松江报"),
    ("yangpu", "杨浦时报"),
    ("jiaxing", "嘉兴日报"),
    ("xiaoshan", "萧山日报"),
    ("taizhou", "台州晚报"),
]

# The seeds' own places, replaced by the article's.
SEED_COUNTIES = ["松江区", "杨浦区"]
SEED_SHORT = ["松江", "杨浦"]
SEED_TOWNS = ["九亭镇", "泗泾镇", "中原路", "车墩镇", "新桥镇", "洞泾镇"]

# The words of --text words (make_lexicon).
LEXICON = 60000


def read_gazetteer(path):
    units = {}
    children = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            code, parent, level, name, short, _slug = line.rstrip("\n").split("\t")
            units[code] = (int(level), name, short or name)
            children.setdefault(parent, []).append(code)
    return units, children


def read_t2s(path):
    s2t = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            trad, simp = line.rstrip("\n").split("\t")[:2]
            s2t.setdefault(simp, trad)
    return s2t


def read_seeds(directory):
    """Headlines, bylines and runs of body lines of the seed pages."""
    heads, bylines, bodies = [], [], []
    names = sorted(n for n in os.listdir(directory) if n.endswith(".txt"))
    for name in names:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            lines = [l.strip() for l in f]
        run = []
        for line in lines:
            if not line:
                continue
            plain = line.lstrip("#").strip()
            if line.startswith("###") and not line.startswith("####"):
                heads.append(plain)
            elif "记者" in line and len(line) < 30:
                bylines.append(line.lstrip("■").strip())
            elif len(plain) >= 24 and not line.startswith("#") and "◀" not in line:
                run.append(plain)
                continue
            if len(run) >= 2:
                bodies.append(run)
            run = []
        if len(run) >= 2:
            bodies.append(run)
        # the plain-text pages: a short line followed by a byline is a headline
        for i in range(len(lines) - 1):
            if lines[i + 1].startswith("■记者") and 4 <= len(lines[i]) <= 30:
                heads.append(lines[i])
    reporters = sorted({b.split()[-1] for b in bylines if len(b.split()) >= 2 and
                        len(b.split()[-1]) >= 2 and "摄" not in b.split()[-1]})
    return sorted(set(heads)), reporters, bodies


class Corpus:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.units, self.children = read_gazetteer(os.path.join(ROOT, "data", "gazetteer.tsv"))
        self.s2t = read_t2s(os.path.join(ROOT, "data", "t2s.tsv"))
        self.heads, self.reporters, self.bodies = read_seeds(os.path.join(ROOT, "content"))
        if not self.heads or not self.bodies:
            sys.exit("corpus: no seed pages in content/")
        self.places = []  # (weight, county code, city code)
        for city, weight in CITIES:
            for county in self.children.get(city, []):
                if self.children.get(county):
                    self.places.append((weight, county, city))
        self.weights = [w for w, _, _ in self.places]
        self.lexicon = self.cum = None
        if args.text == "words":
            self.lexicon, self.cum = make_lexicon(self.units, random.Random(args.seed))

    def place(self):
        _, county, city = self.rng.choices(self.places, self.weights)[0]
        town = self.rng.choice(self.children[county])
        return county, city, town

    def localise(self, text, county, town):
        _, cname, cshort = self.units[county]
        tname = self.units[town][1]
        for s in SEED_COUNTIES:
            text = text.replace(s, cname)
        for s in SEED_TOWNS:
            text = text.replace(s, tname)
        for s in SEED_SHORT:
            text = text.replace(s, cshort)
        return text

    def article(self, serial):
        rng = self.rng
        county, city, town = self.place()
        head = self.localise(rng.choice(self.heads), county, town)
        reporter = rng.choice(self.reporters)
        lines = []
        for _ in range(rng.randint(1, 3)):
            run = rng.choice(self.bodies)
            k = rng.randint(2, min(len(run), 8))
            start = rng.randint(0, len(run) - k)
            lines.extend(self.localise(l, county, town) for l in run[start:start + k])
        if self.lexicon:
            lines = [self.words(len(l)) for l in lines]
        lead = lines[0][4:] if lines[0].startswith("本报讯 ") else lines[0]
        lines[0] = "本报讯 " + self.units[county][1] + self.units[town][1] + "消息，" + lead
        return {"serial": serial, "title": head, "reporter": reporter, "lines": lines,
                "county": county, "city": city}

    def words(self, length):
        """Text of about length characters drawn from the lexicon."""
        out, n = [], 0
        while n < length:
            for w in self.rng.choices(self.lexicon, cum_weights=self.cum, k=16):
                out.append(w)
                n += len(w)
                roll = self.rng.random()
                if roll < 0.04:
                    out.append("。")
                elif roll < 0.16:
                    out.append("，")
        return "".join(out).rstrip("，。") + "。"

    def traditional(self, text):
        return "".join(self.s2t.get(c, c) for c in text)


def make_lexicon(units, rng):
    """The words of --text words and their cumulative weights: LEXICON
    made-up words of one to three characters, drawn by how often each
    character comes in the gazetteer's names (real words would be place
    names, which the reader places articles by), weighted by rank to the
    power -0.9."""
    freq = {}
    for unit in units.values():
        for c in unit[1]:
            if "\u4e00" <= c <= "\u9fff":
                freq[c] = freq.get(c, 0) + 1
    chars = sorted(freq, key=lambda c: (-freq[c], c))
    weights = [freq[c] for c in chars]
    words = set()
    while len(words) < LEXICON:
        k = rng.choices((1, 2, 3), (1, 7, 2))[0]
        words.add("".join(rng.choices(chars, weights, k=k)))
    lexicon = sorted(words)
    rng.shuffle(lexicon)
    cum, total = [], 0.0
    for rank in range(len(lexicon)):
        total += (rank + 1) ** -0.9
        cum.append(total)
    return lexicon, cum


def page_text(articles, markdown):
    out = []
    for a in articles:
        if markdown:
            out += ["### " + a["title"], "", "青年报记者 " + a["reporter"], ""]
            for l in a["lines"]:
                out += [l, ""]
        else:
            out += [a["title"], "", "■记者 " + a["reporter"], ""]
            for l in a["lines"]:
                out += [l, ""]
        out.append("")
    return "\n".join(out) + "\n"


def encode(corpus, text, kind):
    if kind == "gb18030":
        return text.encode("gb18030")
    if kind == "big5":
        return corpus.traditional(text).encode("big5hkscs", errors="replace")
    return text.encode("utf-8")


def write_hugo(hugo, corpus, everything, page_size):
    """The same articles as a Hugo site with minimal layouts."""
    if os.path.exists(hugo):
        shutil.rmtree(hugo)
    arts = os.path.join(hugo, "content", "articles")
    os.makedirs(arts)
    layouts = os.path.join(hugo, "layouts")
    os.makedirs(os.path.join(layouts, "_default"))
    with open(os.path.join(hugo, "config.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "http://localhost/"\ntitle = "报库"\nlanguageCode = "zh-cn"\n'
                'disableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
                'paginate = %d\n[taxonomies]\ndistrict = "districts"\n' % page_size)
    base = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<title>{{ .Title }}</title></head><body><header><a href="/">报库</a></header>'
            '<main>%s</main></body></html>\n')
    single = base % ('<article data-pagefind-body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }} '
                     '{{ range .Params.districts }}<a href="/districts/{{ . | urlize }}/">'
                     '{{ . }}</a>{{ end }} {{ .Params.reporter }}</p>{{ .Content }}</article>')
    listing = base % ('<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
                      '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format '
                      '"2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ul>'
                      '{{ template "_internal/pagination.html" . }}')
    terms = base % ('<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li>'
                    '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}'
                    '</li>{{ end }}</ul>')
    home = base % ('<h1>{{ .Site.Title }}</h1><ul>{{ range first 10 .Site.RegularPages }}'
                   '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>')
    for name, text in [("_default/single.html", single), ("_default/list.html", listing),
                       ("_default/terms.html", terms), ("index.html", home)]:
        with open(os.path.join(layouts, name), "w", encoding="utf-8") as f:
            f.write(text)
    for date, a in everything:
        group = corpus.units[a["city"]][2]
        title = a["title"].replace("\\", "\\\\").replace('"', '\\"')
        body = "\n\n".join(a["lines"])
        with open(os.path.join(arts, "a%06d.md" % a["serial"]), "w", encoding="utf-8") as f:
            f.write('---\ntitle: "%s"\ndate: %s\ndistricts: ["%s"]\nreporter: "%s"\n---\n\n%s\n'
                    % (title, date, group, a["reporter"], body))


def per_page(text):
    """--per-page: "N" or "LO-HI", 1 <= LO <= HI."""
    try:
        lo, _, hi = text.partition("-")
        lo, hi = int(lo), int(hi or lo)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number or a range LO-HI: %r" % text)
    if not 1 <= lo <= hi:
        raise argparse.ArgumentTypeError("want 1 <= LO <= HI: %r" % text)
    return lo, hi


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hugo")
    ap.add_argument("--page-size", type=int, default=20)
    ap.add_argument("--per-page", type=per_page, default=(3, 8), metavar="N or LO-HI",
                    help="articles a page file: a range (3-8, the default) or one number")
    ap.add_argument("--text", choices=("seed", "words"), default="seed",
                    help="body lines: the seed pages' (the default), or words from a lexicon")
    args = ap.parse_args()
    lo, hi = args.per_page
    c = Corpus(args)

    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    os.makedirs(content)
    for d in ("templates", "static"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(out, d))
    shutil.copy(os.path.join(ROOT, "site.yml"), out)
    for slug, name in PAPERS:
        os.makedirs(os.path.join(content, slug))
        with open(os.path.join(content, slug, "_meta.yml"), "w", encoding="utf-8") as f:
            f.write("paper: %s\n" % name)

    everything = []
    day = datetime.date(2016, 1, 4)
    serial = 0
    pages = 0
    while serial < args.articles:
        for slug, _ in PAPERS:
            if serial >= args.articles:
                break
            folder = os.path.join(content, slug, day.isoformat())
            os.makedirs(folder)
            for no in range(1, c.rng.randint(4, 8) + 1):
                # a fixed count draws nothing, so a range's output stays
                # the same for the same seed
                n = min(lo if lo == hi else c.rng.randint(lo, hi), args.articles - serial)
                if n <= 0:
                    break
                arts = [c.article(serial + i) for i in range(n)]
                serial += n
                pages += 1
                if args.hugo:
                    everything += [(day.isoformat(), a) for a in arts]
                roll = c.rng.random()
                kind = "gb18030" if roll < 0.10 else "big5" if roll < 0.15 else "utf-8"
                text = page_text(arts, markdown=c.rng.random() < 0.5)
                with open(os.path.join(folder, "%02d.txt" % no), "wb") as f:
                    f.write(encode(c, text, kind))
        day += datetime.timedelta(days=1)
    if args.hugo:
        write_hugo(os.path.abspath(args.hugo), c, everything, args.page_size)
    print("corpus: %d articles on %d pages in %s" % (serial, pages, out))


if __name__ == "__main__":
    main()
