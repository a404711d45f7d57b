-- The same GET again and again, counting every answer that is not 2xx (wrk itself lets 3xx
-- pass). With BENCH_ETAG set it is a proxy or browser revalidating the copy it keeps: the GET
-- carries If-None-Match, and anything but 304 Not Modified counts as a failure. done() prints
-- one line per thread.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures, reasons = 0, {}
  etag = os.getenv("BENCH_ETAG")
  if etag and etag ~= "" then
    wrk.headers["If-None-Match"] = etag
  end
end

local function expected(status)
  if etag and etag ~= "" then
    return status == 304
  end
  return status >= 200 and status <= 299
end

function response(status, headers, body)
  if not expected(status) then
    failures = failures + 1
    reasons["GET " .. status] = (reasons["GET " .. status] or 0) + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("bench-duration\t%d\n", summary.duration))
  for _, thread in ipairs(threads) do
    local text = {}
    for reason, n in pairs(thread:get("reasons")) do table.insert(text, reason .. ": " .. n) end
    io.write(string.format("bench-failures\t%d\t%s\n", thread:get("failures"),
      table.concat(text, "; ")))
  end
end
