import { Page } from "@playwright/test";
import { test, expect, messages, SYNTHETIC } from "./fixtures/site";
import { catchProvider } from "./fixtures/donate";

// With JavaScript, the site moves between its pages in place (Leptos's islands router and
// `app/src/navigation.js`): the document stays, and what a page load would change follows.

const SEED_ID = "aipr-celebrates-un-day-for-south-south-cooperation";

/** Marks the document: the mark is still there after a click only if the document stayed. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
}

async function stillTheSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept), `a new document at ${page.url()}`).toBe(1);
}

async function heading(page: Page, text: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text);
}

test.describe("moving between pages in place", () => {
  test("every link within the site keeps the document", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    await mark(page);
    const hops: [() => Promise<void>, string | RegExp, string][] = [
      [() => site.navLink("es", t.nav_stories).click(), "/es/historias", t.stories_title],
      [() => page.locator(`[data-story-id="${SEED_ID}"] a`).first().click(), `/es/historias/${SEED_ID}`, ""],
      [() => site.navLink("es", t.nav_home).click(), "/es/", t.site_name],
      [() => page.getByRole("link", { name: t.home_all_stories }).click(), "/es/historias", t.stories_title],
      [() => site.navLink("es", t.nav_resources).click(), "/es/recursos", t.resources_title],
      [() => page.getByRole("link", { name: t.lang_switch_label }).click(), "/en/resources", messages.en.resources_title],
      [() => site.navLink("en", messages.en.nav_donate).click(), "/en/donate", messages.en.donate_title],
    ];
    for (const [click, url, title] of hops) {
      const before = await page.getByRole("heading", { level: 1 }).textContent();
      await click();
      await expect(page).toHaveURL(url);
      await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(before!);
      if (title) await heading(page, title);
      await stillTheSameDocument(page);
      await site.hydrated();
    }
    await site.checkA11y();
  });

  test("the library's shelf links and its form, and the feed's paging keep the document", async ({ site, page }) => {
    const t = messages.es;
    await site.visit(`${SYNTHETIC}/es/`);
    await mark(page);
    await site.navLink("es", t.nav_resources).click();
    await heading(page, t.resources_title);
    await site.hydrated();
    await page.getByRole("link", { name: new RegExp(`^${t.resources_shelf_page_link}`) }).first().click();
    await expect(page).toHaveURL(/\/es\/recursos\/[a-z0-9-]+$/);
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(t.resources_title);
    await site.hydrated();
    await page.getByRole("searchbox").fill("informe");
    await expect(page).toHaveURL(/\/es\/recursos\/[a-z0-9-]+\?q=informe$/);
    await stillTheSameDocument(page);
    await site.navLink("es", t.nav_stories).click();
    await heading(page, t.stories_title);
    await site.hydrated();
    await page.getByRole("link", { name: t.stories_read_more }).click();
    await expect(page).toHaveURL(/\/es\/historias\?page=2$/);
    await stillTheSameDocument(page);
  });

  test("title, language, current link, focus and scroll follow the page", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    await mark(page);
    // The skip link moves within the page, as the browser does it.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL("/es/#main");
    await expect(page.locator("main")).toBeFocused();
    // ...and no move follows it: the next Tab goes on from there and stays.
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => document.activeElement?.closest("main") !== null && document.activeElement !== document.querySelector("main"));
    await expect.poll(focused).toBe(true);
    await page.waitForTimeout(300);
    expect(await focused()).toBe(true);
    await page.mouse.wheel(0, 600);
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(0);
    await site.navLink("es", t.nav_resources).click();
    await heading(page, t.resources_title);
    await expect(page).toHaveTitle(`${t.resources_title} · ${t.site_short_name}`);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "http://127.0.0.1:3000/es/recursos");
    await expect(site.navLink("es", t.nav_resources)).toHaveAttribute("aria-current", "page");
    await expect(site.navLink("es", t.nav_home)).not.toHaveAttribute("aria-current", /.*/);
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(0);
    await page.getByRole("link", { name: t.lang_switch_label }).click();
    await heading(page, messages.en.resources_title);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page).toHaveTitle(`${messages.en.resources_title} · ${messages.en.site_short_name}`);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", messages.en.resources_description);
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    // A link to a part of another page scrolls to that part and focuses it.
    await page.evaluate(() => {
      const a = document.createElement("a");
      a.href = "/en/stories#main";
      a.textContent = "to the stories";
      a.id = "to-stories";
      document.querySelector("main")!.append(a);
    });
    await page.locator("#to-stories").click();
    await heading(page, messages.en.stories_title);
    await expect(page.locator("main")).toBeFocused();
    await stillTheSameDocument(page);
  });

  test("Back and Forward restore the page, its scroll and the library's controls", async ({ site, page }) => {
    const t = messages.es;
    await site.visit(`${SYNTHETIC}/es/recursos`);
    await mark(page);
    await page.getByRole("searchbox").fill("informe");
    await expect(page).toHaveURL(/\?q=informe$/);
    await expect(page.getByRole("status").first()).not.toBeEmpty();
    await page.mouse.wheel(0, 500);
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(100);
    const scrolled = await page.evaluate(() => scrollY);
    await page.evaluate(() => (document.querySelector(`nav a[href="/es/historias"]`) as HTMLElement).click());
    await heading(page, t.stories_title);
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(0);
    await page.goBack();
    await heading(page, t.resources_title);
    await expect(page).toHaveURL(/\/es\/recursos\?q=informe$/);
    await expect(page.getByRole("searchbox")).toHaveValue("informe");
    await expect.poll(() => page.evaluate(() => scrollY)).toBe(scrolled);
    await page.goBack();
    await expect(page).toHaveURL(/\/es\/recursos$/);
    await expect(page.getByRole("searchbox")).toHaveValue("");
    await page.goForward();
    await page.goForward();
    await heading(page, t.stories_title);
    await stillTheSameDocument(page);
  });

  test("a page an island moved the address of is replaced whole by the next move", async ({ site, page }) => {
    const t = messages.es;
    await site.visit(`${SYNTHETIC}/es/historias`);
    await mark(page);
    const cards = page.locator(".story-grid [data-story-id]");
    const first = await cards.count();
    await page.getByRole("link", { name: t.stories_read_more }).click();
    await expect(page).toHaveURL(/\?page=2$/);
    await expect.poll(() => cards.count()).toBeGreaterThan(first);
    await site.navLink("es", t.nav_stories).click();
    await expect(page).toHaveURL(/\/es\/historias$/);
    await expect.poll(() => cards.count()).toBe(first);
    await site.hydrated();
    await expect(page.getByRole("contentinfo")).toHaveCount(1);
    await expect(page.getByRole("link", { name: t.stories_read_more })).toHaveAttribute("href", "/es/historias?page=2");
    await site.navLink("es", t.nav_resources).click();
    await heading(page, t.resources_title);
    await site.hydrated();
    const count = page.locator(".result-count");
    const all = await count.textContent();
    await page.getByRole("searchbox").fill("informe");
    await expect(count).not.toHaveText(all!);
    await site.navLink("es", t.nav_resources).click();
    await expect(page).toHaveURL(/\/es\/recursos$/);
    await expect(count).toHaveText(all!);
    await expect(page.getByRole("searchbox")).toHaveValue("");
    await expect(page.getByRole("contentinfo")).toHaveCount(1);
    await stillTheSameDocument(page);
    await site.checkA11y();
  });

  test("islands work on the page moved to: filters, more stories, the donation dialog", async ({ site, page }) => {
    const t = messages.es;
    await site.visit(`${SYNTHETIC}/es/donar`);
    await mark(page);
    await site.navLink("es", t.nav_resources).click();
    await heading(page, t.resources_title);
    await site.hydrated();
    const count = page.locator(".result-count");
    const before = await count.textContent();
    await page.getByRole("searchbox").fill("zzzz-nada");
    await expect(count).not.toHaveText(before!);
    await site.navLink("es", t.nav_stories).click();
    await heading(page, t.stories_title);
    await site.hydrated();
    const cards = page.locator(".story-grid [data-story-id]");
    const shown = await cards.count();
    await page.getByRole("link", { name: t.stories_read_more }).click();
    await expect.poll(() => cards.count()).toBeGreaterThan(shown);
    await site.navLink("es", t.nav_home).click();
    await heading(page, t.site_name);
    await site.hydrated();
    const button = page.locator(".donate-cta").getByRole("link", { name: t.donate_button });
    await button.click();
    const dialog = page.getByRole("dialog", { name: t.donate_title });
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
    await stillTheSameDocument(page);
  });

  test("the library, left behind, lets go of its shelves (leptos never disposes of an island)", async ({ site, page }) => {
    const t = messages.es;
    const cdp = await page.context().newCDPSession(page);
    // Shelves, held weakly: once the page is left and the memory collected, nothing may still
    // hold them.
    const watch = (selector: string) =>
      page.evaluate((selector) => {
        const w = window as unknown as { shelves?: WeakRef<Element> };
        w.shelves = new WeakRef(document.querySelector(selector)!);
      }, selector);
    const stillHeld = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      return page.evaluate(() => Boolean((window as unknown as { shelves: WeakRef<Element> }).shelves.deref()));
    };
    // The server's shelves.
    await site.visit(`${SYNTHETIC}/es/recursos`);
    await site.hydrated();
    await watch(".library .shelves");
    await site.navLink("es", t.nav_stories).click();
    await heading(page, t.stories_title);
    await site.hydrated();
    await expect.poll(stillHeld).toBe(false);
    // Back on the library, moved to in place: the island's own shelves, held as long as they
    // are shown.
    await site.navLink("es", t.nav_resources).click();
    await heading(page, t.resources_title);
    await site.hydrated();
    const count = page.locator(".result-count");
    const before = await count.textContent();
    await page.getByRole("searchbox").fill("zzzz-nada");
    await expect(count).not.toHaveText(before!);
    await watch("leptos-island[data-hydrated] .shelves");
    expect(await stillHeld()).toBe(true);
    await site.navLink("es", t.nav_home).click();
    await heading(page, t.site_name);
    await expect.poll(stillHeld).toBe(false);
  });

  test("the donation hand-off is left to the browser", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    await mark(page);
    await site.navLink("es", t.nav_donate).click();
    await heading(page, t.donate_title);
    await site.hydrated();
    await stillTheSameDocument(page);
    const handOff = await catchProvider(page);
    const navigation = page.waitForRequest((r) => r.isNavigationRequest() && r.url().includes("/donate/checkout"));
    await page.getByText("100", { exact: true }).click();
    await page.getByRole("button", { name: t.donate_submit }).click();
    await navigation;
    expect((await handOff()).host).toBe("www.paypal.com");
    site.forgetProblems(); // the aborted hand-off is reported by the browser itself
  });

  test("feeds are left to the browser", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    await mark(page);
    await site.navLink("es", t.nav_stories).click();
    await heading(page, t.stories_title);
    await stillTheSameDocument(page);
    const feed = page.waitForRequest((r) => r.isNavigationRequest() && r.url().endsWith("/es/feed.xml"));
    await page.getByRole("link", { name: t.footer_feed }).click();
    await feed;
  });
});
