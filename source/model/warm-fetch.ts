/**
 * Node loads its fetch implementation (undici: `fetch`, `Headers`, `FormData`, `Blob`, web streams)
 * on first use, which costs the first model request about 100 ms. Touching the globals loads them;
 * call it while nothing else happens (the workbench does, once its first frame is up).
 */
export function warmFetch(): void {
	void [globalThis.fetch, globalThis.Headers, globalThis.Request, globalThis.Response, globalThis.FormData, globalThis.Blob, globalThis.ReadableStream, globalThis.TextDecoderStream];
	new Headers({ 'content-type': 'application/json' });
}
