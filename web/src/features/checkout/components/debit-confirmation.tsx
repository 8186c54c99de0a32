import { formatMoney } from '@/utils/money';

// The spec's "form to confirm the debit": the balance before and after, and one button.
export function DebitConfirmation({ balance, total, busy, onConfirm }: { balance: number; total: number; busy: boolean; onConfirm: () => void }) {
  return (
    <section className="panel" aria-labelledby="debit-title">
      <h2 id="debit-title">Подтверждение списания</h2>
      <dl className="facts ledger">
        <dt>Баланс сейчас</dt>
        <dd>{formatMoney(balance)}</dd>
        <dt>Будет списано</dt>
        <dd>−{formatMoney(total)}</dd>
        <dt>Баланс после списания</dt>
        <dd>
          <b>{formatMoney(balance - total)}</b>
        </dd>
      </dl>
      <button type="button" className="primary big-button" onClick={onConfirm} disabled={busy}>
        {busy ? 'Списываем…' : 'Подтвердить списание'}
      </button>
    </section>
  );
}
