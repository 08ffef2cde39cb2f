-- wrk script for the bare ceiling: the first request of a voting cycle
-- (POST /api/v1/matchups with a JSON body) against `arenaload --serve-bare`.
-- Usage: wrk -t2 -c64 -d30s -s cmd/arenaload/wrk/matchup.lua http://127.0.0.1:19090
wrk.method = "POST"
wrk.path = "/api/v1/matchups"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
