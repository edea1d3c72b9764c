// Times searches on a built archive in headless Chromium over file://:
// for each query, the time from its index shards being loaded to the
// results being ranked, and from the query to the first page of results
// shown (index and document files loaded from disk included), as the
// search page itself measures them (data-search-ms, data-search-total-ms).
//
// Usage: node search_time.mjs BUILD-DIR QUERY...
// Prints one line per query: query, results, ranked ms, shown ms.
import { resolve, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [dir, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--allow-file-access-from-files"],
});
const page = await browser.newPage();
const base = pathToFileURL(join(resolve(dir), "search/index.html")).href;
for (const q of queries) {
  await page.goto(`${base}?q=${encodeURIComponent(q)}`);
  await page.waitForSelector("body[data-search-done]", { timeout: 60000 });
  const body = page.locator("body");
  const found = await body.getAttribute("data-search-done");
  const ms = await body.getAttribute("data-search-ms");
  const total = await body.getAttribute("data-search-total-ms");
  console.log(`${q}\t${found}\t${ms}\t${total}`);
}
await browser.close();
