// Measures, in Chromium, the time from a click on a navigation link to the next page's main
// heading painted, whether the site moves between pages in the browser or loads each page.
// Usage: node bench/navigation.mjs http://127.0.0.1:3100 [rounds] [p50 budget ms] [p95 budget ms]
// (with budgets, it exits 1 when one is missed)
//
// Every document gets a small observer (an init script): each time the `<h1>` in `<main>`
// changes, it notes the time of the next animation frame (the frame that paints it) in absolute
// milliseconds; a page prerendered before the click is noted when it is shown. The click is
// timed in the same clock, so a page loaded anew, prerendered, or rendered in place are
// measured alike.
import { chromium } from "playwright-core";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const rounds = Number(process.argv[3] ?? 5);
const [p50Budget, p95Budget] = [process.argv[4], process.argv[5]].map((b) => (b === undefined ? Infinity : Number(b)));
// The tour: from each page, the link of the navigation to follow and the heading it leads to.
const tour = [
  ["/es/", "Historias", "/es/historias"],
  ["/es/historias", "Recursos", "/es/recursos"],
  ["/es/recursos", "Donar", "/es/donar"],
  ["/es/donar", "Inicio", "/es/"],
];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext();
await context.addInitScript(() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__painted = [];
  let last = null;
  const check = () => {
    const h1 = document.querySelector("main h1");
    const text = h1 ? h1.textContent : null;
    if (text && text !== last) {
      last = text;
      requestAnimationFrame(() => window.__painted.push({ text, at: now(), path: location.pathname }));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  // A page prerendered while the pointer rested on its link is painted when it is shown.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", () => {
      const h1 = document.querySelector("main h1");
      requestAnimationFrame(() => window.__painted.push({ text: h1 && h1.textContent, at: now(), path: location.pathname }));
    });
  }
});
const page = await context.newPage();
const samples = [];
for (let round = 0; round < rounds; round++) {
  for (const [from, link, to] of tour) {
    await page.goto(`${base}${from}`);
    // Interactive first, as a visitor would be after reading a moment.
    await page.waitForLoadState("load");
    await page.waitForTimeout(400);
    const nav = page.getByRole("navigation").first().getByRole("link", { name: link, exact: true });
    await nav.hover();
    // A visitor points at a link a moment before pressing it.
    await page.waitForTimeout(300);
    const clickedAt = await nav.evaluate((a) => {
      const at = performance.timeOrigin + performance.now();
      a.click();
      return at;
    });
    await page.waitForURL(`${base}${to}`);
    await page.waitForFunction(
      ([path, after]) => window.__painted.some((p) => p.path === path && p.at > after),
      [to, clickedAt],
    );
    const painted = await page.evaluate(
      ([path, after]) => window.__painted.find((p) => p.path === path && p.at > after).at,
      [to, clickedAt],
    );
    samples.push(painted - clickedAt);
  }
}
await browser.close();
samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.round((samples.length - 1) * p))];
console.log(
  `click to next page's heading painted: ${samples.length} clicks, p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms`,
);
if (pct(0.5) > p50Budget || pct(0.95) > p95Budget) {
  console.log(`budget missed: p50 ≤ ${p50Budget} ms, p95 ≤ ${p95Budget} ms`);
  process.exit(1);
}
