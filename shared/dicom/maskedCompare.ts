/**
 * The compare under repeatHeader: is a new header byte for byte a remembered one, except where a
 * mask lets bytes differ? In WebAssembly, 16 bytes per step (SIMD): the same compare as 8-byte
 * words in JavaScript took ~1 µs a CT header, most of a repeat's cost (scan bench, issue 3).
 *
 * One linear memory holds an input area (the new header's bytes) and, per remembered layout, an
 * area for its bytes and one for its mask; nothing is allocated per file. Where WebAssembly is
 * not available (a host that forbids it), compareMemory() is null and headers are read in full.
 */

/**
 * Layouts remembered at once (repeatHeader): in a series, UIDs and positions change length now
 * and then (and back), so consecutive files alternate between a few layouts.
 */
export const LAYOUT_AREAS = 8;
/** Bytes per area; a layout longer than MAX_LAYOUT_BYTES is not remembered. */
const AREA_BYTES = 64 * 1024;
/** The last 16-byte step may read up to 15 bytes past a layout's end (masked out), within its area. */
const STEP_BYTES = 16;
export const MAX_LAYOUT_BYTES = AREA_BYTES - STEP_BYTES;
const PAGE_BYTES = 64 * 1024;

/**
 * The kernel's source (WebAssembly text). firstDifference(a, b, mask, at, end): the first offset
 * in [at, end) where (a[i] ^ b[i]) & mask[i] is not 0 — `end` if none. Bytes past `end`, up to the
 * last step's 16, must be masked out (mask 0). test/unit/dicom/maskedCompare.test.ts assembles
 * this text and checks that it gives KERNEL_WASM.
 */
export const KERNEL_WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "firstDifference")
    (param $a i32) (param $b i32) (param $mask i32) (param $at i32) (param $end i32) (result i32)
    (local $d v128)
    (block $none
      (loop $step
        (br_if $none (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $d
          (v128.and
            (v128.xor
              (v128.load (i32.add (local.get $a) (local.get $at)))
              (v128.load (i32.add (local.get $b) (local.get $at))))
            (v128.load (i32.add (local.get $mask) (local.get $at)))))
        (if (v128.any_true (local.get $d))
          (then
            (return
              (i32.add (local.get $at)
                (i32.ctz
                  (i32.xor (i32.const 0xffff)
                    (i8x16.bitmask (i8x16.eq (local.get $d) (v128.const i64x2 0 0)))))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $step)))
    (local.get $end)))
`;

/** KERNEL_WAT assembled (wabt 1.0.39, SIMD enabled). */
export const KERNEL_WASM = hexBytes(
  '0061736d01000000010a0160057f7f7f7f7f017f020f0103656e76066d656d6f727902000103020100071301' +
    '0f6669727374446966666572656e636500000a68016601017b02400340200320044f0d01200020036afd0004' +
    '00200120036afd000400fd51200220036afd000400fd4e21052005fd530440200341ffff032005fd0c000000' +
    '00000000000000000000000000fd23fd6473686a0f0b200341106a21030c000b0b20040b',
);

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface CompareMemory {
  /** The input area: the header being compared is copied here, unless it was read here (readBuffer). */
  readonly input: Uint8Array;
  /** The start of the input area, `bytes` long, as one array (the same each call): a header read into it is compared without a copy. */
  readBuffer(bytes: number): Uint8Array;
  /** Layout k's (0 ≤ k < LAYOUT_AREAS) bytes and mask (0xFF: must match; 0: free), each MAX_LAYOUT_BYTES + 16 long. */
  layoutBytes(k: number): Uint8Array;
  layoutMask(k: number): Uint8Array;
  /** The first offset in [at, end) where the input differs from layout k under its mask; `end` if none. */
  firstDifference(k: number, at: number, end: number): number;
}

let memory: CompareMemory | null | undefined;

/** The compare memory (made once per thread), or null without WebAssembly. */
export function compareMemory(): CompareMemory | null {
  if (memory !== undefined) return memory;
  memory = null;
  if (typeof WebAssembly !== 'object') return null;
  try {
    // Never grown: growing would detach the views below (and slow every typed array of the thread).
    const pages = ((1 + 2 * LAYOUT_AREAS) * AREA_BYTES) / PAGE_BYTES;
    const wasmMemory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(KERNEL_WASM), { env: { memory: wasmMemory } });
    const diff = instance.exports.firstDifference as (a: number, b: number, mask: number, at: number, end: number) => number;
    const all = new Uint8Array(wasmMemory.buffer);
    const bytesAt = (k: number) => (1 + 2 * k) * AREA_BYTES;
    const maskAt = (k: number) => (2 + 2 * k) * AREA_BYTES;
    let readView = all.subarray(0, 0);
    memory = {
      input: all.subarray(0, AREA_BYTES),
      readBuffer: (bytes) => (readView.length === bytes ? readView : (readView = all.subarray(0, bytes))),
      layoutBytes: (k) => all.subarray(bytesAt(k), bytesAt(k) + AREA_BYTES),
      layoutMask: (k) => all.subarray(maskAt(k), maskAt(k) + AREA_BYTES),
      firstDifference: (k, at, end) => diff(0, bytesAt(k), maskAt(k), at, end),
    };
  } catch {
    // A host that forbids compiling WebAssembly (a strict Content-Security-Policy): read in full.
  }
  return memory;
}
