/** The usual constant of reciprocal rank fusion: damps the difference between the very first ranks. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion of rankings of the same documents (each best first): a document scores
 * Σ 1 / (k + rank) over the rankings it appears in (rank from 1). It needs no comparable scores, so
 * BM25 and cosine similarity mix without tuning. Best first; ties keep the first ranking's order.
 */
export function fuseRankings(rankings: readonly (readonly { doc: number }[])[], limit: number, k = RRF_K): { doc: number; score: number }[] {
	const scores = new Map<number, number>();
	for (const ranking of rankings) {
		ranking.forEach(({ doc }, at) => scores.set(doc, (scores.get(doc) ?? 0) + 1 / (k + at + 1)));
	}
	return [...scores]
		.map(([doc, score]) => ({ doc, score }))
		.sort((a, b) => b.score - a.score)
		.slice(0, limit);
}
