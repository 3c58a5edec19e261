#!/usr/bin/env bash
# Runs `npm ci` when node_modules is missing or older than package-lock.json, so that the README's
# two commands (`npm run demo`, `npm test`) work on a fresh clone without a separate install step.
set -euo pipefail
cd "$(dirname "$0")/.."
installed=node_modules/.package-lock.json
if [ ! -f "$installed" ] || [ package-lock.json -nt "$installed" ]; then
	echo "Installing the development dependencies (npm ci)..." >&2
	npm ci
	# n8n-workflow (a dev dependency) pulls in isolated-vm, which declares Node >= 24. Nothing here
	# loads it (install scripts are off; the end-to-end n8n runs on its own Node 24), so npm's
	# EBADENGINE warning about it on an older Node is harmless.
	if (( $(node -p 'process.versions.node.split(".")[0]') < 24 )); then
		echo "Note: the 'npm warn EBADENGINE ... isolated-vm' above is harmless: nothing loads isolated-vm on this Node; n8n runs on its own Node 24." >&2
	fi
fi
