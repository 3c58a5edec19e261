/** One part of a multipart/form-data body. */
export interface FormPart {
	name: string;
	filename?: string;
	contentType?: string;
	data: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` Content-Type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

function headerParameter(header: string, name: string): string | undefined {
	const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/**
 * Parses a multipart/form-data body (RFC 7578). Part data is kept as bytes, exactly as sent.
 * Returns undefined when the body is not well-formed.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | undefined {
	const delimiter = Buffer.from(`--${boundary}`);
	// The first delimiter may open the body; every later one follows a CRLF.
	let position = body.indexOf(delimiter);
	if (position !== 0 && (position < 2 || !body.subarray(position - 2, position).equals(CRLF))) {
		return undefined;
	}
	const nextDelimiter = Buffer.concat([CRLF, delimiter]);
	const parts: FormPart[] = [];
	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString() === '--') return parts;
		const lineEnd = body.indexOf(CRLF, position);
		if (lineEnd < 0 || body.subarray(position, lineEnd).toString().trim() !== '') return undefined;
		let headers: string[] = [];
		let dataStart = lineEnd + 4;
		if (!body.subarray(lineEnd, lineEnd + 4).equals(HEADER_END)) {
			const headerEnd = body.indexOf(HEADER_END, lineEnd + 2);
			if (headerEnd < 0) return undefined;
			headers = body.subarray(lineEnd + 2, headerEnd).toString('utf8').split('\r\n');
			dataStart = headerEnd + 4;
		}
		const end = body.indexOf(nextDelimiter, dataStart);
		if (end < 0) return undefined;
		const part = partFromHeaders(headers, body.subarray(dataStart, end));
		if (!part) return undefined;
		parts.push(part);
		position = end + 2;
	}
}

function partFromHeaders(headers: string[], data: Buffer): FormPart | undefined {
	let disposition: string | undefined;
	let contentType: string | undefined;
	for (const line of headers) {
		const colon = line.indexOf(':');
		if (colon < 0) return undefined;
		const key = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (key === 'content-disposition') disposition = value;
		else if (key === 'content-type') contentType = value;
	}
	if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) return undefined;
	const name = headerParameter(disposition, 'name');
	if (name === undefined) return undefined;
	return { name, filename: headerParameter(disposition, 'filename'), contentType, data };
}
