// (c) Size of the first request Orbit sends for a trivial task: system prompt + tool schemas,
// counted in o200k_base tokens, captured from what the fake server actually received. The tools are
// what `orbit` offers: the built-in ones with the memory tools (no AGENT.md, no agreements).
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { createBuiltinTools } from '../tools/index.ts';
import { createOrbit } from '../source/builder.ts';
import { createOpenAIModel } from '../source/model/openai-model.ts';
import { startFakeOpenAI } from '../test/fixtures/fake-openai-server.ts';

export async function benchFirstRequest() {
	const fake = await startFakeOpenAI();
	fake.script({ text: 'hi' });
	const memory = { search: async () => [], add: async () => ({ ok: true as const, message: '' }), remove: async () => ({ ok: true as const, message: '' }) };
	const agent = createOrbit(process.cwd()).model(createOpenAIModel({ baseURL: fake.url, model: 'fake-model' })).tools(createBuiltinTools({ memory })).permission('auto').start();
	try {
		agent.post('say hi');
		await agent.whenIdle();
	} finally {
		await agent.stop();
		await fake.close();
	}
	const body = fake.requests[0]!.body as { messages: { role: string; content: string }[]; tools: unknown[] };
	const system = body.messages.find((message) => message.role === 'system')!.content;
	const tools = JSON.stringify(body.tools);
	const systemTokens = encode(system).length;
	const toolTokens = encode(tools).length;
	return { tools: body.tools.length, systemTokens, toolTokens, totalTokens: systemTokens + toolTokens, systemChars: system.length, toolChars: tools.length };
}
