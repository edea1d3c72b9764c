// Walks the built archive in headless Chromium, as a reader would, over
// file:// and over http:// from a static server on 127.0.0.1: home ->
// a district -> an article -> its reporter -> back; and takes screenshots
// of home, a district and an article at phone and desktop widths.
//
// With EXPECTED.json ({query: {titles: [...], first: title or null}}, as
// tests/tools/search_oracle.py writes it), also searches each query on
// the search page and checks it finds exactly those articles, marked, the
// first result being `first` when given. With --search-only, the searches
// alone (no walk, no screenshots).
//
// Usage: node walk.mjs BUILD-DIR SCREENSHOT-DIR [EXPECTED.json] [--search-only]
// Prints TAP. Chromium is Debian's (/usr/bin/chromium); nothing is
// downloaded.
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const searchOnly = args.includes("--search-only");
const [dir, shots, expectedFile] = args.filter((a) => a !== "--search-only").map((p) => resolve(p));
const expected = expectedFile ? JSON.parse(await readFile(expectedFile, "utf8")) : {};
let n = 0, failed = 0;
const ok = (cond, name, why = "") => {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? "ok" : "not ok"} ${n} - ${name}${cond || !why ? "" : `\n#   ${why}`}`);
};

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".txt": "text/plain", ".svg": "image/svg+xml" };
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
try {
  for (const [label, base] of [["file://", pathToFileURL(dir + "/").href], ["http://", http]]) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // a favicon still loading when the walk moves on is cancelled
    // (net::ERR_ABORTED), which is no broken link: one missing answers 404,
    // caught below
    page.on("requestfailed", (r) => {
      const why = r.failure()?.errorText || "";
      if (!(why === "net::ERR_ABORTED" && r.url().endsWith("/favicon.svg")))
        errors.push(`failed ${r.url()} (${why})`);
    });
    page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });

    if (!searchOnly) {
      await page.goto(base + "index.html");
      ok((await page.title()).length > 0 && (await page.locator("h1").count()) > 0, `${label} home opens`);
      const css = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
      ok(css !== "none", `${label} the stylesheet applies (body max-width ${css})`);

      // the first district, then its articles in turn until one has a
      // reporter to follow (continued articles often have none)
      const groups = await page.locator(".group h3 a").count();
      let district = "", title = "", found = false;
      for (let g = 0; g < groups && !found; g++) {
        await page.locator(".group h3 a").nth(g).click();
        await page.waitForLoadState();
        district = await page.locator("h1").innerText();
        if (g === 0)
          ok(/districts\/[a-z-]+\/index\.html$/.test(page.url()), `${label} a district opens: ${district}`, page.url());
        const items = await page.locator(".items .item-title").count();
        for (let i = 0; i < items && !found; i++) {
          await page.locator(".items .item-title").nth(i).click();
          await page.waitForLoadState();
          title = await page.locator("article h1").first().innerText();
          if (g === 0 && i === 0) {
            ok(/articles\/[0-9a-f]{2}\/[0-9a-f]{16}\.html$/.test(page.url()), `${label} an article opens: ${title}`, page.url());
            ok((await page.locator("article p").count()) > 1, `${label} the article has its text`);
          }
          found = (await page.locator(".byline a.reporter").count()) > 0;
          if (!found) {
            await page.goBack();
            await page.waitForLoadState();
          }
        }
        if (!found) {
          await page.goBack();
          await page.waitForLoadState();
        }
      }
      const reporter = page.locator(".byline a.reporter").first();
      if (await reporter.count()) {
        const name = await reporter.innerText();
        await reporter.click();
        await page.waitForLoadState();
        ok((await page.locator("h1").innerText()) === name, `${label} its reporter's page: ${name}`);
        ok((await page.locator(`.items a:has-text("${title.split(" ")[0]}")`).count()) > 0,
           `${label} which lists the article`);
        await page.goBack();
        await page.waitForLoadState();
        ok(page.url().includes("/articles/"), `${label} back returns to the article`);
      } else {
        ok(false, `${label} the first article has a reporter link`);
      }
    }
    // search: exactly the right articles, marked, over both schemes (all
    // on one page of results: n=1000; every segment of the index: seg=99)
    for (const [q, { titles: want, first }] of Object.entries(expected)) {
      await page.goto(base + "search/index.html?n=1000&seg=99&q=" + encodeURIComponent(q));
      await page.waitForSelector("body[data-search-done]", { timeout: 10000 });
      const shown = await page.locator("#search-results .item-title").allInnerTexts();
      const got = [...shown].sort();
      const same = JSON.stringify(got) === JSON.stringify([...want].sort());
      let why = same ? "" : `got ${got.length}: ${JSON.stringify(got.filter((t) => !want.includes(t)))} more, ` +
        `${JSON.stringify(want.filter((t) => !got.includes(t)))} missing`;
      const marked = want.length === 0 ||
        (await page.locator("#search-results li:first-child mark").count()) > 0;
      const none = want.length > 0 || (await page.locator("#search-status").innerText()).includes("没有找到");
      const firstOk = !first || shown[0] === first;
      if (!firstOk) why += ` first: ${shown[0]}`;
      if (!marked) why += " no hit marked";
      ok(same && marked && none && firstOk,
         `${label} search "${q}" finds exactly its ${want.length} article(s)${first ? ", " + first + " first" : ""}` +
         `${want.length ? ", marked" : ", and says so"}`, why);
    }
    // on the query set's archive: a paper found by its name, a nearer
    // query suggested, the paper filter
    if (searchOnly && expected["松江报"]) {
      await page.goto(base + "search/index.html?q=" + encodeURIComponent("松江报"));
      await page.waitForSelector("body[data-search-done]");
      const href = await page.locator("#search-papers a").first().getAttribute("href");
      ok(/papers\/song-jiang-bao\/(index\.html)?$/.test(href || ""), `${label} 松江报 shows the paper, linked (${href})`);
      await page.goto(base + "search/index.html?q=" + encodeURIComponent("九亭 火星"));
      await page.waitForSelector("body[data-search-done]");
      const near = await page.locator("#search-suggest a").innerText().catch(() => "");
      ok(near === "九亭", `${label} nothing for 九亭 火星 suggests 九亭 (${near})`);
      await page.goto(base + "search/index.html?n=1000&q=" + encodeURIComponent("街道"));
      await page.waitForSelector("body[data-search-done]");
      const all = Number(await page.locator("body").getAttribute("data-search-done"));
      const paper = await page.locator("#search-paper option").nth(1).getAttribute("value");
      const label1 = await page.locator("#search-paper option").nth(1).innerText();
      await page.selectOption("#search-paper", paper);
      await page.waitForSelector("body[data-search-done]");
      const some = await page.locator("#search-results .item-title").count();
      ok(some > 0 && some < all && label1 === `${paper}（${some}）`,
         `${label} the paper filter narrows 街道 to ${label1} (${all} -> ${some})`);
    }
    if (expected["镇"] && !searchOnly) {
      await page.goto(base + "search/index.html?q=" + encodeURIComponent("镇"));
      await page.waitForSelector("body[data-search-done]");
      const all = await page.locator("#search-results .item-title").count();
      const group = await page.locator("#search-group option").nth(1).getAttribute("value");
      await page.selectOption("#search-group", group);
      await page.waitForSelector("body[data-search-done]");
      const some = await page.locator("#search-results .item-title").count();
      ok(some > 0 && some < all, `${label} a district filter narrows the results (${all} -> ${some})`);
      const ms = Number(await page.locator("body").getAttribute("data-search-ms"));
      ok(ms < 100, `${label} results within 100 ms of the index loading (${ms} ms)`);
    }
    // the box on every page leads to the search page
    if (!searchOnly) {
      await page.goto(base + "index.html");
      await page.fill(".site-search input", "九亭镇");
      await page.press(".site-search input", "Enter");
      await page.waitForSelector("body[data-search-done]");
      ok(page.url().includes("search/index.html?q="), `${label} the search box on every page searches`);
    }

    ok(errors.length === 0, `${label} no failed requests or script errors`, errors.join(", "));
    await page.close();
  }

  await mkdir(shots, { recursive: true });
  for (const [w, h, tag] of searchOnly ? [] : [[390, 844, "phone"], [1280, 900, "desktop"]]) {
    const page = await browser.newPage({ viewport: { width: w, height: h } });
    await page.goto(http + "index.html");
    await page.screenshot({ path: join(shots, `home-${tag}.png`), fullPage: true });
    await page.locator(".group h3 a").first().click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(shots, `district-${tag}.png`), fullPage: true });
    await page.locator(".items .item-title").first().click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(shots, `article-${tag}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    ok(!overflow, `no horizontal scrolling on the article at ${w}px`);
    await page.close();
  }
  if (!searchOnly) ok(true, `screenshots in ${shots}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
