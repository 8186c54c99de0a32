import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { DEFAULT_TIME_ZONE } from '@/utils/dates';
import { register, type RegisterInput } from '../api/register';
import { emailProblem, MIN_PASSWORD, passwordProblem } from '../credentials';
import { safeNext } from '../safe-next';
import { TIME_ZONES } from '../time-zones';

type Form = { email: string; password: string; name: string; phone: string; time_zone: string; consent: boolean };

export const CONSENT_MISSING = 'Чтобы зарегистрироваться, дайте согласие на обработку персональных данных';

// Checks the browser can make before asking the server; the server's errors[] win when it answers.
export function registerProblems(form: Form): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.name.trim()) problems.name = 'Укажите имя';
  const email = emailProblem(form.email);
  if (email) problems.email = email;
  const password = passwordProblem(form.password);
  if (password) problems.password = password;
  if (form.phone.trim() && !/^\+?[\d\s()-]{10,20}$/.test(form.phone.trim())) problems.phone = 'Телефон в формате +79991234567';
  if (!form.consent) problems.consent = CONSENT_MISSING;
  return problems;
}

export function RegisterPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [form, setForm] = useState<Form>({ email: '', password: '', name: '', phone: '', time_zone: DEFAULT_TIME_ZONE, consent: false });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: Exclude<keyof Form, 'consent'>) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = registerProblems(form);
    setProblems(found);
    setError(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const body: RegisterInput = { email: form.email.trim(), password: form.password, name: form.name.trim(), time_zone: form.time_zone, consent: true };
      if (form.phone.trim()) body.phone = form.phone.trim();
      const r = await register(body);
      await session.signedIn(r.user);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      if (err instanceof ApiError) setProblems(Object.fromEntries(err.errors.map((x) => [x.field, x.message])));
      setError(err);
      setBusy(false);
    }
  };

  const fieldProblem = (k: string) => problems[k];
  const showGeneral = error instanceof ApiError ? error.errors.length === 0 : !!error;
  return (
    <section className="auth">
      <h1>Регистрация</h1>
      <form onSubmit={submit} className="panel" noValidate>
        <Field label="Имя" id="name" error={fieldProblem('name')}>
          <input id="name" autoComplete="name" value={form.name} onChange={set('name')} required maxLength={100} {...describedBy('name', fieldProblem('name'))} />
        </Field>
        <Field label="Электронная почта" id="email" error={fieldProblem('email')}>
          <input id="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} required {...describedBy('email', fieldProblem('email'))} />
        </Field>
        <Field label={`Пароль (не короче ${MIN_PASSWORD} символов)`} id="password" error={fieldProblem('password')}>
          <input
            id="password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            required
            minLength={MIN_PASSWORD}
            {...describedBy('password', fieldProblem('password'))}
          />
        </Field>
        <Field label="Телефон для SMS (необязательно)" id="phone" error={fieldProblem('phone')}>
          <input id="phone" type="tel" autoComplete="tel" placeholder="+79991234567" value={form.phone} onChange={set('phone')} {...describedBy('phone', fieldProblem('phone'))} />
        </Field>
        <Field label="Часовой пояс" id="time_zone" error={fieldProblem('time_zone')}>
          <select id="time_zone" value={form.time_zone} onChange={set('time_zone')} {...describedBy('time_zone', fieldProblem('time_zone'))}>
            {TIME_ZONES.map((z) => (
              <option key={z.value} value={z.value}>
                {z.label}
              </option>
            ))}
          </select>
        </Field>
        {/* Consent to the processing of personal data (152-ФЗ): required, and sent as consent: true. The policy opens in
            a new tab, so that what is typed here stays. */}
        <div className={fieldProblem('consent') ? 'consent field-invalid' : 'consent'}>
          <label className="checkbox" htmlFor="consent">
            <input
              id="consent"
              type="checkbox"
              checked={form.consent}
              onChange={(e) => setForm((f) => ({ ...f, consent: e.target.checked }))}
              required
              {...describedBy('consent', fieldProblem('consent'))}
            />
            <span>
              Я соглашаюсь на обработку моих персональных данных в соответствии с{' '}
              <Link to="/privacy" target="_blank">
                политикой обработки персональных данных
              </Link>
            </span>
          </label>
          {fieldProblem('consent') && (
            <div className="field-error" id="consent-error" role="alert">
              {fieldProblem('consent')}
            </div>
          )}
        </div>
        {showGeneral && <ErrorMessage error={error} />}
        <button type="submit" className="primary big-button" disabled={busy}>
          {busy ? 'Регистрируем…' : 'Зарегистрироваться'}
        </button>
      </form>
      <p>
        Уже есть аккаунт? <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>Войти</Link>
      </p>
    </section>
  );
}
