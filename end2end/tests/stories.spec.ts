import { test, expect, messages, SYNTHETIC } from "./fixtures/site";

const SEED_ID = "aipr-celebrates-un-day-for-south-south-cooperation";
const SEED_TITLE = "AIPR Celebrates the United Nations' Day for South-South Cooperation";

test.describe("stories", () => {
  test("the feed's first page, newest first @nojs", async ({ site, page }) => {
    await site.visit(`${SYNTHETIC}/es/historias`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.es.stories_title);
    const cards = page.locator("article.story-card");
    await expect(cards).toHaveCount(10);
    const dates = await cards.locator("time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!));
    expect([...dates].sort().reverse()).toEqual(dates);
    await expect(page.getByRole("link", { name: messages.es.stories_read_more })).toHaveAttribute("href", "/es/historias?page=2");
  });

  test("read more: in place with JavaScript, by link without @nojs", async ({ site, page, javaScriptEnabled }) => {
    await site.visit(`${SYNTHETIC}/en/stories`);
    const cards = page.locator("article.story-card");
    await expect(cards).toHaveCount(10);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const api = javaScriptEnabled ? page.waitForResponse((r) => r.url().includes("/api/v1/stories?locale=en&page=2")) : null;
    await page.getByRole("link", { name: messages.en.stories_read_more }).click();
    await expect(cards).toHaveCount(20);
    await expect(page).toHaveURL(/\/en\/stories\?page=2$/);
    if (javaScriptEnabled) {
      expect((await api)!.status()).toBe(200);
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      await expect(cards.nth(10).getByRole("link")).toBeFocused();
    } else {
      await site.checkA11y();
    }
  });

  test("the last page has no read more link @nojs", async ({ site, page }) => {
    await site.visit(`${SYNTHETIC}/es/historias?page=6`);
    await expect(page.locator("article.story-card")).toHaveCount(60);
    await expect(page.getByRole("link", { name: messages.es.stories_read_more })).toHaveCount(0);
  });

  for (const value of ["0", "-1", "abc", "1.5", "7", "99999999999"]) {
    test(`page=${value} answers the 404 page @nojs`, async ({ site, page }) => {
      await site.visit(`${SYNTHETIC}/es/historias?page=${value}`, { status: 404 });
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.es.not_found_title);
    });
  }

  test("the seed article on the Spanish site, with its notice and lang @nojs", async ({ site, page }) => {
    await site.visit(`/es/historias/${SEED_ID}`);
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("note")).toHaveText(messages.es.story_other_language_notice);
    const title = page.getByRole("heading", { level: 1 });
    await expect(title).toHaveText(SEED_TITLE);
    await expect(title).toHaveAttribute("lang", "en");
    const body = page.locator(".prose");
    await expect(body).toHaveAttribute("lang", "en");
    await expect(body.locator("blockquote")).toHaveCount(2);
    await expect(body.getByRole("link", { name: "Resolution 58/220" })).toHaveAttribute("rel", "noopener noreferrer");
    await expect(page.locator("time").first()).toHaveText("18 de enero de 2023");
    await expect(page.getByText(messages.es.donate_cta_heading)).toBeVisible();
  });

  test("the seed article from the Spanish feed @nojs", async ({ site, page }) => {
    await site.visit("/es/historias");
    const card = page.locator("article.story-card");
    await expect(card).toHaveCount(1);
    await expect(card.getByText(messages.es.story_other_language_badge)).toBeVisible();
    await card.getByRole("link", { name: SEED_TITLE }).click();
    await expect(page).toHaveURL(`/es/historias/${SEED_ID}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(SEED_TITLE);
  });

  test("a story's head tags @nojs", async ({ site, page }) => {
    await site.visit(`/en/stories/${SEED_ID}`);
    await expect(page).toHaveTitle(`${SEED_TITLE} · ${messages.en.site_short_name}`);
    const url = `http://127.0.0.1:3000/en/stories/${SEED_ID}`;
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", url);
    await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute("href", url);
    await expect(page.locator('link[rel="alternate"][hreflang="es"]')).toHaveCount(0);
    await expect(page.locator('meta[property="og:type"]')).toHaveAttribute("content", "article");
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", SEED_TITLE);
    await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", url);
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary");
    await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", "/en/feed.xml");
    const data = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    expect(data["@type"]).toBe("NewsArticle");
    expect(data.headline).toBe(SEED_TITLE);
    expect(data.datePublished).toBe("2023-01-18");
    expect(data.url).toBe(url);
    // The Spanish page of an English-only story is canonical in English.
    await site.visit(`/es/historias/${SEED_ID}`);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", url);
  });

  test("related stories @nojs", async ({ site, page }) => {
    await site.visit(`${SYNTHETIC}/en/stories/story-00003`);
    const related = page.getByRole("region", { name: messages.en.story_related });
    const cards = related.locator("article.story-card");
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.count()).toBeLessThanOrEqual(3);
    await cards.first().getByRole("link").click();
    await expect(page).toHaveURL(/\/en\/stories\/story-\d{5}$/);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });
});
