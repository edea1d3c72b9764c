// Walks an archive by print in headless Chromium, over file:// and over
// http:// from a static server on 127.0.0.1, at desktop and phone widths:
// the papers -> a paper -> an issue -> its first page -> the next page ->
// an article on it -> back to the page. No request may fail and no page
// may scroll sideways. Screenshots of the page view go to SCREENSHOT-DIR.
//
// Usage: node walk_papers.mjs BUILD-DIR SCREENSHOT-DIR PAPER
// Prints TAP. Chromium is Debian's (/usr/bin/chromium).
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [dir, shots] = process.argv.slice(2, 4).map((p) => resolve(p));
const paper = process.argv[4];
let n = 0, failed = 0;
const ok = (cond, name, why = "") => {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? "ok" : "not ok"} ${n} - ${name}${cond || !why ? "" : `\n#   ${why}`}`);
};

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
                ".svg": "image/svg+xml" };
const server = createServer(async (req, res) => {
  const path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!path.startsWith(dir)) return res.writeHead(403).end();
  try {
    const body = await readFile(path.endsWith("/") ? join(path, "index.html") : path);
    res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const http = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
const h1 = async (page) => (await page.locator("h1").first().innerText()).trim();
const follow = async (page, locator) => {
  await Promise.all([page.waitForNavigation(), locator.click()]);
};
const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

try {
  await mkdir(shots, { recursive: true });
  for (const [label, base] of [["file://", pathToFileURL(dir + "/").href], ["http://", http]]) {
    for (const [w, h, tag] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
      const at = `${label} ${w}px`;
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("requestfailed", (r) => {
        const why = r.failure()?.errorText || "";
        if (!(why === "net::ERR_ABORTED" && r.url().endsWith("/favicon.svg")))
          errors.push(`failed ${r.url()} (${why})`);
      });
      page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });

      await page.goto(base + "papers/index.html");
      ok((await h1(page)) === "报纸", `${at} the papers' page opens`);
      await follow(page, page.locator(".paper-entry h2 a", { hasText: paper }));
      ok((await h1(page)) === paper, `${at} a paper: ${paper}`, page.url());
      ok(!(await sideways(page)), `${at} its calendar fits the width`);
      // the newest month comes first: its calendar's last link is the
      // latest issue, as its list of issues says
      const month = page.locator(".issue-month").first();
      const days = month.locator(".calendar a"), listed = month.locator(".issues a");
      ok((await days.count()) > 0 && (await days.count()) === (await listed.count()),
         `${at} each issue of the month is a link in its calendar`);
      const date = await month.locator(".issues time").first().getAttribute("datetime");
      await follow(page, days.last());
      ok(page.url().includes(`/${date}/index.html`) && (await h1(page)).startsWith(paper),
         `${at} its latest issue from the calendar: ${await h1(page)}`, page.url());
      const first = page.locator(".issue-pages h2 a").first();
      const firstLabel = (await first.innerText()).trim();
      await follow(page, first);
      const heading = await h1(page);
      ok(heading.startsWith(paper) && heading.endsWith(firstLabel),
         `${at} its first page: ${heading}`);
      ok((await page.title()).startsWith(heading), `${at} the page's <title> names it too`);
      ok(!(await sideways(page)), `${at} the page view fits the width`);
      await page.screenshot({ path: join(shots, `page-${tag}.png`), fullPage: true });
      const next = page.locator(".page-nav a[rel=next]");
      ok((await next.count()) === 1, `${at} the page has a 下一版 link`);
      await follow(page, next);
      const second = await h1(page);
      ok(second !== heading && second.startsWith(paper), `${at} 下一版 turns to ${second}`);
      ok((await page.locator(".page-nav a[rel=prev]").count()) === 1, `${at} which has a 上一版 link`);
      const pageUrl = page.url();
      const link = page.locator(".page-article h2 a").first();
      const title = (await link.innerText()).trim();
      await follow(page, link);
      ok(page.url().includes("/articles/") && (await h1(page)) === title,
         `${at} an article on it opens: ${title}`, page.url());
      ok((await page.locator(".meta.source").innerText()).includes(paper), `${at} the article names its paper`);
      await page.goBack();
      await page.waitForLoadState();
      ok(page.url() === pageUrl && (await h1(page)) === second, `${at} back returns to the page`, page.url());
      ok(errors.length === 0, `${at} no failed requests or script errors`, errors.join(", "));
      await page.close();
    }
  }
  ok(true, `screenshots in ${shots}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
