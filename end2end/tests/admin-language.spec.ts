import { test, expect } from "@playwright/test";
import path from "node:path";
import fs from "node:fs";
import { messages, fill } from "./fixtures/site";
import { Editor, EditorRepository } from "./fixtures/editor";

// The editor in Spanish, as a Spanish-speaking editor's browser asks for it: the CMS's own
// strings, dates typed as dd/mm/aaaa, a taken address refused with a message. Runs beside the
// other editor specs, on its own ports, over the seed plus one more story and document.
test.describe.configure({ mode: "serial", timeout: 90_000 });
test.use({ locale: "es-ES", viewport: { width: 1400, height: 1000 } });

const es = messages.es;
const decapEs = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "admin", "locales", "decap-es.json"), "utf8"));
const EXTRA = path.join(__dirname, "fixtures", "editor-content");
let repository: EditorRepository;
test.beforeAll(async () => {
  repository = new EditorRepository({ extra: EXTRA, port: 3012, backendPort: 8092 });
  await repository.start();
});
test.afterAll(() => repository?.stop());

test("a new story in Spanish: the CMS speaks Spanish, the date is dd/mm/aaaa, a taken address is refused", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await page.goto(`${repository.url}/admin/`);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(page.getByRole("link", { name: es.admin_stories, exact: true })).toBeVisible();
  await page.goto(`${repository.url}/admin/#/collections/stories/new`);
  const publish = page.getByRole("button", { name: "Publicar", exact: true });
  await expect(publish).toBeVisible();
  // Strings the CMS's bundle has only in English.
  await expect(page.getByText(decapEs.editor.editorControlPane.i18n.writingInLocale.replace("%{locale}", "ES"), { exact: true })).toBeVisible();
  await expect(page.getByText(/Writing in|Fill in from another locale/)).toHaveCount(0);

  await editor.storyText(es.admin_field_title, 0).fill("Taller en Bogotá");
  await editor.storyText(es.admin_field_summary, 0).fill("Otro taller con el mismo título.");
  await editor.storyText(es.admin_field_title, 1).fill("Workshop in Medellín");
  await editor.storyText(es.admin_field_summary, 1).fill("Another workshop.");
  const date = editor.field(es.admin_field_date, 0);
  await expect(date).toHaveAttribute("placeholder", "dd/mm/aaaa");
  await date.fill("31/02/2025");
  await editor.body("Un párrafo.", 0);
  await editor.body("A paragraph.", 1);
  await publish.click();
  await page.getByText("Publicar ahora", { exact: true }).click();
  await expect(page.getByText(fill(es.admin_date_invalid, { pattern: "dd/mm/aaaa" }))).toBeVisible();

  await date.fill("02/05/2025");
  await publish.click();
  await page.getByText("Publicar ahora", { exact: true }).click();
  // The address made from this title is taken: refused, named, nothing written.
  await expect(page.getByText(fill(es.admin_duplicate, { id: "taller-en-bogota", title: "Taller en Bogotá" }), { exact: false })).toBeVisible({ timeout: 15_000 });
  expect(fs.readdirSync(path.join(repository.content, "stories")).filter((f) => f.startsWith("taller-en-bogota-"))).toEqual([]);

  // (The CMS's text fields keep their text on a plain fill: select it and delete it first.)
  const title = editor.storyText(es.admin_field_title, 0);
  await title.selectText();
  await title.press("Backspace");
  await title.fill("Taller en Medellín");
  await expect(title).toHaveValue("Taller en Medellín");
  await publish.click();
  await page.getByText("Publicar ahora", { exact: true }).click();
  await expect(page.getByRole("button", { name: "Publicado", exact: true })).toBeVisible({ timeout: 15_000 });
  expect(fs.readdirSync(path.join(repository.content, "stories")).filter((f) => f.startsWith("taller-en-"))).toEqual([
    "taller-en-bogota.en.md",
    "taller-en-bogota.es.md",
    "taller-en-medellin.en.md",
    "taller-en-medellin.es.md",
  ]);
  const file = repository.read("stories/taller-en-medellin.es.md");
  expect(file).toMatch(/^date = "2025-05-02"$/m);
  expect(file).toMatch(/^title = "Taller en Medellín"$/m);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);
});

test("a content error is shown in the banner in the editor's words, and goes when it is fixed", async ({ page }) => {
  await page.goto(`${repository.url}/admin/`);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await expect(page.getByRole("link", { name: es.admin_stories, exact: true })).toBeVisible();
  // As a file added by hand on a shelf that does not exist.
  const broken = path.join(repository.content, "resources", "en-ningun-estante.toml");
  fs.writeFileSync(broken, 'shelf = "nowhere"\nyear = 2020\nlanguages = ["es"]\nkind = "guide"\nurl = "https://www.auschwitzinstitute.org/"\n\n[title]\nes = "Sin estante"\n');
  const banner = page.getByRole("alert").filter({ hasText: es.admin_errors_title });
  await expect(banner).toContainText("resources/en-ningun-estante.toml:1: «Estante»: «nowhere» no existe en el sitio.", { timeout: 15_000 });
  fs.rmSync(broken);
  await expect(banner).toBeHidden({ timeout: 15_000 });
});

// A 1×1 PNG, as a photo stands in for here.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", "base64");

test("a bilingual story with a photo, as a scripted editor publishes it (the time is printed)", async ({ page }) => {
  const started = Date.now();
  const editor = new Editor(page, repository.url);
  await page.goto(`${repository.url}/admin/`);
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  await page.goto(`${repository.url}/admin/#/collections/stories/new`);
  await editor.storyText(es.admin_field_title, 0).fill("Foto de un encuentro");
  await editor.storyText(es.admin_field_title, 1).fill("Photo of a meeting");
  await editor.storyText(es.admin_field_summary, 0).fill("Un encuentro con foto.");
  await editor.storyText(es.admin_field_summary, 1).fill("A meeting with a photo.");
  await editor.field(es.admin_field_date, 0).fill("03/06/2025");
  await editor.body("Un encuentro.", 0);
  await editor.body("A meeting.", 1);
  // The image's part of the form, folded: "Desplegar" (a string the bundle has only in English).
  await page.getByRole("button", { name: decapEs.editor.editorWidgets.object.expand }).first().click();
  await page.getByRole("button", { name: "Elige una imagen" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Subir nuevo" }).setInputFiles({ name: "encuentro.png", mimeType: "image/png", buffer: PNG });
  const choose = dialog.getByRole("button", { name: /^Confirmar/ });
  await expect(async () => {
    if (await choose.isDisabled()) await dialog.getByText("encuentro.png", { exact: true }).click();
    await expect(choose).toBeEnabled({ timeout: 1_000 });
  }).toPass();
  await choose.click();
  await editor.field(`${es.admin_field_alt} (opcional)`, 0).fill("Personas reunidas en una sala");
  // One photo for both languages: chosen once, its text alternative in each.
  await page.getByRole("button", { name: decapEs.editor.editorWidgets.object.expand }).first().click();
  await editor.field(`${es.admin_field_alt} (opcional)`, 1).fill("People meeting in a room");
  await page.getByRole("button", { name: "Publicar", exact: true }).click();
  await page.getByText("Publicar ahora", { exact: true }).click();
  await expect(page.getByRole("button", { name: "Publicado", exact: true })).toBeVisible({ timeout: 15_000 });
  console.log(`a bilingual story with a photo, published in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const file = repository.read("stories/foto-de-un-encuentro.es.md");
  expect(file).toContain('src = "/images/encuentro.png"');
  const english = repository.read("stories/foto-de-un-encuentro.en.md");
  expect(english).toContain('src = "/images/encuentro.png"');
  expect(english).toContain('alt = "People meeting in a room"');
  expect(fs.existsSync(path.join(repository.public, "images", "encuentro.png"))).toBe(true);
});
