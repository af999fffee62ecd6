// Hostile-input test of the AIPR website, against a server that is already running on loopback.
// It sends N seeded, reproducible requests over raw TCP (bytes exactly as generated): mangled
// paths, query strings, headers, methods and server-function bodies. Each must get a status line
// below 500 within --max-ms; no HTML page may contain an XSS probe unescaped, nor any redirect's
// Location. Afterwards GET /healthz and GET /es/ must still answer 200.
//   node end2end/hostile/run.mjs http://127.0.0.1:3005 [--requests N] [--seed S] [--concurrency C] [--max-ms T]
// The last line reads "hostile: P passed, F failed", P + F = N + 2 (the two liveness checks).
// Exit code 1 when anything failed. A request reset while its body was still being sent, before
// any answer, is sent once more, paced (see resetWhileSending). Node built-ins only (net; zlib
// to read compressed pages).
import net from "node:net";
import zlib from "node:zlib";

const STORY = "aipr-celebrates-un-day-for-south-south-cooperation";
const SHELF = "research-reports";
const SITE_PATHS = [
  "/es/", "/en/", "/es/historias", "/en/stories", `/es/historias/${STORY}`, `/en/stories/${STORY}`,
  "/es/recursos", "/en/resources", `/es/recursos/${SHELF}`, `/en/resources/${SHELF}`, "/es/donar",
  "/en/donate", "/es/donar/gracias", "/en/donate/thank-you", "/sitemap.xml", "/robots.txt",
  "/es/feed.xml", "/en/feed.xml", "/healthz", "/api/v1/stories", `/api/v1/stories/${STORY}`,
  "/api/v1/shelves", "/api/v1/resources", "/donate/checkout", "/pkg/whatever.js", "/favicon.svg",
  "/_fn/library", "/_fn/home", "/_fn/feed", "/_fn/story", "/_fn/nope",
];
const PROBES = [`"><script>aiprProbe(1)</script>`, `'><img src=x onerror=aiprProbe(2)>`, `</title><svg onload=aiprProbe(3)>`];
const PROBE_MARKS = ["<script>aiprProbe", "<img src=x onerror=aiprProbe", "<svg onload=aiprProbe"];
const UNICODE = ["ñandú", "日本語", "🦀", "\u202eevil", "\ufeffbom", "Ω≈ç√", "e\u0301", "\u0000nul", "١٢٣"];
const enc = encodeURIComponent;
const raw = (s) => Buffer.from(s, "utf8").toString("latin1"); // UTF-8 bytes, one char per byte

// ---- Seeded randomness (mulberry32) -------------------------------------------------------
function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const word = () => Array.from({ length: int(2, 9) }, () => pick("abcdefghijklmnopqrstuvwxyz")).join("");
  // `count` words, all different: a random stem and a counter.
  const words = (count) => {
    const stem = word();
    return Array.from({ length: count }, (_, i) => stem + i.toString(36));
  };
  return { next, int, pick, word, words, chance: (p) => next() < p };
}

const urlProbe = (R) => (R.chance(0.7) ? enc(R.pick(PROBES)) : R.pick(PROBES).replace(/ /g, "%20"));

// ---- Family: paths -------------------------------------------------------------------------
const LONG_PARENTS = ["/es", "/sitemap.xml", "/favicon.svg", "/es/historias", "/en/resources", "/pkg", "/api/v1/stories", "/_fn"];
const PATH_MUTATIONS = [
  (R, p) => `${R.pick([...LONG_PARENTS, p.replace(/\/$/, "")])}/${"a".repeat(R.int(300, 6000))}`,
  (R) => R.pick(["/favicon.svg/x", "/robots.txt/", "/sitemap.xml/index", "/healthz/x", "/es/feed.xml/x", "/pkg/"]),
  (R, p) => R.pick(["/pkg/../../../../etc/passwd", "/%2e%2e/%2e%2e/Cargo.toml", `${p}/..%2f..%2fCargo.toml`,
    "/pkg/.%2e/.%2e/Cargo.toml", `${p}/../../../etc/passwd`, "/pkg/%2e%2e%5c%2e%2e%5cCargo.toml"]),
  (R, p) => (R.chance(0.5) ? p.replace(/\//g, "//") : `//${p}`),
  (R, p) => p + R.pick(["%", "%zz", "%E0%A4%A", "%%", "%g0", "%C3", "/%", "/%E0%A4%A"]),
  (R, p) => p.replace(/\/([^/]*)$/, (_, last) => `/${last.slice(0, 3)}%00${last.slice(3)}`),
  (R, p) => "/" + p.slice(1).replace(/\//g, "%2F"),
  (R, p) => "/" + p.slice(1).replace(/\//g, "\\"),
  (R, p) => `${p.replace(/\/$/, "")}/${enc(R.pick(UNICODE))}`,
  (R, p) => p + R.pick([".", ";", ";jsessionid=1", "./", "/.", "%20"]),
  (R, p) => p.replace(/\/$/, "") + "/x".repeat(R.int(100, 20000)),
  (R, p) => `${p.replace(/\/$/, "")}/${urlProbe(R)}`,
];
function pathRequest(R) {
  let target = R.pick(SITE_PATHS);
  for (let i = R.int(1, 2); i > 0; i--) target = R.pick(PATH_MUTATIONS)(R, target);
  return { method: "GET", target };
}

// ---- Family: query strings -----------------------------------------------------------------
const QUERY_PATHS = ["/es/recursos", "/en/resources", "/es/historias", "/en/stories", `/es/recursos/${SHELF}`,
  "/api/v1/resources", "/api/v1/stories", "/donate/checkout", "/es/donar", "/en/donate"];
const QUERY_KEYS = ["q", "shelf", "language", "year", "program", "page", "locale", "amount", "other_amount", "currency", "frequency"];
const QUERY_VALUES = [
  (R, key) => R.words(key === "q" ? R.int(1000, 12000) : R.int(50, 1000)).join(R.pick(["+", "%20", ","])),
  (R) => R.pick(["%", "%zz", "%E0%A4%A", "%%41", "a%", "%u0041", "%C0%AF", "%ff%fe"]),
  (R) => R.pick(["-1", "0", "-0", "1e308", "3.14", "NaN", "Infinity", "99999999999999999999999", "4294967296",
    "65536", "-2147483649", "0x10", "1_000", "١٢٣"]).replace(/[^ -~]/g, enc),
  (R) => Array.from({ length: R.int(1, 8) }, () => "%" + R.int(0, 31).toString(16).padStart(2, "0")).join(R.word()),
  (R) => (R.chance(0.8) ? enc(R.pick(UNICODE)) : raw(R.pick(UNICODE))),
  (R) => urlProbe(R),
  (R) => R.pick(["es", "en", "2020", "1", "2", "USD", "usd", "monthly", "once", SHELF, "derechos", "25"]),
];
function queryRequest(R) {
  const pairs = [];
  for (let i = R.int(1, 6); i > 0; i--) {
    const key = R.pick(QUERY_KEYS);
    const repeat = R.chance(0.15) ? R.int(100, 600) : 1;
    for (let j = 0; j < repeat; j++) pairs.push(`${key}=${R.pick(QUERY_VALUES)(R, repeat > 1 ? "" : key)}`);
  }
  const odd = R.pick(["", "", "", "&&&", "=", "&q", "&=x", "&q=a=b=c", "#frag"]);
  return { method: "GET", target: `${R.pick(QUERY_PATHS)}?${pairs.join("&")}${odd}` };
}

// ---- Family: headers -----------------------------------------------------------------------
const HEADER_MAKERS = [
  (R) => ["Accept-Language", R.pick([
    () => "es-ES;q=0.9,".repeat(R.int(1000, 5000)),
    () => R.pick(["*;q=abc", "en;q=-1, es;q=2", "q=0.5", ";;;,,,", "en-US;q=0.8;q=0.9", "", "en;q=NaN", "en;q=1e999"]),
    () => Array.from({ length: R.int(1000, 4000) }, (_, i) => `${R.word()}-${i};q=0.${i % 10}`).join(","),
    () => raw(`${R.pick(UNICODE.slice(0, 6))}, español;q=0.5, en`),
    () => "\xff\xfe\x80en\xc3",
    () => R.pick(PROBES),
  ])()],
  (R) => ["Accept-Encoding", R.pick(["gzip;q=abc", "br, br, br, gzip, deflate, zstd", "*;q=0", "identity;q=0",
    "identity;q=0, *;q=0", "x-unknown", "gzip;q=1e9", "deflate", "zstd", "gzip, br;q=0.5", "gzip,".repeat(2000)])],
  (R) => ["If-None-Match", R.pick(['"abc"', "*", `W/"${"a".repeat(5000)}"`, '"', ",,,", "W/", R.pick(PROBES)])],
  (R) => ["Range", R.pick(["bytes=0-0", "bytes=-1", "bytes=999999999999999-", "bytes=5-1", "bytes=abc", "items=0-1",
    "bytes=0-18446744073709551616", "bytes=" + Array.from({ length: 1000 }, (_, i) => `${i}-${i}`).join(",")])],
  (R) => ["Cookie", Array.from({ length: R.int(100, 3000) }, (_, i) => `c${i}=${R.word()}`).join("; ")],
  (R) => Array.from({ length: R.int(50, 300) }, (_, i) => [`X-Hostile-${i}`, R.word()]),
];
function headerRequest(R) {
  const headers = [];
  for (let i = R.int(1, 3); i > 0; i--) {
    const made = R.pick(HEADER_MAKERS)(R);
    headers.push(...(Array.isArray(made[0]) ? made : [made]));
  }
  return { method: "GET", target: R.pick(["/", "/es/", "/en/resources", "/favicon.svg"]), headers };
}

// ---- Family: methods -----------------------------------------------------------------------
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"];
function methodRequest(R) {
  const method = R.pick(METHODS);
  let target = R.pick(SITE_PATHS);
  if (R.chance(0.3)) target = R.pick(PATH_MUTATIONS.slice(1))(R, target);
  const withBody = ["POST", "PUT", "PATCH", "FOO"].includes(method) && R.chance(0.5);
  return withBody
    ? { method, target, headers: [["Content-Type", "application/x-www-form-urlencoded"]], body: "locale=es" }
    : { method, target };
}

// ---- Family: server-function bodies --------------------------------------------------------
const FN_PATHS = ["/_fn/library", "/_fn/home", "/_fn/feed", "/_fn/story", "/_fn/donation", "/_fn/site"];
const FORM = "application/x-www-form-urlencoded";
const CONTENT_TYPES = [FORM, FORM, FORM, FORM, "application/json", "text/plain", "multipart/form-data; boundary=x", null];
const BODIES = [
  () => "locale=xx",
  () => "locale=es&query=garbage",
  () => "%ff%fe=1",
  () => "",
  () => "a".repeat(1 << 20),
  (R) => `locale=es&shelf=&query[q]=${R.words(150000).join("+")}`,
  () => JSON.stringify({ locale: "es", shelf: null, query: { q: "x" } }),
  (R) => Array.from({ length: R.int(1, 4096) }, () => String.fromCharCode(R.int(0, 255))).join(""),
  () => "locale=es&shelf=&query[q]=derechos&query[page]=999999",
  (R) => R.pick(["locale=en&through=4294967296", "locale=es&through=-1", "locale=es&locale=en", "locale[]=es", "locale=es&id="]),
  (R) => `locale=es&id=${urlProbe(R)}&shelf=${urlProbe(R)}&query[q]=${urlProbe(R)}`,
  () => '--x\r\nContent-Disposition: form-data; name="locale"\r\n\r\nes\r\n--x--\r\n',
];
function bodyRequest(R) {
  const type = R.pick(CONTENT_TYPES);
  return { method: "POST", target: R.pick(FN_PATHS), headers: type ? [["Content-Type", type]] : [], body: R.pick(BODIES)(R) };
}

const FAMILIES = [
  { name: "paths", make: pathRequest },
  { name: "queries", make: queryRequest },
  { name: "headers", make: headerRequest },
  { name: "methods", make: methodRequest },
  { name: "bodies", make: bodyRequest },
];

// The requests, made one at a time in order, so the same seed always gives the same requests.
function* generate(count, seed) {
  const R = makeRng(seed);
  for (let i = 0; i < count; i++) {
    const family = R.pick(FAMILIES);
    yield { index: i, family: family.name, headers: [], body: null, ...family.make(R) };
  }
}

// ---- Sending over raw TCP ------------------------------------------------------------------
function encodeRequest(req, host) {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  lines.push("Connection: close");
  if (req.body !== null) lines.push(`Content-Length: ${Buffer.byteLength(req.body, "latin1")}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${req.body ?? ""}`, "latin1");
}

// Writes the request and calls `sent` once all of it is written. The socket is never half-closed:
// hyper takes that for a client gone and drops the request. `paced`: in 16 KB pieces, each after
// the server has had 25 ms to answer, and none once it has.
function writeRequest(socket, bytes, paced, answered, sent) {
  if (!paced) return void socket.write(bytes, (e) => e || sent());
  let at = 0;
  const next = () => {
    if (at >= bytes.length) return sent();
    if (answered() || socket.destroyed) return;
    socket.write(bytes.subarray(at, (at += 16 << 10)), (e) => e || setTimeout(next, 25));
  };
  next();
}

// Sends one request and reads until the server closes: { ms, data, error, cutOff, sent }. A
// request still open after `timeoutMs`, or answering more than MAX_ANSWER bytes, is cut off.
const MAX_ANSWER = 64 << 20;
function send(server, req, timeoutMs, paced = false) {
  return new Promise((resolve) => {
    const start = performance.now();
    const chunks = [];
    let [size, error, cutOff, sent] = [0, null, null, false];
    const socket = net.connect({ host: server.host, port: server.port }, () =>
      writeRequest(socket, encodeRequest(req, server.hostHeader), paced, () => size > 0, () => (sent = true)));
    const cut = (why) => { cutOff ??= why; socket.destroy(); };
    const timer = setTimeout(() => cut(`not finished within ${timeoutMs} ms`), timeoutMs);
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      if ((size += chunk.length) > MAX_ANSWER) cut(`answer over ${MAX_ANSWER} bytes`);
    });
    socket.on("error", (e) => { error ??= e.code ?? e.message; });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - start, data: Buffer.concat(chunks), error, cutOff, sent });
    });
  });
}

// A server refusing a large body answers and closes without reading the rest; a write after
// that fails, and Node then drops the answer it had received, unread (a browser reads it). Such
// a request is sent again, paced; if that too ends in a reset before any answer, it fails.
const resetWhileSending = (answer) => !answer.sent && answer.data.length === 0 && ["EPIPE", "ECONNRESET"].includes(answer.error);

function parseResponse(data) {
  const end = data.indexOf("\r\n\r\n");
  const head = data.subarray(0, end < 0 ? data.length : end).toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "");
  const headers = new Map();
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: status ? Number(status[1]) : null, headers, body: end < 0 ? Buffer.alloc(0) : data.subarray(end + 4) };
}

function dechunk(body) {
  const parts = [];
  for (let at = 0; ;) {
    const eol = body.indexOf("\r\n", at);
    const size = parseInt(body.subarray(at, eol).toString("latin1"), 16);
    if (eol < 0 || Number.isNaN(size) || eol + 2 + size > body.length) throw new Error("truncated chunked body");
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 4 + size;
  }
}

// The body as text, chunking and compression undone; throws when it is truncated or corrupt.
function bodyText({ headers, body }) {
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) body = dechunk(body);
  else if (headers.has("content-length") && body.length < Number(headers.get("content-length"))) throw new Error("truncated body");
  const encoding = (headers.get("content-encoding") ?? "").toLowerCase();
  const decode = { gzip: zlib.gunzipSync, br: zlib.brotliDecompressSync, deflate: zlib.inflateSync, zstd: null }[encoding];
  if (decode === null) return ""; // Node 20 cannot read zstd: such a body goes unchecked
  return (decode ? decode(body) : body).toString("utf8");
}

// What is wrong with one answer, as short phrases; none when it passes.
function problems(req, answer, maxMs) {
  const res = parseResponse(answer.data);
  if (res.status === null) return [answer.data.length ? "no status line" : `no answer (${answer.cutOff ?? answer.error ?? "empty"})`];
  const found = answer.cutOff ? [answer.cutOff] : [];
  if (res.status >= 500) found.push(`status ${res.status}`);
  if (answer.ms > maxMs) found.push(`slow: ${Math.round(answer.ms)} ms`);
  const location = res.headers.get("location") ?? "";
  if (PROBE_MARKS.some((m) => location.includes(m))) found.push("raw probe in Location");
  if (/text\/html/i.test(res.headers.get("content-type") ?? "") && req.method !== "HEAD") {
    try {
      const text = bodyText(res);
      const mark = PROBE_MARKS.find((m) => text.includes(m));
      if (mark) found.push(`raw probe in HTML: ${mark}`);
    } catch (e) {
      found.push(`unreadable HTML body: ${e.message}`);
    }
  }
  return found;
}

// ---- Running and reporting -----------------------------------------------------------------
function usage(message) {
  console.error(`${message}\nusage: node end2end/hostile/run.mjs <base-url> [--requests N] [--seed S] [--concurrency C] [--max-ms T]`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { requests: 3000, seed: 1, concurrency: 8, maxMs: 2000 };
  const flags = { "--requests": "requests", "--seed": "seed", "--concurrency": "concurrency", "--max-ms": "maxMs" };
  let base = null;
  for (let i = 0; i < argv.length; i++) {
    if (flags[argv[i]]) {
      const value = Number(argv[i + 1]);
      if (!Number.isInteger(value) || value < 0) usage(`${argv[i]} needs a whole number`);
      options[flags[argv[i++]]] = value;
    } else if (base === null && !argv[i].startsWith("--")) base = argv[i];
    else usage(`unknown argument: ${argv[i]}`);
  }
  if (base === null) usage("no base URL");
  let url;
  try { url = new URL(base); } catch { usage(`not a URL: ${base}`); }
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    usage(`refusing ${base}: only http on 127.0.0.1, localhost or ::1`);
  }
  options.concurrency = Math.max(1, options.concurrency);
  const port = Number(url.port || 80);
  options.server = { host: url.hostname.replace(/^\[|\]$/g, ""), port, hostHeader: url.host };
  return options;
}

const printable = (s) => s.slice(0, 120).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const timeoutMs = options.maxMs + 3000;
  const failures = [];
  const families = new Map(FAMILIES.map((f) => [f.name, { sent: 0, failed: 0 }]));
  const statuses = new Map();
  let slowest = { ms: 0, line: "" };
  let retried = 0;
  const started = performance.now();

  const record = (req, answer, found) => {
    const line = printable(`${req.method} ${req.target}`);
    const status = parseResponse(answer.data).status ?? "none";
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (answer.ms > slowest.ms) slowest = { ms: answer.ms, line };
    const counts = families.get(req.family);
    counts.sent++;
    if (found.length) { counts.failed++; failures.push({ index: req.index, text: `FAIL ${line} -- ${found.join("; ")}` }); }
  };

  const queue = generate(options.requests, options.seed);
  const worker = async () => {
    for (let next = queue.next(); !next.done; next = queue.next()) {
      const req = next.value;
      let answer = await send(options.server, req, timeoutMs);
      if (resetWhileSending(answer)) {
        retried++;
        answer = await send(options.server, req, timeoutMs, true);
      }
      record(req, answer, problems(req, answer, options.maxMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsed = performance.now() - started;

  families.set("liveness", { sent: 0, failed: 0 });
  for (const [k, target] of ["/healthz", "/es/"].entries()) {
    const req = { index: options.requests + k, family: "liveness", method: "GET", target, headers: [], body: null };
    const answer = await send(options.server, req, timeoutMs);
    const status = parseResponse(answer.data).status;
    record(req, answer, status === 200 ? [] : [`liveness: status ${status ?? "none"} (${answer.error ?? "no error"})`]);
  }

  failures.sort((a, b) => a.index - b.index); // in request order, whatever the concurrency
  for (const failure of failures.slice(0, 50)) console.log(failure.text);
  if (failures.length > 50) console.log(`... and ${failures.length - 50} more failures`);
  console.log(`\n${options.requests} requests, seed ${options.seed}, concurrency ${options.concurrency}, ${(elapsed / 1000).toFixed(1)} s`);
  for (const [name, c] of families) console.log(`  ${name.padEnd(9)} ${String(c.sent).padStart(5)} sent, ${c.failed} failed`);
  console.log(`sent again, paced, after a reset while sending: ${retried}`);
  console.log(`slowest: ${Math.round(slowest.ms)} ms (limit ${options.maxMs}) ${slowest.line}`);
  const histogram = [...statuses].sort(([a], [b]) => String(a).localeCompare(String(b)));
  console.log(`statuses: ${histogram.map(([s, n]) => `${s}:${n}`).join(" ")}`);
  const total = options.requests + 2;
  console.log(`hostile: ${total - failures.length} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

await main();
