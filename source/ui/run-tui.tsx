import type { AgentHandle } from '../builder.ts';
import type { CliOptions } from '../cli-args.ts';
import { createLoginBearer } from '../auth/bearer.ts';
import type { ModelSwitch } from '../../commands/command.ts';
import { findRoot, urlWithoutCredentials } from '../config.ts';
import { ConfigError, loadSettings, type Settings } from '../config-file.ts';
import { resolveLimits } from '../config-limits.ts';
import { EXIT } from '../exit-codes.ts';
import { createConfiguredModel } from '../model/configured-model.ts';
import { priceOf } from '../model/cost.ts';
import { type ModelSetup, ProfileError, resolveProfile } from '../profiles.ts';
import { createProjectAgent, type ProjectAgent } from '../project-agent.ts';
import { setUpSandbox } from '../sandbox/sandbox-setup.ts';
import { loadSession } from '../session/resume.ts';
import { App } from './app.tsx';
import { connectHelp, findLocalServers } from './connect-help.ts';
import { UiStore } from './store/ui-store.ts';
import { loadTheme } from './theme.ts';
import { hostWorkbench } from './workbench-host.tsx';

export interface TuiOptions extends CliOptions {
	theme?: string;
}

/**
 * The interactive workbench: builds the agent, opens the full screen, and resolves with the exit
 * code once the user quits. The terminal is restored on every way out.
 */
export async function runTui(options: TuiOptions, env: NodeJS.ProcessEnv, version: string): Promise<number> {
	// Detection runs a child process: start it first, so it overlaps reading the config and building the agent.
	const sandboxReady = setUpSandbox({ network: options.allowNetwork });
	let settings: Settings;
	try {
		settings = loadSettings({ root: findRoot(process.cwd()).root, env, permission: options.permission });
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		process.stderr.write(`orbit: ${error.message}\n`);
		return EXIT.usage;
	}
	const permission = settings.permission;
	const loginBearer = (profile: string) => createLoginBearer({ profile, env });
	let endpoint: ModelSetup;
	try {
		endpoint = resolveProfile({ flags: options, env, settings, loginBearer });
	} catch (error) {
		if (!(error instanceof ProfileError)) throw error;
		process.stderr.write(`orbit: ${error.message}\n`);
		return EXIT.usage;
	}
	const themeName = options.theme ?? env.ORBIT_THEME ?? settings.theme ?? 'dark';
	const theme = loadTheme(themeName);
	const root = findRoot(process.cwd()).root;
	const resume = options.resume ? loadSession(root, options.resume.latest ? { latest: true } : { id: options.resume.id ?? '' }) : undefined;
	if (resume && 'error' in resume) {
		process.stderr.write(`orbit: ${resume.error}\n`);
		return EXIT.usage;
	}
	// The store exists before the agent, so it sees a resumed session's past and every event from the first.
	let live: { agent: AgentHandle; parts: ProjectAgent } | undefined;
	const ui = new UiStore({
		bucket: () => live?.agent.bucket() ?? [],
		plan: () => live?.agent.plan() ?? { steps: [] },
		usage: () => live?.agent.usage() ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
		cost: () => live?.agent.cost() ?? 0,
		model: () => live?.parts.model.name ?? endpoint.model,
		state: () => live?.agent.state() ?? 'idle',
		reminders: () => live?.parts.reminders.list() ?? [],
	});
	for (const event of resume?.log.events ?? []) ui.apply(event);
	if (resume?.notice) ui.notice(resume.notice, 'warning');
	const sandbox = await sandboxReady;
	const parts = createProjectAgent({
		cwd: process.cwd(),
		env,
		endpoint,
		sandbox,
		permission,
		limits: resolveLimits(options, settings),
		version,
		reminders: options.reminders,
		...(resume ? { resume } : {}),
		onWarning: (message) => ui.notice(message, 'warning'),
	});
	const agent = parts.builder
		.permission({ mode: permission, rules: settings.rules, shellSandboxed: sandbox.shellSandboxed }, (request, signal) => {
			if (ui.isAllowedForSession(request.tool)) return Promise.resolve({ allow: true });
			return ui.requestApproval(request, signal);
		})
		.subscribe(ui.apply)
		.start();
	live = { agent, parts };
	parts.reminders.onChange(() => ui.flush());
	for (const warning of settings.warnings) ui.notice(warning, 'warning');
	if (sandbox.problem && permission !== 'full') ui.notice(sandbox.problem, 'warning');

	if (!endpoint.configured) {
		ui.notice(connectHelp([]), 'warning');
		void findLocalServers().then((servers) => {
			if (servers.length > 0) ui.notice(connectHelp(servers).split('\n').slice(4).join('\n'), 'info');
		});
	}

	const use = (next: ModelSetup) => {
		endpoint = next;
		parts.model.use(createConfiguredModel(next));
		ui.flush();
	};
	const models: ModelSwitch = {
		profile: () => endpoint.profile,
		fallbacks: () => endpoint.fallbackModels,
		profiles: () => Object.keys(settings.profiles),
		switchTo(target) {
			if (Object.hasOwn(settings.profiles, target)) {
				use(resolveProfile({ flags: { profile: target }, env, settings, loginBearer }));
				return `Switched to profile ${target}: ${endpoint.model} at ${urlWithoutCredentials(endpoint.baseURL) ?? endpoint.baseURL}, from the next request on.`;
			}
			if (!/^[\w.:/@+-]+$/.test(target)) throw new Error(`"${target}" is neither a configured profile nor a model name.`);
			use({ ...endpoint, model: target, fallbackModels: endpoint.fallbackModels.filter((model) => model !== target) });
			return `Switched to model ${target}, from the next request on.`;
		},
	};
	const info = { model: endpoint.model, priced: priceOf(endpoint.model, endpoint.prices) !== undefined, permission, sandbox: permission === 'full' ? 'off (full)' : sandbox.label, connected: endpoint.configured };
	const { signalled } = await hostWorkbench({
		store: ui,
		theme,
		themeName,
		commandFields: () => ({
			plan: agent.plan,
			bucket: agent.bucket,
			usage: agent.usage,
			sessionId: agent.sessionId,
			model: parts.model.name,
			models,
			signIn: { env, profile: endpoint.profile, notify: (text, tone) => ui.notice(text, tone) },
			permission,
			projectContext: parts.project,
			memory: parts.memory,
			reminders: parts.reminders,
			sessionLog: parts.session.log.path,
			checkpoints: { root: agent.root, busy: () => agent.state() === 'thinking' || agent.state() === 'tool' },
		}),
		app: (runCommand) => <App agent={agent} store={ui} info={info} runCommand={runCommand} />,
	});
	await agent.stop(signalled ? 'closed' : 'quit');
	process.stdout.write(`Session ${agent.sessionId} ended. Pick it up again with: orbit --resume ${agent.sessionId}  (or orbit --continue)\n`);
	return signalled ? EXIT.terminated : EXIT.done;
}
