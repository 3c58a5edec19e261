/**
 * 7. Image re-hosting: Draft → Create with an article of 30 image references, 20 of them distinct,
 * against the sandbox answering every media/uploadimg after 200 ms. Reference: the same 20 images
 * uploaded one by one (Image → Upload Content Image over 20 items, as workflows did before the
 * composer). Both run through the action node's execute() with real HTTP; runs alternate.
 */
import type { IDataObject } from 'n8n-workflow';

import { WeChatOfficialAccount } from '../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { makePng } from '../test/fixtures/images';
import { createExecuteFunctions } from '../test/helpers/executeFunctions';
import { ImageServer, WeChatSandbox } from '../test/sandbox';
import { credentialFor } from '../test/unit/action-harness';
import { format, formatRatio, median, type SectionResult } from './report';

export const IMAGE_REHOST_TARGET_RATIO = 0.3;
const UPLOAD_LATENCY_MS = 200;
const DISTINCT = 20;
const REFERENCES = 30;
const RUNS = 3;
const UPLOAD = '/cgi-bin/media/uploadimg';

async function timedRun(sandbox: WeChatSandbox, parameters: IDataObject | IDataObject[], items: IDataObject[], binary?: ReturnType<typeof binaries>): Promise<number> {
	sandbox.clearFaults();
	sandbox.injectFault(UPLOAD, { delayMs: UPLOAD_LATENCY_MS }, 1000);
	sandbox.resetCounts();
	const functions = createExecuteFunctions({
		parameters,
		credentials: { weChatOfficialAccountApi: credentialFor(sandbox) },
		items: items.map((json) => ({ json })),
		binary,
	});
	const start = performance.now();
	await new WeChatOfficialAccount().execute.call(functions);
	return performance.now() - start;
}

function binaries(offset: number) {
	return Array.from({ length: DISTINCT }, (_, index) => ({
		data: { data: makePng(offset + index + 1, 9).toString('base64'), fileName: `${index}.png`, mimeType: 'image/png' },
	}));
}

export async function benchImageRehost(): Promise<SectionResult> {
	const sandbox = await WeChatSandbox.start();
	const images = await ImageServer.start();
	try {
		const composed: number[] = [];
		const loop: number[] = [];
		const composedUploads: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			// Distinct pixels per run, so no run reuses another's images.
			const offset = run * 100;
			const sources = Array.from({ length: REFERENCES }, (_, index) => `${images.url}/n/${offset + (index % DISTINCT)}.png`);
			const content = sources.map((src) => `<p><img src="${src}"></p>`).join('');
			// The image server makes each photo-sized PNG on its first request, in this process: made
			// now, so the timed run measures the node's downloads and uploads, not the fixture.
			await Promise.all([...new Set(sources)].map(async (src) => await (await fetch(src)).arrayBuffer()));
			composed.push(
				await timedRun(
					sandbox,
					{
						resource: 'draft',
						operation: 'create',
						articlesInput: 'fields',
						articles: { article: [{ title: `Rehost ${run}`, content }] },
						options: { allowPrivateNetwork: true, verifyDraft: false },
					},
					[{}],
				),
			);
			composedUploads.push(sandbox.count(UPLOAD));
			loop.push(
				await timedRun(
					sandbox,
					{ resource: 'image', operation: 'uploadContentImage', binaryPropertyName: 'data' },
					Array.from({ length: DISTINCT }, () => ({})),
					binaries(offset + 1000),
				),
			);
		}
		const ours = median(composed);
		const reference = median(loop);
		const ratio = ours / reference;
		return {
			rows: [
				{
					measurement: `7. re-host ${REFERENCES} image references (${DISTINCT} distinct), uploadimg answering after ${UPLOAD_LATENCY_MS} ms`,
					ours: `${format(ours, 0)} ms`,
					reference: `one by one ${format(reference, 0)} ms`,
					ratio: formatRatio(ratio),
					target: `≤ ${IMAGE_REHOST_TARGET_RATIO}x`,
					met: ratio <= IMAGE_REHOST_TARGET_RATIO,
				},
				{
					measurement: '7. uploadimg calls per draft',
					ours: composedUploads.join(', '),
					target: `exactly ${DISTINCT}`,
					met: composedUploads.every((count) => count === DISTINCT),
				},
			],
			notMeasured: [],
			notes: [
				`7. ${RUNS} runs each, alternating, median; the draft also downloads its images from a local server and creates the draft (the cover from the first image: one add_material), the loop only uploads.`,
			],
		};
	} finally {
		await Promise.all([sandbox.close(), images.close()]);
	}
}
