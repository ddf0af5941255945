// Bundles the CLI and the library into single ESM files so start-up loads one file.
import { build } from 'esbuild';
import { inkPatches } from './ink-patches.mjs';

const shared = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	sourcemap: true,
	// ORBIT_BUILD_READABLE=1 keeps names readable (for CPU profiles).
	minify: process.env.ORBIT_BUILD_READABLE !== '1',
	keepNames: false,
	logLevel: 'warning',
	// ESM bundles need a real `require` for the CommonJS dependencies they inline.
	banner: { js: "import { createRequire as __orbitRequire } from 'node:module'; const require = __orbitRequire(import.meta.url);" },
	// Optional peers of openai (AWS signing) that must not be resolved at build time.
	external: ['@aws-sdk/*', '@smithy/*'],
	// Ink's devtools bridge is dev-only; a stub keeps it out of the bundle.
	// wrap-ansi (under Ink) brings its own older string-width, with emoji-regex: one copy (the newer,
	// same API) is enough, and the bundle is 14 KB smaller.
	alias: { 'react-devtools-core': './scripts/devtools-stub.js', ws: './scripts/ws-stub.js', 'string-width': './node_modules/string-width/index.js' },
	define: { 'process.env.NODE_ENV': '"production"' },
	plugins: [inkPatches],
};

await build({ ...shared, entryPoints: ['source/cli.tsx'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + shared.banner.js } });
await build({ ...shared, entryPoints: ['source/index.ts'], outfile: 'dist/index.js' });
