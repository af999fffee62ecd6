// Page budgets of the AIPR site, checked against a server that is already running:
//   sizes       the JS and WASM each page fetches in Chromium (JavaScript on, network idle + 1 s,
//               lazy imports included), counted as brotli bytes, against SIZE_BUDGET_KB
//   vnu         the Nu HTML Checker (npm `vnu-jar`, needs `java`) on each page's server-rendered
//               HTML; any error fails, warnings and info are listed
//   lighthouse  Lighthouse 12 (mobile defaults, simulated throttling) on five Spanish pages:
//               performance, accessibility, best practices and SEO against LIGHTHOUSE_BUDGET
// Usage (from the repository root; `.ci/audit` serves the release build and runs this):
//   node end2end/audit/audit.mjs http://127.0.0.1:3200 [--sizes] [--vnu] [--lighthouse]
//        [--enforce-sizes] [--enforce-lighthouse]
// No check named: all three. A size or Lighthouse miss fails only with its --enforce-* flag;
// otherwise it is printed as "over budget (not enforced)" and counted as passed. The last line
// is `audit: P passed, F failed` (one per page and check); the exit status is 1 when F > 0.
import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import http from "node:http";
import https from "node:https";
import zlib from "node:zlib";

// Brotli kilobytes (1 KB = 1000 B) of JS + WASM a page may fetch, by page template.
const SIZE_BUDGET_KB = {
  feed: 120, library: 120, shelf: 120, // every page
  home: 60, story: 60, donate: 60, // only interactive part: the donation dialog (or form)
  thanks: 0, notFound: 0, // nothing interactive
};
// Lighthouse category scores (0-100) each audited page must reach.
const LIGHTHOUSE_BUDGET = { performance: 100, accessibility: 100, "best-practices": 100, seo: 100 };

const CHROMIUM = "/usr/bin/chromium";
const STORY = "aipr-celebrates-un-day-for-south-south-cooperation";
// template: its size budget; status: the answer expected; lighthouse: audited by Lighthouse.
const PAGES = [
  { name: "home es", path: "/es/", template: "home", lighthouse: true },
  { name: "home en", path: "/en/", template: "home" },
  { name: "feed es", path: "/es/historias", template: "feed", lighthouse: true },
  { name: "feed en", path: "/en/stories", template: "feed" },
  { name: "story es", path: `/es/historias/${STORY}`, template: "story", lighthouse: true },
  { name: "story en", path: `/en/stories/${STORY}`, template: "story" },
  { name: "library es", path: "/es/recursos", template: "library", lighthouse: true },
  { name: "library en", path: "/en/resources", template: "library" },
  { name: "library filtered es", path: "/es/recursos?q=silencio", template: "library" },
  { name: "shelf es", path: "/es/recursos/sncf-papers", template: "shelf" },
  { name: "shelf en", path: "/en/resources/sncf-papers", template: "shelf" },
  { name: "donate es", path: "/es/donar", template: "donate", lighthouse: true },
  { name: "donate en", path: "/en/donate", template: "donate" },
  { name: "donate refused", path: "/donate/checkout?amount=abc&currency=USD&frequency=once&locale=es", template: "donate", status: 400 },
  { name: "thanks es", path: "/es/donar/gracias", template: "thanks" },
  { name: "thanks en", path: "/en/donate/thank-you", template: "thanks" },
  { name: "404 es", path: "/es/no-existe", template: "notFound", status: 404 },
  { name: "404 en", path: "/en/nothing-here", template: "notFound", status: 404 },
].map((page) => ({ status: 200, ...page }));

const CHECKS = ["sizes", "vnu", "lighthouse"];
const FLAGS = new Set([...CHECKS.map((c) => `--${c}`), "--enforce-sizes", "--enforce-lighthouse"]);
const args = process.argv.slice(2);
const unknown = args.filter((a) => a.startsWith("--") && !FLAGS.has(a));
const base = args.find((a) => !a.startsWith("--"))?.replace(/\/$/, "");
if (!base || unknown.length > 0) {
  console.error(`usage: node audit.mjs BASE_URL [${[...FLAGS].join("] [")}]${unknown.length ? ` (unknown: ${unknown.join(" ")})` : ""}`);
  process.exit(2);
}
const selected = CHECKS.filter((c) => args.includes(`--${c}`));
const runs = (check) => selected.length === 0 || selected.includes(check);

const tally = { passed: 0, failed: 0 };
const record = (ok) => (ok ? tally.passed++ : tally.failed++);

// A budget verdict: a miss fails only when the budget is enforced.
function verdict(missed, enforced) {
  if (!missed) return { ok: true, text: "ok" };
  return enforced ? { ok: false, text: "OVER BUDGET" } : { ok: true, text: "over budget (not enforced)" };
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join("  ").trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

const kb = (bytes) => (bytes / 1000).toFixed(1);
const statusNote = (page, status) => (status === page.status ? "" : ` (expected ${page.status})`);

// ---- sizes ----------------------------------------------------------------------------------

function isScript(url) {
  const { protocol, pathname } = new URL(url);
  return (protocol === "http:" || protocol === "https:") && /\.(m?js|wasm)$/.test(pathname);
}

// The status of a page and the JS/WASM URLs it fetched, in a fresh context (nothing cached).
async function scriptsOf(browser, url) {
  const context = await browser.newContext();
  const urls = new Set();
  context.on("response", (response) => isScript(response.url()) && urls.add(response.url()));
  try {
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: "networkidle", timeout: 30_000 });
    await page.waitForTimeout(1000);
    return { status: response?.status(), urls: [...urls] };
  } finally {
    await context.close();
  }
}

// Bytes on the wire of a URL fetched with `Accept-Encoding: br`; a response that is not
// brotli-encoded is compressed here (quality 11), so every file is counted the same way.
function brotliSize(url) {
  return new Promise((resolve, reject) => {
    const get = url.startsWith("https:") ? https.get : http.get;
    get(url, { headers: { "accept-encoding": "br" } }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"] ?? "identity";
        if (response.statusCode !== 200) return reject(new Error(`${url}: status ${response.statusCode}`));
        if (encoding === "br") return resolve({ bytes: body.length, served: "br" });
        if (encoding !== "identity") return reject(new Error(`${url}: content-encoding ${encoding}`));
        const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 };
        resolve({ bytes: zlib.brotliCompressSync(body, { params }).length, served: "raw, compressed here" });
      });
    }).on("error", reject);
  });
}

async function checkSizes(pages, enforced) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  const sizes = new Map(); // url -> { bytes, served }, each file fetched once
  const rows = [];
  try {
    for (const page of pages) {
      const budget = SIZE_BUDGET_KB[page.template];
      try {
        const { status, urls } = await scriptsOf(browser, base + page.path);
        for (const url of urls) if (!sizes.has(url)) sizes.set(url, await brotliSize(url));
        const total = urls.reduce((sum, url) => sum + sizes.get(url).bytes, 0);
        const v = status === page.status ? verdict(total > budget * 1000, enforced) : { ok: false, text: "WRONG STATUS" };
        record(v.ok);
        rows.push([page.name, `${status}${statusNote(page, status)}`, urls.length, kb(total), total, budget, v.text]);
      } catch (error) {
        record(false);
        rows.push([page.name, "-", "-", "-", "-", budget, `FAILED: ${error.message.split("\n")[0]}`]);
      }
    }
  } finally {
    await browser.close();
  }
  printTable(["page", "status", "files", "brotli KB", "bytes", "budget KB", "verdict"], rows);
  console.log("\nfiles (brotli bytes, as served):");
  for (const [url, { bytes, served }] of sizes) console.log(`  ${new URL(url).pathname}  ${bytes} (${served})`);
}

// ---- vnu ------------------------------------------------------------------------------------

// The Nu HTML Checker on every file at once; its messages, each with `url` = file:...
function runVnu(files) {
  const jar = createRequire(import.meta.url)("vnu-jar");
  const out = spawnSync("java", ["-jar", jar, "--format", "json", "--stdout", ...files], { encoding: "utf8", maxBuffer: 256 << 20 });
  if (out.error) throw out.error;
  try {
    return JSON.parse(out.stdout).messages;
  } catch {
    throw new Error(`vnu gave no JSON (exit ${out.status}): ${out.stderr.slice(0, 1000)}`);
  }
}

const kindOf = (m) => (m.type === "info" ? (m.subType === "warning" ? "warning" : "info") : "error");

// Messages grouped by kind and text, with where each occurs (line:column, the first eight).
function grouped(messages) {
  const groups = new Map();
  for (const m of messages) {
    const key = `${kindOf(m)}\t${m.message}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(`${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}`);
  }
  return [...groups].map(([key, at]) => `${key.replace("\t", "  ")} (${at.length}x at ${at.slice(0, 8).join(" ")}${at.length > 8 ? " ..." : ""})`);
}

async function checkHtml(pages) {
  const dir = mkdtempSync(join(tmpdir(), "aipr-audit-"));
  try {
    const fetched = [];
    for (const [i, page] of pages.entries()) {
      const response = await fetch(base + page.path, { redirect: "manual" });
      const file = join(dir, `${String(i).padStart(2, "0")}.html`);
      writeFileSync(file, await response.text());
      fetched.push({ page, file, status: response.status });
    }
    const messages = runVnu(fetched.map((f) => f.file));
    const rows = [];
    const details = [];
    for (const { page, file, status } of fetched) {
      const own = messages.filter((m) => m.url && basename(new URL(m.url).pathname) === basename(file));
      const count = (kind) => own.filter((m) => kindOf(m) === kind).length;
      const ok = count("error") === 0 && status === page.status;
      record(ok);
      rows.push([page.name, `${status}${statusNote(page, status)}`, count("error"), count("warning"), count("info"), ok ? "ok" : "FAILED"]);
      if (own.length > 0) details.push(`${page.name} (${page.path}):`, ...grouped(own).map((g) => `  ${g}`));
    }
    // Messages about no page (the checker itself failing) fail the check once.
    const stray = messages.filter((m) => !fetched.some((f) => m.url && basename(new URL(m.url).pathname) === basename(f.file)));
    if (stray.length > 0) {
      record(false);
      details.push("not about a page:", ...stray.map((m) => `  ${m.type}  ${m.message}`));
    }
    printTable(["page", "status", "errors", "warnings", "info", "verdict"], rows);
    if (details.length > 0) console.log(`\n${details.join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- lighthouse -----------------------------------------------------------------------------

// One Lighthouse run (default config: mobile, simulated throttling) in a fresh Chromium.
async function lighthouseRun(url) {
  const { default: lighthouse } = await import("lighthouse");
  const { launch } = await import("chrome-launcher");
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"], logLevel: "silent" });
  try {
    const result = await lighthouse(url, { port: chrome.port, logLevel: "error", output: "json", onlyCategories: Object.keys(LIGHTHOUSE_BUDGET) });
    return result.lhr;
  } finally {
    await chrome.kill();
  }
}

// The weighted audits below a perfect score in a category, e.g. `unused-javascript 0.5`.
function weakAudits(lhr, id) {
  return lhr.categories[id].auditRefs
    .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
    .map((ref) => `${ref.id} ${lhr.audits[ref.id].score}`);
}

async function checkLighthouse(pages, enforced) {
  const rows = [];
  const notes = [];
  for (const page of pages) {
    const started = Date.now();
    const load = loadavg()[0].toFixed(1);
    try {
      const lhr = await lighthouseRun(base + page.path);
      if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      const score = (id) => (lhr.categories[id].score === null ? NaN : Math.round(lhr.categories[id].score * 100));
      const under = Object.keys(LIGHTHOUSE_BUDGET).filter((id) => !(score(id) >= LIGHTHOUSE_BUDGET[id]));
      const metric = (id, digits = 0) => lhr.audits[id].numericValue?.toFixed(digits) ?? "-";
      const v = verdict(under.length > 0, enforced);
      record(v.ok);
      rows.push([page.name, ...Object.keys(LIGHTHOUSE_BUDGET).map(score), metric("largest-contentful-paint"), metric("total-blocking-time"),
        metric("cumulative-layout-shift", 3), metric("first-contentful-paint"), lhr.environment.benchmarkIndex, load, `${((Date.now() - started) / 1000).toFixed(0)} s`, v.text]);
      for (const id of under) notes.push(`${page.name} ${id} ${score(id)}: ${weakAudits(lhr, id).join(", ") || "-"}`);
      for (const warning of lhr.runWarnings) notes.push(`${page.name} warning: ${warning}`);
    } catch (error) {
      record(false);
      rows.push([page.name, "-", "-", "-", "-", "-", "-", "-", "-", "-", load, `${((Date.now() - started) / 1000).toFixed(0)} s`, `FAILED: ${error.message.split("\n")[0]}`]);
    }
  }
  printTable(["page", "perf", "a11y", "best-pr", "seo", "LCP ms", "TBT ms", "CLS", "FCP ms", "cpu idx", "load", "run", "verdict"], rows);
  console.log(`budget: ${Object.entries(LIGHTHOUSE_BUDGET).map(([id, b]) => `${id} ${b}`).join(", ")}`);
  // TBT and the simulated timings scale with the host's speed: a busy machine scores lower.
  console.log("cpu idx: Lighthouse's benchmarkIndex of the host; load: 1-minute load average at the start");
  if (notes.length > 0) console.log(`\n${notes.join("\n")}`);
}

// ---- main -----------------------------------------------------------------------------------

const steps = {
  sizes: () => checkSizes(PAGES, args.includes("--enforce-sizes")),
  vnu: () => checkHtml(PAGES),
  lighthouse: () => checkLighthouse(PAGES.filter((p) => p.lighthouse), args.includes("--enforce-lighthouse")),
};
for (const check of CHECKS.filter(runs)) {
  const started = Date.now();
  console.log(`\n== ${check} (${base})`);
  try {
    await steps[check]();
  } catch (error) {
    record(false);
    console.log(`${check} could not run: ${error.stack}`);
  }
  console.log(`(${check}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
console.log(`\naudit: ${tally.passed} passed, ${tally.failed} failed`);
process.exitCode = tally.failed > 0 ? 1 : 0;
