import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../main/storage/sessionStore';
import { SessionSchema } from '../../../shared/schemas/session';

/** The Electron path: main's session files are validated with SessionSchema (main/electron/main.ts). */
describe('session files written by version 1 (Electron storage)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('a v1 session file loads as v2 (nothing set aside) and is written back as v2 with the new fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frw-v1-'));
    dirs.push(dir);
    const uid = '1.2.826.0.1.3680043.8.498.7';
    const store = createSessionStore({ dir, schema: SessionSchema });
    const v1 = {
      version: 1,
      seriesInstanceUid: uid,
      lesions: [{ id: 'L1', bone: 'femur', site: 'lower-limb', label: '#1', thresholdHu: 350 }],
      measurements: [],
      drawings: {},
      assessments: { L1: { pain: 'functional' } },
      updatedAt: '2026-06-01T08:00:00.000Z',
    };
    writeFileSync(store.pathFor(uid), JSON.stringify(v1));
    const r = await store.load(uid);
    expect(r.ok ? null : r.error).toBeNull();
    if (!r.ok || !r.value) throw new Error('not loaded');
    expect(r.value).toMatchObject({ version: 2, keyImages: {}, calcaemia: { measured: '', albumin: '' }, boneAxis: null });
    expect(r.value.lesions[0].thresholdHu).toBe(350);
    const next = { ...r.value, calcaemia: { measured: '2,7', albumin: '31' } };
    expect((await store.save(uid, next)).ok).toBe(true);
    await store.idle();
    expect(JSON.parse(readFileSync(store.pathFor(uid), 'utf8'))).toMatchObject({ version: 2, calcaemia: { measured: '2,7', albumin: '31' }, boneAxis: null });
  });
});
