-- A plain GET of the URL given on the command line: an anonymous visitor, or a signed-in citizen with BENCH_COOKIE.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
wrk.headers["Accept-Language"] = "fa"
local cookie = os.getenv("BENCH_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end
