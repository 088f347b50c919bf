-- Replays requests prepared by run.py, one file per wrk thread, and counts the answers.
--
-- Thread n reads REQUESTS.n: whole HTTP requests separated by NUL bytes, after a first
-- record that says how the list is used. "once": a list of answers, each POST answering
-- a fresh question, sent once; the thread stops when it runs out. "cycle": a list of
-- pages, sent over and over.
--
-- The requests are formatted by run.py, not here, because wrk runs each thread's init()
-- before it starts the next thread, and counts the requests the first threads complete
-- while the others are still in init() in a run whose clock starts after the last one:
-- parsing and formatting thousands of requests in every init() made the first thread
-- start a quarter of a second early, and overstated a 10 s run's rate by 1–2%. Here
-- init() only splits its file, in about a millisecond.
--
-- At the end one JSON line reports the latency percentiles and the status counts: each
-- status of the answers, and for pages whether they were 2xx or 3xx or not.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local function records(content)
  local list = {}
  local start = 1
  while start <= #content do
    local stop = content:find("\0", start, true) or (#content + 1)
    table.insert(list, content:sub(start, stop - 1))
    start = stop + 1
  end
  return list
end

function init(args)
  local file = assert(io.open(os.getenv("REQUESTS") .. "." .. index, "rb"))
  requests = records(file:read("*a"))
  file:close()
  posting = table.remove(requests, 1) == "once"
  -- Asked for once the answers have run out (see request()).
  after_last = wrk.format("GET", "/login")
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
      return after_last
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
