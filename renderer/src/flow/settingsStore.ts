import { create } from 'zustand';
import type { InputOf, SettingsView } from '../../../app/contract';
import type { KioskErrorData } from '../../../app/errors';
import type { Language } from '../../../app/settings';
import { setLanguage } from '../i18n/i18n';
import { kiosk } from '../services/kiosk';

interface SettingsState {
  settings: SettingsView | null;
  /** The visitor may switch language for their own visit; it returns to the kiosk's after. */
  language: Language;
  spoken: boolean;
  loaded(): Promise<void>;
  languageChosen(language: Language): void;
  kioskLanguageRestored(): void;
  spokenToggled(): void;
  saved(change: InputOf<'settings.update'>): Promise<KioskErrorData | null>;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  settings: null,
  language: 'en',
  spoken: false,
  async loaded() {
    const result = await kiosk().settings.get();
    if (result.ok) {
      set({ settings: result.data, language: result.data.language });
      void setLanguage(result.data.language);
    }
  },
  languageChosen(language) {
    set({ language });
    void setLanguage(language);
  },
  kioskLanguageRestored() {
    const kioskLanguage = get().settings?.language ?? 'en';
    set({ language: kioskLanguage });
    void setLanguage(kioskLanguage);
  },
  spokenToggled: () => set((s) => ({ spoken: !s.spoken })),
  async saved(change) {
    const result = await kiosk().settings.update(change);
    if (!result.ok) return result.error;
    set({ settings: result.data });
    return null;
  },
}));
