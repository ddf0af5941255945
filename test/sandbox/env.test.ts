import { describe, expect, it } from 'vitest';
import { childEnvironment } from '../../source/sandbox/env.ts';

describe('childEnvironment', () => {
	const source: NodeJS.ProcessEnv = {
		PATH: '/usr/bin:/bin',
		HOME: '/home/dev',
		LANG: 'en_US.UTF-8',
		TERM: 'xterm-256color',
		USER: 'dev',
		SHELL: '/bin/bash',
		TMPDIR: '/tmp',
		TZ: 'Asia/Tokyo',
		EDITOR: 'vim',
		GIT_AUTHOR_NAME: 'Dev',
		GIT_AUTHOR_EMAIL: 'dev@example.com',
		HTTP_PROXY: 'http://proxy.internal:3128',
		NODE_OPTIONS: '--max-old-space-size=4096',
		OPENAI_API_KEY: 'sk-test-0000000000000000000000',
		OPENAI_BASE_URL: 'https://gateway.internal/v1',
		ANTHROPIC_API_KEY: 'x',
		AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
		AWS_ACCESS_KEY_ID: 'AKIA0000000000000000',
		AWS_REGION: 'eu-west-1',
		GITHUB_TOKEN: 'x',
		GH_TOKEN: 'x',
		NPM_TOKEN: 'x',
		NODE_AUTH_TOKEN: 'x',
		ORBIT_TOKEN: 'x',
		ORBIT_CONFIG: '/home/dev/.orbit',
		DB_PASSWORD: 'x',
		MYSQL_PWD_PASSWD: 'x',
		SESSION_COOKIE: 'x',
		CLIENT_SECRET: 'x',
		HTTP_AUTHORIZATION: 'Bearer x',
		SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
		GOOGLE_APPLICATION_CREDENTIALS: '/home/dev/gcp.json',
		lowercase_api_key: 'x',
		HTTPS_PROXY: 'http://user:hunter2@proxy.internal:3128',
		SOME_SETTING: 'ghp_0123456789abcdefghijABCDEFGHIJ',
		UNDEFINED_ONE: undefined,
	};

	it('keeps the ordinary environment', () => {
		const env = childEnvironment(source);
		for (const name of ['PATH', 'HOME', 'LANG', 'TERM', 'USER', 'SHELL', 'TMPDIR', 'TZ', 'EDITOR', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'HTTP_PROXY', 'NODE_OPTIONS']) {
			expect(env[name], name).toBe(source[name]);
		}
	});

	it('drops everything that looks like a credential, by name, provider prefix or value', () => {
		const env = childEnvironment(source);
		const dropped = Object.keys(source).filter((name) => !(name in env));
		expect(dropped.sort()).toEqual(
			[
				'OPENAI_API_KEY',
				'OPENAI_BASE_URL',
				'ANTHROPIC_API_KEY',
				'AZURE_OPENAI_ENDPOINT',
				'AWS_ACCESS_KEY_ID',
				'AWS_REGION',
				'GITHUB_TOKEN',
				'GH_TOKEN',
				'NPM_TOKEN',
				'NODE_AUTH_TOKEN',
				'ORBIT_TOKEN',
				'ORBIT_CONFIG',
				'DB_PASSWORD',
				'MYSQL_PWD_PASSWD',
				'SESSION_COOKIE',
				'CLIENT_SECRET',
				'HTTP_AUTHORIZATION',
				'SSH_AUTH_SOCK',
				'GOOGLE_APPLICATION_CREDENTIALS',
				'lowercase_api_key',
				'HTTPS_PROXY',
				'SOME_SETTING',
				'UNDEFINED_ONE',
			].sort(),
		);
	});

	it('sets ORBIT=1 and leaves the source untouched', () => {
		const copy = { ...source };
		expect(childEnvironment(source).ORBIT).toBe('1');
		expect(source).toEqual(copy);
	});

	it('reads process.env by default', () => {
		expect(childEnvironment().PATH).toBe(process.env.PATH);
	});
});
