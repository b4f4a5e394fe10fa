/**
 * PACS settings on disk (Electron's userData/pacs/): `settings.json` (name, URL, auth kind, user
 * name: nothing secret) and `secret.bin`, the password or token encrypted by the OS keychain
 * through Electron's `safeStorage`. When the OS offers no real encryption (safeStorage
 * unavailable, or Linux's 'basic_text' fallback, which only obfuscates) the secret is kept in
 * memory for this run only and never written: the user types it again after a restart.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PacsSettingsState } from '../../shared/ipc/hostApi';
import { checkPacsSettings, pacsNotConfigured, PacsSettingsSchema, secretCarriesOver, type PacsConnection, type PacsSettings, type PacsSettingsInput } from '../../shared/pacs/schemas';
import { writeFileAtomic } from '../storage/atomicJson';

/** The part of Electron's safeStorage used here (a fake in tests). */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  /** Linux only: 'basic_text' means no keychain (obfuscation, not encryption). */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface PacsSettingsStore {
  state(): Promise<PacsSettingsState>;
  save(settings: PacsSettingsInput, secret: string | null): Promise<PacsSettingsState>;
  /** Settings and secret for a request; PACS_NOT_CONFIGURED when none are saved. */
  connection(): Promise<PacsConnection>;
}

export function secretsCanBeStored(box: SecretBox): boolean {
  if (!box.isEncryptionAvailable()) return false;
  const backend = box.getSelectedStorageBackend?.();
  return backend === undefined || backend !== 'basic_text';
}

export function createPacsSettingsStore(dir: string, box: SecretBox, log?: (m: string) => void): PacsSettingsStore {
  const settingsFile = join(dir, 'settings.json');
  const secretFile = join(dir, 'secret.bin');
  let memorySecret: string | null = null;

  async function readSettings(): Promise<PacsSettings | null> {
    if (!existsSync(settingsFile)) return null;
    try {
      const parsed = PacsSettingsSchema.safeParse(JSON.parse(await readFile(settingsFile, 'utf8')));
      if (parsed.success) return parsed.data;
      log?.(`pacs settings unreadable (${parsed.error.issues[0]?.message}); the user is asked again`);
    } catch (e) {
      log?.(`pacs settings unreadable (${(e as Error).message}); the user is asked again`);
    }
    return null;
  }

  async function readSecret(): Promise<string | null> {
    if (memorySecret !== null) return memorySecret;
    if (!existsSync(secretFile) || !secretsCanBeStored(box)) return null;
    try {
      return box.decryptString(await readFile(secretFile));
    } catch {
      // Another user's or machine's keychain: the secret is unusable, ask again.
      log?.('pacs secret could not be decrypted; the user is asked again');
      return null;
    }
  }

  async function state(): Promise<PacsSettingsState> {
    return { settings: await readSettings(), secretStored: (await readSecret()) !== null, secretStorage: secretsCanBeStored(box) ? 'os-encrypted' : 'memory-only' };
  }

  return {
    state,
    async save(input, secret) {
      const parsed = checkPacsSettings(input);
      if (!parsed.ok) throw parsed.error;
      const settings = parsed.value;
      const before = await readSettings();
      await writeFileAtomic(settingsFile, new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`));
      // Never send one server's password to another (or as another kind of credential).
      if (secret === null && !secretCarriesOver(before, settings)) secret = '';
      if (secret !== null) {
        memorySecret = null;
        if (secret === '') await rm(secretFile, { force: true });
        else if (secretsCanBeStored(box)) await writeFileAtomic(secretFile, new Uint8Array(box.encryptString(secret)));
        else {
          await rm(secretFile, { force: true });
          memorySecret = secret;
        }
      }
      return state();
    },
    async connection() {
      const settings = await readSettings();
      if (!settings) throw pacsNotConfigured();
      return { ...settings, secret: (await readSecret()) ?? '' };
    },
  };
}
