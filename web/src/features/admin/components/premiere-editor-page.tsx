import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { AdminNav } from '@/components/admin-nav';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError, fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { AdminPremiere } from '@/types/api';
import { createPremiere, getPremiere, updatePremiere } from '../api/premieres';
import { AGE_RATINGS, changedFields, emptyForm, fromForm, toForm, type PremiereForm } from '../premiere-form';
import { PremiereHistory } from './premiere-history';
import { PremiereShows } from './premiere-shows';

// Admin: create or edit a premiere — texts, prices, discount, rental periods, window, cast, visibility; and, once it
// exists, its live shows («Показы»).
export function PremiereEditorPage() {
  const { id = 'new' } = useParams();
  const isNew = id === 'new';
  const loaded = useQuery((signal) => (isNew ? Promise.resolve(null) : getPremiere(Number(id), signal)), [id]);
  if (loaded.error) {
    return (
      <section>
        <AdminNav />
        <ErrorMessage error={loaded.error} onRetry={() => void loaded.reload()} />
      </section>
    );
  }
  if (loaded.loading && loaded.data === undefined) return <Loading />;
  return <Editor key={`${id}:${loaded.data?.version ?? 0}`} premiere={loaded.data ?? null} />;
}

function Editor({ premiere: initial }: { premiere: AdminPremiere | null }) {
  const { timeZone } = useSession();
  const navigate = useNavigate();
  const [premiere, setPremiere] = useState(initial);
  const [form, setForm] = useState<PremiereForm>(() => (initial ? toForm(initial, timeZone) : emptyForm(timeZone)));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [historyKey, setHistoryKey] = useState(0);

  // Any edit makes the last "saved" line stale.
  const set = <K extends keyof PremiereForm>(key: K, value: PremiereForm[K]) => {
    setSaved(null);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const err = (key: string) => clientErrors[key] ?? fieldError(error, key);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const { input, errors } = fromForm(form, timeZone);
    setClientErrors(errors);
    setError(null);
    if (!input) return;
    setBusy(true);
    try {
      if (!premiere) {
        const created = await createPremiere(input);
        navigate(`/admin/premieres/${created.id}`, { replace: true });
        return;
      }
      const before = fromForm(toForm(premiere, timeZone), timeZone).input!;
      const change = changedFields(before, input);
      if (Object.keys(change).length === 0) {
        setSaved('Изменений нет.');
        return;
      }
      const updated = await updatePremiere(premiere.id, premiere.version, change);
      setPremiere(updated);
      setForm(toForm(updated, timeZone));
      setHistoryKey((k) => k + 1);
      setSaved('Сохранено: покупатели уже видят изменения.');
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  };

  const toggleHidden = async () => {
    if (!premiere) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await updatePremiere(premiere.id, premiere.version, { hidden: !premiere.hidden });
      setPremiere(updated);
      setForm(toForm(updated, timeZone));
      setHistoryKey((k) => k + 1);
      setSaved(updated.hidden ? 'Премьера скрыта с витрины.' : 'Премьера снова на витрине.');
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  };

  const stale = error instanceof ApiError && error.status === 409;
  const text = (key: keyof PremiereForm & string, label: string, props: { max?: number; hint?: string; area?: boolean; required?: boolean } = {}) => (
    <Field label={label} id={`p-${key}`} error={err(key)} hint={props.hint}>
      {props.area ? (
        <textarea
          id={`p-${key}`}
          value={form[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
          maxLength={props.max}
          rows={5}
          required={props.required}
          {...describedBy(`p-${key}`, err(key), props.hint)}
        />
      ) : (
        <input
          id={`p-${key}`}
          value={form[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
          maxLength={props.max}
          required={props.required}
          {...describedBy(`p-${key}`, err(key), props.hint)}
        />
      )}
    </Field>
  );
  const when = (key: 'discount_until' | 'reservable_from' | 'reservable_until' | 'live_at', label: string, hint?: string) => (
    <Field label={label} id={`p-${key}`} error={err(key)} hint={hint}>
      <input id={`p-${key}`} type="datetime-local" value={form[key]} onChange={(e) => set(key, e.target.value)} {...describedBy(`p-${key}`, err(key), hint)} />
    </Field>
  );

  return (
    <section className="admin-editor">
      <AdminNav />
      <p>
        <Link to="/admin">← Все премьеры</Link>
      </p>
      <h1>{premiere ? premiere.title : 'Новая премьера'}</h1>
      {premiere && (
        <p className="muted">
          Версия {premiere.version} · {premiere.hidden ? 'скрыта с витрины' : <Link to={`/premiere/${premiere.id}`}>открыть на витрине</Link>}
        </p>
      )}
      <form onSubmit={save} aria-label="Премьера" noValidate>
        <Group title="Описание">
          {text('title', 'Название', { max: 200, required: true })}
          {text('slug', 'Адрес (латиница, цифры, дефис)', { max: 100, hint: 'Например: mauser-taganka', required: true })}
          {text('theatre', 'Театр', { max: 200, required: true })}
          {text('director', 'Режиссёр', { max: 200, required: true })}
          {text('genre', 'Жанр', { max: 100 })}
          <Field label="Возраст" id="p-age_rating" error={err('age_rating')}>
            <select id="p-age_rating" value={form.age_rating} onChange={(e) => set('age_rating', e.target.value)}>
              {AGE_RATINGS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </Field>
          {text('duration_minutes', 'Длительность, минут')}
          {text('description_short', 'Коротко (для карточки)', { max: 500, area: true, required: true })}
          {text('description_full', 'Полное описание', { max: 10000, area: true, required: true })}
        </Group>
        <Group title="Цены">
          {text('price_theatre', 'Цена в театре, ₽')}
          {text('price_online', 'Цена онлайн за базовый срок, ₽')}
          {text('discount_percent', 'Скидка, %', { hint: 'От 0 до 100' })}
          {when('discount_until', 'Скидка действует до', 'Пусто — без срока')}
        </Group>
        <Group title="Аренда">
          <fieldset className="rows">
            <legend>Сроки аренды и множители цены</legend>
            {form.periods.map((p, i) => (
              <div className="row" key={i}>
                <Field label={`Срок ${i + 1}, часов`} id={`p-period-${i}`} error={err(`periods[${i}].hours`)}>
                  <input
                    id={`p-period-${i}`}
                    inputMode="numeric"
                    value={p.hours}
                    onChange={(e) => set('periods', form.periods.map((x, j) => (j === i ? { ...x, hours: e.target.value } : x)))}
                    {...describedBy(`p-period-${i}`, err(`periods[${i}].hours`))}
                  />
                </Field>
                <Field label="Множитель цены" id={`p-factor-${i}`} error={err(`periods[${i}].factor`)}>
                  <input
                    id={`p-factor-${i}`}
                    inputMode="decimal"
                    value={p.factor}
                    onChange={(e) => set('periods', form.periods.map((x, j) => (j === i ? { ...x, factor: e.target.value } : x)))}
                    {...describedBy(`p-factor-${i}`, err(`periods[${i}].factor`))}
                  />
                </Field>
                <button
                  type="button"
                  className="button-ghost"
                  disabled={form.periods.length === 1}
                  onClick={() => set('periods', form.periods.filter((_, j) => j !== i))}
                  aria-label={`Убрать срок ${i + 1}`}
                >
                  Убрать
                </button>
              </div>
            ))}
            {err('periods') && (
              <p className="field-error" role="alert">
                {err('periods')}
              </p>
            )}
            <button type="button" onClick={() => set('periods', [...form.periods, { hours: '', factor: '1' }])} disabled={form.periods.length >= 12}>
              Добавить срок
            </button>
          </fieldset>
          <Field label="Базовый срок (к нему относится цена онлайн)" id="p-base_period_hours" error={err('base_period_hours')}>
            <select id="p-base_period_hours" value={form.base_period_hours} onChange={(e) => set('base_period_hours', e.target.value)} {...describedBy('p-base_period_hours', err('base_period_hours'))}>
              {[...new Set([form.base_period_hours, ...form.periods.map((p) => p.hours)])]
                .filter(Boolean)
                .map((h) => (
                  <option key={h} value={h}>
                    {h} ч
                  </option>
                ))}
            </select>
          </Field>
          {when('reservable_from', 'Бронировать можно с')}
          {when('reservable_until', 'Бронировать можно до')}
          {when('live_at', 'Прямая трансляция', 'Пусто — запись, без живого показа')}
          {text('capacity', 'Мест на живом показе', { hint: 'Пусто — без ограничения' })}
        </Group>
        <Group title="Актёры">
          <fieldset className="rows">
            <legend>Актёры и роли по порядку</legend>
            {form.cast.map((c, i) => (
              <div className="row" key={i}>
                <Field label={`Актёр ${i + 1}`} id={`p-actor-${i}`} error={err(`cast[${i}].actor`)}>
                  <input id={`p-actor-${i}`} value={c.actor} maxLength={200} onChange={(e) => set('cast', form.cast.map((x, j) => (j === i ? { ...x, actor: e.target.value } : x)))} />
                </Field>
                <Field label="Роль" id={`p-role-${i}`} error={err(`cast[${i}].role`)}>
                  <input id={`p-role-${i}`} value={c.role} maxLength={200} onChange={(e) => set('cast', form.cast.map((x, j) => (j === i ? { ...x, role: e.target.value } : x)))} />
                </Field>
                <button type="button" className="button-ghost" onClick={() => set('cast', form.cast.filter((_, j) => j !== i))} aria-label={`Убрать актёра ${i + 1}`}>
                  Убрать
                </button>
              </div>
            ))}
            <button type="button" onClick={() => set('cast', [...form.cast, { actor: '', role: '' }])} disabled={form.cast.length >= 50}>
              Добавить актёра
            </button>
          </fieldset>
        </Group>
        <Group title="Витрина">
          <label className="check">
            <input type="checkbox" checked={form.featured} onChange={(e) => set('featured', e.target.checked)} /> Рекомендовать на главной
          </label>
          {!premiere && (
            <label className="check">
              <input type="checkbox" checked={form.hidden} onChange={(e) => set('hidden', e.target.checked)} /> Пока скрыть с витрины
            </label>
          )}
        </Group>
        {Object.keys(clientErrors).length > 0 && (
          <p className="alert alert-error" role="alert">
            Исправьте отмеченные поля.
          </p>
        )}
        <ErrorMessage error={error} />
        {stale && (
          <button type="button" onClick={() => window.location.reload()}>
            Загрузить свежую версию
          </button>
        )}
        {saved && (
          <p className="success" role="status">
            {saved}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {busy && <span className="spinner" aria-hidden="true" />} {premiere ? 'Сохранить' : 'Создать премьеру'}
          </button>
          {premiere && (
            <button type="button" onClick={() => void toggleHidden()} disabled={busy}>
              {premiere.hidden ? 'Вернуть на витрину' : 'Скрыть с витрины'}
            </button>
          )}
        </div>
      </form>
      {premiere && <PremiereShows premiereId={premiere.id} timeZone={timeZone} refreshKey={historyKey} />}
      {premiere && <PremiereHistory id={premiere.id} refreshKey={historyKey} />}
    </section>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="panel group">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
