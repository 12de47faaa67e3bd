import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allServiceFacts, readRepoFile, repoPath } from './service-facts.ts';

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, with line continuations joined and comments dropped. */
function dockerfileStages(): Stage[] {
  const lines = readRepoFile('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword === 'FROM') {
      const [, from = '', name = ''] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ name, from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword, args: args.replace(/\s+/g, ' ') });
    }
  }
  return stages;
}

const stages = dockerfileStages();
const runtime = stages.at(-1) as Stage;
const argsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword).map((i) => i.args);

describe('the Dockerfile', () => {
  it('builds in stages: manifests, production dependencies, then the runtime', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['manifests', 'deps', 'runtime']);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24(-slim)?$/);
    const deps = stages.find((stage) => stage.name === 'deps') as Stage;
    expect(argsOf(deps, 'RUN').join(' ')).toContain('npm ci --omit=dev');
    // Every COPY --from names an earlier stage.
    stages.forEach((stage, index) => {
      for (const copy of argsOf(stage, 'COPY')) {
        const from = /--from=(\S+)/.exec(copy)?.[1];
        if (from) expect(stages.slice(0, index).map((s) => s.name)).toContain(from);
      }
    });
  });

  it('runs as the unprivileged node user', () => {
    expect(argsOf(runtime, 'USER')).toEqual(['node']);
  });

  it('checks health with a script the image holds, and starts the api by default', () => {
    expect(argsOf(runtime, 'HEALTHCHECK')).toEqual([
      expect.stringMatching(/CMD \["node", "deploy\/healthcheck\.ts"\]$/),
    ]);
    expect(existsSync(repoPath('deploy/healthcheck.ts'))).toBe(true);
    const api = allServiceFacts().find((facts) => facts.name === 'api');
    expect(argsOf(runtime, 'CMD')).toEqual([JSON.stringify(api?.command).replaceAll(',', ', ')]);
  });

  it('exposes the HTTP ports the code listens on and the workers’ probe port', () => {
    const exposed = argsOf(runtime, 'EXPOSE').join(' ').split(' ').map(Number);
    for (const facts of allServiceFacts()) {
      if (facts.httpPort !== undefined) expect(exposed).toContain(facts.httpPort);
    }
    expect(exposed).toContain(8090);
    expect(argsOf(runtime, 'ENV').join(' ')).toContain('HOST=0.0.0.0');
  });

  it('keeps secrets, dependencies and history out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const entry of ['node_modules', '.git', '.data', '.env']) expect(ignored).toContain(entry);
  });
});

describe('deploy/healthcheck.ts, the containers’ healthcheck', () => {
  const script = fileURLToPath(repoPath('deploy/healthcheck.ts'));
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(request.url === '/readyz' ? 503 : 200);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const exitCode = async (args: string[], env: Record<string, string> = {}) => {
    const { PORT: _port, HEALTH_PORT: _health, HEALTHCHECK_URL: _url, ...rest } = process.env;
    try {
      await promisify(execFile)(process.execPath, [script, ...args], { env: { ...rest, ...env } });
      return 0;
    } catch (error) {
      return (error as { code?: number }).code;
    }
  };

  it('passes on a 2xx, fails on a 503 and on a closed port', async () => {
    expect(await exitCode([`${base}/healthz`])).toBe(0);
    expect(await exitCode([`${base}/readyz`])).toBe(1);
    expect(await exitCode(['http://127.0.0.1:1/healthz'])).toBe(1);
  });

  it('probes /healthz on HEALTH_PORT, else PORT, when given no URL', async () => {
    const port = new URL(base).port;
    expect(await exitCode([], { HEALTH_PORT: port, PORT: '1' })).toBe(0);
    expect(await exitCode([], { PORT: port })).toBe(0);
    expect(await exitCode([], { HEALTHCHECK_URL: `${base}/readyz` })).toBe(1);
  });
});
