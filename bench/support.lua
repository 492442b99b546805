-- Toggle a support through the API: each citizen supports a project, then withdraws it.
dofile(os.getenv("BENCH_LUA_DIR") .. "/writes.lua")

function request()
  counter = counter + 1
  local pair = pairs_list[(math.floor(counter / 2) % #pairs_list) + 1]
  local method = (counter % 2 == 0) and "POST" or "DELETE"
  return wrk.format(method, "/api/v1/projects/" .. pair.project .. "/support/", headers_for(pair.token))
end
