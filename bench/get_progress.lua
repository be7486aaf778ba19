-- get_progress.lua - wrk: GET /api/v1/patients/{B}/progress (a year of history) with
-- the session cookie. bench/load sets BENCH_DIR and BENCH_COOKIE.
dofile(os.getenv("BENCH_DIR") .. "/count.lua")

wrk.method = "GET"
wrk.headers["Cookie"] = "mt_session=" .. os.getenv("BENCH_COOKIE")
