-- wrk script: a flood of made-up addresses, as someone who has read the server's code would
-- send them, each in a browser's Accept-Encoding (so kept pages get compressed):
--   once   library searches of a random word, each address asked once;
--   twice  the same, each asked twice (an address is kept the second time it is asked for);
--   five   the same, each asked five times;
--   ids    made-up story ids, shelf ids and page numbers, each asked twice;
--   mix    all of the above, and real pages with what bots add to their addresses.
-- The pattern is the script's argument:
--   wrk -t2 -c200 -d60s --latency -s end2end/bench/flood.lua http://127.0.0.1:3100 -- twice
-- Patterns whose answers may be 404 count the answers of 500 and above themselves; the others
-- rely on wrk's own count of statuses of 400 and above.
local letters = "abcdefghijklmnopqrstuvwxyz"
-- Set by `init` in each thread; `done` reads it from them.
pattern = "once"
local queue = {}

local function word()
  local out = {}
  for i = 1, math.random(5, 10) do
    local k = math.random(1, #letters)
    out[i] = letters:sub(k, k)
  end
  return table.concat(out)
end

local function search()
  if math.random(1, 2) == 1 then
    return "/es/recursos?q=" .. word()
  end
  return "/en/resources?q=" .. word() .. "&language=en"
end

local function made_up_id()
  local n = math.random(1, 4)
  if n == 1 then return "/es/historias/" .. word() end
  if n == 2 then return "/en/stories/story-" .. math.random(100000, 999999) end
  if n == 3 then return "/es/historias?page=" .. math.random(2, 10000000) end
  return "/es/recursos/" .. word()
end

local bots = { "/es/?utm_source=", "/en/?fbclid=", "/es/historias?ref=", "/es/recursos?gclid=" }

-- What a pattern sends next: an address and how many times it is asked for.
local next_of = {
  once = function() return search(), 1 end,
  twice = function() return search(), 2 end,
  five = function() return search(), 5 end,
  ids = function() return made_up_id(), 2 end,
  mix = function()
    local n = math.random(1, 5)
    if n == 1 then return search(), 1 end
    if n == 2 then return search(), 2 end
    if n == 3 then return search(), 5 end
    if n == 4 then return made_up_id(), 2 end
    return bots[math.random(1, #bots)] .. word(), 1
  end,
}

local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919 + os.time())
  table.insert(threads, thread)
end

-- Answers of 500 and above, counted in each thread (read back by `done`).
failed = 0
function init(args)
  math.randomseed(seed)
  pattern = args[1] or "once"
  if not next_of[pattern] then
    error("unknown pattern " .. pattern)
  end
  if pattern == "ids" or pattern == "mix" then
    function response(status)
      if status >= 500 then
        failed = failed + 1
      end
    end
  end
end

function request()
  if #queue == 0 then
    local address, times = next_of[pattern]()
    for i = 1, times do
      queue[i] = address
    end
  end
  local address = table.remove(queue)
  return wrk.format("GET", address, { ["Accept-Encoding"] = "br, gzip" })
end

function done(summary, latency, requests)
  local server_errors = 0
  for _, thread in ipairs(threads) do
    server_errors = server_errors + (thread:get("failed") or 0)
  end
  local e = summary.errors
  pattern = threads[1] and threads[1]:get("pattern") or pattern
  local status = (pattern == "ids" or pattern == "mix") and server_errors or e.status
  io.write(string.format("flood: %d requests, %d errors (connect %d, read %d, write %d, status %d, timeout %d)\n",
    summary.requests, e.connect + e.read + e.write + status + e.timeout,
    e.connect, e.read, e.write, status, e.timeout))
end
