import { test, expect, BrowserContext, Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { messages } from "./fixtures/site";
import { Editor, EditorRepository } from "./fixtures/editor";
import { GitHubStandIn } from "./fixtures/github-stand-in";

// An editor signs in with GitHub: the sign-in popup goes through the site's /admin/auth, a
// stand-in for GitHub on loopback (its OAuth endpoints and the API the CMS reads; never GitHub
// itself) and back to the site, which exchanges the code with the app's secret and hands the
// token to the editor page. Runs beside the other editor specs, on its own ports.
test.describe.configure({ mode: "serial", timeout: 60_000 });
test.use({ locale: "en-US", viewport: { width: 1400, height: 1000 } });

const en = messages.en;
const SITE_PORT = 3018;
const STAND_IN_PORT = 3019;
const CLIENT_ID = "Iv1.stand-in-client";
const SECRET = "stand-in-client-secret";
const EXTRA = path.join(__dirname, "fixtures", "editor-content");

let repository: EditorRepository;
let github: GitHubStandIn;
let secretDir: string;
test.beforeAll(async () => {
  const site = `http://127.0.0.1:${SITE_PORT}`;
  secretDir = fs.mkdtempSync(path.join(os.tmpdir(), "aipr-github-secret-"));
  const secretFile = path.join(secretDir, "client-secret");
  fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  repository = new EditorRepository({
    extra: EXTRA,
    port: SITE_PORT,
    localBackend: false,
    env: {
      CMS_BACKEND: "github",
      CMS_REPO: "aipr/website",
      CMS_BRANCH: "main",
      CMS_APP_ID: CLIENT_ID,
      CMS_GITHUB_SECRET_FILE: secretFile,
      CMS_BASE_URL: `http://127.0.0.1:${STAND_IN_PORT}`,
      CMS_API_ROOT: `http://127.0.0.1:${STAND_IN_PORT}/api`,
      // Stops at once, so that a run right after this one finds the port free.
      DRAIN_SECONDS: "0",
    },
  });
  github = new GitHubStandIn({
    port: STAND_IN_PORT,
    clientId: CLIENT_ID,
    secret: SECRET,
    repo: "aipr/website",
    branch: "main",
    callback: `${site}/admin/auth/callback`,
    site,
    folders: { content: repository.content, public: repository.public },
  });
  await github.start();
  await repository.start();
});
test.afterAll(async () => {
  repository?.stop();
  await github?.stop();
  if (secretDir) fs.rmSync(secretDir, { recursive: true, force: true });
});
test.beforeEach(() => {
  github.tamperState = false;
});

/**
 * Waits for the sign-in window to close: the editor page closes it once it has its answer, which
 * it hears only if the window can talk back to it (the opener policy of /admin).
 */
async function closed(popup: Page) {
  if (!popup.isClosed()) await popup.waitForEvent("close", { timeout: 15_000 });
}

/** Every address the browser asks for, in every window of `context` (the popup's too). */
function addresses(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on("request", (request) => seen.push(request.url()));
  return seen;
}

test("an editor signs in with GitHub and sees the stories of the repository", async ({ page, context }) => {
  const seen = addresses(context);
  await page.goto(`${repository.url}/admin/`);
  const popup = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Login with GitHub" }).click();
  // The popup goes through the stand-in and back to the site, hands over the token, and closes.
  await closed(await popup);
  await page.getByRole("link", { name: en.admin_stories, exact: true }).click();
  // The story in both languages, listed by its Spanish title, read through the stand-in's API.
  await expect(page.getByText(/^Taller en Bogotá/)).toBeVisible();

  expect(github.requests).toContainEqual(expect.stringMatching(/^GET \/login\/oauth\/authorize\?/));
  expect(github.requests).toContain("POST /login/oauth/access_token");
  expect(github.requests).toContain("GET /api/user");
  expect(github.requests).toContain("GET /api/repos/aipr/website");
  expect(github.requests).toContainEqual(expect.stringMatching(/^GET \/api\/repos\/aipr\/website\/git\/trees\/main:content\/stories/));
  expect(seen).toContainEqual(expect.stringContaining("/admin/auth/callback?code="));
  // The token is in no address the browser asked for, nor in any the stand-in was asked.
  expect(seen.filter((url) => url.includes(github.token))).toEqual([]);
  expect(github.requests.filter((url) => url.includes(github.token))).toEqual([]);
});

test("a sign-in that comes back with another state is refused in the editor's words", async ({ page }) => {
  github.tamperState = true;
  const exchanges = github.requests.filter((r) => r.startsWith("POST /login/oauth/access_token")).length;
  await page.goto(`${repository.url}/admin/`);
  const popup = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Login with GitHub" }).click();
  await closed(await popup);
  await expect(page.getByText(en.admin_github_state, { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Login with GitHub" })).toBeVisible();
  await expect(page.getByRole("link", { name: en.admin_stories, exact: true })).toHaveCount(0);
  expect(github.requests.filter((r) => r.startsWith("POST /login/oauth/access_token")).length, "no exchange").toBe(exchanges);
});

test("a story in English only opens from GitHub with its Spanish side empty and its shared fields", async ({ page }) => {
  await page.goto(`${repository.url}/admin/`);
  const popup = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Login with GitHub" }).click();
  await closed(await popup);
  await expect(page.getByRole("link", { name: en.admin_stories, exact: true })).toBeVisible();
  // GitHub answers 404 for its Spanish file: Decap alone would show the English text as Spanish.
  await page.goto(`${repository.url}/admin/#/collections/stories/entries/aipr-celebrates-un-day-for-south-south-cooperation`);
  const editor = new Editor(page, repository.url);
  await expect(editor.storyText(en.admin_field_title, 1)).toHaveValue("AIPR Celebrates the United Nations' Day for South-South Cooperation");
  await expect(editor.storyText(en.admin_field_title, 0)).toHaveValue("");
  await expect(editor.field(en.admin_field_date, 0)).toHaveValue("2023-01-18");
});
