import { test, expect } from "@playwright/test";
import path from "node:path";
import { messages, fill } from "./fixtures/site";
import { Editor, EditorRepository } from "./fixtures/editor";

// Stories in one language only, as the seed's English story: the editor shows and saves such a
// story without a Spanish version, new stories can be written in Spanish or English alone, and
// a language written by half is refused in the editor's words. Runs beside the other editor
// specs, on its own ports, over the seed plus one bilingual story.
test.describe.configure({ mode: "serial", timeout: 90_000 });
test.use({ locale: "en-US", viewport: { width: 1400, height: 1000 } });

const en = messages.en;
const ENGLISH_ONLY = "aipr-celebrates-un-day-for-south-south-cooperation";
const EXTRA = path.join(__dirname, "fixtures", "editor-content");
let repository: EditorRepository;
test.beforeAll(async () => {
  repository = new EditorRepository({ extra: EXTRA, port: 3014, backendPort: 8094 });
  await repository.start();
});
test.afterAll(() => repository?.stop());

test("an English-only story opens with its Spanish side empty and saves into its English file alone", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await editor.open();
  await page.goto(`${repository.url}/admin/#/collections/stories/entries/${ENGLISH_ONLY}`);
  await expect(page.getByRole("button", { name: "Publish" })).toBeVisible();
  // The Spanish pane: no text of the English version; the shared fields, entered once there.
  await expect(editor.storyText(en.admin_field_title, 1)).toHaveValue("AIPR Celebrates the United Nations' Day for South-South Cooperation");
  await expect(editor.storyText(en.admin_field_title, 0)).toHaveValue("");
  await expect(editor.storyText(en.admin_field_summary, 0)).toHaveValue("");
  await expect(editor.field(en.admin_field_date, 0)).toHaveValue("2023-01-18");

  const summary = editor.storyText(en.admin_field_summary, 1);
  await summary.fill("A shorter summary of the day.");
  await editor.publish();
  await editor.expectPublished();
  const diff = repository.diff();
  expect(diff).toContain(`content/stories/${ENGLISH_ONLY}.en.md`);
  expect(diff).not.toContain(`${ENGLISH_ONLY}.es.md`);
  expect(diff.split("\n").filter((line) => /^[-+](?![-+])/.test(line))).toEqual([
    expect.stringMatching(/^-summary = "A growing platform/),
    '+summary = "A shorter summary of the day."',
  ]);
  const check = repository.check();
  expect(check.status, check.output).toBe(0);
});

test("new stories in Spanish alone and in English alone write one file each; half a language is refused", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await editor.open();

  // Nothing written in either language.
  await editor.newEntry("stories");
  await editor.field(en.admin_field_date, 0).fill("2025-06-01");
  await editor.publish();
  await expect(page.getByText(en.admin_story_no_language, { exact: false })).toBeVisible({ timeout: 15_000 });

  // English: a title without its summary.
  await editor.storyText(en.admin_field_title, 1).fill("Training in Nairobi");
  await editor.body("A paragraph.", 1);
  await editor.publish();
  await expect(
    page.getByText(fill(en.admin_story_incomplete, { field: en.admin_field_summary, language: en.language_en }), { exact: false }),
  ).toBeVisible({ timeout: 15_000 });
  await editor.storyText(en.admin_field_summary, 1).fill("A week of training.");
  await editor.publish();
  await editor.expectPublished();
  // Its address comes from its English title; only the English file is written.
  expect(repository.read("stories/training-in-nairobi.en.md")).toMatch(/^title = "Training in Nairobi"$/m);
  expect(repository.read("stories/training-in-nairobi.en.md")).toMatch(/^date = "2025-06-01"$/m);
  expect(() => repository.read("stories/training-in-nairobi.es.md")).toThrow();

  // Spanish alone.
  await editor.newEntry("stories");
  await editor.storyText(en.admin_field_title, 0).fill("Taller en Lima");
  await editor.storyText(en.admin_field_summary, 0).fill("Un taller de una semana.");
  await editor.field(en.admin_field_date, 0).fill("2025-07-01");
  await editor.body("Un párrafo.", 0);
  await editor.publish();
  await editor.expectPublished();
  expect(repository.read("stories/taller-en-lima.es.md")).toMatch(/^title = "Taller en Lima"$/m);
  expect(() => repository.read("stories/taller-en-lima.en.md")).toThrow();
  const check = repository.check();
  expect(check.status, check.output).toBe(0);
});

test("a bilingual story whose Spanish text is emptied is not saved, and the editor is told why", async ({ page }) => {
  const editor = new Editor(page, repository.url);
  await editor.open();
  await page.goto(`${repository.url}/admin/#/collections/stories/entries/taller-en-bogota`);
  await expect(page.getByRole("button", { name: "Publish" })).toBeVisible();
  const before = repository.read("stories/taller-en-bogota.es.md");
  for (const label of [en.admin_field_title, en.admin_field_summary]) {
    const field = editor.storyText(label, 0);
    await field.selectText();
    await field.press("Backspace");
    await expect(field).toHaveValue("");
  }
  // Its text too: the Markdown editor, emptied.
  await page.getByRole("switch").nth(0).click();
  const body = page.locator("[data-slate-editor]").nth(0);
  await expect(async () => {
    await body.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await expect(body).toHaveText("", { timeout: 1_000 });
  }).toPass();
  // The form's value follows the Markdown editor a moment later: until it has, a save is
  // refused as a Spanish version without its title.
  const removed = page.getByText(fill(en.admin_story_removed, { language: en.language_es }), { exact: false });
  await expect(async () => {
    await editor.publish();
    await expect(removed).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  expect(repository.read("stories/taller-en-bogota.es.md")).toBe(before);
});
