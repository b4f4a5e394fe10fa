/**
 * The elements parseHeader reads, by slot (their order in tags.ts TAG), as the element loops
 * find them: offsets and lengths in typed arrays, no object per element. A sequence whose items
 * are read keeps dicom-parser's element (with its items).
 */
import type { Element } from 'dicom-parser';
import { KEPT_COUNT, KEPT_KEY_LIST } from './tags';

export const KEPT_FLAG = { PRESENT: 1, SEQUENCE: 2, UNDEFINED_LENGTH: 4 } as const;
const { PRESENT, SEQUENCE, UNDEFINED_LENGTH } = KEPT_FLAG;

export class KeptElements {
  readonly offset = new Int32Array(KEPT_COUNT);
  /** Lengths as declared (up to 0xFFFFFFFF). */
  readonly length = new Float64Array(KEPT_COUNT);
  readonly flags = new Uint8Array(KEPT_COUNT);
  readonly element: (Element | undefined)[] = new Array<Element | undefined>(KEPT_COUNT).fill(undefined);
  private holdsElements = false;

  clear(): void {
    this.flags.fill(0);
    if (this.holdsElements) {
      this.element.fill(undefined);
      this.holdsElements = false;
    }
  }

  set(slot: number, dataOffset: number, length: number, flags: number): void {
    this.offset[slot] = dataOffset;
    this.length[slot] = length;
    this.flags[slot] = flags | PRESENT;
  }

  /** An element read by dicom-parser (the loops' fallback, big endian data sets). */
  setElement(slot: number, el: Element): void {
    this.set(slot, el.dataOffset, el.length, (el.items !== undefined ? SEQUENCE : 0) | (el.hadUndefinedLength ? UNDEFINED_LENGTH : 0));
    if (el.items !== undefined) {
      this.element[slot] = el;
      this.holdsElements = true;
    }
  }

  has(slot: number): boolean {
    return this.flags[slot] !== 0;
  }

  /** Holds dicom-parser elements with items (sequences read), and so the bytes they came from. */
  holdsSequenceItems(): boolean {
    return this.holdsElements;
  }

  /** The offsets, lengths and flags of `other` (not its dicom-parser elements). */
  copyFrom(other: KeptElements): void {
    this.offset.set(other.offset);
    this.length.set(other.length);
    this.flags.set(other.flags);
  }

  isSequence(slot: number): boolean {
    return (this.flags[slot] & SEQUENCE) !== 0;
  }

  hadUndefinedLength(slot: number): boolean {
    return (this.flags[slot] & UNDEFINED_LENGTH) !== 0;
  }

  /** The value ends within the first `fileLength` bytes (or its length is undefined: it ends where its delimiter is). */
  fitsIn(slot: number, fileLength: number): boolean {
    return this.hadUndefinedLength(slot) || this.offset[slot] + this.length[slot] <= fileLength;
  }

  /** The kept elements by key, as dicom-parser would give them (tests, diagnostics). */
  toRecord(): Record<string, { length: number; dataOffset: number; hadUndefinedLength: boolean; sequence: boolean; element?: Element }> {
    const out: ReturnType<KeptElements['toRecord']> = {};
    for (let slot = 0; slot < KEPT_COUNT; slot++) {
      if (!this.has(slot)) continue;
      out[KEPT_KEY_LIST[slot]] = {
        length: this.length[slot],
        dataOffset: this.offset[slot],
        hadUndefinedLength: this.hadUndefinedLength(slot),
        sequence: this.isSequence(slot),
        ...(this.element[slot] ? { element: this.element[slot] } : {}),
      };
    }
    return out;
  }
}
