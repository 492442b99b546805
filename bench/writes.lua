-- Shared by the write scripts: many citizens' API tokens, so per-user rate limits are not what is measured.
-- BENCH_WRITE_DATA names a file of "token project_id" lines; each wrk thread starts at its own offset.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local thread_count = 0
function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

pairs_list = {}
counter = 0
function init(args)
  for line in io.lines(os.getenv("BENCH_WRITE_DATA")) do
    local token, project = line:match("^(%S+)%s+(%S+)$")
    if token then
      table.insert(pairs_list, { token = token, project = project })
    end
  end
  counter = (thread_number or 0) * 100003
end

function headers_for(token)
  return {
    ["Authorization"] = "Token " .. token,
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "fa",
  }
end
