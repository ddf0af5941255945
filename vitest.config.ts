import { defineConfig } from 'vitest/config';

// .ci/run sets ORBIT_TEST_REPORT to read the counts from a JSON report.
const report = process.env.ORBIT_TEST_REPORT;

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
	},
});
