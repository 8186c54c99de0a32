import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import type { User } from '@/lib/types';
import { ErrorMessage, Field } from '@/components/ui';

const ZONES = ['Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk',
  'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka'];

function safeNext(next: string | null) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ user: User }>('POST', '/auth/login', { body: { email, password, remember } });
      await session.signedIn(r.user);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldError(f) : undefined);
  return (
    <section className="narrow">
      <h1>Вход</h1>
      <form onSubmit={submit}>
        <Field label="Электронная почта" id="email" error={fe('email')}>
          <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </Field>
        <Field label="Пароль" id="password" error={fe('password')}>
          <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Запомнить меня
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Войти
        </button>
      </form>
      <p>
        Нет аккаунта? <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>Зарегистрироваться</Link>
      </p>
    </section>
  );
}

export function RegisterPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const [form, setForm] = useState({ email: '', password: '', name: '', phone: '', time_zone: 'Europe/Moscow' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, string> = { email: form.email, password: form.password, name: form.name, time_zone: form.time_zone };
      if (form.phone.trim()) body.phone = form.phone.trim();
      const r = await api<{ user: User }>('POST', '/auth/register', { body });
      await session.signedIn(r.user);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldError(f) : undefined);
  return (
    <section className="narrow">
      <h1>Регистрация</h1>
      <form onSubmit={submit}>
        <Field label="Имя" id="name" error={fe('name')}>
          <input id="name" autoComplete="name" value={form.name} onChange={set('name')} required maxLength={100} />
        </Field>
        <Field label="Электронная почта" id="email" error={fe('email')}>
          <input id="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} required />
        </Field>
        <Field label="Пароль (не короче 12 символов)" id="password" error={fe('password')}>
          <input id="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} required minLength={12} />
        </Field>
        <Field label="Телефон для SMS (необязательно)" id="phone" error={fe('phone')}>
          <input id="phone" type="tel" autoComplete="tel" placeholder="+79991234567" value={form.phone} onChange={set('phone')} />
        </Field>
        <Field label="Часовой пояс" id="tz" error={fe('time_zone')}>
          <select id="tz" value={form.time_zone} onChange={set('time_zone')}>
            {ZONES.map((z) => (
              <option key={z} value={z}>{z}</option>
            ))}
          </select>
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Зарегистрироваться
        </button>
      </form>
    </section>
  );
}
