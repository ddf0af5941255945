// The model client's login bearer (one refresh and one retry after a 401) and the cost of each call,
// against the fake server on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BearerSource } from '../../source/model/bearer.ts';
import { createOpenAIModel, type OpenAIModelOptions } from '../../source/model/openai-model.ts';
import { ModelError, type ModelStreamEvent } from '../../source/runtime/model.ts';
import { type FakeOpenAI, type RecordedRequest, type ReplyData, startFakeOpenAI } from '../fixtures/fake-openai-server.ts';

const OLD = 'tok-old-4a8d1c9e2f7b';
const NEW = 'tok-new-9c1e5a7b3d2f';

let fake: FakeOpenAI;
beforeEach(async () => {
	fake = await startFakeOpenAI();
});
afterEach(async () => {
	await fake.close();
});

/** A bearer that hands out `tokens` in turn: token() gives the current one, refresh() moves to the next. */
function rotatingBearer(tokens: string[], options: { refreshFails?: string; tokenFails?: string } = {}) {
	let index = 0;
	const calls: string[] = [];
	const bearer: BearerSource = {
		async token() {
			calls.push('token');
			if (options.tokenFails) throw new Error(options.tokenFails);
			return tokens[index]!;
		},
		async refresh() {
			calls.push('refresh');
			if (options.refreshFails) throw new Error(options.refreshFails);
			index += 1;
			return tokens[index]!;
		},
	};
	return { bearer, calls };
}

/** Answers 401 unless the request carries `Bearer <token>`. */
const onlyFor =
	(token: string, reply: ReplyData = { text: 'ok' }) =>
	(request: RecordedRequest): ReplyData =>
		request.headers.authorization === `Bearer ${token}` ? reply : { status: 401, body: { error: { message: `invalid token ${request.headers.authorization}`, type: 'invalid_request_error' } } };

async function run(options: Partial<OpenAIModelOptions>): Promise<{ events: ModelStreamEvent[]; error?: unknown }> {
	const events: ModelStreamEvent[] = [];
	try {
		const model = createOpenAIModel({ baseURL: fake.url, model: 'fake-model', baseDelayMs: 1, ...options });
		for await (const event of model.stream({ messages: [{ role: 'user', content: 'hi' }], tools: [], signal: new AbortController().signal })) events.push(event);
		return { events };
	} catch (error) {
		return { events, error };
	}
}

describe('createOpenAIModel with a bearer source', () => {
	it('sends the bearer\'s token, not the API key, as the Authorization header', async () => {
		const { bearer } = rotatingBearer([OLD]);
		fake.script(onlyFor(OLD));
		const { events, error } = await run({ bearer, apiKey: 'sk-unused-123456789' });
		expect(error).toBeUndefined();
		expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
		expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${OLD}`);
	});

	it('after a 401 refreshes once and retries with the new token, without a retry event', async () => {
		const { bearer, calls } = rotatingBearer([OLD, NEW]);
		fake.script(onlyFor(NEW), onlyFor(NEW));
		const { events, error } = await run({ bearer, maxRetries: 0 });
		expect(error).toBeUndefined();
		expect(events.some((event) => event.type === 'retry')).toBe(false);
		expect(events.filter((event) => event.type === 'text').map((event) => (event as { delta: string }).delta).join('')).toBe('ok');
		expect(fake.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`]);
		expect(calls).toEqual(['token', 'refresh']);
	});

	it('a second 401 is a ModelError telling the user to run orbit login for the profile; no token in it', async () => {
		const { bearer, calls } = rotatingBearer([OLD, NEW]);
		fake.script(onlyFor('something-else'), onlyFor('something-else'), onlyFor('something-else'));
		const { error } = await run({ bearer, profile: 'work' });
		expect(error).toBeInstanceOf(ModelError);
		const message = (error as ModelError).message;
		expect((error as ModelError).status).toBe(401);
		expect((error as ModelError).retryable).toBe(false);
		expect(message).toContain('HTTP 401');
		expect(message).toContain('run `orbit login --profile work`');
		expect(message).not.toContain(OLD);
		expect(message).not.toContain(NEW);
		expect(message).toContain('[redacted]');
		expect(fake.requests).toHaveLength(2);
		expect(calls).toEqual(['token', 'refresh']);
	});

	it('a failing refresh is a ModelError asking for a new login, and no further request is made', async () => {
		const { bearer } = rotatingBearer([OLD], { refreshFails: 'the refresh token was revoked' });
		fake.script(onlyFor('x'), onlyFor('x'));
		const { error } = await run({ bearer, profile: 'corp' });
		expect(error).toBeInstanceOf(ModelError);
		expect((error as ModelError).message).toMatch(/could not renew its sign-in .*the refresh token was revoked — run `orbit login --profile corp`\.$/);
		expect(fake.requests).toHaveLength(1);
	});

	it('no token at all fails before any request, keeping a hint the bearer already gave', async () => {
		const { bearer } = rotatingBearer([], { tokenFails: 'profile corp is not signed in: run orbit login --profile corp' });
		const { error } = await run({ bearer, profile: 'corp' });
		expect((error as ModelError).message).toBe(`The model endpoint ${fake.url} has no usable sign-in: profile corp is not signed in: run orbit login --profile corp.`);
		expect(fake.requests).toHaveLength(0);
	});

	it('a 401 with an API key (no bearer) is not retried', async () => {
		fake.script(onlyFor('x'), onlyFor('x'));
		const { error } = await run({ apiKey: 'sk-key-123456789' });
		expect((error as ModelError).message).toContain('check OPENAI_API_KEY');
		expect(fake.requests).toHaveLength(1);
	});
});

describe('createOpenAIModel: cost of each call', () => {
	it('the usage event carries the cost at the configured price', async () => {
		fake.script({ text: 'ok', usage: { prompt_tokens: 1200, completion_tokens: 300 } });
		const { events } = await run({ model: 'company-llm', prices: { 'company-llm': { input: 3, output: 15 } } });
		expect(events.find((event) => event.type === 'usage')).toEqual({
			type: 'usage',
			usage: { promptTokens: 1200, completionTokens: 300, totalTokens: 1500 },
			costUsd: (1200 * 3 + 300 * 15) / 1_000_000,
		});
	});

	it('a listed model is priced from the list; an unknown one carries no cost', async () => {
		fake.script({ text: 'a', usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 } }, { text: 'b', usage: { prompt_tokens: 10, completion_tokens: 10 } });
		const listed = await run({ model: 'gpt-4.1-mini' });
		expect(listed.events.find((event) => event.type === 'usage')).toMatchObject({ costUsd: 0.4 + 1.6 });
		const unknown = await run({ model: 'llama3.1:8b' });
		const usage = unknown.events.find((event) => event.type === 'usage');
		expect(usage).toBeDefined();
		expect(usage).not.toHaveProperty('costUsd');
	});
});
