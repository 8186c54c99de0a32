import { useState } from 'react';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import type { NotificationPrefs } from '@/types/api';
import { getPreferences } from '../api/get-preferences';
import { updatePreferences } from '../api/update-preferences';

const CHANNELS: { key: keyof NotificationPrefs; label: string; hint: string }[] = [
  { key: 'email', label: 'Электронная почта', hint: 'письма о покупке и напоминания о конце срока' },
  { key: 'sms', label: 'SMS', hint: 'на телефон из профиля' },
  { key: 'in_app', label: 'В личном кабинете', hint: 'здесь, в разделе «Уведомления»' },
  { key: 'reminders', label: 'Напоминания о показах', hint: '«Показ начался» и «Скоро закончится аренда» по почте и SMS; в личном кабинете они есть всегда' },
];

export function PreferencesForm() {
  const prefs = useQuery((signal) => getPreferences(signal), []);
  const [saving, setSaving] = useState<keyof NotificationPrefs | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = async (key: keyof NotificationPrefs) => {
    if (!prefs.data) return;
    setSaving(key);
    setError(null);
    try {
      prefs.setData(await updatePreferences({ ...prefs.data, [key]: !prefs.data[key] }));
    } catch (e) {
      setError(e);
    } finally {
      setSaving(null);
    }
  };

  return (
    <fieldset className="panel prefs">
      <legend>Как сообщать</legend>
      {prefs.error ? (
        <ErrorMessage error={prefs.error} onRetry={() => void prefs.reload()} />
      ) : !prefs.data ? (
        <Loading />
      ) : (
        CHANNELS.map((c) => (
          <label key={c.key} className="toggle">
            <input type="checkbox" role="switch" checked={prefs.data![c.key]} disabled={saving !== null} onChange={() => void toggle(c.key)} />
            <span>
              {c.label} <span className="muted">— {c.hint}</span>
            </span>
          </label>
        ))
      )}
      <ErrorMessage error={error} />
    </fieldset>
  );
}
