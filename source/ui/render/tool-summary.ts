/** The argument that names what a tool call is about, per tool; other tools show their first string argument. */
const KEY_ARGUMENT: Record<string, string> = {
	read_file: 'path',
	write_file: 'path',
	edit_file: 'path',
	glob: 'pattern',
	grep: 'pattern',
	shell: 'command',
	git_diff: 'path',
	git_commit: 'message',
	memory_search: 'query',
	memory_add: 'text',
	memory_remove: 'text',
	user_send_message: 'text',
};

/** One short line for a tool call's argument: `src/app.ts`, `npm test`, … ('' when none). */
export function keyArgument(name: string, args: unknown): string {
	if (typeof args !== 'object' || args === null) return typeof args === 'string' ? oneLine(args) : '';
	const record = args as Record<string, unknown>;
	const preferred = KEY_ARGUMENT[name];
	const value = preferred !== undefined ? record[preferred] : Object.values(record).find((entry) => typeof entry === 'string');
	return typeof value === 'string' ? oneLine(value) : '';
}

function oneLine(text: string): string {
	const first = text.split('\n', 1)[0] ?? '';
	return first.length < text.length ? `${first} …` : first;
}

/** Edit details a diff can be drawn from (what write_file and edit_file return as `details`). */
export function editDetails(details: unknown): { path: string; before: string | null; after: string } | undefined {
	if (typeof details !== 'object' || details === null) return undefined;
	const record = details as Record<string, unknown>;
	if (typeof record.path !== 'string' || typeof record.after !== 'string') return undefined;
	if (record.before !== null && typeof record.before !== 'string') return undefined;
	return { path: record.path, before: record.before as string | null, after: record.after };
}
