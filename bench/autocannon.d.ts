// autocannon 8 ships no types (and @types/autocannon is not installed): the part the bench uses.
declare module 'autocannon' {
	interface AutocannonRequest {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
		/** Called before each request is sent; returns the request to send. */
		setupRequest?: (request: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
	}

	interface AutocannonOptions {
		url: string;
		connections?: number;
		/** Total requests; ends the run when reached. */
		amount?: number;
		/** Seconds before a request counts as a timeout. */
		timeout?: number;
		requests?: AutocannonRequest[];
	}

	interface Histogram {
		p50: number;
		p99: number;
		average: number;
		max: number;
	}

	interface AutocannonResult {
		latency: Histogram;
		requests: Histogram;
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
		'2xx': number;
	}

	interface AutocannonInstance extends PromiseLike<AutocannonResult> {
		stop(): void;
	}

	function autocannon(options: AutocannonOptions): AutocannonInstance;
	export = autocannon;
}
