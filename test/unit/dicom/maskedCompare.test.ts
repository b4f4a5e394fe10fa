import fc from 'fast-check';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { compareMemory, KERNEL_WASM, KERNEL_WAT, LAYOUT_AREAS, MAX_LAYOUT_BYTES } from '../../../shared/dicom/maskedCompare';

/**
 * The WebAssembly compare under repeatHeader: its bytes are its source, and it finds what a plain
 * loop finds — the first byte from `at` where input and layout differ under the mask.
 */
function firstDifferenceByLoop(a: Uint8Array, b: Uint8Array, mask: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end; i++) if (((a[i] ^ b[i]) & mask[i]) !== 0) return i;
  return end;
}

describe('maskedCompare', () => {
  it('KERNEL_WASM is KERNEL_WAT assembled (wabt)', async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat('kernel.wat', KERNEL_WAT, { simd: true });
    try {
      expect(Buffer.from(module.toBinary({}).buffer).toString('hex')).toBe(Buffer.from(KERNEL_WASM).toString('hex'));
    } finally {
      module.destroy();
    }
  });

  it('finds the first byte that differs under the mask, from any start, as a byte loop does', () => {
    const memory = compareMemory();
    if (memory === null) throw new Error('WebAssembly is available in Node: the compare memory must be made');
    const header = fc.record({
      end: fc.integer({ min: 1, max: 700 }),
      layout: fc.integer({ min: 0, max: LAYOUT_AREAS - 1 }),
      seed: fc.uint8Array({ minLength: 700, maxLength: 700 }),
      // Differences (offset, xor) and free runs (start, length), anywhere, past the end included.
      changes: fc.array(fc.tuple(fc.nat(720), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
      free: fc.array(fc.tuple(fc.nat(720), fc.nat(40)), { maxLength: 6 }),
      at: fc.nat(720),
    });
    fc.assert(
      fc.property(header, ({ end, layout, seed, changes, free, at }) => {
        const bytes = memory.layoutBytes(layout);
        const mask = memory.layoutMask(layout);
        const input = memory.input;
        // Leftovers of other headers past the end (the areas are reused): must not count.
        input.fill(0xaa, 0, 800);
        bytes.fill(0x55, 0, 800);
        bytes.set(seed.subarray(0, end));
        input.set(seed.subarray(0, end));
        mask.fill(0xff, 0, end);
        mask.fill(0, end, 800);
        for (const [start, n] of free) mask.fill(0, start, Math.min(end, start + n));
        for (const [k, x] of changes) input[k] ^= x;
        const from = Math.min(at, end);
        expect(memory.firstDifference(layout, from, end)).toBe(firstDifferenceByLoop(input, bytes, mask, from, end));
      }),
      { numRuns: 3000, seed: 0x5eed },
    );
  });

  it('has room for a layout of MAX_LAYOUT_BYTES and its last 16-byte step', () => {
    const memory = compareMemory()!;
    const last = LAYOUT_AREAS - 1;
    memory.layoutBytes(last).fill(7);
    memory.input.fill(7);
    memory.layoutMask(last).fill(0xff, 0, MAX_LAYOUT_BYTES).fill(0, MAX_LAYOUT_BYTES);
    expect(memory.layoutMask(last).length).toBe(MAX_LAYOUT_BYTES + 16);
    expect(memory.firstDifference(last, MAX_LAYOUT_BYTES - 3, MAX_LAYOUT_BYTES)).toBe(MAX_LAYOUT_BYTES);
    memory.input[MAX_LAYOUT_BYTES - 1] = 8;
    expect(memory.firstDifference(last, 128, MAX_LAYOUT_BYTES)).toBe(MAX_LAYOUT_BYTES - 1);
  });
});
