import { test, expect } from "@playwright/test";
import path from "node:path";
import { messages } from "./fixtures/site";
import { Editor, EditorRepository } from "./fixtures/editor";

// An editor moves between entries by typing their addresses, by Back and Forward and by the
// sidebar, across collections, and saves each: every save lands in the file the address names
// and changes only the field that was edited (Decap's bug #4147 kept the previous entry's form
// under the new address, and a save overwrote the previous file). Runs beside admin.spec.ts,
// on its own ports, over the seed plus one more story and document.
test.describe.configure({ mode: "serial", timeout: 120_000 });
test.use({ locale: "en-US", viewport: { width: 1400, height: 1000 } });

const EXTRA = path.join(__dirname, "fixtures", "editor-content");
let repository: EditorRepository;
test.beforeAll(async () => {
  repository = new EditorRepository({ extra: EXTRA, port: 3010, backendPort: 8090 });
  await repository.start();
});
test.afterAll(() => repository?.stop());

const entry = (collection: string, slug: string) => `/admin/#/collections/${collection}/entries/${slug}`;

/** `git diff -U0` as the lines removed and added in each file. */
function changes(diff: string): Record<string, { removed: string[]; added: string[] }> {
  const files: Record<string, { removed: string[]; added: string[] }> = {};
  let current: { removed: string[]; added: string[] } | undefined;
  for (const line of diff.split("\n")) {
    const file = /^\+\+\+ b\/content\/(.+)$/.exec(line);
    if (file) files[file[1]] = current = { removed: [], added: [] };
    else if (line.startsWith("---") || line.startsWith("+++")) continue;
    else if (current && line.startsWith("-")) current.removed.push(line.slice(1));
    else if (current && line.startsWith("+")) current.added.push(line.slice(1));
  }
  return files;
}

test("moving by address, Back and Forward across collections, each save lands in its own file and changes one field", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await editor.open();

  // A document, by its address.
  await page.goto(repository.url + entry("documents", "llenar-el-silencio"));
  await expect(editor.field("Spanish", 0)).toHaveValue(/^Llenar el silencio/);
  await editor.field("Pages (optional)").fill("120");
  await editor.publish();
  await editor.expectPublished();

  // A story, by typing its address.
  await page.goto(repository.url + entry("stories", "taller-en-bogota"));
  await expect(editor.storyText("Title", 0)).toHaveValue("Taller en Bogotá");
  await expect(editor.storyText("Title", 1)).toHaveValue("Workshop in Bogotá");
  await editor.storyText("Summary", 0).fill("Funcionarios de toda la región se reunieron en Bogotá.");
  await editor.publish();
  await editor.expectPublished();

  // Another document, by typing its address.
  await page.goto(repository.url + entry("documents", "guia-de-prevencion"));
  await expect(editor.field("Spanish", 0)).toHaveValue("Guía para la prevención de atrocidades");
  await editor.field("Year (optional)").fill("2020");
  await editor.publish();
  await editor.expectPublished();

  // Back to the story.
  await page.goBack();
  await expect(editor.storyText("Title", 0)).toHaveValue("Taller en Bogotá");
  await expect(editor.storyText("Summary", 0)).toHaveValue("Funcionarios de toda la región se reunieron en Bogotá.");
  await editor.storyText("Summary", 1).fill("Officials from the whole region met in Bogotá.");
  await editor.publish();
  await editor.expectPublished();

  // Forward to the second document.
  await page.goForward();
  await expect(editor.field("Spanish", 0)).toHaveValue("Guía para la prevención de atrocidades");
  await expect(editor.field("Year (optional)")).toHaveValue("2020");
  await editor.field("Pages (optional)").fill("64");
  await editor.publish();
  await editor.expectPublished();

  // The shelves and the site, from the sidebar.
  await editor.backToList(messages.en.admin_documents);
  await editor.openFile(messages.en.admin_shelves, messages.en.admin_shelves_file);
  // The seventh shelf; the English title is the only field labelled exactly "English".
  // Its chevron, the first button of the item (the form renders again just after it opens:
  // open the shelf until it shows).
  await expect(async () => {
    const shelf = page.getByText("Recursos de formación", { exact: true }).locator("xpath=..");
    if (!(await editor.field("English", 6).isVisible())) await shelf.getByRole("button").first().click();
    await expect(editor.field("English", 6)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(editor.field("English", 6)).toHaveValue("Training resources");
  await editor.field("English", 6).fill("Training materials");
  await editor.publish();
  await editor.expectPublished();

  await editor.backToList(messages.en.admin_shelves);
  await editor.openFile(messages.en.admin_site, messages.en.admin_site_file);
  await expect(editor.field("English", 0)).toHaveValue(/^The Auschwitz Institute/);
  const intro = "The Auschwitz Institute for Peace and Reconciliation trains officials to prevent genocide.";
  await editor.field("English", 0).fill(intro);
  await editor.publish();
  await editor.expectPublished();

  expect(changes(repository.diff())).toEqual({
    "resources/llenar-el-silencio.toml": { removed: [], added: ["pages = 120"] },
    "stories/taller-en-bogota.es.md": {
      removed: ['summary = "Funcionarios de la región se reunieron en Bogotá."'],
      added: ['summary = "Funcionarios de toda la región se reunieron en Bogotá."'],
    },
    "stories/taller-en-bogota.en.md": {
      removed: ['summary = "Officials from the region met in Bogotá."'],
      added: ['summary = "Officials from the whole region met in Bogotá."'],
    },
    "resources/guia-de-prevencion.toml": { removed: ["year = 2019"], added: ["year = 2020", "pages = 64"] },
    "shelves.toml": { removed: ['en = "Training resources"'], added: ['en = "Training materials"'] },
    "texts.toml": { removed: [expect.stringMatching(/^en = "The Auschwitz Institute/)], added: [`en = "${intro}"`] },
  });
  const check = repository.check();
  expect(check.status, check.output).toBe(0);
});

test("moving away from unsaved changes asks first, and staying keeps them under their own address", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await editor.open();
  const story = repository.url + entry("stories", "taller-en-bogota");
  await page.goto(story);
  await expect(editor.storyText("Title", 0)).toHaveValue("Taller en Bogotá");
  const before = repository.read("stories/taller-en-bogota.es.md");
  await editor.storyText("Title", 0).fill("Taller en Bogotá, sin guardar");

  const asked: string[] = [];
  page.once("dialog", (dialog) => {
    asked.push(dialog.message());
    return dialog.dismiss();
  });
  await page.goto(repository.url + entry("documents", "llenar-el-silencio"));
  await expect.poll(() => asked).toEqual([messages.en.admin_unsaved_leave]);
  await expect(page).toHaveURL(story);
  await expect(editor.storyText("Title", 0)).toHaveValue("Taller en Bogotá, sin guardar");

  page.once("dialog", (dialog) => {
    asked.push(dialog.message());
    return dialog.accept();
  });
  await page.goto(repository.url + entry("documents", "llenar-el-silencio"));
  // (The page loads again: under load that takes a few seconds.)
  await expect(editor.field("Spanish", 0)).toHaveValue(/^Llenar el silencio/, { timeout: 15_000 });
  expect(asked).toHaveLength(2);
  expect(repository.read("stories/taller-en-bogota.es.md")).toBe(before);
});
