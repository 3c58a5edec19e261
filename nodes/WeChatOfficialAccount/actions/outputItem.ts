import type { IBinaryKeyData, IDataObject } from 'n8n-workflow';

/** An operation's result that carries binary data as well as JSON (most return plain JSON). */
export class OutputItem {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}
