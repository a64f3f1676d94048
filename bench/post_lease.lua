-- wrk: each request creates a lease of one host for an hour of its own, so
-- that every create finds a free host. Threads take disjoint ranges of hours
-- (setup runs once per thread and sets `first_hour` in that thread's state).
local thread_index = 0
function setup(thread)
  thread:set("first_hour", thread_index * 100000)  -- eleven years apart
  thread_index = thread_index + 1
end

local counter = 0
local base = os.time{year=2040, month=1, day=1, hour=0}

request = function()
  counter = counter + 1
  local start = base + ((first_hour or 0) + counter) * 3600
  local body = string.format(
    '{"name": "bench", "start_date": "%s", "end_date": "%s", "reservations": ' ..
    '[{"resource_type": "physical:host", "min": 1, "max": 1, ' ..
    '"hypervisor_properties": "", "resource_properties": ""}]}',
    os.date("!%Y-%m-%d %H:%M", start), os.date("!%Y-%m-%d %H:%M", start + 3600))
  return wrk.format("POST", "/v1/leases", nil, body)
end
