/**
 * 7. Image conversion: what Convert Images costs. Each conversion in process (the converter the
 * composer calls), and Draft → Create of an article whose three images need converting (a WebP,
 * an animated GIF, a 3 MB JPEG) against the same article with images already acceptable (JPEG and
 * PNG of the same size), both through execute() with real HTTP; runs alternate.
 */
import type { IDataObject } from 'n8n-workflow';

import { decodeImage, encodePngImage } from '../nodes/wechat/image/codecs';
import { convertImage } from '../nodes/wechat/image/convert';
import { WeChatOfficialAccount } from '../nodes/WeChatOfficialAccount/WeChatOfficialAccount.node';
import { makeAnimatedGif, makeLargeJpeg, makePhotoPixels, readPhotoWebp } from '../test/fixtures/images';
import { createExecuteFunctions } from '../test/helpers/executeFunctions';
import { WeChatSandbox } from '../test/sandbox';
import { credentialFor } from '../test/unit/action-harness';
import { format, formatRatio, median, type SectionResult } from './report';

const RUNS = 3;
const CONTENT = { formats: ['jpeg', 'png'] as const, maxBytes: 1024 * 1024 - 1 };

interface Case {
	name: string;
	data: Buffer;
}

async function timed<T>(task: () => Promise<T>): Promise<[number, T]> {
	const start = performance.now();
	const result = await task();
	return [performance.now() - start, result];
}

function dataUri(data: Buffer, type: string): string {
	return `data:${type};base64,${data.toString('base64')}`;
}

async function draftRun(sandbox: WeChatSandbox, sources: string[]): Promise<number> {
	sandbox.resetCounts();
	const content = sources.map((src) => `<p><img src="${src}"></p>`).join('');
	const parameters: IDataObject = {
		resource: 'draft',
		operation: 'create',
		articlesInput: 'fields',
		articles: { article: [{ title: 'Convert', content }] },
		options: { allowPrivateNetwork: true, verifyDraft: false },
	};
	const functions = createExecuteFunctions({ parameters, credentials: { weChatOfficialAccountApi: credentialFor(sandbox) }, items: [{ json: {} }] });
	const start = performance.now();
	await new WeChatOfficialAccount().execute.call(functions);
	return performance.now() - start;
}

export async function benchImageConvert(): Promise<SectionResult> {
	const largeJpeg = makeLargeJpeg(3 * 1024 * 1024);
	const largePng = encodePngImage(makePhotoPixels(1200, 800, 60));
	const cases: Case[] = [
		{ name: 'WebP photo 640 x 400 → JPEG', data: readPhotoWebp() },
		{ name: 'transparent WebP 320 x 200 → PNG', data: readPhotoWebp(true) },
		{ name: `JPEG ${(largeJpeg.length / 1024 / 1024).toFixed(1)} MB → JPEG under 1 MB`, data: largeJpeg },
		{ name: `PNG ${(largePng.length / 1024 / 1024).toFixed(1)} MB 1200 x 800 → JPEG under 1 MB`, data: largePng },
	];
	const rows: SectionResult['rows'] = [];
	await convertImage(readPhotoWebp(), CONTENT); // compiles the WebP decoder once, as a run's first WebP does
	for (const { name, data } of cases) {
		const { raster } = await decodeImage(data);
		const megapixels = (raster.width * raster.height) / 1_000_000;
		const times: number[] = [];
		let size = 0;
		for (let run = 0; run < RUNS; run++) {
			const [ms, converted] = await timed(() => convertImage(data, CONTENT));
			times.push(ms);
			size = converted!.data.length;
		}
		const ms = median(times);
		rows.push({
			measurement: `7. convert ${name}`,
			ours: `${format(ms, 0)} ms (${format(megapixels / (ms / 1000), 1)} MP/s)`,
			reference: `${format(data.length / 1024, 0)} KB → ${format(size / 1024, 0)} KB`,
			target: 'under 1 MB',
			met: size < 1024 * 1024,
		});
	}

	const sandbox = await WeChatSandbox.start();
	try {
		const webp = readPhotoWebp();
		const gif = makeAnimatedGif();
		// The same images already acceptable: what a user converting beforehand would send.
		const acceptable = [
			(await convertImage(webp, CONTENT))!.data,
			(await convertImage(gif, CONTENT))!.data,
			(await convertImage(largeJpeg, CONTENT))!.data,
		];
		const converting = [dataUri(webp, 'image/webp'), dataUri(gif, 'image/gif'), dataUri(largeJpeg, 'image/jpeg')];
		const ready = acceptable.map((data) => dataUri(data, data[0] === 0xff ? 'image/jpeg' : 'image/png'));
		const withConversion: number[] = [];
		const without: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			withConversion.push(await draftRun(sandbox, converting));
			without.push(await draftRun(sandbox, ready));
		}
		const ours = median(withConversion);
		const reference = median(without);
		rows.push({
			measurement: '7. Draft → Create with a WebP, an animated GIF and a 3 MB JPEG (converted in the node)',
			ours: `${format(ours, 0)} ms`,
			reference: `already converted ${format(reference, 0)} ms`,
			ratio: formatRatio(ours / reference),
		});
	} finally {
		await sandbox.close();
	}
	return {
		rows,
		notMeasured: [],
		notes: [
			`7. Conversion: ${RUNS} runs each, median, in the bench process (pure JavaScript codecs and libwebp as WebAssembly, on one core); the draft rows alternate and include the uploads to the local sandbox. Converting holds n8n's event loop for its duration.`,
		],
	};
}
