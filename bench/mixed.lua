-- A read-mostly mix: 3 of 4 requests pull the manifest (the URL given to wrk); the 4th starts a
-- blob upload (POST) or, when an upload is waiting, completes it with a 4 KiB blob (PUT ?digest=),
-- the two-request push every registry supports. bench.py writes the blobs, one
-- "digest hex-content" per line, to the file named by BENCH_MIXED_BLOBS.
local blobs = {}
local pending = {}
local counter = 0

function init(args)
  local file = io.open(os.getenv("BENCH_MIXED_BLOBS"), "r")
  for line in file:lines() do
    local digest, hex = line:match("^(%S+) (%S+)$")
    local body = hex:gsub("..", function(pair) return string.char(tonumber(pair, 16)) end)
    table.insert(blobs, { digest = digest, body = body })
  end
  file:close()
end

function request()
  counter = counter + 1
  if counter % 4 ~= 0 then
    return wrk.format(nil)
  end
  local location = table.remove(pending)
  if location then
    local blob = blobs[counter % #blobs + 1]
    local separator = location:find("?", 1, true) and "&" or "?"
    return wrk.format("PUT", location .. separator .. "digest=" .. blob.digest,
      { ["Content-Type"] = "application/octet-stream" }, blob.body)
  end
  return wrk.format("POST", "/v2/bench/mixed/blobs/uploads/", {}, "")
end

function response(status, headers, body)
  if status == 202 then
    local location = headers["Location"] or headers["location"]
    if location then
      table.insert(pending, (location:gsub("^https?://[^/]+", "")))
    end
  end
end
