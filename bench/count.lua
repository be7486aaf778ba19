-- count.lua - shared by the bench/load wrk scripts: counts answers that are not 2xx
-- (wrk's own "Non-2xx or 3xx" lets 3xx through) and prints machine-readable figures.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
    first_bad = ""
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        if first_bad == "" then
            first_bad = tostring(status) .. " " .. string.sub(body or "", 1, 160)
        end
    end
end

function done(summary, latency, requests)
    local bad, sample = 0, ""
    for _, t in ipairs(threads) do
        bad = bad + t:get("non2xx")
        if sample == "" then sample = t:get("first_bad") end
    end
    local e = summary.errors
    io.write(string.format("bench: requests %d\n", summary.requests))
    io.write(string.format("bench: duration_us %d\n", summary.duration))
    io.write(string.format("bench: rps %.1f\n", summary.requests / (summary.duration / 1e6)))
    io.write(string.format("bench: p50_us %d\n", latency:percentile(50)))
    io.write(string.format("bench: p99_us %d\n", latency:percentile(99)))
    io.write(string.format("bench: max_us %d\n", latency.max))
    io.write(string.format("bench: non2xx %d\n", bad))
    io.write(string.format("bench: socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
    if sample ~= "" then
        io.write("bench: first_non2xx " .. string.gsub(sample, "\n", " ") .. "\n")
    end
end
