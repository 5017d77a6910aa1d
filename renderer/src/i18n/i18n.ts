import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../app/settings';
import { ar } from './ar';
import { de } from './de';
import { en, type Messages } from './en';
import { es } from './es';
import { fr } from './fr';
import { pt } from './pt';

export const catalogues: Record<Language, Messages> = { en, fr, es, de, ar, pt };
/** Languages written right to left: the whole page mirrors (dir="rtl" on <html>). */
const RIGHT_TO_LEFT: ReadonlySet<Language> = new Set(['ar']);

void i18next.use(initReactI18next).init({
  resources: Object.fromEntries(Object.entries(catalogues).map(([language, translation]) => [language, { translation }])),
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

/** Switches the catalogue and the page's language and direction (screen readers, fonts, layout). */
export function setLanguage(language: Language) {
  document.documentElement.lang = language;
  document.documentElement.dir = RIGHT_TO_LEFT.has(language) ? 'rtl' : 'ltr';
  return i18next.changeLanguage(language);
}
export { i18next };
