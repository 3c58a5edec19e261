#!/usr/bin/env bash
# n8n queue mode with this package: PostgreSQL + Redis + main + 2 workers + 1 webhook processor.
#
#   scripts/queue-mode.sh ensure   install Debian's redis-server and postgresql when missing (root);
#                                  prints PostgreSQL's bin folder (initdb, postgres, createdb)
#   scripts/queue-mode.sh test     ensure, build, then run test/e2e/queue-mode.test.ts
#   scripts/queue-mode.sh up       ensure, build, then start the same setup with the WeChat sandbox
#                                  and leave it running to try by hand; Ctrl-C stops everything
#
# Both start every process themselves (test/e2e/harness/queue.ts) on loopback ports under a
# temporary folder and stop them all at the end; nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."

postgres_bin_dir() {
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x "$dir/initdb" && -x "$dir/postgres" ]]; then
			echo "$dir"
			return 0
		fi
	done
	return 1
}

ensure() {
	local missing=()
	command -v redis-server >/dev/null || missing+=(redis-server)
	postgres_bin_dir >/dev/null || missing+=(postgresql)
	if [[ ${#missing[@]} -eq 0 ]]; then
		postgres_bin_dir
		return 0
	fi
	if [[ $(id -u) -ne 0 ]]; then
		echo "queue-mode: missing ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "queue-mode: installing ${missing[*]} from Debian's packages" >&2
	apt-get update -qq
	# The packages' own services stay stopped (no init system here): the harness starts its own.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	postgres_bin_dir
}

case "${1:-}" in
	ensure)
		ensure
		;;
	test)
		ensure >/dev/null
		npm run build
		npx jest --selectProjects e2e --runTestsByPath test/e2e/queue-mode.test.ts
		;;
	up)
		ensure >/dev/null
		npm run build
		exec node -r ts-node/register/transpile-only test/e2e/harness/queue-up.ts
		;;
	*)
		echo "usage: $0 ensure|test|up" >&2
		exit 2
		;;
esac
