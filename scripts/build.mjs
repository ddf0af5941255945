// Bundles the CLI and the library into single ESM files so start-up loads one file.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * Ink 6.8's incremental renderer moves the cursor up one row too few when the previous frame ended
 * with a newline (every frame shorter than the terminal), so each update lands one row lower. The
 * fix is one expression; the build fails loudly if Ink's code no longer matches.
 */
const inkIncrementalFix = {
	name: 'ink-incremental-fix',
	setup(esbuild) {
		esbuild.onLoad({ filter: /ink[\\/]build[\\/]log-update\.js$/ }, async (args) => {
			const source = await readFile(args.path, 'utf8');
			const broken = 'buffer.push(ansiEscapes.cursorUp(previousVisible - 1));';
			if (!source.includes(broken)) throw new Error('ink-incremental-fix: Ink changed; check whether the fix is still needed');
			const fixed = "buffer.push(ansiEscapes.cursorUp(previousVisible - (previousOutput.endsWith('\\n') ? 0 : 1)));";
			return { contents: source.replace(broken, fixed), loader: 'js' };
		});
	},
};

const shared = {
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	sourcemap: true,
	minify: true,
	keepNames: false,
	logLevel: 'warning',
	// ESM bundles need a real `require` for the CommonJS dependencies they inline.
	banner: { js: "import { createRequire as __orbitRequire } from 'node:module'; const require = __orbitRequire(import.meta.url);" },
	// Optional peers of openai (AWS signing) that must not be resolved at build time.
	external: ['@aws-sdk/*', '@smithy/*'],
	// Ink's devtools bridge is dev-only; a stub keeps it out of the bundle.
	alias: { 'react-devtools-core': './scripts/devtools-stub.js', ws: './scripts/ws-stub.js' },
	define: { 'process.env.NODE_ENV': '"production"' },
	plugins: [inkIncrementalFix],
};

await build({ ...shared, entryPoints: ['source/cli.tsx'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + shared.banner.js } });
await build({ ...shared, entryPoints: ['source/index.ts'], outfile: 'dist/index.js' });
