import { WeChatApiError } from '../../../wechat/api';
import { describeLengthRefusal } from '../../../wechat/articleLimits';

/**
 * draft/add or draft/update refused a text length the node's pre-check let through (45003, 45004,
 * 45110): the draft's own fields are at hand, so the error says which field and how long it is.
 * `firstNumber` is the 1-based number of the first article sent.
 */
export function explainLengthRefusal(error: unknown, articles: ReadonlyArray<Record<string, unknown>>, firstNumber = 1): unknown {
	if (!(error instanceof WeChatApiError)) return error;
	const detail = describeLengthRefusal(error.errcode, articles, firstNumber);
	if (detail === undefined) return error;
	return new WeChatApiError(`${error.message} ${detail}`, { ...error, description: error.description });
}
