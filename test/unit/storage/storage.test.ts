import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { corruptPathFor, readJsonFile, removeStaleTemps, writeFileAtomicSync, writeJsonAtomic } from '../../../main/storage/atomicJson';
import { createSessionStore, sessionFileName } from '../../../main/storage/sessionStore';

const Schema = z.object({ version: z.literal(1), lesions: z.array(z.object({ id: z.string(), lengthMm: z.number() })) });
const UID = '1.2.826.0.1.3680043.8.498.12345';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'frw-storage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeJsonAtomic', () => {
  it('writes the whole value and leaves no temporary file', async () => {
    const target = join(dir, 'a', 'b.json');
    await writeJsonAtomic(target, { x: 1, s: 'é' });
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ x: 1, s: 'é' });
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.json']);
  });

  it('replaces an existing file completely', async () => {
    const target = join(dir, 'b.json');
    await writeJsonAtomic(target, { long: 'x'.repeat(10_000) });
    await writeJsonAtomic(target, { short: 1 });
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ short: 1 });
  });

  it('fails with the file untouched when the folder cannot be written', async () => {
    const target = join(dir, 'c.json');
    await writeJsonAtomic(target, { v: 1 });
    // A folder where the temp file must go is a file: the write fails, the old file stays.
    await expect(writeJsonAtomic(join(target, 'inner.json'), { v: 2 })).rejects.toThrow();
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ v: 1 });
  });
});

describe('writeFileAtomicSync', () => {
  it('replaces the file whole, synchronously, without leftovers', () => {
    const target = join(dir, 'w.json');
    writeFileAtomicSync(target, 'x'.repeat(100_000));
    writeFileAtomicSync(target, '{"a":1}');
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(readdirSync(dir)).toEqual(['w.json']);
  });
});

describe('readJsonFile', () => {
  it('answers null for a missing file', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), Schema)).toEqual({ ok: true, value: null });
  });

  it('moves a file that is not JSON aside and reports it', async () => {
    const target = join(dir, 's.json');
    writeFileSync(target, '{"version":1,"lesions":[{"id":"a","lengthM');
    const now = new Date('2026-11-24T12:00:00.000Z');
    const r = await readJsonFile(target, Schema, { now: () => now });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('STORAGE_CORRUPT');
    expect(r.error.message).toMatch(/not valid JSON/);
    expect(r.error.file).toBe(corruptPathFor(target, now));
    expect(existsSync(target)).toBe(false);
    // Kept, byte for byte: never silently dropped.
    expect(readFileSync(corruptPathFor(target, now), 'utf8')).toBe('{"version":1,"lesions":[{"id":"a","lengthM');
    expect(corruptPathFor(target, now)).toBe(join(dir, 's.corrupt-2026-11-24T12-00-00-000Z.json'));
  });

  it('moves a file the schema rejects aside and names the field', async () => {
    const target = join(dir, 's.json');
    writeFileSync(target, JSON.stringify({ version: 1, lesions: [{ id: 'a', lengthMm: 'long' }] }));
    const r = await readJsonFile(target, Schema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('STORAGE_CORRUPT');
    expect(r.error.field).toBe('lesions.0.lengthMm');
    expect(readdirSync(dir).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });
});

describe('sessionFileName', () => {
  it('keeps a DICOM UID readable', () => {
    expect(sessionFileName(UID)).toBe(`session-${UID}.json`);
  });
  it.each(['../../etc/passwd', '..', 'a/b', 'a\\b', 'C:\\x', 'x'.repeat(300), 'é', ' ', '.hidden'])(
    'makes %s a plain file name in the folder',
    (uid) => {
      const name = sessionFileName(uid);
      expect(name).toMatch(/^session-[0-9A-Za-z._~-]+\.json$/);
      expect(name).not.toContain('..');
      expect(name.length).toBeLessThanOrEqual(140);
    },
  );
  it('never maps two UIDs to one file', () => {
    expect(sessionFileName('a/b')).not.toBe(sessionFileName('a_b'));
    expect(sessionFileName('a/b')).not.toBe(sessionFileName('a:b'));
  });
});

describe('session store', () => {
  it('saves and loads a session per series', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    expect(await store.load(UID)).toEqual({ ok: true, value: null });
    const s = { version: 1 as const, lesions: [{ id: 'L1', lengthMm: 42.5 }] };
    expect(await store.save(UID, s)).toEqual({ ok: true, value: undefined });
    expect(await store.load(UID)).toEqual({ ok: true, value: s });
    expect(await store.load('1.2.3')).toEqual({ ok: true, value: null });
  });

  it('is idle only once every save is on disk (the app waits for this before quitting)', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    const big = { version: 1 as const, lesions: Array.from({ length: 20_000 }, (_, i) => ({ id: `L${i}`, lengthMm: i })) };
    void store.save(UID, big);
    await store.idle();
    expect(JSON.parse(readFileSync(store.pathFor(UID), 'utf8')).lesions).toHaveLength(20_000);
  });

  it('refuses to save a session the schema rejects, naming the field', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    const r = await store.save(UID, { version: 1, lesions: [{ id: 'L1', lengthMm: Number.NaN }] } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'SESSION_INVALID', field: 'lesions.0.lengthMm' });
    expect(existsSync(store.pathFor(UID))).toBe(false);
  });

  it('never lets an older save land after a newer one (burst of autosaves)', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    const saves = Array.from({ length: 50 }, (_, i) =>
      store.save(UID, { version: 1, lesions: Array.from({ length: i + 1 }, (_, j) => ({ id: `L${j}`, lengthMm: i })) }),
    );
    const results = await Promise.all(saves);
    expect(results.every((r) => r.ok)).toBe(true);
    const loaded = await store.load(UID);
    expect(loaded.ok && loaded.value?.lesions).toHaveLength(50);
  });

  it('reports a corrupt session and keeps it aside; the next save starts a fresh file', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    writeFileSync(store.pathFor(UID), 'garbage');
    const r = await store.load(UID);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('SESSION_CORRUPT');
    expect(await store.load(UID)).toEqual({ ok: true, value: null });
    await store.save(UID, { version: 1, lesions: [] });
    const names = readdirSync(dir).sort();
    expect(names).toHaveLength(2);
    expect(names.some((n) => n.includes('.corrupt-'))).toBe(true);
  });

  it('sets an unusable session aside on request (kept, and the next save cannot overwrite it)', async () => {
    const store = createSessionStore({ dir, schema: Schema });
    expect(await store.setAside(UID)).toEqual({ ok: true, value: null });
    await store.save(UID, { version: 1, lesions: [{ id: 'L1', lengthMm: 3 }] });
    const r = await store.setAside(UID);
    expect(r.ok && r.value).toMatch(/session-1\.2\.826\.0\.1\.3680043\.8\.498\.12345\.corrupt-.*\.json$/);
    if (!r.ok || !r.value) return;
    expect(JSON.parse(readFileSync(r.value, 'utf8')).lesions[0].id).toBe('L1');
    expect(await store.load(UID)).toEqual({ ok: true, value: null });
  });

  it('cleans temporary files of dead writers, not of live ones', async () => {
    const target = join(dir, sessionFileName(UID));
    writeFileSync(`${target}.tmp-999999-abcdef`, 'half');
    writeFileSync(`${target}.tmp-${process.pid}-abcdef`, 'mine');
    const removed = await removeStaleTemps(dir, (pid) => pid !== 999999);
    expect(removed).toEqual([`${sessionFileName(UID)}.tmp-999999-abcdef`]);
    expect(existsSync(`${target}.tmp-${process.pid}-abcdef`)).toBe(true);
  });
});
