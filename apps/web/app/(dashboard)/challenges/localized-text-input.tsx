'use client';
import { useId, useState } from 'react';
import { Input } from '@/components/ui/input';
import {
  addLocale,
  DEFAULT_LOCALE,
  type LocalizedDraftText,
  localesOf,
  removeLocale,
} from '@/lib/localized-text';

const tab =
  'rounded-t px-2 py-0.5 text-xs font-medium ring-1 ring-inset focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600';

/**
 * A name or description: one text input for a plain string, or one tab per locale of an ICU
 * message map (SPEC §2.4). "+ locale" turns a plain string into a map whose default-locale
 * message is that string; removing all other locales turns it back. Problems (core's inline
 * validation) show under the field and name the locale they are about.
 */
export function LocalizedTextInput({
  label,
  value,
  readOnly,
  error,
  className,
  defaultLocale = DEFAULT_LOCALE,
  onChange,
}: {
  label: string;
  /** The draft's `defaultLocale` (draftDefaultLocale): its tab comes first and stays. */
  defaultLocale?: string;
  value: LocalizedDraftText | undefined;
  readOnly: boolean;
  error: string | undefined;
  className?: string;
  onChange: (value: LocalizedDraftText) => void;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const inputId = useId();
  const map = typeof value === 'object' && value !== null ? value : null;
  const locales = map ? localesOf(map, defaultLocale) : [];
  const current = map ? (selected !== null && selected in map ? selected : locales[0]) : null;

  const add = () => {
    const locale = adding.trim();
    if (locale === '') return;
    onChange(addLocale(value, locale, defaultLocale));
    setSelected(locale);
    setAdding('');
  };

  return (
    <div className={className} data-localized-text={label}>
      <div className="mb-1 flex flex-wrap items-end gap-1">
        <label htmlFor={inputId} className="mr-1 text-xs font-medium text-slate-600">
          {label}
          {current ? ` (${current})` : ''}
        </label>
        {map && (
          <div role="tablist" aria-label="Locales" className="flex flex-wrap gap-1">
            {locales.map((locale) => (
              <button
                key={locale}
                type="button"
                role="tab"
                aria-selected={locale === current}
                className={`${tab} ${locale === current ? 'bg-indigo-50 text-indigo-700 ring-indigo-300' : 'text-slate-600 ring-slate-200'}`}
                onClick={() => setSelected(locale)}
              >
                {locale}
              </button>
            ))}
          </div>
        )}
        {!readOnly && (
          <span className="ml-auto flex items-center gap-1">
            {map && current && current !== defaultLocale && (
              <button
                type="button"
                className="text-xs text-slate-500 hover:text-rose-600"
                aria-label={`Remove locale ${current}`}
                onClick={() => onChange(removeLocale(map, current, defaultLocale))}
              >
                ✕ {current}
              </button>
            )}
            <input
              aria-label="New locale"
              placeholder="de"
              value={adding}
              className="w-14 rounded border-0 px-1 py-0.5 text-xs ring-1 ring-inset ring-slate-300"
              onChange={(e) => setAdding(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
            />
            <button type="button" className="text-xs text-indigo-600" onClick={add}>
              + locale
            </button>
          </span>
        )}
      </div>
      <Input
        id={inputId}
        value={map ? (map[current ?? ''] ?? '') : typeof value === 'string' ? value : ''}
        readOnly={readOnly}
        error={error}
        onChange={(e) =>
          onChange(map && current ? { ...map, [current]: e.target.value } : e.target.value)
        }
      />
    </div>
  );
}
