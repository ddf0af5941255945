import { join } from 'node:path';
import type { EventOf } from '../runtime/events.ts';
import { describeLimit } from '../runtime/limit-text.ts';
import type { Usage } from '../runtime/model.ts';
import type { Plan } from '../runtime/plan.ts';
import { head, toolMarkdown } from './export-tools.ts';
import type { SessionLog } from './read-log.ts';

/** Lines of an item from another source (an AGENT.md file, a submind's note) shown before the rest is counted. */
const MAX_ITEM_LINES = 12;

/** `<root>/.orbit/exports/<id>.md`: where an export goes unless told otherwise. */
export function defaultExportPath(root: string, sessionId: string): string {
	return join(root, '.orbit', 'exports', `${sessionId}.md`);
}

/**
 * A recorded session as a Markdown transcript for people: a header (id, start, model, repository),
 * then in order what reached the agent (the person's words, other triggers), its inner monologue
 * (quoted), its tool calls with their key argument and outcome, edits as unified diffs, shell
 * commands with their exit code and output, plan changes as task lists, its messages to the person
 * (as written), errors and limits, where a resumed session went on, and a footer with how it ended and the tokens used. Pure; never
 * throws.
 */
export function exportMarkdown(session: SessionLog): string {
	const { header, events } = session;
	const out: string[] = [];
	const start = events.find((event): event is EventOf<'session-start'> => event.type === 'session-start');
	out.push(`# Orbit session ${header.sessionId}`);
	const facts = [
		`- Started: ${readableTime(header.createdAt || start?.timestamp || '')}`,
		`- Model: ${header.model || start?.model || 'unknown'}`,
		`- Repository: ${header.root || start?.cwd || 'unknown'}`,
	];
	if (start) facts.push(`- Permission: ${start.permission} · Orbit ${start.version}`);
	out.push(facts.join('\n'));

	const args = new Map<string, unknown>();
	const deltas = new Map<number, string>();
	let usage: Usage | undefined;
	let turns = 0;
	let end: EventOf<'session-end'> | undefined;
	/** True while the last thing written is a bullet of a tool list. */
	let inList = false;
	const push = (text: string, bullet = false) => {
		if (bullet && inList) out[out.length - 1] += `\n${text}`;
		else out.push(text);
		inList = bullet;
	};
	const monologue = (text: string, interrupted: boolean) => {
		const trimmed = text.trim();
		if (trimmed === '' && !interrupted) return;
		const note = interrupted ? ' *(interrupted)*' : '';
		push(quote(`**Thinking:** ${trimmed}${note}`));
	};

	for (const event of events) {
		switch (event.type) {
			case 'session-start':
				// A resumed session appends to its log: its later starts mark where it went on.
				if (event !== start) push(`---\n\n*Resumed at ${readableTime(event.timestamp)}.*`);
				break;
			case 'item-injected':
				push(itemMarkdown(event));
				break;
			case 'turn-start':
				turns += 1;
				break;
			case 'text-delta':
				deltas.set(event.turn, (deltas.get(event.turn) ?? '') + event.delta);
				break;
			case 'assistant-message':
				deltas.delete(event.turn);
				monologue(event.text, event.interrupted);
				break;
			case 'turn-end':
				// A log cut before the assistant message still shows what was streamed.
				if (deltas.has(event.turn)) monologue(deltas.get(event.turn)!, event.interrupted);
				deltas.delete(event.turn);
				break;
			case 'tool-start':
				args.set(event.callId, event.args);
				break;
			case 'tool-end': {
				const tool = toolMarkdown(event, args.get(event.callId));
				if (tool) push(tool.text, !tool.block);
				break;
			}
			case 'plan-updated':
				push(planMarkdown(event.plan));
				break;
			case 'agent-message':
				push(`## Orbit → you\n\n${event.text.trim()}`);
				break;
			case 'model-retry':
				push(`*The model request failed (${event.reason}); retry ${event.attempt}.*`);
				break;
			case 'model-fallback':
				push(`*${event.from} failed (${event.reason}); ${event.to} answered instead.*`);
				break;
			case 'abort-requested':
				push(`*Interrupted (${event.reason}).*`);
				break;
			case 'loop-end':
				if (event.reason !== 'idle') push(`*The agent stopped: ${event.reason}${event.detail ? ` — ${event.detail}` : ''}.*`);
				break;
			case 'error':
				push(quote(`**Error${event.fatal ? ' (fatal)' : ''}:** ${event.message}`));
				break;
			case 'limit-reached':
				push(quote(`**Limit reached:** ${describeLimit(event)}.`));
				break;
			case 'usage':
				usage = event.total;
				break;
			case 'session-end':
				end = event;
				break;
		}
	}
	for (const text of deltas.values()) monologue(text, false);

	const footer: string[] = [];
	if (end) footer.push(`Session ended (${end.reason}) at ${readableTime(end.timestamp)}.`);
	else footer.push(`The log ends without the session's end${session.torn ? ` (its last line, ${session.torn.line}, was cut short)` : ''}.`);
	footer.push(`${turns} model ${turns === 1 ? 'turn' : 'turns'}${usage ? `, ${usage.totalTokens} tokens (${usage.promptTokens} prompt, ${usage.completionTokens} completion)` : ''}.`);
	out.push(`---\n\n*${footer.join(' ')}*`);
	return `${out.join('\n\n')}\n`;
}

function itemMarkdown(event: EventOf<'item-injected'>): string {
	const { item } = event;
	const priority = item.priority === 'for-next-turn' ? '' : ` (${item.priority === 'interruption' ? 'Interruption' : 'InTheEnd'})`;
	if (item.source === 'user') return `## You${priority}\n\n${quote(item.content.trim())}`;
	return `### From ${item.source}${priority}\n\n${quote(head(item.content.trim(), MAX_ITEM_LINES))}`;
}

function planMarkdown(plan: Plan): string {
	if (plan.steps.length === 0) return '**Plan:** cleared.';
	const steps = plan.steps.map((step) => `- [${step.status === 'Done' ? 'x' : ' '}] ${step.content}${step.status === 'Active' ? ' *(active)*' : ''}`);
	return `**Plan:**\n\n${steps.join('\n')}`;
}

function quote(text: string): string {
	return text
		.split('\n')
		.map((line) => (line === '' ? '>' : `> ${line}`))
		.join('\n');
}

/** `2026-11-22 03:01:05 UTC`; the text as given when it is not a time. */
function readableTime(iso: string): string {
	const time = Date.parse(iso);
	if (!Number.isFinite(time)) return iso || 'unknown';
	return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

