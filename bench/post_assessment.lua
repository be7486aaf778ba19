-- post_assessment.lua - wrk: POST /api/v1/patients/{A}/assessments with a realistic
-- document. bench/load sets BENCH_DIR, BENCH_BODY (a file), BENCH_COOKIE, BENCH_CSRF.
dofile(os.getenv("BENCH_DIR") .. "/count.lua")

local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "mt_session=" .. os.getenv("BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
