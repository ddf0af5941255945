/** Names that look like a credential anywhere in them (AUTH but not the word AUTHOR, so GIT_AUTHOR_NAME stays). */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|COOKIE|AUTH(?!ORS?(?:_|$))|PRIVATE|_PAT$|^PAT_|_PAT_/i;

/** Providers and tools whose variables are credentials or point at them, whatever the rest of the name. */
const SECRET_PREFIX =
	/^(OPENAI_|ANTHROPIC_|AZURE_|AWS_|GOOGLE_|GCLOUD_|GCP_|GEMINI_|VERTEX_|MISTRAL_|GROQ_|OPENROUTER_|COHERE_|DEEPSEEK_|XAI_|TOGETHER_|HF_|HUGGING|REPLICATE_|PERPLEXITY_|FIREWORKS_|VOYAGE_|LITELLM_|ORBIT_|VAULT_|SENTRY_DSN|STRIPE_|SLACK_|TWILIO_|SENDGRID_)/i;

/** Values that carry a credential whatever the name: a URL with a password, well-known token shapes. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s@]*:[^/\s@]+@/i;
const TOKEN_VALUE = /^(sk-[\w-]{16,}|(sk|rk)_live_\w+|gh[pousr]_\w{20,}|github_pat_\w+|glpat-[\w-]{16,}|xox[abprs]-[\w-]+|(AKIA|ASIA)[0-9A-Z]{16}|npm_\w{20,}|hf_\w{20,}|AIza[\w-]{30,})$/;

/**
 * The environment for child processes (shell, git hooks): a copy of `source` without anything that
 * looks like a credential (PRODUCT §7: the shell sees no API keys or tokens) — by name, by provider
 * prefix (all of ORBIT_*, since Orbit's own settings may hold its tokens), or by value (a URL with a
 * password, a known token format). Sets `ORBIT=1` so scripts can tell they run under Orbit.
 * Never throws; `source` is not modified.
 */
export function childEnvironment(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(source)) {
		if (value === undefined) continue;
		if (looksSecret(name, value)) continue;
		env[name] = value;
	}
	env.ORBIT = '1';
	return env;
}

/** Whether a variable is withheld from child processes. */
export function looksSecret(name: string, value: string): boolean {
	return SECRET_NAME.test(name) || SECRET_PREFIX.test(name) || URL_WITH_PASSWORD.test(value) || TOKEN_VALUE.test(value);
}
