// Bundles the CLI and the library into single ESM files so start-up loads one file.
import { build } from 'esbuild';

const shared = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	sourcemap: true,
	logLevel: 'warning',
	// ESM bundles need a real `require` for the CommonJS dependencies they inline.
	banner: { js: "import { createRequire as __orbitRequire } from 'node:module'; const require = __orbitRequire(import.meta.url);" },
	// Optional peers of ink / openai that must not be resolved at build time.
	external: ['react-devtools-core', 'ws', '@aws-sdk/*', '@smithy/*'],
};

await build({ ...shared, entryPoints: ['source/cli.tsx'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + shared.banner.js } });
await build({ ...shared, entryPoints: ['source/index.ts'], outfile: 'dist/index.js' });
