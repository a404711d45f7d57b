-- A proxy or browser revalidating the copy it keeps: the same GET with If-None-Match, where
-- anything but 304 Not Modified counts as a failure. done() prints one line per thread.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures, reasons = 0, {}
  wrk.headers["If-None-Match"] = os.getenv("BENCH_ETAG")
end

function response(status, headers, body)
  if status ~= 304 then
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
