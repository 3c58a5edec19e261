#!/usr/bin/env bash
# `npm run demo`: a real n8n (2.41.1) with this package, the WeChat sandbox in place of WeChat,
# a Slack stand-in and the example workflows; prints the editor URL and what to click.
# Works on a fresh clone: installs the dev dependencies when missing, builds dist/ when stale,
# provisions n8n and Node 24 once into ~/.cache/n8n-nodes-wechat-publish (minutes the first
# time), then runs scripts/demo/demo.ts. Ctrl-C, or SIGINT / SIGTERM to the npm process, stops
# everything.
# Environment: DEMO_PORT (default 5678, or a free port when taken), DEMO_EXIT_AFTER_READY=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# npm forwards SIGINT and SIGTERM only to its own child: package.json runs this script with
# `exec`, so that child is this bash, and the `exec node` below makes it the demo itself. Until
# then, a signal stops the step under way (a step in the background ignores SIGINT, so TERM).
step=''
stop_step() {
	[[ -n "$step" ]] && kill -TERM "$step" 2>/dev/null
	exit 130
}
trap stop_step INT TERM
run_step() {
	"$@" &
	step=$!
	local code=0
	wait "$step" || code=$?
	step=''
	return "$code"
}

# Not a `predemo` script: .npmrc's ignore-scripts=true keeps npm from running pre-scripts.
run_step bash scripts/ensure-deps.sh
echo "demo: provisioning n8n (cached after the first run)..." >&2
run_step bash scripts/n8n-runtime.sh >/dev/null
# The launcher owns n8n, the sandbox and the stand-in; exec lets the signals reach it directly.
trap - INT TERM
exec node -r ts-node/register/transpile-only scripts/demo/demo.ts
