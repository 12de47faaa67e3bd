import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { DEFAULT_CONTRACTS_DIR } from '../contract-set.ts';

type Raw = Record<string, unknown>;

/** A throw-away copy of the shipped contracts/ folder that a test may break one file at a time. */
export interface ContractsCopy {
  url: URL;
  path: string;
  /** Rewrites a YAML file (path relative to contracts/) through `edit`. */
  edit(file: string, edit: (raw: Raw) => void): void;
  write(file: string, text: string): void;
  remove(file: string): void;
  dispose(): void;
}

export function copyShippedContracts(): ContractsCopy {
  const path = mkdtempSync(join(tmpdir(), 'agentops-contracts-'));
  cpSync(DEFAULT_CONTRACTS_DIR, path, { recursive: true });
  const url = pathToFileURL(`${path}/`);
  return {
    url,
    path,
    edit(file, edit) {
      const raw = parse(readFileSync(join(path, file), 'utf8')) as Raw;
      edit(raw);
      writeFileSync(join(path, file), stringify(raw));
    },
    write(file, text) {
      writeFileSync(join(path, file), text);
    },
    remove(file) {
      rmSync(join(path, file));
    },
    dispose() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
