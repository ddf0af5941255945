/** A `limit-reached` event's figures for people: `cost $0.0060 of $0.0050`, `time 95 s of 90 s`, `turns 100 of 100`. */
export function describeLimit({ limit, value, max }: { limit: string; value: number; max: number }): string {
	if (limit === 'cost') return `cost ${dollars(value)} of ${dollars(max)}`;
	if (limit === 'time') return `time ${seconds(value)} of ${seconds(max)}`;
	return `${limit} ${value.toLocaleString('en-US')} of ${max.toLocaleString('en-US')}`;
}

function dollars(amount: number): string {
	return amount < 1 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}
