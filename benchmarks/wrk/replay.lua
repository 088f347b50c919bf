-- Replays prepared requests, one list per wrk thread, and counts the answers.
--
-- The requests file (REQUESTS in the environment) holds one request per line:
--   METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY
-- Thread n of N takes lines n, n+N, n+2N...; a GET list is cycled, a POST list is used
-- once (each POST answers a fresh question) and the thread stops when it runs out.
-- A GET list shorter than the number of threads is cycled whole by every thread.
-- At the end one JSON line reports the latency percentiles and the status counts: each
-- status of the answers, and for pages whether they were 2xx or 3xx or not.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local function prepare(f)
  local headers = {["Cookie"] = f[3]}
  if f[1] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(f[1], f[2], headers, f[4] ~= "" and f[4] or nil)
end

function init(args)
  local path = os.getenv("REQUESTS")
  local total = tonumber(os.getenv("THREADS") or "1")
  requests = {}
  local all = {}
  local n = 0
  for line in io.lines(path) do
    if line ~= "" then
      n = n + 1
      local f = split(line)
      posting = f[1] == "POST"
      table.insert(all, f)
      if (n - index) % total == 0 then
        table.insert(requests, prepare(f))
      end
    end
  end
  if #requests == 0 and not posting then
    for _, f in ipairs(all) do
      table.insert(requests, prepare(f))
    end
  end
  position = 0
  statuses = {}
  stopped = false
  if not posting then
    -- Pages are counted by wrk itself (2xx/3xx or not, in done()): without a response
    -- callback wrk does not copy every header and body into Lua, work that would take
    -- the server's CPU on the machine both run on, more for a long page than for hello.
    response = nil
  end
end

function request()
  position = position + 1
  if position > #requests then
    if posting then
      -- Every prepared answer is sent once; asking again would answer twice. wrk
      -- wants a request even so: a harmless GET, whose response is not counted.
      stopped = true
      wrk.thread:stop()
      return wrk.format("GET", "/login")
    end
    position = 1
  end
  return requests[position]
end

function response(status, headers, body)
  if stopped then
    return
  end
  local key = tostring(status)
  -- A refused action redirects to the home page with a message: counted apart, so
  -- that a redirect is only taken for a stored answer when it goes anywhere else.
  local location = headers["Location"] or headers["location"]
  if status >= 300 and status < 400 and location and
      (location == "/" or location:match("^https?://[^/]+/$")) then
    key = "refused"
  end
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local thread_statuses = thread:get("statuses")
    for status, count in pairs(thread_statuses) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  if next(counts) == nil then
    -- A list of pages: wrk's own count of responses that were not 2xx or 3xx.
    counts["2xx or 3xx"] = summary.requests - summary.errors.status
    if summary.errors.status > 0 then
      counts["other"] = summary.errors.status
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, ", ")))
end
