// The current language as rune state, remembered on the device; Vietnamese unless the user chose English.
import { locales, translate, type Locale, type MessageKey } from './catalog';

const storageKey = 'telehealth.locale';

class I18n {
  locale = $state<Locale>('vi');

  constructor() {
    if (typeof localStorage === 'undefined') return;
    const saved = localStorage.getItem(storageKey);
    if (saved && (locales as readonly string[]).includes(saved)) this.locale = saved as Locale;
  }

  setLocale(locale: Locale) {
    this.locale = locale;
    localStorage.setItem(storageKey, locale);
    document.documentElement.lang = locale;
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);
}

export const i18n = new I18n();
export const t = i18n.t;
