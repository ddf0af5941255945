import { gitBytes } from './checkpoint-git.ts';

/**
 * Where checkpoints live: `refs/orbit/<session>/turn/<n>` for a turn whose changes can be undone,
 * `refs/orbit/<session>/undone/<n>` once they were. Each ref points at a commit of the tree after the
 * turn, whose only parent is a commit of the tree before the agent's first change in that turn. The
 * user's index, HEAD, branches and stash are never read or written, except that the user's index is
 * copied (read) to seed the private index's file stat cache.
 */
export const REF_PREFIX = 'refs/orbit/';

/** What a turn's commit message carries (as one `orbit-checkpoint: {json}` line), so undo needs no session log. */
export interface CheckpointMeta {
	session: string;
	turn: number;
	/** ISO time of the end of the turn. */
	time: string;
	changes: { status: 'A' | 'M' | 'D' | 'T'; path: string }[];
}

/** A turn's checkpoint as found in the refs. */
export interface TurnCheckpoint extends CheckpointMeta {
	ref: string;
	commit: string;
	undone: boolean;
}

const META_LINE = 'orbit-checkpoint: ';

export function formatMeta(meta: CheckpointMeta): string {
	return `orbit checkpoint: session ${meta.session}, turn ${meta.turn}\n\n${META_LINE}${JSON.stringify(meta)}\n`;
}

function parseMeta(message: string): CheckpointMeta | undefined {
	const line = message.split('\n').find((candidate) => candidate.startsWith(META_LINE));
	if (!line) return undefined;
	try {
		const meta = JSON.parse(line.slice(META_LINE.length)) as CheckpointMeta;
		if (typeof meta.session !== 'string' || !Number.isInteger(meta.turn) || !Array.isArray(meta.changes)) return undefined;
		return meta;
	} catch {
		return undefined;
	}
}

/** A session id as one ref component: characters git refuses in ref names become `_`. */
export function refComponent(sessionId: string): string {
	const safe = sessionId.replace(/[^\w.-]/g, '_').replace(/^\.+/, '_').replace(/\.\.+/g, '_').replace(/\.lock$/, '_lock');
	return safe === '' ? '_' : safe;
}

export function turnRef(sessionId: string, turn: number, undone = false): string {
	return `${REF_PREFIX}${refComponent(sessionId)}/${undone ? 'undone' : 'turn'}/${turn}`;
}

/** One session's checkpoints, oldest turn first. */
export interface SessionCheckpoints {
	session: string;
	/** The time of its newest checkpoint. */
	latest: string;
	turns: TurnCheckpoint[];
}

/**
 * Every checkpoint in the repository, grouped by session, the session with the newest checkpoint
 * first (one `git for-each-ref`). Refs under `refs/orbit/` that are not checkpoints are left out.
 */
export async function listCheckpoints(root: string, env: Record<string, string>): Promise<SessionCheckpoints[]> {
	const raw = await gitBytes(root, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(contents)%00%00', REF_PREFIX], env);
	const sessions = new Map<string, SessionCheckpoints>();
	for (const record of raw.toString('utf8').split('\0\0\n')) {
		const [ref, commit, message] = record.split('\0');
		if (!ref || !commit || message === undefined) continue;
		const match = /^refs\/orbit\/[^/]+\/(turn|undone)\/\d+$/.exec(ref);
		const meta = parseMeta(message);
		if (!match || !meta) continue;
		const group = sessions.get(meta.session) ?? { session: meta.session, latest: meta.time, turns: [] };
		group.turns.push({ ...meta, ref, commit, undone: match[1] === 'undone' });
		if (meta.time > group.latest) group.latest = meta.time;
		sessions.set(meta.session, group);
	}
	const list = [...sessions.values()];
	for (const group of list) group.turns.sort((a, b) => a.turn - b.turn);
	return list.sort((a, b) => (a.latest === b.latest ? b.session.localeCompare(a.session) : b.latest.localeCompare(a.latest)));
}

/**
 * Deletes the refs of every session but the `keep` with the newest checkpoints (and `current`, which
 * is always kept), plus anything else under `refs/orbit/`. Returns how many refs were deleted. The
 * commits become unreachable and git's own garbage collection removes them in time.
 */
export async function pruneCheckpoints(root: string, env: Record<string, string>, keep: number, current?: string): Promise<number> {
	const sessions = await listCheckpoints(root, env);
	const kept = new Set(sessions.slice(0, Math.max(0, keep)).map((group) => refComponent(group.session)));
	if (current !== undefined) kept.add(refComponent(current));
	const all = (await gitBytes(root, ['for-each-ref', '--format=%(refname)', REF_PREFIX], env)).toString('utf8').split('\n').filter(Boolean);
	const doomed = all.filter((ref) => !kept.has(ref.slice(REF_PREFIX.length).split('/')[0]!));
	if (doomed.length === 0) return 0;
	await gitBytes(root, ['update-ref', '--stdin'], env, { input: doomed.map((ref) => `delete ${ref}\n`).join('') });
	return doomed.length;
}
