import { describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { dispatch, registerIpc, type Handlers, type IpcMainLike } from '../../../main/electron/ipc';
import { MAIN_CHANNELS, MAX_DROPPED_PATHS, MAX_OPEN_PATHS, type MainChannelName, type MainRequest } from '../../../shared/ipc/channels';

/**
 * Every IPC channel main serves (the page's and the preload's own, MAIN_CHANNELS) rejects malformed payloads with IPC_BAD_REQUEST before main acts on them.
 * Bad payloads are generated from each channel's own request schema (so a channel added
 * later is covered without touching this file): not an object, extra fields (small and huge),
 * each required field missing, each field of the wrong type, empty, huge or out of range.
 */
const APP = { url: 'frw-app://app/index.html', parent: null };
const HUGE = 'x'.repeat(10_000_000);

const VALID: { [N in MainChannelName]: MainRequest<N> } = {
  openStudy: { scanId: 'scan-0001-abcd', paths: ['/data/ct'], pick: 'files' },
  offerDropped: { paths: ['/data/ct', '/data/ct2/IM0001.dcm'] },
  openDemo: { scanId: 'scan-0002-abcd' },
  cancelScan: { scanId: 'scan-0003-abcd' },
  loadSession: { seriesInstanceUid: '1.2.840.113619.2.55.3' },
  saveSession: { seriesInstanceUid: '1.2.840.113619.2.55.3', session: { version: 1, lesions: [] } },
  setAsideSession: { seriesInstanceUid: '1.2.840.113619.2.55.3', reason: 'session.seriesInstanceUid: belongs to another series' },
  saveExport: { suggestedName: 'report.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) },
  recentStudies: {},
  appInfo: {},
  pacsSettings: {},
  pacsSaveSettings: { settings: { name: 'Hospital PACS', baseUrl: 'https://pacs.example.org/dicom-web', auth: 'basic', username: 'reader', timeoutS: 30 }, secret: 's3cret' },
  pacsTest: {},
  pacsSearch: { query: { patientId: 'P1', patientName: '', dateFrom: '20240101', dateTo: '', modality: 'CT', accessionNumber: '', limit: 50 } },
  pacsListSeries: { studyInstanceUid: '1.2.840.113619.2.55.3.1' },
  pacsRetrieve: { scanId: 'scan-0004-abcd', studyInstanceUid: '1.2.840.113619.2.55.3.1', seriesInstanceUid: '1.2.840.113619.2.55.3.2' },
  pacsStore: { objects: [new Uint8Array([1, 2, 3])] },
  pacsCacheInfo: {},
  pacsClearCache: {},
};

type Case = [label: string, payload: unknown];
const def = (s: z.ZodType) => (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; element?: z.ZodType } } })._zod.def;

function unwrap(s: z.ZodType): { base: z.ZodType; optional: boolean } {
  let optional = false;
  let cur = s;
  while (def(cur).type === 'optional' || def(cur).type === 'nullable') {
    if (def(cur).type === 'optional') optional = true;
    cur = def(cur).innerType!;
  }
  return { base: cur, optional };
}

function circular(): unknown {
  const o: Record<string, unknown> = {};
  o.self = o;
  return o;
}

/** Values that must be rejected for a field of this schema type. */
function wrongValues(field: z.ZodType, valid: unknown): Case[] {
  const { base } = unwrap(field);
  const t = def(base).type;
  // null is a value of its own where the schema says nullable (a PACS secret: null = keep the stored one).
  const nullable = def(field).type === 'nullable';
  const common: Case[] = [
    ...(nullable ? [] : ([['null', null]] as Case[])),
    ['a function-like object', { then: 'x' }],
  ];
  switch (t) {
    case 'string':
      return [...common, ['a number', 42], ['a boolean', true], ['an array', ['a']], ['an object', {}], ['empty', ''], ['10 MB', HUGE], ['a NUL', 'a\u0000b']];
    case 'array': {
      const el = Array.isArray(valid) ? valid[0] : 'x';
      // More entries than any channel's limit (a drop allows many more paths than an open request).
      const tooMany = Math.max(MAX_OPEN_PATHS, MAX_DROPPED_PATHS) + 1;
      return [...common, ['a string', 'x'], ['an object', {}], ['empty', []], ['numbers', [1, 2]], [`${tooMany} entries`, Array(tooMany).fill(el)], ['a 10 MB entry', [HUGE]]];
    }
    case 'enum':
      return [...common, ['another word', 'everything'], ['a number', 1], ['an array', ['files']], ['empty', ''], ['10 MB', HUGE]];
    case 'custom':
      return [...common, ['a number array', [37, 80]], ['a string', '%PDF'], ['an ArrayBuffer', new ArrayBuffer(4)], ['an object', { 0: 37 }], ['201 MB', new Uint8Array(201 * 1024 * 1024)]];
    case 'object':
      // A nested value (PACS settings, a study query): wrong shapes and unknown fields.
      return [...common, ['a string', 'x'], ['an array', [valid]], ['a nested extra field', { ...(valid as object), extra: 1 }], ['a nested 10 MB field', { ...(valid as object), huge: HUGE }]];
    case 'unknown':
      return [['undefined', undefined], ['a BigInt', 10n], ['circular', circular()], ['9 MB of JSON', { text: 'x'.repeat(9 * 1024 * 1024) }]];
    default:
      throw new Error(`no bad values for schema type ${t}: extend this test`);
  }
}

function badPayloads<N extends MainChannelName>(name: N): Case[] {
  const schema = MAIN_CHANNELS[name].request as unknown as z.ZodObject;
  const valid = VALID[name] as Record<string, unknown>;
  const cases: Case[] = [
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['a string', 'x'],
    ['a 10 MB string', HUGE],
    ['an array', [valid]],
    ['an extra field', { ...valid, extra: 1 }],
    ['an extra 10 MB field', { ...valid, huge: HUGE }],
    ['a __proto__ field', Object.assign(JSON.parse('{"__proto__": {"polluted": true}}'), valid)],
  ];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const { optional } = unwrap(field);
    if (!optional) {
      const { [key]: _omitted, ...rest } = valid;
      cases.push([`without ${key}`, rest]);
    }
    for (const [label, value] of wrongValues(field, valid[key])) {
      // An empty PACS secret is a request of its own: remove the stored password.
      if (name === 'pacsSaveSettings' && key === 'secret' && label === 'empty') continue;
      cases.push([`${key}: ${label}`, { ...valid, [key]: value }]);
    }
  }
  // Channel-specific limits the type alone does not show.
  if (name === 'saveExport') {
    cases.push(['suggestedName: a path', { ...valid, suggestedName: '../../.bashrc' }]);
    cases.push(['suggestedName: a Windows path', { ...valid, suggestedName: 'C:\\Windows\\x.pdf' }]);
    cases.push(['mimeType: not type/subtype', { ...valid, mimeType: 'pdf' }]);
  }
  if (name === 'openStudy') {
    cases.push([`paths: ${MAX_OPEN_PATHS + 1} entries`, { ...valid, paths: Array(MAX_OPEN_PATHS + 1).fill('/data/ct') }]);
    cases.push(['paths and dropId together', { ...valid, dropId: 'drop-0000-0000-0000' }]);
    cases.push(['dropId: not a token main issues', { scanId: 'scan-0001-abcd', dropId: '/etc/passwd' }]);
  }
  if (name === 'offerDropped') {
    cases.push(['paths: a relative path', { paths: ['data/ct'] }]);
    cases.push(['paths: a parent-relative path', { paths: ['../../etc'] }]);
    cases.push(['paths: a NUL inside', { paths: ['/data/ct\u0000/x'] }]);
    cases.push(['paths: a URL', { paths: ['file:///etc/passwd'] }]);
  }
  if (name === 'pacsSaveSettings') {
    const settings = valid.settings as Record<string, unknown>;
    for (const baseUrl of ['file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@pacs.example.org/dicom-web', 'pacs.example.org', '', 'https://' + 'x'.repeat(3000)]) {
      cases.push([`settings.baseUrl: ${baseUrl.slice(0, 40)}`, { ...valid, settings: { ...settings, baseUrl } }]);
    }
    cases.push(['settings.auth: kerberos', { ...valid, settings: { ...settings, auth: 'kerberos' } }]);
    cases.push(['settings.timeoutS: 0', { ...valid, settings: { ...settings, timeoutS: 0 } }]);
    cases.push(['settings.name: empty', { ...valid, settings: { ...settings, name: ' ' } }]);
    cases.push(['secret: 10 MB', { ...valid, secret: HUGE }]);
  }
  if (name === 'pacsSearch') {
    const query = valid.query as Record<string, unknown>;
    cases.push(['query.dateFrom: 2024-01-01', { query: { ...query, dateFrom: '2024-01-01' } }]);
    cases.push(['query.modality: an injection', { query: { ...query, modality: 'CT&PatientID=*' } }]);
    cases.push(['query.limit: 100000', { query: { ...query, limit: 100000 } }]);
  }
  if (name === 'pacsStore') cases.push(['objects: 17 objects', { objects: Array(17).fill(new Uint8Array(4)) }]);
  if ('studyInstanceUid' in valid) cases.push(['studyInstanceUid: a newline', { ...valid, studyInstanceUid: '1.2\n3' }]);
  if ('scanId' in valid) cases.push(['scanId: with a slash', { ...valid, scanId: 'scan/../../x' }]);
  if ('seriesInstanceUid' in valid) cases.push(['seriesInstanceUid: a newline', { ...valid, seriesInstanceUid: '1.2\n3' }]);
  return cases;
}

type Spy = ReturnType<typeof vi.fn<(request: unknown) => Promise<unknown>>>;
type Spies = Record<MainChannelName, Spy>;
function spyHandlers(): Spies {
  const h: Partial<Spies> = {};
  for (const name of Object.keys(MAIN_CHANNELS) as MainChannelName[]) {
    h[name] = vi.fn(async (_request: unknown): Promise<unknown> => {
      throw new Error(`handler ${name} must not run`);
    });
  }
  return h as Spies;
}
const dispatchTo = (name: MainChannelName, sender: Parameters<typeof dispatch>[1], payload: unknown, spies: Spies) =>
  dispatch(name, sender, payload, spies as unknown as Handlers);

const names = Object.keys(MAIN_CHANNELS) as MainChannelName[];

describe('every IPC channel rejects malformed payloads', () => {
  it('covers the page\'s channels and the preload-only drop channel', () => {
    expect(names).toEqual(expect.arrayContaining(['openStudy', 'offerDropped']));
  });

  it.each(names)('%s: the valid example passes its schema (so rejections below are for the bad part)', (name) => {
    expect(MAIN_CHANNELS[name].request.safeParse(VALID[name]).success).toBe(true);
  });

  it.each(names)('%s: every generated bad payload → IPC_BAD_REQUEST, handler not called', async (name) => {
    const handlers = spyHandlers();
    const cases = badPayloads(name);
    expect(cases.length).toBeGreaterThan(8);
    for (const [label, payload] of cases) {
      const r = await dispatchTo(name, APP, payload, handlers);
      expect(r.ok, `${name} with ${label}`).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, `${name} with ${label}`).toBe('IPC_BAD_REQUEST');
      expect(r.error.message.startsWith(MAIN_CHANNELS[name].channel), label).toBe(true);
      // The answer never echoes a huge payload back.
      expect(r.error.message.length, label).toBeLessThan(400);
    }
    expect(handlers[name]).not.toHaveBeenCalled();
  });

  it('names the offending field', async () => {
    const r = await dispatchTo('saveSession', APP, { seriesInstanceUid: 42, session: {} }, spyHandlers());
    expect(r).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST', field: 'seriesInstanceUid' } });
  });
});

describe('dispatch', () => {
  it('runs the handler with the parsed request and validates its answer', async () => {
    const handlers = spyHandlers();
    handlers.cancelScan.mockResolvedValue({ cancelled: true });
    expect(await dispatchTo('cancelScan', APP, VALID.cancelScan, handlers)).toEqual({ ok: true, value: { cancelled: true } });
    expect(handlers.cancelScan).toHaveBeenCalledWith(VALID.cancelScan);
  });
  it('refuses senders other than the app top frame', async () => {
    const handlers = spyHandlers();
    for (const sender of [null, { url: 'https://evil.example/', parent: null }, { url: 'frw-app://app/index.html', parent: {} }]) {
      const r = await dispatchTo('appInfo', sender, {}, handlers);
      expect(r).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
    }
    expect(handlers.appInfo).not.toHaveBeenCalled();
  });
  it('turns a coded error of a handler into an answer, and a bug into IPC_INTERNAL', async () => {
    const handlers = spyHandlers();
    handlers.loadSession.mockRejectedValueOnce({ code: 'SESSION_CORRUPT', message: 'kept aside', file: '/x.corrupt.json' });
    expect(await dispatchTo('loadSession', APP, VALID.loadSession, handlers)).toEqual({
      ok: false,
      error: { code: 'SESSION_CORRUPT', message: 'kept aside', file: '/x.corrupt.json' },
    });
    handlers.loadSession.mockRejectedValueOnce(new TypeError('boom'));
    expect(await dispatchTo('loadSession', APP, VALID.loadSession, handlers)).toMatchObject({ ok: false, error: { code: 'IPC_INTERNAL' } });
  });
  it('never sends an answer that breaks the response schema', async () => {
    const handlers = spyHandlers();
    handlers.recentStudies.mockResolvedValue({ studies: [{ path: 42 }] });
    expect(await dispatchTo('recentStudies', APP, {}, handlers)).toMatchObject({ ok: false, error: { code: 'IPC_BAD_RESPONSE' } });
  });
});

describe('registerIpc', () => {
  it('registers exactly the declared channels and refuses calls with other than one argument', async () => {
    const registered = new Map<string, (event: { senderFrame: typeof APP }, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = { handle: (c, l) => void registered.set(c, l), removeHandler: (c) => void registered.delete(c) };
    const handlers = spyHandlers();
    handlers.appInfo.mockResolvedValue({ appName: 'a', appVersion: '0.1.0', rulesVersion: '1', electronVersion: '', chromeVersion: '', platform: 'linux', packaged: false });
    const off = registerIpc(ipcMain, handlers as unknown as Handlers);
    expect([...registered.keys()].sort()).toEqual(names.map((n) => MAIN_CHANNELS[n].channel).sort());
    const info = registered.get('frw:app:info')!;
    expect(await info({ senderFrame: APP }, {})).toMatchObject({ ok: true });
    expect(await info({ senderFrame: APP })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    expect(await info({ senderFrame: APP }, {}, { extra: 1 })).toMatchObject({ ok: false, error: { code: 'IPC_BAD_REQUEST' } });
    off();
    expect(registered.size).toBe(0);
  });
});
