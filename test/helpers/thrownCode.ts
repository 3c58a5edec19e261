/**
 * The `code` of the typed error `run` throws: 'no error' when it returns, 'untyped error' when
 * it throws anything but an instance of `ErrorClass`, so a test tells a refusal from a crash.
 */
export function thrownCode<Code extends string>(
	ErrorClass: new (code: Code, message: string) => Error & { code: Code },
	run: () => unknown,
): Code | 'no error' | 'untyped error' {
	try {
		run();
		return 'no error';
	} catch (error) {
		return error instanceof ErrorClass ? error.code : 'untyped error';
	}
}
