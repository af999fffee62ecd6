import { test, expect } from "./fixtures/site";
import type { APIRequestContext, Page } from "@playwright/test";

/** The server of the seed with a story whose photos are generated (see playwright.config.ts). */
const PHOTOS = "http://127.0.0.1:3006";
const STORY = `${PHOTOS}/es/historias/taller-fotos`;
const ALT = "Participantes del taller sentados en círculo";

// A 412 px wide phone at device pixel ratio 2.6: its browser picks the 1200 px derivative for
// the text column (380 CSS px × 2.6 = 988) and for a card (338 CSS px × 2.6 = 880).
test.use({ viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.6, isMobile: true, hasTouch: true });

/** Waits until the server has made the derivatives of every photo the page links. */
async function derivativesMade(request: APIRequestContext, url: string): Promise<string[]> {
  const html = await (await request.get(url)).text();
  const keys = [...new Set([...html.matchAll(/\/img\/([0-9a-f]{32})\//g)].map((m) => m[1]))];
  expect(keys.length, `photos on ${url}`).toBeGreaterThan(0);
  for (const key of keys) {
    await expect
      .poll(async () => (await request.get(`${PHOTOS}/img/${key}/og.jpg`)).status(), { timeout: 90_000, intervals: [500] })
      .toBe(200);
  }
  return keys;
}

/** The derivatives the page loads from now on, with their sizes. */
function derivativesLoaded(page: Page) {
  const loaded: { url: string; status: number; type: string; bytes: number }[] = [];
  page.on("response", async (response) => {
    if (!response.url().includes("/img/")) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    loaded.push({ url: new URL(response.url()).pathname, status: response.status(), type: response.headers()["content-type"], bytes: body.length });
  });
  return loaded;
}

/**
 * Chromium's mobile emulation reads `sizes` in its preload scanner before the viewport tag
 * applies (a 980 px wide page), so it asks for the 2000 px derivative first; when that answer
 * is in before the image element chooses, Chromium keeps the larger image it already has, and
 * the element never asks for its own choice. A phone's scanner knows the phone's width. So the
 * 2000 px answer waits until the element has asked for the 1200 px one, or 5 s when it never
 * does, which leaves the choice to the markup and makes it the same on every run.
 */
async function holdPreloadScannersGuess(page: Page, key: string) {
  let asked = () => {};
  const chosen = new Promise<void>((resolve) => (asked = resolve));
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === `/img/${key}/1200.webp`) asked();
  });
  await page.route(`**/img/${key}/2000.webp`, async (route) => {
    await Promise.race([chosen, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await route.continue();
  });
}

test.describe("photos", () => {
  test.setTimeout(120_000);

  test("a phone loads the lead image's 1200 px WebP, at once, and no original @nojs", async ({ site, page, request, javaScriptEnabled }) => {
    const [key] = await derivativesMade(request, STORY);
    const loaded = derivativesLoaded(page);
    await holdPreloadScannersGuess(page, key);
    await site.visit(STORY);
    const lead = page.getByRole("img", { name: ALT });
    // Stored 4000 × 3000 with EXIF orientation 6: shown upright, 3000 × 4000.
    await expect(lead).toHaveAttribute("width", "3000");
    await expect(lead).toHaveAttribute("height", "4000");
    await expect(lead).toHaveAttribute("fetchpriority", "high");
    await expect(lead).not.toHaveAttribute("loading", "lazy");
    await expect.poll(() => loaded.map((l) => l.url)).toContain(`/img/${key}/1200.webp`);
    const picked = loaded.find((l) => l.url === `/img/${key}/1200.webp`)!;
    expect(picked.status).toBe(200);
    expect(picked.type).toBe("image/webp");
    expect(picked.bytes, "bytes of the lead image on a phone").toBeLessThanOrEqual(150_000);
    // What the image shows is the 1200 px WebP (the 2000 px one the emulation's preload scanner
    // asked for arrives later: see holdPreloadScannersGuess).
    if (javaScriptEnabled) {
      await expect.poll(() => lead.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(new RegExp(`/img/${key}/1200\\.webp$`));
    }
    await expect(page.locator('img[src^="/images/"], source[srcset*="/images/"]')).toHaveCount(0);
    // The graphic in the text is lazy, with its own size, and a WebP with transparency.
    const graphic = page.getByRole("img", { name: "Un gráfico de la participación" });
    await expect(graphic).toHaveAttribute("loading", "lazy");
    await expect(graphic).toHaveAttribute("width", "640");
    await graphic.scrollIntoViewIfNeeded();
    await expect.poll(() => loaded.some((l) => !l.url.startsWith(`/img/${key}/`) && l.url.endsWith(".webp"))).toBe(true);
    expect(loaded.every((l) => l.status === 200), JSON.stringify(loaded)).toBe(true);
  });

  test("a card on the home page loads the photo's 1200 px WebP when it comes into view @nojs", async ({ site, page, request }) => {
    const [key] = await derivativesMade(request, STORY);
    const loaded = derivativesLoaded(page);
    await site.visit(`${PHOTOS}/es`);
    const card = page.locator("article.story-card", { has: page.getByRole("link", { name: "Un taller con fotos" }) });
    const image = card.getByRole("img", { name: ALT });
    await expect(image).toHaveAttribute("loading", "lazy");
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => loaded.map((l) => l.url)).toContain(`/img/${key}/1200.webp`);
    expect(loaded.filter((l) => l.url.startsWith(`/img/${key}/`)).map((l) => l.url)).toEqual([`/img/${key}/1200.webp`]);
    expect(loaded.every((l) => l.status === 200), JSON.stringify(loaded)).toBe(true);
    await site.checkA11y();
  });
});

