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

  await editor.field(es.admin_field_title, 0).fill("Taller en Bogotá");
  await editor.field(es.admin_field_summary, 0).fill("Otro taller con el mismo título.");
  await editor.field(es.admin_field_title, 1).fill("Workshop in Medellín");
  await editor.field(es.admin_field_summary, 1).fill("Another workshop.");
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
  const title = editor.field(es.admin_field_title, 0);
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
