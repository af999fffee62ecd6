// Real visitors beside a flood: asks for a fixed set of the site's pages, one after another,
// for SECONDS, each with the ETag its kept copy had when it started (If-None-Match), as a
// browser revisiting them does. A 304 means the page was answered from the kept copy; a 200
// means it had to be rendered again (it had been pushed out of the cache).
//   node end2end/bench/visitors.mjs http://127.0.0.1:3100 60 > visitors.json
// Prints one JSON line: requests, kept (304), rendered (200), errors, hit ratio, p50 and p99 ms.
import http from 'node:http';

const [base, seconds = '10'] = process.argv.slice(2);
const pages = ['/es/', '/en/', '/es/historias', '/en/stories', '/es/recursos', '/en/resources', '/es/donar'];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path, headers = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.get(`${base}${path}`, { agent, headers, timeout: 5000 }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, etag: response.headers.etag, ms: performance.now() - started }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
  });
}

// Kept: a page is kept the second time it is asked for (if the cache lets it in: a flood may
// be under way already); its identity ETag names the copy.
const etags = new Map();
for (const path of pages) {
  let answer;
  for (let i = 0; i < 50 && !answer?.etag; i++) answer = await get(path);
  if (answer.status !== 200 || !answer.etag) {
    console.error(`visitors: ${path} answered ${answer.status} without an ETag after 50 visits`);
    process.exit(1);
  }
  etags.set(path, answer.etag);
}

const counts = { requests: 0, kept: 0, rendered: 0, errors: 0 };
const times = [];
const end = performance.now() + Number(seconds) * 1000;
while (performance.now() < end) {
  for (const path of pages) {
    const answer = await get(path, { 'if-none-match': etags.get(path) });
    counts.requests++;
    times.push(answer.ms);
    if (answer.status === 304) counts.kept++;
    else if (answer.status === 200) counts.rendered++;
    else counts.errors++;
    // About a hundred visits a second: people, not a second flood.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
console.log(JSON.stringify({
  ...counts,
  hit_ratio: Number((counts.kept / Math.max(1, counts.requests)).toFixed(4)),
  p50_ms: Number(at(0.5).toFixed(1)),
  p99_ms: Number(at(0.99).toFixed(1)),
}));
agent.destroy();
