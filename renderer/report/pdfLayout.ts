import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';

/**
 * A tiny flowing-text layout on top of pdf-lib: headings, wrapped paragraphs, key/value rows,
 * tables and images, with automatic page breaks and a footer on every page.
 *
 * Font: the PDF standard Helvetica with WinAnsi encoding. It covers the French accented letters
 * (é è ê à â ç ô û ù ï œ « » …) without embedding a font file; the few characters the
 * guideline texts use outside WinAnsi (≥ ≤ → σ …) are replaced by readable ASCII by `toWinAnsi`
 * so drawing never throws and nothing is silently dropped (a test checks every report string).
 * No DOM and no Node API: runs in the renderer (both hosts) and in unit tests.
 */

/** Characters outside WinAnsi that clinical texts use, with their plain replacements. */
const REPLACEMENTS: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '→': '->',
  '←': '<-',
  '↔': '<->',
  '≈': '~',
  '≠': '!=',
  '−': '-',
  '‐': '-',
  '‑': '-',
  'σ': 'sigma',
  'ρ': 'rho',
  'ν': 'nu',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\t': ' ',
  '✓': 'x',
  '✗': '-',
  '⚠': '!',
};

let winAnsiSet: Set<number> | null = null;

/** Replace what WinAnsi Helvetica cannot draw; unknown characters become '?'. */
export function toWinAnsi(text: string, charset: Set<number> | null = winAnsiSet): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (charset ? charset.has(cp) : cp < 0x7f) {
      out += ch;
      continue;
    }
    const rep = REPLACEMENTS[ch];
    out += rep ?? (charset ? '?' : ch);
  }
  return out;
}

export interface PageFormat {
  width: number;
  height: number;
  margin: number;
}

/** A4 portrait in PDF points. */
export const A4: PageFormat = { width: 595.28, height: 841.89, margin: 42 };

const INK = rgb(0.08, 0.08, 0.1);
const MUTED = rgb(0.35, 0.35, 0.4);
const RULE = rgb(0.75, 0.75, 0.8);
const ACCENT = rgb(0.1, 0.25, 0.55);

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: 'ink' | 'muted' | 'accent';
  indent?: number;
}

export interface TableColumn {
  header: string;
  /** Share of the usable width (the shares of a table sum to 1). */
  width: number;
}

export class PdfFlow {
  private page!: PDFPage;
  private y = 0;
  private pages: PDFPage[] = [];

  private constructor(
    readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    readonly format: PageFormat,
  ) {
    this.newPage();
  }

  static async create(format: PageFormat = A4): Promise<PdfFlow> {
    const doc = await PDFDocument.create();
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    winAnsiSet ??= new Set(regular.getCharacterSet());
    return new PdfFlow(doc, regular, bold, format);
  }

  get usableWidth(): number {
    return this.format.width - 2 * this.format.margin;
  }

  newPage(): void {
    this.page = this.doc.addPage([this.format.width, this.format.height]);
    this.pages.push(this.page);
    this.y = this.format.height - this.format.margin;
  }

  /** Start a new page unless `height` points still fit above the footer. */
  ensure(height: number): void {
    if (this.y - height < this.format.margin + 18) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  private font(style: TextStyle): PDFFont {
    return style.bold ? this.bold : this.regular;
  }

  private color(style: TextStyle) {
    return style.color === 'muted' ? MUTED : style.color === 'accent' ? ACCENT : INK;
  }

  /** Split text into lines no wider than `width` (words longer than a line are cut). */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const font = this.font(style);
    const size = style.size ?? 9.5;
    const lines: string[] = [];
    for (const paragraph of toWinAnsi(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
          let cut = rest.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
          lines.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  lineHeight(style: TextStyle = {}): number {
    return (style.size ?? 9.5) * 1.3;
  }

  text(text: string, style: TextStyle = {}): void {
    const indent = style.indent ?? 0;
    const lh = this.lineHeight(style);
    for (const line of this.wrap(text, this.usableWidth - indent, style)) {
      this.ensure(lh);
      this.y -= lh;
      this.page.drawText(line, {
        x: this.format.margin + indent,
        y: this.y + lh * 0.25,
        size: style.size ?? 9.5,
        font: this.font(style),
        color: this.color(style),
      });
    }
  }

  /** A bullet item: the wrapped lines hang under the text, not under the bullet. */
  bullet(text: string, style: TextStyle = {}): void {
    const indent = style.indent ?? 6;
    const size = style.size ?? 9.5;
    const hang = this.font(style).widthOfTextAtSize('• ', size);
    const lh = this.lineHeight(style);
    this.wrap(text, this.usableWidth - indent - hang, style).forEach((line, i) => {
      this.ensure(lh);
      this.y -= lh;
      if (i === 0) {
        this.page.drawText('•', { x: this.format.margin + indent, y: this.y + lh * 0.25, size, font: this.font(style), color: this.color(style) });
      }
      this.page.drawText(line, {
        x: this.format.margin + indent + hang,
        y: this.y + lh * 0.25,
        size,
        font: this.font(style),
        color: this.color(style),
      });
    });
  }

  heading(text: string, level: 1 | 2 | 3 = 2): void {
    const size = level === 1 ? 16 : level === 2 ? 12.5 : 10.5;
    this.ensure(size * 3.2);
    this.space(level === 1 ? 4 : 8);
    this.text(text, { size, bold: true, color: level === 3 ? 'ink' : 'accent' });
    if (level <= 2) {
      this.space(2);
      this.rule();
    }
    this.space(3);
  }

  rule(): void {
    this.page.drawLine({
      start: { x: this.format.margin, y: this.y },
      end: { x: this.format.width - this.format.margin, y: this.y },
      thickness: 0.6,
      color: RULE,
    });
  }

  /** Rows of "label: value", labels in a fixed column. */
  keyValues(rows: Array<[string, string]>, labelShare = 0.32): void {
    this.table(
      [
        { header: '', width: labelShare },
        { header: '', width: 1 - labelShare },
      ],
      rows,
      { headerRow: false, boldFirstColumn: true },
    );
  }

  table(
    columns: TableColumn[],
    rows: string[][],
    opts: { headerRow?: boolean; boldFirstColumn?: boolean; size?: number } = {},
  ): void {
    const size = opts.size ?? 8.5;
    const pad = 3;
    const widths = columns.map((c) => c.width * this.usableWidth);
    const drawRow = (cells: string[], header: boolean) => {
      const wrapped = cells.map((cell, i) =>
        this.wrap(cell, widths[i] - 2 * pad, { size, bold: header || (opts.boldFirstColumn === true && i === 0) }),
      );
      const lh = size * 1.25;
      const height = Math.max(...wrapped.map((l) => l.length)) * lh + 2 * pad;
      this.ensure(height);
      let x = this.format.margin;
      wrapped.forEach((lines, i) => {
        lines.forEach((line, k) => {
          this.page.drawText(line, {
            x: x + pad,
            y: this.y - pad - (k + 1) * lh + lh * 0.25,
            size,
            font: header || (opts.boldFirstColumn === true && i === 0) ? this.bold : this.regular,
            color: header ? ACCENT : INK,
          });
        });
        x += widths[i];
      });
      this.y -= height;
      this.rule();
    };
    if (opts.headerRow !== false) drawRow(columns.map((c) => c.header), true);
    for (const row of rows) drawRow(row, false);
    this.space(4);
  }

  /** A PNG (bytes, base64 or data URL) scaled to `maxWidth` × `maxHeight` points, with a caption. */
  async image(png: string | Uint8Array, caption: string, maxWidth: number, maxHeight: number): Promise<void> {
    const img = await this.doc.embedPng(png);
    const scale = Math.min(maxWidth / img.width, maxHeight / img.height, 1);
    const w = img.width * scale;
    const h = img.height * scale;
    this.ensure(h + 16);
    this.y -= h;
    this.page.drawImage(img, { x: this.format.margin, y: this.y, width: w, height: h });
    this.space(2);
    this.text(caption, { size: 8, color: 'muted' });
    this.space(4);
  }

  /**
   * Images side by side, `columns` to a row (issue 14: two or three key images a page, not one
   * narrow image a page), each with its caption wrapped under it; a row never splits over pages.
   */
  async imageGrid(items: readonly { png: string | Uint8Array; caption: string }[], columns: number, maxHeight: number): Promise<void> {
    const gap = 12;
    const colWidth = (this.usableWidth - gap * (columns - 1)) / columns;
    const size = 8;
    const lh = size * 1.25;
    for (let i = 0; i < items.length; i += columns) {
      const row = await Promise.all(
        items.slice(i, i + columns).map(async (it) => {
          const img = await this.doc.embedPng(it.png);
          const scale = Math.min(colWidth / img.width, maxHeight / img.height, 1);
          return { img, w: img.width * scale, h: img.height * scale, lines: this.wrap(it.caption, colWidth, { size }) };
        }),
      );
      const imgH = Math.max(...row.map((r) => r.h));
      const capH = Math.max(...row.map((r) => r.lines.length)) * lh;
      this.ensure(imgH + capH + 10);
      const top = this.y;
      row.forEach((r, k) => {
        const x = this.format.margin + k * (colWidth + gap);
        this.page.drawImage(r.img, { x, y: top - r.h, width: r.w, height: r.h });
        r.lines.forEach((line, j) => {
          this.page.drawText(line, { x, y: top - imgH - 2 - (j + 1) * lh + 2, size, font: this.regular, color: MUTED });
        });
      });
      this.y = top - imgH - capH - 10;
    }
  }

  /** Footer on every page: a fixed line (identifiers, disclaimer) and "page i / n". */
  footer(line: string, pageLabel: (index: number, count: number) => string): void {
    const count = this.pages.length;
    this.pages.forEach((page, i) => {
      const size = 7.5;
      const left = this.wrap(line, this.usableWidth - 70, { size })[0] ?? '';
      page.drawText(left, { x: this.format.margin, y: this.format.margin - 16, size, font: this.regular, color: MUTED });
      const label = toWinAnsi(pageLabel(i + 1, count));
      const w = this.regular.widthOfTextAtSize(label, size);
      page.drawText(label, {
        x: this.format.width - this.format.margin - w,
        y: this.format.margin - 16,
        size,
        font: this.regular,
        color: MUTED,
      });
    });
  }

  get pageCount(): number {
    return this.pages.length;
  }
}
