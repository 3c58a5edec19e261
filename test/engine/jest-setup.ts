// Per engine test file: `testTimeout` in a jest project's config is ignored (a global option).
// Real sockets and n8n-core's retry waits on a busy machine outrun jest's 5 s default.
jest.setTimeout(60_000);
