import { useTranslation } from 'react-i18next';

/**
 * Numbers, durations and dates in the visitor's (or staff's) language through Intl: digits,
 * separators and plural forms are the language's own (Arabic's six plural forms included), so
 * the catalogues hold no number formats.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return {
    number: (value: number, fractionDigits = 0) =>
      new Intl.NumberFormat(language, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value),
    hours: (value: number) => new Intl.NumberFormat(language, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(value),
    days: (value: number) => new Intl.NumberFormat(language, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(value),
    dateTime: (value: string | Date) => new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(value)),
  };
}
