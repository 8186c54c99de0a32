import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { AdminNav } from '@/components/admin-nav';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import type { PlaybackProblem, PlaybackProblemStatus, PlaybackSummary } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { formatMoney } from '@/utils/money';
import { closePlaybackProblem } from '../api/close-playback-problem';
import { getPlaybackProblems } from '../api/get-playback-problems';
import { refundPlaybackProblem } from '../api/refund-playback-problem';

// What the rental's playback sessions recorded, in words, times in the staff member's zone: «Просмотров: 2 · первый
// фрагмент: 07.12.2026, 20:01 · последний фрагмент: … · ошибок плеера: 3 · сбоев магазина: 0 · последняя ошибка: …».
export function playbackSummary(p: PlaybackSummary, timeZone: string): string {
  const parts = [`Просмотров: ${p.streams}`];
  if (p.first_segment_at) {
    parts.push(`первый фрагмент: ${formatDateTime(p.first_segment_at, timeZone)}`);
    if (p.last_segment_at) parts.push(`последний фрагмент: ${formatDateTime(p.last_segment_at, timeZone)}`);
  } else {
    parts.push('фрагменты не загружались');
  }
  parts.push(`ошибок плеера: ${p.errors}`, `сбоев магазина: ${p.store_failures}`);
  if (p.last_error) parts.push(`последняя ошибка: ${p.last_error}`);
  return parts.join(' · ');
}

// Support and admins: «Проблемы с просмотром» — the customers' reports from the player (ADR 0026), the open ones by
// default (?status=all: every one), each with what its playback recorded and two actions: «Вернуть деньги» (everything
// the rental still holds, after an inline confirmation) and «Закрыть без возврата». A resolved report leaves the open
// list on the refetch that follows; what was done stays said above the list.
export function PlaybackProblemsPage() {
  const { timeZone } = useSession();
  const [params, setParams] = useSearchParams();
  const status: PlaybackProblemStatus = params.get('status') === 'all' ? 'all' : 'open';
  const problems = useQuery((signal) => getPlaybackProblems(status, signal), [status]);
  const [notice, setNotice] = useState<string | null>(null);

  const resolved = (what: string) => {
    setNotice(what);
    void problems.reload();
  };
  const show = (next: string) => {
    setNotice(null);
    setParams(next === 'all' ? { status: 'all' } : {});
  };

  const items = problems.data?.items;
  return (
    <section>
      <AdminNav />
      <h1>Проблемы с просмотром</h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="problems-status">Показывать</label>
          <select id="problems-status" value={status} onChange={(e) => show(e.target.value)}>
            <option value="open">Открытые</option>
            <option value="all">Все</option>
          </select>
        </div>
        <button type="button" onClick={() => void problems.reload()} disabled={problems.loading}>
          Обновить
        </button>
      </div>
      {notice && (
        <p className="success" role="status" data-testid="problems-notice">
          {notice}
        </p>
      )}
      {problems.error ? (
        <ErrorMessage error={problems.error} onRetry={() => void problems.reload()} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{status === 'open' ? 'Открытых обращений нет.' : 'Обращений пока не было.'}</p>
      ) : (
        <ul className="problems">
          {items.map((p) => (
            <ProblemItem key={p.id} problem={p} timeZone={timeZone} onResolved={resolved} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ProblemItem({ problem, timeZone, onResolved }: { problem: PlaybackProblem; timeZone: string; onResolved: (what: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // Done here: the buttons go while the list is asked again.
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const at = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, timeZone)}</time>;

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      const what = await action();
      setDone(true);
      onResolved(what);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const refund = () =>
    act(async () => {
      const r = await refundPlaybackProblem(problem.id);
      return `Возвращено ${formatMoney(r.amount)} на баланс покупателя: «${problem.title}», заказ ${problem.order_id}.`;
    });
  const close = () =>
    act(async () => {
      await closePlaybackProblem(problem.id);
      return `Обращение по «${problem.title}» закрыто без возврата.`;
    });

  const open = problem.resolved_at === null && !done;
  return (
    <li className="panel problem" data-testid="problem">
      <h2>{problem.title}</h2>
      <blockquote className="problem-text">{problem.text}</blockquote>
      <p className="muted problem-meta">
        Сообщение от {at(problem.created_at)} · заказ {problem.order_id} ·{' '}
        <Link to={`/staff/customers?order=${encodeURIComponent(problem.order_id)}`}>карточка покупателя</Link>
      </p>
      <p className="problem-playback" data-testid="problem-playback">
        {playbackSummary(problem.playback, timeZone)}
      </p>
      {problem.resolved_at !== null ? (
        <p className="problem-resolution">
          {problem.resolution === 'refunded' ? 'Деньги возвращены' : 'Закрыто без возврата'} {at(problem.resolved_at)}
        </p>
      ) : (
        <p className="problem-refundable">
          {problem.refundable > 0 ? `Можно вернуть: ${formatMoney(problem.refundable)}` : 'Возвращать нечего: за аренду уже всё вернули'}
        </p>
      )}
      <ErrorMessage error={error} />
      {open &&
        (confirming ? (
          <RefundConfirmation amount={problem.refundable} busy={busy} onConfirm={() => void refund()} onCancel={() => setConfirming(false)} />
        ) : (
          <div className="actions">
            {problem.refundable > 0 && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => {
                  setError(null);
                  setConfirming(true);
                }}
              >
                Вернуть деньги
              </button>
            )}
            <button type="button" disabled={busy} aria-busy={busy} onClick={() => void close()}>
              Закрыть без возврата
            </button>
          </div>
        ))}
    </li>
  );
}

// The question before a refund, in place of the buttons; the focus goes to the safe choice.
function RefundConfirmation({ amount, busy, onConfirm, onCancel }: { amount: number; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  const question = `Вернуть ${formatMoney(amount)} на баланс покупателя?`;
  return (
    <div className="hint problem-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm} disabled={busy} aria-busy={busy}>
          {busy ? 'Возвращаем…' : 'Да, вернуть'}
        </button>
        <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          Отмена
        </button>
      </div>
    </div>
  );
}
