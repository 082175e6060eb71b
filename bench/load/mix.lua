-- The request mix of the load test: page views, searches, API reads and coding writes,
-- in a fixed rotation (one write in `every` requests, 10 unless wrk is given another
-- number after `--`; 0 for reads only), each wrk connection starting at its own place.
-- Writes alternate: one codes a passage, the next deletes the oldest coding this wrk
-- thread made (wrk runs one script state per thread, for all its connections), as
-- coders who add and take back codings. The demo's one document (1,654 characters, 10
-- codings) so keeps a coder's load of codings: before, every write added one, and a
-- minute piled 2,400 codings onto it, which every page of it then drew.
local reads = {
  "/",
  "/sites/1",
  "/forums/1",
  "/documents/1",
  "/studies/1/matrix",
  "/search?q=%E0%B8%81%E0%B8%AD%E0%B8%87%E0%B8%97%E0%B8%B8%E0%B8%99",   -- กองทุน
  "/search?q=%E0%B9%80%E0%B8%84%E0%B8%A3%E0%B8%B7%E0%B8%AD%E0%B8%82%E0%B9%88%E0%B8%B2%E0%B8%A2", -- เครือข่าย
  "/api/v1/documents/1/codings",
  "/api/v1/studies/1/sites",
}
local n = 0
local every = 10
-- The shared deployment signs everyone in; every request carries the account's token.
local auth = {}
local statuses = {}
local code_ids = { 2, 3, 4, 5, 7, 8 }
-- Codings this thread made and has not deleted yet, oldest first; whether the next
-- write deletes.
local mine = {}
local take_back = false

init = function(args)
  n = math.random(0, 1000)
  if args[1] then every = tonumber(args[1]) end
  if args[2] then auth = { ["Authorization"] = "Bearer " .. args[2] } end
end

request = function()
  n = n + 1
  if every > 0 and n % every == 0 then
    take_back = not take_back
  end
  if every > 0 and n % every == 0 and take_back and #mine > 0 then
    return wrk.format("DELETE", "/api/v1/codings/" .. table.remove(mine, 1), auth)
  end
  if every > 0 and n % every == 0 then
    local start = (n * 37) % 1500
    local body = string.format(
      '{"document_id":1,"code_id":%d,"span":{"start":%d,"end":%d},"coder":"load","status":"accepted","memo":null,"cue":null}',
      code_ids[(n % #code_ids) + 1], start, start + 8)
    return wrk.format("POST", "/api/v1/codings", {
      ["Content-Type"] = "application/json", ["Authorization"] = auth["Authorization"] }, body)
  end
  return wrk.format("GET", reads[(n % #reads) + 1], auth)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    table.insert(mine, string.match(body, '"id":(%d+)'))
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"seconds":%.1f,"per_second":%.1f,"p50_ms":%.1f,"p90_ms":%.1f,"p99_ms":%.1f,"max_ms":%.1f,"errors":%d,"non_2xx_3xx":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors, summary.errors.status))
end
