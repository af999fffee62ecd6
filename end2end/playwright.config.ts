import { defineConfig, devices } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// Four servers from the release build, all on fixture content (never the editors' content/):
// a frozen copy of the seed, a generated tree with many stories and documents, for paging and
// filtering, the small valid fixture, whose site offers one-off donations only, and the seed
// with a story whose photos `gen_photos` generates as the server starts (nothing committed).
const root = path.resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const serverBin = path.join(targetDir, "release", "server");
const seed = path.join(root, "app", "tests", "fixtures", "seed");
const synthetic = process.env.SYNTHETIC_CONTENT_DIR ?? path.join(root, "synthetic");
const oneOffOnly = path.join(root, "app", "tests", "fixtures", "valid");

function server(port: number, contentDir: string) {
  return {
    command: serverBin,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      LEPTOS_ENV: "PROD",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: path.join(root, "target", "site"),
      CONTENT_DIR: contentDir,
      PUBLIC_DIR: path.join(root, "public"),
      CONTENT_WATCH: "false",
      SITE_BASE_URL: `http://127.0.0.1:${port}`,
      RUST_LOG: "warn",
    },
  };
}

/** The seed with a story showing a generated 12-megapixel phone photo and a transparent PNG. */
function photoServer(port: number) {
  const out = path.join(os.tmpdir(), `aipr-e2e-photos-${port}`);
  const base = server(port, path.join(out, "content"));
  const generate = `${path.join(targetDir, "release", "gen_photos")} --source ${seed} --out ${out} --width 4000 --height 3000`;
  return {
    ...base,
    command: `${generate} && rm -rf ${out}-cache && exec ${serverBin}`,
    env: { ...base.env, PUBLIC_DIR: path.join(out, "public"), PHOTO_CACHE_DIR: `${out}-cache`, PHOTO_WORKERS: "2" },
  };
}

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: [["list"]],
  use: { baseURL: "http://127.0.0.1:3000", trace: "off" },
  projects: [
    { name: "js", use: { ...chromium, javaScriptEnabled: true } },
    { name: "no-js", grep: /@nojs/, use: { ...chromium, javaScriptEnabled: false } },
  ],
  webServer: [server(3000, seed), server(3002, synthetic), server(3004, oneOffOnly), photoServer(3006)],
});
