-- The same GET again and again, counting every answer that is not 2xx (wrk itself lets 3xx
-- pass). done() prints one line per thread.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  failures, reasons = 0, {}
end

function response(status, headers, body)
  if status < 200 or status > 299 then
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
