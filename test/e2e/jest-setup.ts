import { N8nInstance } from './harness/n8n';

// Per e2e test file. `testTimeout` in a jest project's config is ignored (a global option), so
// the e2e budget is set here; and no n8n outlives its file, not even one whose start timed out.
jest.setTimeout(300_000);
afterAll(async () => await N8nInstance.stopAll());
