-- A member's cycle, repeated: an HTMX save that changes the answer of the connection's own item,
-- then a GET of a page (BENCH_VIEW_PATH: the checklist page the save changed, which must show
-- the item (BENCH_VIEW_SHOWS_ITEM=1), or the summary).
--
-- Run with as many threads as connections: each thread is then one connection, with its own
-- member, session and item (a line of BENCH_CONNECTIONS: cookie, CSRF token, item key, stored
-- version, stored value, separated by tabs), so that no two connections save the same answer.
-- Each save sends the version of the previous response's hidden `version-<key>` input and the
-- other of "yes" and "no", so it really changes the stored answer. A save counts only when it
-- answers 2xx, one version further, and showing no other answer checked among `value-<key>`
-- (a conflict shows the stored one); a page, when it answers 2xx and, if it shows the item, shows
-- the version and answer just saved. done() prints one line per connection.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text, "[^" .. separator .. "]+") do table.insert(parts, part) end
  return parts
end

local function count(reason)
  failures = failures + 1
  reasons[reason] = (reasons[reason] or 0) + 1
end

-- The value of the hidden input `version-<key>` in a page or fragment, as a number, or nil.
local function shown_version(body)
  local name = 'name="version%-' .. string.gsub(key, "%p", "%%%0") .. '"'
  for tag in string.gmatch(body or "", "<input[^>]*>") do
    if string.find(tag, name) then return tonumber(string.match(tag, 'value="(%d+)"')) end
  end
  return nil
end

-- The answer a page or fragment shows checked among the inputs `value-<key>`, or nil.
local function shown_answer(body)
  local name = 'name="value%-' .. string.gsub(key, "%p", "%%%0") .. '"'
  for tag in string.gmatch(body or "", "<input[^>]*>") do
    if string.find(tag, name) and string.find(tag, "%schecked[%s=/>]") then
      return string.match(tag, 'value="([^"]*)"')
    end
  end
  return nil
end

function init(args)
  local fields = split(split(os.getenv("BENCH_CONNECTIONS"), "\n")[number], "\t")
  cookie, csrf, key = fields[1], fields[2], fields[3]
  version, value = tonumber(fields[4]), fields[5]
  origin = os.getenv("BENCH_ORIGIN")
  save_path = os.getenv("BENCH_SAVE_PATH") .. key .. "/"
  view_path = os.getenv("BENCH_VIEW_PATH")
  view_shows_item = os.getenv("BENCH_VIEW_SHOWS_ITEM") == "1"  -- the checklist page does
  page_path = os.getenv("BENCH_PAGE_PATH")
  comment = os.getenv("BENCH_COMMENT")
  saving = true         -- the next request is a save (else the view)
  in_flight = 0         -- 1 while a save is sent and not answered
  saves, cycles, failures, reasons = 0, 0, 0, {}
  saved = false         -- the current cycle's save counted
end

function request()
  if saving then
    sent_value = (value == "yes") and "no" or "yes"
    in_flight = 1
    local body = "value-" .. key .. "=" .. sent_value .. "&comment-" .. key .. "=" .. comment ..
                 "&version-" .. key .. "=" .. version
    return wrk.format("POST", save_path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["Origin"] = origin,
      ["Referer"] = origin .. page_path,
      ["HX-Request"] = "true", ["HX-Trigger"] = key, ["HX-Current-URL"] = origin .. page_path,
    }, body)
  end
  return wrk.format("GET", view_path, {["Cookie"] = cookie})
end

function response(status, headers, body)
  if saving then
    in_flight = 0
    local returned, answer = shown_version(body), shown_answer(body)
    saved = false
    if status < 200 or status > 299 then
      count("save " .. status)
    elseif returned ~= version + 1 or (answer and answer ~= sent_value) then
      count("save not taken (a conflict)")
    else
      saved = true
      saves = saves + 1
      value = sent_value
    end
    if returned then version = returned end
    if answer then value = answer end
  else
    local shown, answer = shown_version(body), shown_answer(body)
    if status < 200 or status > 299 then
      count("view " .. status)
    elseif view_shows_item and not shown then
      count("view did not show the item's version")
    elseif (shown and shown ~= version) or (answer and answer ~= value) then
      count("view showed another version or answer")
    elseif saved then
      cycles = cycles + 1
    end
  end
  saving = not saving
end

function done(summary, latency, requests)
  io.write(string.format("bench-duration\t%d\n", summary.duration))
  for _, thread in ipairs(threads) do
    local text = {}
    for reason, n in pairs(thread:get("reasons")) do table.insert(text, reason .. ": " .. n) end
    io.write(string.format("bench-failures\t%d\t%s\n", thread:get("failures"),
      table.concat(text, "; ")))
    io.write(string.format("bench-connection\t%s\t%d\t%s\t%d\t%d\t%d\n", thread:get("key"),
      thread:get("version"), thread:get("value"), thread:get("saves"), thread:get("cycles"),
      thread:get("in_flight")))
  end
end
