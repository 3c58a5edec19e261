#!/usr/bin/env bash
# `npm run demo`: a real n8n (2.41.1) with this package, the WeChat sandbox in place of WeChat,
# a Slack stand-in and the example workflows; prints the editor URL and what to click.
# Works on a fresh clone: installs the dev dependencies when missing, builds dist/ when stale,
# provisions n8n and Node 24 once into ~/.cache/n8n-nodes-wechat-publish (minutes the first
# time), then runs scripts/demo/demo.ts. Ctrl-C stops everything.
# Environment: DEMO_PORT (default 5678, or a free port when taken), DEMO_EXIT_AFTER_READY=1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Not a `predemo` script: .npmrc's ignore-scripts=true keeps npm from running pre-scripts.
bash scripts/ensure-deps.sh
echo "demo: provisioning n8n (cached after the first run)..." >&2
bash scripts/n8n-runtime.sh >/dev/null
# The launcher owns n8n, the sandbox and the stand-in; exec lets Ctrl-C reach it directly.
exec node -r ts-node/register/transpile-only scripts/demo/demo.ts
