import { describe, expect, it } from 'vitest';
import { createItem } from '../../../source/runtime/context-item.ts';
import { ContextPane } from '../../../source/ui/components/context-pane.tsx';
import { InputBox } from '../../../source/ui/components/input-box.tsx';
import { PlanPane } from '../../../source/ui/components/plan-pane.tsx';
import { ThreadPane } from '../../../source/ui/components/thread-pane.tsx';
import { EMPTY_DRAFT, insert } from '../../../source/ui/input/draft.ts';
import { BlockLayout } from '../../../source/ui/render/block-lines.ts';
import type { ThreadBlock } from '../../../source/ui/store/thread-blocks.ts';
import { renderThemed } from './render-helpers.tsx';

class CountingLayout extends BlockLayout {
	laidOut = new Set<string>();
	override lines(block: ThreadBlock, width: number) {
		this.laidOut.add(block.id);
		return super.lines(block, width);
	}
}

function manyBlocks(count: number): ThreadBlock[] {
	return Array.from({ length: count }, (_, index) => ({ kind: 'notice', id: `n${index}`, rev: 0, text: `entry number ${index}`, tone: 'info' }) as ThreadBlock);
}

describe('Thread pane', () => {
	it('shows its title and the newest rows, laying out only the blocks in view of a 10,000-entry thread', () => {
		const layout = new CountingLayout();
		const blocks = manyBlocks(10_000);
		const { lastFrame } = renderThemed(<ThreadPane layout={layout} blocks={blocks} revision={1} width={80} height={20} position={undefined} />);
		const frame = lastFrame()!;
		expect(frame).toContain('Thread');
		expect(frame).toContain('entry number 9999');
		expect(frame).not.toContain('entry number 9000');
		expect(layout.laidOut.size).toBeLessThan(30);
	});

	it('sets the agent message apart from monologue and marks interrupted output', () => {
		const blocks: ThreadBlock[] = [
			{ kind: 'thinking', id: 't1', rev: 1, text: 'I should check the tests', interrupted: true },
			{ kind: 'message', id: 'm1', rev: 0, text: 'All **done**: see `src/app.ts`' },
			{ kind: 'tool', id: 'c1', rev: 1, name: 'shell', args: { command: 'npm test' }, status: 'error', output: 'line 1\nline 2\nline 3\nline 4\nline 5', expanded: false },
		];
		const frame = renderThemed(<ThreadPane layout={new BlockLayout()} blocks={blocks} revision={1} width={80} height={30} position={undefined} />).lastFrame()!;
		expect(frame).toContain('I should check the tests');
		expect(frame).toContain('⏸ interrupted');
		expect(frame).toContain('◆ Orbit');
		expect(frame).toContain('All done: see src/app.ts');
		expect(frame).toContain('✗ shell npm test');
		expect(frame).toContain('… 2 more lines');
		expect(frame).not.toContain('line 5');
	});

	it('draws an edit as a diff', () => {
		const blocks: ThreadBlock[] = [
			{ kind: 'tool', id: 'c1', rev: 1, name: 'edit_file', args: { path: 'a.js' }, status: 'done', output: 'Replaced 1', details: { path: 'a.js', before: 'let a = 1;\n', after: 'let a = 2;\n' }, expanded: false },
		];
		const frame = renderThemed(<ThreadPane layout={new BlockLayout()} blocks={blocks} revision={1} width={80} height={20} position={undefined} />).lastFrame()!;
		expect(frame).toMatch(/-.*let a = 1;/);
		expect(frame).toMatch(/\+.*let a = 2;/);
	});

	it('a scrolled view shows older rows and says how to follow again', () => {
		const frame = renderThemed(<ThreadPane layout={new BlockLayout()} blocks={manyBlocks(100)} revision={1} width={80} height={12} position={40} />).lastFrame()!;
		expect(frame).toContain('End to follow');
		expect(frame).toContain('entry number 19');
		expect(frame).not.toContain('entry number 99');
	});
});

describe('Context pane', () => {
	it('lists waiting items in injection order with priority and source, and highlights the selection', () => {
		const items = [
			createItem({ source: 'user', content: 'stop now', priority: 'interruption' }),
			createItem({ source: 'user', content: 'next thing', priority: 'for-next-turn' }),
			createItem({ source: 'file-watch', content: 'src/a.ts changed', priority: 'in-the-end' }),
		];
		const frame = renderThemed(<ContextPane items={items} width={60} height={10} selected={undefined} />).lastFrame()!;
		const rows = frame.split('\n');
		const order = ['Interruption', 'ForNextTurn', 'InTheEnd'].map((label) => rows.findIndex((row) => row.includes(label)));
		expect(order.every((index) => index > 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(frame).toContain('file-watch');
		expect(frame).toContain('3 waiting');
	});

	it('says when nothing waits', () => {
		expect(renderThemed(<ContextPane items={[]} width={40} height={6} selected={undefined} />).lastFrame()).toContain('nothing waiting');
	});

	it('shows reminders still to come under the items, with their time', () => {
		const due = new Date();
		due.setHours(23, 59, 0, 0);
		const items = [createItem({ source: 'user', content: 'next thing', priority: 'for-next-turn' })];
		const rows = renderThemed(<ContextPane items={items} reminders={[{ text: 'check the deploy', dueAt: due.getTime() }]} width={60} height={10} selected={undefined} />)
			.lastFrame()!
			.split('\n');
		const item = rows.findIndex((row) => row.includes('next thing'));
		const reminder = rows.findIndex((row) => row.includes('⏰ 23:59 check the deploy'));
		expect(item).toBeGreaterThan(0);
		expect(reminder).toBeGreaterThan(item);
	});
});

describe('Plan pane', () => {
	it('shows steps with their status, the Active one marked', () => {
		const plan = {
			steps: [
				{ index: 1, content: 'read the code', status: 'Done' as const },
				{ index: 2, content: 'rename', status: 'Active' as const },
				{ index: 3, content: 'run tests', status: 'New' as const },
			],
		};
		const frame = renderThemed(<PlanPane plan={plan} width={50} height={8} />).lastFrame()!;
		expect(frame).toContain('Plan');
		expect(frame).toContain('1/3');
		expect(frame).toContain('✓ read the code');
		expect(frame).toContain('▶ rename (Active)');
		expect(frame).toContain('○ run tests');
	});
});

describe('Input box', () => {
	it('shows the draft priority by name and the text', () => {
		const draft = { ...insert(EMPTY_DRAFT, 'hello'), priority: 'in-the-end' as const };
		const frame = renderThemed(<InputBox draft={draft} width={60} />).lastFrame()!;
		expect(frame).toContain('InTheEnd ›');
		expect(frame).toContain('hello');
	});
});
