// Times searches on a built archive in headless Chromium over file://, a
// fresh page for each query (nothing of the index loaded before): the
// time from its index shards being loaded to the results being ranked,
// from the query to the first page of results shown (index and document
// files loaded from disk included), as the search page itself measures
// them (data-search-ms, data-search-total-ms), and the bytes of the index
// files the query loaded (data-search-files).
//
// Usage: node search_time.mjs BUILD-DIR QUERIES.tsv|QUERY...
// (a .tsv file: the first column of each line not starting with #)
// Prints one line per query: query, results, ranked ms, shown ms, files,
// bytes loaded.
import { readFileSync, statSync } from "node:fs";
import { resolve, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [dir, ...args] = process.argv.slice(2);
const queries = args.length === 1 && args[0].endsWith(".tsv")
  ? readFileSync(args[0], "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[0])
  : args;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--allow-file-access-from-files"],
});
const base = pathToFileURL(join(resolve(dir), "search/index.html")).href;
for (const q of queries) {
  const page = await browser.newPage();
  await page.goto(`${base}?q=${encodeURIComponent(q)}`);
  await page.waitForSelector("body[data-search-done]", { timeout: 60000 });
  const body = page.locator("body");
  const found = await body.getAttribute("data-search-done");
  const ms = await body.getAttribute("data-search-ms");
  const total = await body.getAttribute("data-search-total-ms");
  const files = (await body.getAttribute("data-search-files") || "").split(" ").filter(Boolean);
  const bytes = files.reduce((n, f) => n + statSync(join(dir, "search", f)).size, 0);
  console.log(`${q}\t${found}\t${ms}\t${total}\t${files.length}\t${bytes}`);
  await page.close();
}
await browser.close();
