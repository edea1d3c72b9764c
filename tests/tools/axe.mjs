// Runs axe-core (npm, pinned in package.json) in headless Chromium on one
// page of every kind an archive has, at desktop and phone widths and in
// the dark colour scheme, and fails on any violation axe rates serious or critical. The kinds are found
// from the tree itself, not listed here: a page's kind is its path with
// every folder below the first and every listing number made generic
// (districts/*/index.html, articles/*/*.html, papers/*/*/index.html), so a
// new kind of page is checked the day it appears. The search page is
// checked with results shown.
//
// Usage: node axe.mjs QUERY BUILD-DIR...
// Prints TAP. Chromium is Debian's (/usr/bin/chromium).
import { readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [query, ...dirs] = process.argv.slice(2);
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let n = 0, failed = 0;
const ok = (cond, name, why = "") => {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? "ok" : "not ok"} ${n} - ${name}${cond || !why ? "" : `\n${why}`}`);
};

async function* htmlFiles(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "screenshots") yield* htmlFiles(p);
    else if (e.isFile() && e.name.endsWith(".html")) yield p;
  }
}

// A page's kind: its first folder kept, the folders below it and a
// listing's number made generic.
const kindOf = (rel) => {
  const parts = rel.split("/");
  const name = parts.pop().replace(/^index\.\d+\.html$/, "index.N.html");
  return [...parts.map((p, i) => (i === 0 ? p : "*")), parts.length > 1 && name !== "index.html"
    && !name.startsWith("index.") ? "*.html" : name].join("/");
};

const onePerKind = async (dir) => {
  const kinds = new Map();
  const files = [];
  for await (const f of htmlFiles(dir)) files.push(relative(dir, f));
  files.sort();
  for (const rel of files) {
    const kind = kindOf(rel);
    if (!kinds.has(kind)) kinds.set(kind, rel);
  }
  return kinds;
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});

const describe = (violations) => violations.map((v) =>
  `#   ${v.impact} ${v.id}: ${v.help}\n` +
  v.nodes.slice(0, 3).map((nd) => `#     ${nd.target.join(" ")}: ${nd.failureSummary.split("\n").slice(1).join(" ").trim()}`).join("\n"))
  .join("\n");

try {
  for (const dir of dirs.map((d) => resolve(d))) {
    const kinds = await onePerKind(dir);
    for (const [w, h, scheme] of [[1280, 900, "light"], [390, 844, "light"], [1280, 900, "dark"]]) {
      const page = await browser.newPage({ viewport: { width: w, height: h }, colorScheme: scheme });
      for (const [kind, rel] of kinds) {
        let url = pathToFileURL(join(dir, rel)).href;
        const isSearch = kind === "search/index.html";
        if (isSearch) url += `?q=${encodeURIComponent(query)}`;
        await page.goto(url);
        if (isSearch) // the page says how many it found when its results are in
          await page.waitForFunction(() => document.querySelector("[aria-live]")?.textContent.trim(),
                                     null, { timeout: 10000 }).catch(() => {});
        await page.addScriptTag({ path: axeSource });
        // the dark scheme changes colours only
        const runOnly = scheme === "dark" ? { type: "rule", values: ["color-contrast"] }
          : { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] };
        const result = await page.evaluate((only) => window.axe.run(document, { runOnly: only }), runOnly);
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        const minor = result.violations.length - bad.length;
        ok(bad.length === 0,
           `${w}px ${scheme} ${kind} (${rel}${isSearch ? `?q=${query}` : ""}): no serious or critical violation` +
           (minor ? ` (${minor} minor or moderate)` : ""), describe(bad));
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
