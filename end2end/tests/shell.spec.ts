import { createHash } from "node:crypto";
import { test, expect, messages } from "./fixtures/site";

test.describe("language and shell", () => {
  test("/ redirects by Accept-Language, Spanish by default @nojs", async ({ request }) => {
    const cases: [string | undefined, string][] = [
      [undefined, "/es/"],
      ["en-US,en;q=0.9", "/en/"],
      ["fr-FR, en;q=0.5, es;q=0.8", "/es/"],
      ["de", "/es/"],
      ["es;q=0.2, en;q=0.3", "/en/"],
    ];
    for (const [header, target] of cases) {
      const res = await request.get("/", { headers: header ? { "Accept-Language": header } : {}, maxRedirects: 0 });
      expect(res.status(), header).toBe(302);
      expect(res.headers()["location"], header).toBe(target);
    }
  });

  for (const lang of ["es", "en"] as const) {
    test(`home page in ${lang} @nojs`, async ({ site, page }) => {
      const t = messages[lang];
      await site.visit(`/${lang}/`);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page).toHaveTitle(`${t.home_title} · ${t.site_short_name}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.site_name);
      for (const key of ["nav_home", "nav_stories", "nav_resources", "nav_donate"] as const) {
        await expect(site.navLink(lang, t[key])).toBeVisible();
      }
      await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", `http://127.0.0.1:3000/${lang}/`);
      await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute("href", "http://127.0.0.1:3000/es/");
      await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute("href", "http://127.0.0.1:3000/en/");
      await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", t.site_description);
      await expect(page.getByRole("heading", { name: t.donate_cta_heading })).toBeVisible();
    });
  }

  test("the language switch leads to the same page, query kept @nojs", async ({ site, page }) => {
    await site.visit("/es/recursos?q=silencio");
    await page.getByRole("link", { name: messages.es.lang_switch_label }).click();
    await expect(page).toHaveURL("/en/resources?q=silencio");
    await site.hydrated();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages.en.resources_title);
    await page.getByRole("link", { name: messages.en.lang_switch_label }).click();
    await expect(page).toHaveURL("/es/recursos?q=silencio");
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
  });

  for (const [path, lang] of [["/es/no-existe", "es"], ["/en/nothing/here", "en"], ["/xx", "es"], ["/en/stories/no-such-story", "en"], ["/es/recursos/no-such-shelf", "es"]] as const) {
    test(`404 page for ${path} @nojs`, async ({ site, page }) => {
      await site.visit(path, { status: 404 });
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(messages[lang].not_found_title);
      await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
    });
  }

  test("keyboard reaches the skip link and every navigation link", async ({ site, page }) => {
    const t = messages.es;
    await site.visit("/es/");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: t.skip_link })).toBeFocused();
    const wanted = [t.nav_home, t.nav_stories, t.nav_resources, t.nav_donate];
    const reached: string[] = [];
    for (let i = 0; i < 12 && reached.length < wanted.length; i++) {
      await page.keyboard.press("Tab");
      const text = await page.evaluate(() => (document.activeElement?.closest("nav") ? document.activeElement?.textContent?.trim() : null));
      if (text && wanted.includes(text) && !reached.includes(text)) reached.push(text);
    }
    expect(reached).toEqual(wanted);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL("/es/donar");
  });

  test("security headers on pages and other responses @nojs", async ({ request }) => {
    for (const path of ["/es/", "/es/recursos", "/es/no-existe"]) {
      const page = await request.get(path);
      const csp = page.headers()["content-security-policy"];
      expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/]{43}=')* 'wasm-unsafe-eval'/);
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("nonce");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers()["x-content-type-options"]).toBe("nosniff");
      expect(page.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      // Exactly the page's own inline scripts are allowed, each by its hash; JSON data blocks
      // (structured data, the library's results) are never run and need none.
      const body = await page.text();
      const inline = [...body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
        .filter(([, attrs]) => !attrs.includes(" src=") && !/type="application\/(ld\+)?json"/.test(attrs))
        .map(([, , text]) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`);
      const allowed = csp.match(/'sha256-[^']+'/g) ?? [];
      expect(allowed.sort(), path).toEqual(inline.sort());
      expect(body, path).not.toMatch(/\bnonce=/);
      // The same page is the same bytes for every visitor.
      const again = await request.get(path);
      expect(await again.text(), path).toBe(body);
      expect(again.headers()["content-security-policy"], path).toBe(csp);
    }
    const api = await request.get("/healthz");
    expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  });
});

test("hashed assets are precompressed and cached for a year @nojs", async ({ request }) => {
  const html = await (await request.get("/es/")).text();
  const assets = [...html.matchAll(/href="(\/pkg\/[^"]+\.(?:wasm|js|css))"/g)].map((m) => m[1]);
  expect(assets.length).toBeGreaterThanOrEqual(3);
  for (const asset of assets) {
    expect(asset, "hashed file name").toMatch(/\/pkg\/aipr\.[A-Za-z0-9_-]{10,}\.(wasm|js|css)$/);
    const res = await request.get(asset, { headers: { "Accept-Encoding": "br" } });
    expect(res.status(), asset).toBe(200);
    expect(res.headers()["content-encoding"], asset).toBe("br");
    expect(res.headers()["cache-control"], asset).toBe("public, max-age=31536000, immutable");
  }
});
