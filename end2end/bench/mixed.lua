-- wrk script: a mixed load over 16 addresses, four of which get a never-seen query on every
-- request: one request in four is for an address never asked for before.
--   MIXED=bots: the four queries are what crawlers and bots add (tracking and cache-busting
--     parameters on pages, unknown filter values), which the server's page addresses drop;
--   MIXED=search (default): two of them are searches of the library with a random word, a
--     page the server must render every time.
--   MIXED=search wrk -t2 -c200 -d20s --latency -s end2end/bench/mixed.lua http://127.0.0.1:3100
local fixed = {
  "/es/", "/en/", "/es/historias", "/en/stories", "/es/historias?page=2",
  "/es/historias/story-00042", "/en/stories/story-00042", "/es/historias/story-01234",
  "/es/recursos", "/en/resources", "/es/recursos?q=memoria", "/es/donar",
}
local fresh = {
  function(r) return "/es/?utm_source=mail&fbclid=" .. r end,
  function(r) return "/en/stories/story-00042?ref=" .. r end,
}
if os.getenv("MIXED") == "bots" then
  table.insert(fresh, function(r) return "/es/historias?_=" .. r .. "&page=2" end)
  table.insert(fresh, function(r) return "/es/recursos?q=memoria&shelf=" .. r .. "&gclid=" .. r end)
else
  table.insert(fresh, function(r) return "/es/recursos?q=" .. r end)
  table.insert(fresh, function(r) return "/en/resources?q=" .. r .. "&language=en" end)
end
local letters = "abcdefghijklmnopqrstuvwxyz"

local function word()
  local out = {}
  for i = 1, math.random(4, 9) do
    local k = math.random(1, #letters)
    out[i] = letters:sub(k, k)
  end
  return table.concat(out)
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919 + os.time())
end

function init(args)
  math.randomseed(seed)
end

function request()
  local i = math.random(1, #fixed + #fresh)
  if i <= #fixed then
    return wrk.format("GET", fixed[i])
  end
  return wrk.format("GET", fresh[i - #fixed](word()))
end

function done(summary, latency, requests)
  io.write(string.format("mixed: %d requests, %d errors (connect %d, read %d, write %d, status %d, timeout %d)\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
