-- One HTMX save per request, each wrk thread on its own item, following the version
-- the server returns so that every request is a real save (not a conflict).
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  item = items[index]
  version = 0
  value = 0
  cookie = os.getenv("BENCH_COOKIE")
  csrf = os.getenv("BENCH_CSRF")
  path = os.getenv("BENCH_SAVE_PATH") .. item .. "/"
end

-- Answer saves by default; BENCH_VALUES and BENCH_TEXT_FIELD make it a practice rating save.
local choices = {}
for v in string.gmatch(os.getenv("BENCH_VALUES") or "yes,partly,no", "[^,]+") do
  table.insert(choices, v)
end
local text_field = os.getenv("BENCH_TEXT_FIELD") or "comment"

function request()
  value = value % #choices + 1
  local body = "value-" .. item .. "=" .. choices[value] .. "&" .. text_field .. "-" .. item ..
               "=bench&version-" .. item .. "=" .. version
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["HX-Request"] = "true",
    ["Referer"] = os.getenv("BENCH_ORIGIN") .. "/",
  }, body)
end

function response(status, headers, body)
  local v = string.match(body, 'name="version%-[^"]+" value="(%d+)"')
  if v then version = tonumber(v) end
  if status ~= 200 or string.find(body, "conflict") then failures = (failures or 0) + 1 end
end

items = {}
for key in string.gmatch(os.getenv("BENCH_ITEMS"), "[^,]+") do table.insert(items, key) end
