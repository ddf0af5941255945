/**
 * The candidate closest to `typed`: the first one that starts with it, else the one with the smallest
 * edit distance when that distance is at most a third of the longer name (at least 1). Undefined when
 * nothing is close enough. Comparison ignores case.
 */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
	const wanted = typed.toLowerCase();
	if (wanted === '') return undefined;
	const prefixed = candidates.find((name) => name.toLowerCase().startsWith(wanted));
	if (prefixed !== undefined) return prefixed;
	let best: { name: string; distance: number } | undefined;
	for (const name of candidates) {
		const distance = editDistance(wanted, name.toLowerCase());
		const limit = Math.max(1, Math.floor(Math.max(wanted.length, name.length) / 3));
		if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
	}
	return best?.name;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours, each as 1 (optimal string alignment). */
function editDistance(a: string, b: string): number {
	const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
			rows[i]![j] = best;
		}
	}
	return at(a.length, b.length);
}
