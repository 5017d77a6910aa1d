import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../app/settings';
import { en } from './en';
import { fr } from './fr';

export const catalogues = { en, fr } as const;

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

export const setLanguage = (language: Language) => i18next.changeLanguage(language);
export { i18next };
