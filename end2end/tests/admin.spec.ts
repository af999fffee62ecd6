import { test as base, expect, Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { Site, messages, fill } from "./fixtures/site";
import { Editor, EditorRepository, EDITOR, UPLOAD_MB, smallPdf } from "./fixtures/editor";

const SEED = path.resolve(__dirname, "..", "..", "app", "tests", "fixtures", "seed");

// An editor on the local backend writes a temporary copy of the seed content through the CMS,
// and a visitor sees each change after the live reload. The CMS page itself is not held to the
// site's no-console-message rule (Decap logs its own 404 probes and warnings); every public
// page visited here is.
const test = base.extend<{ repository: EditorRepository }>({});
// Each journey is long (a CMS, a reload, visits with axe): more than the default time.
test.describe.configure({ mode: "serial", timeout: 60_000 });
test.use({ locale: "en-US", viewport: { width: 1400, height: 1000 } });

let repository: EditorRepository;
test.beforeAll(async () => {
  repository = new EditorRepository();
  await repository.start();
});
test.afterAll(() => repository?.stop());

/** Requests that leave loopback, recorded for the whole page. */
function outside(page: import("@playwright/test").Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["data:", "blob:"].includes(url.protocol)) seen.push(request.url());
  });
  return seen;
}

/**
 * Opens a public page of the editor's site until it shows `text`, or until `ready` holds (the
 * content reloads within a second of a save), then visits it as the other specs do: hydration,
 * axe, no console message (the 404s seen while waiting for the reload are forgotten).
 */
async function visitUntil(site: Site, url: string, ready: string | ((page: Page) => Promise<boolean>)) {
  const shown = typeof ready === "string" ? async (page: Page) => (await page.getByText(ready, { exact: true }).count()) > 0 : ready;
  await expect
    .poll(async () => {
      const response = await site.page.goto(`${EDITOR}${url}`);
      return response?.status() === 200 && (await shown(site.page));
    }, { timeout: 15_000 })
    .toBe(true);
  site.forgetProblems();
  await site.visit(`${EDITOR}${url}`);
  expect(site.problems, `console messages on ${url}`).toEqual([]);
}

test("an editor publishes a story in Spanish and English, and a visitor reads both", async ({ page, context }) => {
  const leaks = outside(page);
  const editor = new Editor(page);
  await editor.open();
  await editor.newEntry("stories");
  await editor.storyText("Title", 0).fill("Una historia de prueba");
  await editor.storyText("Title", 1).fill("A test story");
  await editor.field("Date", 0).fill("2025-03-04");
  await editor.storyText("Summary", 0).fill("Resumen de la historia.");
  await editor.storyText("Summary", 1).fill("Summary of the story.");
  await editor.body("Un párrafo con **negrita**.", 0);
  await editor.body("A paragraph with **bold**.", 1);
  await editor.publish();
  await editor.expectPublished();

  const es = repository.read("stories/una-historia-de-prueba.es.md");
  const en = repository.read("stories/una-historia-de-prueba.en.md");
  for (const file of [es, en]) {
    expect(file).toMatch(/^\+\+\+\n[\s\S]*\n\+\+\+\n/);
    expect(file).toMatch(/^date = "?2025-03-04"?$/m);
    expect(file).toMatch(/^kind = "news"$/m);
    expect(file).not.toMatch(/^(author|image) =/m);
  }
  expect(es).toMatch(/^title = "Una historia de prueba"$/m);
  expect(es).toContain("Un párrafo con **negrita**.");
  expect(en).toMatch(/^title = "A test story"$/m);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);

  const visitor = new Site(await context.newPage(), true);
  await visitUntil(visitor, "/es/historias/una-historia-de-prueba", "Una historia de prueba");
  await expect(visitor.page.locator(".prose strong")).toHaveText("negrita");
  await visitUntil(visitor, "/en/stories/una-historia-de-prueba", "A test story");
  await visitUntil(visitor, "/es/historias", "Una historia de prueba");
  expect(leaks).toEqual([]);
});

test("a document with a link: the CMS refuses a plain http link until it is fixed", async ({ page, context }) => {
  const leaks = outside(page);
  const editor = new Editor(page);
  await editor.open();
  await editor.newEntry("documents");
  await editor.field("Spanish", 0).fill("Guía de prueba");
  await editor.field("English (optional)", 0).fill("Test guide");
  await editor.choose("Shelf", "Training resources");
  await editor.field("Year (optional)").fill("2024");
  await editor.choose("Document languages", "Spanish");
  await editor.field("Link (https) (optional)").fill("http://example.org/guide.pdf");
  await editor.publish();
  await expect(page.getByText(messages.en.admin_pattern_url)).toBeVisible();
  const link = editor.field("Link (https) (optional)");
  await link.selectText();
  await link.press("Backspace");
  await link.fill("https://example.org/guide.pdf");
  await expect(link).toHaveValue("https://example.org/guide.pdf");
  await editor.publish();
  await editor.expectPublished();

  const file = repository.read("resources/guia-de-prueba.toml");
  expect(file).toMatch(/^shelf = "training-resources"$/m);
  expect(file).toMatch(/^year = 2024$/m);
  expect(file).toMatch(/^url = "https:\/\/example.org\/guide.pdf"$/m);
  expect(file).not.toMatch(/^(file|date|pages) =/m);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);

  const visitor = new Site(await context.newPage(), true);
  await visitUntil(visitor, "/en/resources/training-resources", "Test guide");
  await expect(visitor.page.getByRole("link", { name: fill(messages.en.resources_open, { title: "Test guide" }) })).toHaveAttribute(
    "href",
    "https://example.org/guide.pdf",
  );
  expect(leaks).toEqual([]);
});

test("a document with an uploaded PDF on an empty shelf: too large a file is refused, the PDF is downloaded", async ({ page, context }) => {
  const leaks = outside(page);
  const visitor = new Site(await context.newPage(), true);
  await visitor.visit(`${EDITOR}/es/recursos/annual-reports`);
  await expect(visitor.page.getByText(messages.es.resources_empty, { exact: true })).toBeVisible();

  const editor = new Editor(page);
  await editor.open();
  await editor.newEntry("documents");
  await editor.field("Spanish", 0).fill("Informe anual de prueba");
  await editor.field("English (optional)", 0).fill("Test annual report");
  await editor.choose("Shelf", "Auschwitz Institute annual reports");
  await editor.field("Year (optional)").fill("2023");
  await editor.choose("Document languages", "Spanish");
  await expect(page.getByText(fill(messages.en.admin_hint_file, { mb: UPLOAD_MB }))).toBeVisible();
  const media = await editor.openMedia();

  // One byte over the limit: the CMS refuses it, and nothing is written.
  // (Its alert blocks the page until it is answered.)
  const alerts: string[] = [];
  page.once("dialog", (dialog) => {
    alerts.push(dialog.message());
    return dialog.accept();
  });
  await editor.upload({ name: "too-large.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(UPLOAD_MB * 1024 * 1024 + 1, " ") });
  await expect.poll(() => alerts).toEqual([expect.stringContaining(`${Math.floor((UPLOAD_MB * 1024 * 1024) / 1000)} kB`)]);
  await expect(media.getByText("too-large.pdf")).toHaveCount(0);

  const pdf = smallPdf("Informe anual de prueba");
  await editor.upload({ name: "informe-anual.pdf", mimeType: "application/pdf", buffer: pdf });
  await editor.chooseMedia("informe-anual.pdf");
  await editor.publish();
  await editor.expectPublished();

  expect(repository.documents()).toEqual(["informe-anual.pdf"]);
  expect(fs.readFileSync(path.join(repository.public, "documents", "informe-anual.pdf")).equals(pdf)).toBe(true);
  const file = repository.read("resources/informe-anual-de-prueba.toml");
  expect(file).toMatch(/^shelf = "annual-reports"$/m);
  expect(file).toMatch(/^file = "\/documents\/informe-anual.pdf"$/m);
  expect(file).not.toMatch(/^(url|size) =/m);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);

  await visitUntil(visitor, "/es/recursos/annual-reports", "Informe anual de prueba");
  await expect(visitor.page.getByText(messages.es.resources_empty, { exact: true })).toHaveCount(0);
  // The size is read from the uploaded file.
  await expect(visitor.page.getByText(/ · 1 KB$/)).toBeVisible();
  const downloading = visitor.page.waitForEvent("download");
  await visitor.page.getByRole("link", { name: fill(messages.es.resources_download, { title: "Informe anual de prueba" }) }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("informe-anual.pdf");
  expect(fs.readFileSync(await download.path()).equals(pdf)).toBe(true);
  expect(leaks).toEqual([]);
});

// A 2 × 2 PNG with a text chunk (what an export tool writes), standing in for a photo.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEHRFWHRBdXRob3IAQUlQUi1URVNU7JomBAAAABBJREFUeJxjOGFjA0QMEAoAJT4FAXSZlGAAAAAASUVORK5CYII=",
  "base64",
);

test("a photo uploaded in the media library shows in a new story's form before it is published, as a derivative", async ({ page }) => {
  const editor = new Editor(page);
  await editor.open();
  await page.getByRole("button", { name: "Media" }).click();
  await editor.upload({ name: "taller-nuevo.png", mimeType: "image/png", buffer: PNG });
  await expect.poll(() => fs.existsSync(path.join(repository.public, "images", "taller-nuevo.png")), { timeout: 10_000 }).toBe(true);
  await page.keyboard.press("Escape");
  // Chosen in a story not yet published, the form shows it from its address, which answers a
  // derivative made first for it (before, a 404 until a story showed it).
  await editor.newEntry("stories");
  await page.getByRole("button", { name: /^Expand/ }).first().click();
  await page.getByRole("button", { name: "Choose an image" }).first().click();
  await editor.chooseMedia("taller-nuevo.png");
  const shown = page.locator('img[src$="/images/taller-nuevo.png"]').first();
  await expect
    .poll(() => shown.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), { timeout: 20_000 })
    .toBe(2);
  const served = await page.request.get(`${EDITOR}/images/taller-nuevo.png`);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/jpeg");
  expect((await served.body()).includes("AIPR-TEST"), "the text chunk of the upload").toBe(false);
});

/** The images `frame` shows, as [address, loaded width] (0: broken or not loaded yet). */
async function imagesIn(frame: import("@playwright/test").Frame | Page) {
  return frame.locator("img").evaluateAll((images) => images.map((img) => [(img as HTMLImageElement).src, (img as HTMLImageElement).naturalWidth] as [string, number]));
}

test("images uploaded from within a story's form show in the form and the preview before it is published", async ({ page }) => {
  const editor = new Editor(page);
  await editor.open();
  await editor.newEntry("stories");
  await editor.storyText("Title", 0).fill("Una historia con fotos nuevas");
  await editor.storyText("Title", 1).fill("A story with new photos");
  await editor.field("Date", 0).fill("2025-05-06");
  await editor.storyText("Summary", 0).fill("Dos fotos.");
  await editor.storyText("Summary", 1).fill("Two photos.");
  await editor.body("Un párrafo.", 1);
  // The lead image, then one in the Spanish text (other bytes: the CMS keeps one upload per content).
  await page.getByRole("button", { name: /^Expand/ }).first().click();
  await page.getByRole("button", { name: "Choose an image" }).first().click();
  await editor.upload({ name: "portada-nueva.png", mimeType: "image/png", buffer: PNG });
  await editor.chooseMedia("portada-nueva.png");
  await page.getByRole("button", { name: "Add Component" }).first().click();
  await page.getByRole("menuitem", { name: "Image" }).first().click();
  await page.getByRole("button", { name: "Choose an image" }).first().click();
  await editor.upload({ name: "en-el-texto.png", mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.from("AIPR")]) });
  await editor.chooseMedia("en-el-texto.png");
  await page.getByLabel("Alt Text").first().fill("Una sala llena");
  await editor.field(`${messages.en.admin_field_alt} (optional)`, 0).fill("Personas en una sala");
  await page.getByRole("button", { name: /^Expand/ }).first().click();
  await editor.field(`${messages.en.admin_field_alt} (optional)`, 1).fill("People in a room");
  // Nothing is written yet: the uploads' own addresses have nothing.
  expect(fs.existsSync(path.join(repository.public, "images", "portada-nueva.png"))).toBe(false);
  expect((await page.request.get(`${EDITOR}/images/portada-nueva.png`)).status()).toBe(404);
  // The form: the lead image in both languages' panes and the text's image, each loaded.
  await expect.poll(async () => (await imagesIn(page)).filter(([, width]) => width === 2).length, { timeout: 10_000 }).toBe(3);
  expect((await imagesIn(page)).filter(([, width]) => width === 0)).toEqual([]);
  // The preview: the story page's lead image and the text's image.
  await page.getByRole("button", { name: "Toggle preview" }).click();
  const preview = page.frameLocator("iframe").first();
  await expect(preview.locator(".story-image")).toBeVisible();
  const previewFrame = page.frames().find((frame) => frame.url() === "about:srcdoc");
  expect(previewFrame, "the preview's frame").toBeTruthy();
  await expect.poll(async () => (await imagesIn(previewFrame!)).map(([, width]) => width), { timeout: 10_000 }).toEqual([2, 2]);
  await editor.publish();
  await editor.expectPublished();
  for (const name of ["portada-nueva.png", "en-el-texto.png"]) {
    expect(fs.existsSync(path.join(repository.public, "images", name)), name).toBe(true);
  }
  expect(repository.read("stories/una-historia-con-fotos-nuevas.es.md")).toContain("![Una sala llena](/images/en-el-texto.png)");
  const check = repository.check();
  expect(check.status, check.output).toBe(0);
});

test("an editor swaps two shelves, and the library shows them in the new order", async ({ page, context }) => {
  const [first, second] = ["Sheri P. Rosenberg", "Documentos de orientación y notas informativas sobre prevención"];
  const order = async (p: Page) => {
    const headings = await p.getByRole("region").getByRole("heading", { level: 2 }).allTextContents();
    return [headings.indexOf(first), headings.indexOf(second)];
  };
  const visitor = new Site(await context.newPage(), true);
  await visitor.visit(`${EDITOR}/es/recursos`);
  expect(await order(visitor.page)).toEqual([0, 1]);

  const leaks = outside(page);
  const editor = new Editor(page);
  await editor.open();
  await editor.openFile(messages.en.admin_shelves, messages.en.admin_shelves_file);
  const summary = (text: string) => page.getByText(text, { exact: true });
  // The form renders again just after it opens: drag until the list shows the new order.
  await expect(async () => {
    await editor.moveListItem(1, 0);
    const [a, b] = [await summary(first).boundingBox(), await summary(second).boundingBox()];
    expect(a && b && b.y < a.y).toBe(true);
  }).toPass({ timeout: 15_000 });
  await editor.publish();
  await editor.expectPublished();

  const ids = [...repository.read("shelves.toml").matchAll(/^id = "(.+)"$/gm)].map((m) => m[1]);
  expect(ids.slice(0, 3)).toEqual(["prevention-guidance", "sheri-p-rosenberg", "research-reports"]);
  expect(ids).toHaveLength(9);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);

  await visitUntil(visitor, "/es/recursos", async (p) => (await order(p)).join() === "1,0");
  expect(leaks).toEqual([]);
});

test("saving the site's introduction changes only that line, and site.toml, with its comments and donation settings, not at all", async ({ page, context }) => {
  const site = fs.readFileSync(path.join(SEED, "site.toml"), "utf8");
  const texts = fs.readFileSync(path.join(SEED, "texts.toml"), "utf8");
  expect(site).toMatch(/^# /m);
  const leaks = outside(page);
  const editor = new Editor(page);
  await editor.open();
  await editor.openFile(messages.en.admin_site, messages.en.admin_site_file);
  const intro = "Una nueva introducción del Instituto, escrita en el editor.";
  const field = editor.field("Spanish", 0);
  await expect(field).toHaveValue(/^El Instituto Auschwitz/);
  await field.fill(intro);
  await expect(field).toHaveValue(intro);
  await editor.publish();
  await editor.expectPublished();

  expect(repository.read("site.toml")).toBe(site);
  const previous = texts.split("\n").find((line) => line.startsWith("es = "));
  expect(repository.read("texts.toml")).toBe(texts.replace(previous!, `es = "${intro}"`));
  const check = repository.check();
  expect(check.status, check.output).toBe(0);

  const visitor = new Site(await context.newPage(), true);
  await visitUntil(visitor, "/es/", intro);
  await visitor.visit(`${EDITOR}/es/donar`);
  await visitor.page.route("https://www.paypal.com/**", (route) => route.abort());
  const handOff = visitor.page.waitForRequest((r) => r.url().startsWith("https://www.paypal.com/"));
  await visitor.page.getByText("100", { exact: true }).click();
  await visitor.page.getByRole("button", { name: messages.es.donate_submit }).click();
  const url = new URL((await handOff).url());
  expect(url.searchParams.get("business")).toBe("donations@aipr.example");
  expect(url.searchParams.get("amount")).toBe("100");
  expect(url.searchParams.get("currency_code")).toBe("USD");
  expect(leaks).toEqual([]);
});

test("the editor's page is not for search engines and the public pages load nothing of it", async ({ request }) => {
  const admin = await request.get(`${EDITOR}/admin/`);
  expect(admin.headers()["x-robots-tag"]).toBe("noindex, nofollow");
  expect(await admin.text()).toContain('<meta name="robots" content="noindex, nofollow">');
  expect(admin.headers()["content-security-policy"]).toContain("'unsafe-eval'");
  const home = await request.get(`${EDITOR}/es/`);
  const policy = home.headers()["content-security-policy"];
  expect(policy).not.toContain("'unsafe-eval'");
  expect(policy).not.toContain("'unsafe-inline'");
  expect(await home.text()).not.toMatch(/\/admin\/|decap/i);
  expect(await (await request.get(`${EDITOR}/sitemap.xml`)).text()).not.toContain("/admin");
});
