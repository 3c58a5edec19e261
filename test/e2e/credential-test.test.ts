import { WeChatSandbox } from '../sandbox';
import { installedPackageEnv, sandboxCredential } from './harness/examples';
import { N8nInstance } from './harness/n8n';

// The credential's "Test" button in a real n8n with the package installed as a community
// package: the editor posts the credential's fields to n8n's REST API, n8n runs the node's
// credential test, which fetches a token from the sandbox.

const CREDENTIAL = { id: 'e2eCredTest00001', name: 'WeChat (sandbox)' };

describe("the credential's Test button in a real n8n", () => {
	let sandbox: WeChatSandbox;
	let n8n: N8nInstance;
	let installed: ReturnType<typeof installedPackageEnv>;

	beforeAll(async () => {
		sandbox = await WeChatSandbox.start();
		installed = installedPackageEnv();
		n8n = await N8nInstance.start({ credentials: [sandboxCredential(sandbox, CREDENTIAL)], env: installed.env });
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
		installed?.remove();
	});

	/** What n8n answers the editor for these credential fields. */
	async function test(data: Record<string, unknown>): Promise<{ status: string; message: string }> {
		// As the editor sends a saved credential whose fields were just edited.
		const credential = sandboxCredential(sandbox, CREDENTIAL);
		const answer = (await n8n.rest('POST', '/credentials/test', { credentials: { ...credential, data: { ...credential.data, ...data } } })) as {
			data: { status: string; message: string };
		};
		return answer.data;
	}

	it('reports OK when WeChat hands out a token', async () => {
		const before = sandbox.count('/cgi-bin/stable_token');
		expect(await test({})).toMatchObject({ status: 'OK' });
		expect(sandbox.count('/cgi-bin/stable_token') - before).toBe(1);
	});

	it("reports WeChat's refusal of a wrong AppSecret with its errcode, never the secret", async () => {
		const result = await test({ appSecret: 'wrong-secret-5150' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/40125/);
		expect(result.message).not.toContain('wrong-secret-5150');
	});
});
