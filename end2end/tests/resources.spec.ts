import { test, expect, messages, fill, SYNTHETIC } from "./fixtures/site";

const ES_TITLE = "Llenar el silencio: Un estudio sobre la historia corporativa del Holocausto y la naturaleza de la memoria corporativa";
const EN_TITLE = "Filling the Silence: A Study in Corporate Holocaust History and the Nature of Corporate Memory";
const SHELVES_ES = [
  "Sheri P. Rosenberg",
  "Documentos de orientación y notas informativas sobre prevención",
  "Informes de investigación y libros blancos",
  "Más allá de las herramientas para recordar",
  "SNCF Papers",
  "Instituto Auschwitz Informes anuales",
  "Recursos de formación",
  "Folleto sobre los mecanismos nacionales de prevención del genocidio y otros crímenes atroces (2015-2018)",
  "Informes anuales de la Red Latinoamericana para la Prevención del Genocidio y Atrocidades Masivas",
];

test.describe("resource library", () => {
  test("all nine shelves in order, with their empty states @nojs", async ({ site, page }) => {
    await site.visit("/es/recursos");
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "index, follow");
    const headings = page.locator("section.shelf h2");
    await expect(headings).toHaveText(SHELVES_ES);
    await expect(page.locator("section.shelf .empty-state")).toHaveCount(8);
    await expect(page.locator("section.shelf .empty-state").first()).toHaveText(messages.es.resources_empty);
    const sncf = page.getByRole("region", { name: "SNCF Papers" });
    await expect(sncf.getByRole("heading", { level: 3 })).toHaveText(ES_TITLE);
    await expect(page.getByRole("status")).toHaveText("1 documento");
    await site.visit("/en/resources");
    await expect(page.locator("section.shelf h2")).toHaveCount(9);
    await expect(page.locator("section.shelf .empty-state").first()).toHaveText(messages.en.resources_empty);
    await expect(page.getByRole("region", { name: "SNCF Papers" }).getByRole("heading", { level: 3 })).toHaveText(EN_TITLE);
  });

  for (const q of ["silencio", "SILENCIO", "memoria corporativa", "Memória"]) {
    test(`typing "${q}" finds Llenar el silencio @nojs`, async ({ site, page, javaScriptEnabled }) => {
      await site.visit("/es/recursos");
      const search = page.getByRole("searchbox", { name: messages.es.resources_q_label });
      if (javaScriptEnabled) {
        await search.pressSequentially(q);
        await expect(page).toHaveURL(`/es/recursos?q=${encodeURIComponent(q).replace(/%20/g, "+")}`);
        await expect(search).toBeFocused();
      } else {
        await search.fill(q);
        await search.press("Enter");
        await page.waitForURL(/q=/);
      }
      await expect(page.getByRole("status")).toHaveText("1 documento");
      await expect(page.getByRole("heading", { name: ES_TITLE })).toBeVisible();
      await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, follow");
      await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "http://127.0.0.1:3000/es/recursos");
    });
  }

  test("each filter alone and combined @nojs", async ({ site, page }) => {
    const cases: [string, number][] = [
      ["language=es", 1],
      ["language=fr", 0],
      ["year=2021", 1],
      ["year=2019", 0],
      ["shelf=sncf-papers", 1],
      ["shelf=training-resources", 0],
      ["q=silencio&language=en&year=2021&shelf=sncf-papers", 1],
      ["q=silencio&language=pt", 0],
    ];
    for (const [query, count] of cases) {
      await site.visit(`/en/resources?${query}`, { axe: false });
      await expect(page.getByRole("status"), query).toHaveText(count === 1 ? "1 document" : `${count} documents`);
      for (const part of query.split("&")) {
        const [key, value] = part.split("=");
        const control = key === "q" ? page.locator("#filter-q") : page.locator(`#filter-${key}`);
        await expect(control, query).toHaveValue(value);
      }
    }
    await site.checkA11y();
  });

  test("program filter and counts agree with the API @nojs", async ({ site, page, request }) => {
    const api = await (await request.get(`${SYNTHETIC}/api/v1/resources?locale=es&program=africa&year=2015`)).json();
    await site.visit(`${SYNTHETIC}/es/recursos?program=africa&year=2015`);
    await expect(page.getByRole("status")).toHaveText(api.total === 1 ? "1 documento" : `${api.total} documentos`);
    await expect(page.locator("#filter-program")).toHaveValue("africa");
    const option = page.locator('#filter-program option[value="africa"]');
    await expect(option).toContainText(`(${api.total})`);
  });

  test("a query with no result offers to clear the filters @nojs", async ({ site, page }) => {
    await site.visit("/es/recursos?q=zzzzzz&year=2021");
    await expect(page.getByRole("status")).toHaveText("0 documentos");
    const clear = page.getByRole("link", { name: messages.es.resources_clear }).first();
    await clear.click();
    await expect(page).toHaveURL("/es/recursos");
    await expect(page.getByRole("status")).toHaveText("1 documento");
    await expect(page.locator("#filter-q")).toHaveValue("");
  });

  test("back and forward restore the results and the controls", async ({ site, page }) => {
    await site.visit("/es/recursos");
    const search = page.locator("#filter-q");
    await search.pressSequentially("silencio");
    await expect(page).toHaveURL("/es/recursos?q=silencio");
    await page.locator("#filter-language").selectOption("fr");
    await expect(page).toHaveURL("/es/recursos?q=silencio&language=fr");
    await expect(page.getByRole("status")).toHaveText("0 documentos");
    await page.goBack();
    await expect(page).toHaveURL("/es/recursos?q=silencio");
    await expect(page.locator("#filter-language")).toHaveValue("");
    await expect(search).toHaveValue("silencio");
    await expect(page.getByRole("status")).toHaveText("1 documento");
    await page.goBack();
    await expect(page).toHaveURL("/es/recursos");
    await expect(search).toHaveValue("");
    await page.goForward();
    await page.goForward();
    await expect(page.locator("#filter-language")).toHaveValue("fr");
    await expect(search).toHaveValue("silencio");
    await expect(page.getByRole("status")).toHaveText("0 documentos");
  });

  test("the page's own filters bring back the shelves it came with, without asking the server", async ({ site, page }) => {
    await site.visit("/es/recursos?q=silencio");
    await site.hydrated();
    const title = page.getByRole("heading", { name: ES_TITLE });
    await expect(title).toHaveCount(1);
    await page.locator("#filter-language").selectOption("fr");
    await expect(page.getByRole("status")).toHaveText("0 documentos");
    await expect(title).toHaveCount(0);
    const asked: string[] = [];
    page.on("request", (r) => r.url().includes("/api/") && asked.push(r.url()));
    await page.locator("#filter-language").selectOption("");
    await expect(page).toHaveURL("/es/recursos?q=silencio");
    await expect(page.getByRole("status")).toHaveText("1 documento");
    await expect(title).toHaveCount(1);
    await expect(page.locator("#filter-language option:checked")).toHaveText(messages.es.resources_any);
    expect(asked).toEqual([]);
    // Other filters again: the island's shelves, asked for.
    await page.locator("#filter-language").selectOption("en");
    await expect(page).toHaveURL("/es/recursos?q=silencio&language=en");
    await expect.poll(() => asked.length).toBe(1);
  });

  test("a pause after a space keeps the space and one history entry", async ({ site, page }) => {
    await site.visit("/es/recursos");
    const search = page.locator("#filter-q");
    // The URL follows the pause with the text trimmed; the box keeps what was typed.
    await search.pressSequentially("memoria ");
    await expect(page).toHaveURL("/es/recursos?q=memoria");
    await expect(page.getByRole("heading", { name: ES_TITLE })).toBeVisible();
    await expect(page.locator(".result-count")).toHaveText("1 documento");
    await expect(search).toHaveValue("memoria ");
    await search.pressSequentially("corporativa", { delay: 60 });
    await expect(page).toHaveURL("/es/recursos?q=memoria+corporativa");
    await expect(search).toHaveValue("memoria corporativa");
    await expect(page.getByRole("status")).toHaveText("1 documento");
    await page.goBack();
    await expect(page).toHaveURL("/es/recursos");
    await expect(search).toHaveValue("");
  });

  test("keyboard only: search, pick a filter, reach the result", async ({ site, page }) => {
    await site.visit("/en/resources");
    await page.locator("#filter-q").focus();
    await page.keyboard.type("corporate memory");
    await expect(page).toHaveURL(/q=corporate\+memory/);
    await page.keyboard.press("Tab");
    await expect(page.locator("#filter-shelf")).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(page.locator("#filter-language")).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(page).toHaveURL(/language=/);
    await page.locator("#filter-language").selectOption("en");
    await expect(page.getByRole("status")).toHaveText("1 document");
    const link = page.getByRole("link", { name: fill(messages.en.resources_open, { title: EN_TITLE }) });
    await link.focus();
    await expect(link).toBeFocused();
  });

  test("bad query strings give a normal page, never a 500 @nojs", async ({ site, page }) => {
    const long = "a".repeat(10_000);
    for (const query of [
      "year=abc",
      "shelf=nope&language=xx&program=zz",
      `q=${long}`,
      "q=%00%01%02silencio",
      "q=%E0%A4%A&year=%FF",
      "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      "page=-3&year=20211",
    ]) {
      const response = await site.visit(`/es/recursos?${query}`, { axe: false });
      const html = await response!.text();
      expect(html, query).not.toContain("<script>alert(1)</script>");
      await expect(page.locator("#filter-year"), query).toHaveValue("");
      await expect(page.locator("#filter-shelf"), query).toHaveValue("");
      if (query.includes("%3Cscript")) await expect(page.locator("#filter-q")).toHaveValue("<script>alert(1)</script>");
      if (query.startsWith("q=aaa")) expect((await page.locator("#filter-q").inputValue()).length).toBe(200);
    }
  });

  test("a shelf page and an unknown shelf @nojs", async ({ site, page }) => {
    await site.visit("/es/recursos/sncf-papers");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("SNCF Papers");
    await expect(page.getByRole("heading", { name: ES_TITLE })).toBeVisible();
    await site.visit("/es/recursos/sncf-papers?q=nada");
    await expect(page.getByText(messages.es.resources_empty)).toBeVisible();
    await expect(page.getByRole("link", { name: messages.es.resources_clear })).toHaveAttribute("href", "/es/recursos/sncf-papers");
    await site.visit("/es/recursos/desconocida", { status: 404 });
  });
});
