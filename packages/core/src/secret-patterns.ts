/**
 * Text that must never leave the platform, recognised by the shape of its value: credentials
 * (provider keys, tokens, our own API keys) and the canaries planted in system prompts. One home
 * for these shapes, because the contracts linter refuses them in prompts and the logger masks them
 * in every line, and the two must agree.
 */

/** A credential shape, named so that a lint problem can say what it found. */
interface SecretShape {
  name: string;
  pattern: RegExp;
}

const SECRET_SHAPES: readonly SecretShape[] = [
  { name: 'an Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{16,}/g },
  { name: 'an OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'a Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { name: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}/g },
  { name: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  { name: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'an agentops API key', pattern: /\bak_[a-z]+_[A-Za-z0-9_-]{16,}/g },
  { name: 'a bearer token', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g },
  {
    name: 'a secret assigned to a name',
    pattern: /\b(?:api[_-]?key|secret|token|password|passwd|pwd)\b\s*[:=]\s*["']?[^\s"',;]{8,}/gi,
  },
];

/**
 * The canary planted in each session's system prompt (`packages/guard`): a fixed word and 20
 * base-32 characters. Its shape is fixed so that any process can mask a canary of any session
 * without knowing which one it is.
 */
export const CANARY_PATTERN = /\bCANARY-[A-Z2-7]{20}\b/g;

export interface SecretFinding {
  name: string;
  /** The first characters only: a lint message must not print the secret it found. */
  preview: string;
}

/** Every credential-shaped value in `text`, named by its kind. */
export function findKeyLikeSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { name, pattern } of SECRET_SHAPES) {
    for (const match of text.matchAll(pattern)) {
      findings.push({ name, preview: `${match[0].slice(0, 6)}…` });
    }
  }
  return findings;
}

/** `text` with every credential-shaped value and every canary replaced by a mask. */
export function maskSecretValues(text: string): string {
  let masked = text.replace(CANARY_PATTERN, '[canary]');
  for (const { pattern } of SECRET_SHAPES) masked = masked.replace(pattern, '[secret]');
  return masked;
}
