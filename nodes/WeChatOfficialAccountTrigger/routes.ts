import { isPublishEvent, toMessageItem, toPublishEventItem } from '../wechat/events';
import type { PublishEventItem, WeChatMessage } from '../wechat/events';
import { isMassSendEvent, toMassSendEventItem } from '../wechat/massSend';
import type { MassSendEventItem } from '../wechat/massSend';

/** The outputs of versions 1 and 2, in the order saved workflows connect them. */
export const OUTPUT_NAMES = ['Published', 'Failed', 'Removed', 'Other'] as const;
/** The outputs of version 3: the mass-send results beside the publish results. */
export const OUTPUT_NAMES_V3 = ['Published', 'Failed', 'Removed', 'Sent', 'Not Sent', 'Other'] as const;
export type OutputName = (typeof OUTPUT_NAMES_V3)[number];

/** The first version with the Sent and Not Sent outputs. */
export const MASS_SEND_OUTPUTS_VERSION = 3;

/** The outputs of a node version. */
export function outputNamesFor(version: number): readonly OutputName[] {
	return version >= MASS_SEND_OUTPUTS_VERSION ? OUTPUT_NAMES_V3 : OUTPUT_NAMES;
}

/** Where each publish_status goes; any status not listed (1, unknown ones) goes to Other. */
const PUBLISH_STATUS_OUTPUTS: Readonly<Record<number, OutputName>> = {
	0: 'Published',
	2: 'Failed',
	3: 'Failed',
	4: 'Failed',
	5: 'Removed',
	6: 'Removed',
};

/** One kind of message: how it is recognised, the item it becomes, its output, and its duplicate key. */
interface Route<Item extends WeChatMessage> {
	kind: string;
	matches: (message: WeChatMessage) => boolean;
	/** Starts a run only when the option Emit Other Events is on; otherwise acknowledged and dropped. */
	onlyWithOtherEvents: boolean;
	/** Throws WeChatXmlError when a required field is missing. */
	toItem: (message: WeChatMessage) => Item;
	output: (item: Item) => OutputName;
	/** What makes a later delivery the same event (WeChat's advice on deduplicating retries). */
	duplicateKey: (item: Item) => unknown[];
}

const publishResults: Route<PublishEventItem> = {
	kind: 'publish',
	matches: isPublishEvent,
	onlyWithOtherEvents: false,
	toItem: toPublishEventItem,
	output: (item) => PUBLISH_STATUS_OUTPUTS[item.publish_status] ?? 'Other',
	duplicateKey: (item) => [item.publish_id, item.publish_status],
};

/** MASSSENDJOBFINISH (version 3): success to Sent, `send fail` and every `err(N)` to Not Sent. */
const massSendResults: Route<MassSendEventItem> = {
	kind: 'massSend',
	matches: isMassSendEvent,
	onlyWithOtherEvents: false,
	toItem: toMassSendEventItem,
	output: (item) => (item.status === 'sent' ? 'Sent' : item.status === 'unknown' ? 'Other' : 'Not Sent'),
	duplicateKey: (item) => [item.msg_id, item.Status],
};

const otherMessages: Route<WeChatMessage> = {
	kind: 'message',
	matches: () => true,
	onlyWithOtherEvents: true,
	toItem: toMessageItem,
	output: () => 'Other',
	duplicateKey: (item) =>
		typeof item.MsgId === 'string' && item.MsgId !== ''
			? ['MsgId', item.MsgId]
			: ['event', item.FromUserName, item.CreateTime, item.Event],
};

/** The routing tables, first match wins; before version 3 a mass-send result is an other message. */
const ROUTES = [publishResults, otherMessages] as ReadonlyArray<Route<WeChatMessage>>;
const ROUTES_V3 = [publishResults, massSendResults, otherMessages] as ReadonlyArray<Route<WeChatMessage>>;

/** A verified push's item, the output it goes to and the key that makes a retry a duplicate. */
export interface RoutedPush {
	output: number;
	item: WeChatMessage;
	deliveryKey: string;
}

/** The route of a message; undefined when it is to be acknowledged and dropped. Throws like toItem. */
export function routeMessage(message: WeChatMessage, emitOtherEvents: boolean, version = 1): RoutedPush | undefined {
	const routes = version >= MASS_SEND_OUTPUTS_VERSION ? ROUTES_V3 : ROUTES;
	const route = routes.find((candidate) => candidate.matches(message)) as Route<WeChatMessage>;
	if (route.onlyWithOtherEvents && !emitOtherEvents) return undefined;
	const item = route.toItem(message);
	return {
		output: outputNamesFor(version).indexOf(route.output(item)),
		item,
		deliveryKey: JSON.stringify([route.kind, ...route.duplicateKey(item)]),
	};
}
