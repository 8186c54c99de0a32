import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
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

// phoneVerified: whether the account has a number confirmed by the code sent to it (the page reads it from the
// session). Without one the store refuses to switch SMS on, so the switch is off-limits and says where to confirm
// it; an SMS choice made earlier can still be switched off.
export function PreferencesForm({ phoneVerified }: { phoneVerified: boolean }) {
  const prefs = useQuery((signal) => getPreferences(signal), []);
  const [saving, setSaving] = useState<keyof NotificationPrefs | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = async (key: keyof NotificationPrefs) => {
    if (!prefs.data) return;
    // The switch is disabled then; the store would refuse it anyway (422 naming `sms`).
    if (key === 'sms' && !phoneVerified && !prefs.data.sms) return;
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
        CHANNELS.map((c) => {
          const needsPhone = c.key === 'sms' && !phoneVerified;
          return (
            <Fragment key={c.key}>
              <label className="toggle">
                <input
                  type="checkbox"
                  role="switch"
                  checked={prefs.data![c.key]}
                  disabled={saving !== null || (needsPhone && !prefs.data!.sms)}
                  onChange={() => void toggle(c.key)}
                  aria-describedby={needsPhone ? 'sms-phone-hint' : undefined}
                />
                <span>
                  {c.label} <span className="muted">— {c.hint}</span>
                </span>
              </label>
              {needsPhone && (
                <p className="field-hint prefs-hint" id="sms-phone-hint">
                  Чтобы получать SMS, <Link to="/account">подтвердите номер телефона в профиле</Link>
                </p>
              )}
            </Fragment>
          );
        })
      )}
      <ErrorMessage error={error} />
    </fieldset>
  );
}
