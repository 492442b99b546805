-- Post a comment through the API, each request as the next citizen on the list.
dofile(os.getenv("BENCH_LUA_DIR") .. "/writes.lua")

function request()
  counter = counter + 1
  local pair = pairs_list[(counter % #pairs_list) + 1]
  local body = '{"text": "نظر آزمایشی شماره ' .. counter .. ' دربارهٔ زمان‌بندی اجرای طرح"}'
  return wrk.format("POST", "/api/v1/projects/" .. pair.project .. "/comments/", headers_for(pair.token), body)
end
