import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../../shared/rules/sources';
import { FILE_OR_ID_OF_OURS } from '../../fixtures/userFacingText';

describe('sources as a clinician cites them (clinical-rules §10, issue 14 defect 6)', () => {
  it('no label or citation names a file of ours, a seed or an internal id', () => {
    for (const src of Object.values(SOURCES)) {
      expect(src.short, src.id).not.toMatch(FILE_OR_ID_OF_OURS);
      expect(src.citation, src.id).not.toMatch(FILE_OR_ID_OF_OURS);
      expect(Object.keys(src)).toEqual(['id', 'short', 'citation']);
    }
  });
  it('the primary literature of §10 is cited by author, year and journal', () => {
    const all = Object.values(SOURCES).map((s) => s.citation).join('\n');
    for (const ref of [
      'Mirels H. ',
      'Clin Orthop Relat Res 1989;(249):256–64',
      'van der Linden YM et al.',
      'Radiother Oncol 2003;69(1):21–31',
      'J Bone Joint Surg Br 2004',
      'Damron TA et al.',
      'Clin Orthop Relat Res 2016;474(3):643–51',
      'Harrington KD.',
      'Instr Course Lect 1986;35:357–81',
      'Fisher CG et al.',
      'Spine 2010;35(22):E1221–9',
      'Tatar Z et al. Radiat Oncol 2014;9:227',
      'Hipp JA et al. Clin Orthop Relat Res 1995;(312):120–35',
      '« Traitement local de la métastase osseuse par radiothérapie »',
      'J Int Med Res 2020',
      'J Bone Oncol 2022;34:100425',
    ])
      expect(all).toContain(ref);
  });
});
