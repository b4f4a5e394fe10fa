import { useTranslation } from 'react-i18next';
import { calcaemia } from '../../shared/rules';
import { ALBUMIN_RANGE_G_L, CALCIUM_RANGE_MMOL_L, calcaemiaInputFrom, setCalcaemiaValues, useCalcaemiaValues } from './calcaemiaStore';

/**
 * Corrected calcaemia (seed 001, clinical-rules §7) with the crisis flag; the values go into the
 * report. Test ids: calc-measured, calc-albumin, calc-result (data-value, data-crisis), calc-invalid.
 */
export function CalcaemiaHelper() {
  const { t, i18n } = useTranslation('assess');
  const v = useCalcaemiaValues();
  const input = calcaemiaInputFrom(v);
  const r = input ? calcaemia(input) : null;
  const fmt = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 2 });
  const touched = v.measured.trim() !== '' || v.albumin.trim() !== '';
  return (
    <div className="calcaemia">
      <div className="grid">
        <label>{t('calcaemia.measured')}</label>
        <input className="num" inputMode="decimal" data-testid="calc-measured" value={v.measured} onChange={(e) => setCalcaemiaValues({ measured: e.target.value })} />
        <label>{t('calcaemia.albumin')}</label>
        <input className="num" inputMode="decimal" data-testid="calc-albumin" value={v.albumin} onChange={(e) => setCalcaemiaValues({ albumin: e.target.value })} />
      </div>
      <p className="muted small">{t('calcaemia.formula')}</p>
      {r ? (
        <p data-testid="calc-result" data-value={r.correctedCalcaemiaMmolL} data-crisis={String(r.hypercalcaemicCrisis)} className={r.hypercalcaemicCrisis ? 'crisis' : ''}>
          {t('calcaemia.corrected', { value: fmt.format(r.correctedCalcaemiaMmolL) })}
          {r.hypercalcaemicCrisis ? ` — ${t('calcaemia.crisis')}` : ''}
        </p>
      ) : touched ? (
        <p className="error" data-testid="calc-invalid" data-ranges={`${CALCIUM_RANGE_MMOL_L.join('-')};${ALBUMIN_RANGE_G_L.join('-')}`}>
          {t('calcaemia.invalid')}
        </p>
      ) : null}
    </div>
  );
}
