import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { fieldError } from '@/lib/api-client';
import { phoneVerified, useSession } from '@/lib/session';
import { DEFAULT_TIME_ZONE } from '@/utils/dates';
import { updateProfile } from '../api/update-profile';
import { TIME_ZONES } from '../time-zones';
import { EmailSettings } from './email-settings';
import { PersonalData } from './personal-data';
import { PhoneVerification } from './phone-verification';
import { SecuritySettings } from './security-settings';

export function AccountPage() {
  const session = useSession();
  const user = session.user!;
  const [name, setName] = useState(user.name);
  const [phone, setPhone] = useState(user.phone ?? '');
  const [timeZone, setTimeZone] = useState(user.time_zone || DEFAULT_TIME_ZONE);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      session.updateUser(await updateProfile({ name: name.trim(), phone: phone.trim() || null, time_zone: timeZone }));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // The state of the saved number, beside the field while it holds that number; a different one typed in is
  // confirmed anew once saved.
  const typedPhone = phone.trim();
  const phoneState =
    user.phone && typedPhone === user.phone ? (phoneVerified(user) ? 'verified' : 'unverified') : typedPhone ? 'new' : null;
  const zones = TIME_ZONES.some((z) => z.value === timeZone) ? TIME_ZONES : [...TIME_ZONES, { value: timeZone, label: timeZone }];
  const errs = { name: fieldError(error, 'name'), phone: fieldError(error, 'phone'), time_zone: fieldError(error, 'time_zone') };
  return (
    <section className="auth">
      <h1>Профиль</h1>
      <p className="muted">{user.email}</p>
      <form onSubmit={submit} className="panel">
        <Field label="Имя" id="name" error={errs.name}>
          <input id="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} {...describedBy('name', errs.name)} />
        </Field>
        <Field label="Телефон для SMS" id="phone" error={errs.phone}>
          <input
            id="phone"
            type="tel"
            autoComplete="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            {...describedBy('phone', errs.phone)}
            aria-describedby={errs.phone ? 'phone-error' : phoneState ? 'phone-state' : undefined}
          />
        </Field>
        {phoneState && (
          <p className="phone-state" id="phone-state">
            {phoneState === 'new' ? (
              <span className="muted">Новый номер нужно будет подтвердить кодом из SMS</span>
            ) : (
              <span className={phoneState === 'verified' ? 'status status-verified' : 'status status-unverified'}>
                {phoneState === 'verified' ? 'Номер подтверждён' : 'Номер не подтверждён'}
              </span>
            )}
          </p>
        )}
        <Field label="Часовой пояс" id="time_zone" error={errs.time_zone} hint="В нём показываются время показов и обратные отсчёты">
          <select id="time_zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} {...describedBy('time_zone', errs.time_zone, 'hint')}>
            {zones.map((z) => (
              <option key={z.value} value={z.value}>
                {z.label}
              </option>
            ))}
          </select>
        </Field>
        <ErrorMessage error={errs.name || errs.phone || errs.time_zone ? null : error} />
        {saved && (
          <p className="success" role="status">
            Сохранено.
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Сохранить
        </button>
      </form>
      <PhoneVerification key={user.phone ?? ''} />
      <p>
        <Link to="/notifications">Настроить уведомления</Link> · <Link to="/billing">Баланс и история</Link>
      </p>
      <EmailSettings />
      <SecuritySettings />
      <PersonalData />
    </section>
  );
}
