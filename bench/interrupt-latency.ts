// (a) Post-to-abort latency of an Interruption: the agent streams from the fake server (a stalled
// stream), an Interruption is posted, and we time (1) until the server sees the connection close and
// (2) until the interruption reaches the server in the next request.
import { createOrbit } from '../source/builder.ts';
import { createOpenAIModel } from '../source/model/openai-model.ts';
import { startFakeOpenAI } from '../test/fixtures/fake-openai-server.ts';
import { percentile, round } from './stats.ts';

export async function benchInterruptLatency(runs = 50) {
	const fake = await startFakeOpenAI();
	const agent = createOrbit(process.cwd()).model(createOpenAIModel({ baseURL: fake.url, model: 'fake-model' })).permission('read-only').start();
	let deltas = 0;
	agent.subscribe((event) => {
		if (event.type === 'text-delta') deltas += 1;
	});
	const toClose: number[] = [];
	const toNextRequest: number[] = [];
	try {
		for (let run = 0; run < runs; run += 1) {
			const index = fake.requests.length;
			fake.script({ text: 'streaming a long answer', stallAfter: 2 }, { text: 'ok' });
			const seen = deltas;
			agent.post(`task ${run}`);
			await fake.waitFor(() => deltas > seen, 5_000, 'the answer streams');
			const start = performance.now();
			agent.post(`interrupt ${run}`, 'interruption');
			await fake.waitForClose(index);
			toClose.push(performance.now() - start);
			await fake.waitForRequest(index + 2);
			toNextRequest.push(performance.now() - start);
			await agent.whenIdle();
		}
	} finally {
		await agent.stop();
		await fake.close();
	}
	return {
		runs,
		closeP50Ms: round(percentile(toClose, 50)),
		closeP95Ms: round(percentile(toClose, 95)),
		nextRequestP50Ms: round(percentile(toNextRequest, 50)),
		nextRequestP95Ms: round(percentile(toNextRequest, 95)),
	};
}
