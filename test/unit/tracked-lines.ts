import { execFileSync } from 'node:child_process';

/**
 * Lines of the repository's tracked text files matching a Perl regular expression, as
 * `file:line:text`, lock files and `exceptFile` (the test naming the pattern) left out.
 */
export function trackedLinesMatching(pattern: string, options: { ignoreCase: boolean; exceptFile: string }): string[] {
	try {
		return execFileSync(
			'git',
			['grep', '-n', '-I', ...(options.ignoreCase ? ['-i'] : []), '-P', pattern, '--', '.', ':!package-lock.json', ':!scripts/n8n-runtime/package-lock.json'],
			{ cwd: `${__dirname}/../..`, encoding: 'utf8' },
		)
			.split('\n')
			.filter(Boolean)
			.filter((line) => !line.startsWith(`${options.exceptFile}:`));
	} catch (error) {
		if ((error as { status?: number }).status === 1) return [];
		throw error;
	}
}
