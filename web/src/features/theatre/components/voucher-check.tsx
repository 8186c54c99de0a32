import { useRef, useState, type FormEvent } from 'react';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { ApiError, fieldError } from '@/lib/api-client';
import type { VoucherCheck } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { newIdempotencyKey } from '@/utils/idempotency-key';
import { formatMoney } from '@/utils/money';
import { voucherStatusText } from '@/utils/voucher-status';
import { getVoucher } from '../api/get-voucher';
import { redeemVoucher } from '../api/redeem-voucher';
import { parseVoucherCode } from '../voucher-code';

export const NOT_FOUND = 'Ваучер не найден или он другого театра';
export const REDEEMED = 'Ваучер погашен';

// A 404 is an unknown code or another theatre's: the box office is told so in the same words either way.
const withDetail = (error: unknown) => (error instanceof ApiError && error.status === 404 ? new ApiError(404, { detail: NOT_FOUND }) : error);

// «Проверить ваучер»: the code a customer shows at the box office → its premiere, theatre, amount, date and status;
// an active one is redeemed with «Погасить». One Idempotency-Key per redemption attempt: kept while the same voucher
// is retried after a lost answer (a network error), renewed once the store has answered.
export function VoucherCheckPanel({ timeZone }: { timeZone: string }) {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [voucher, setVoucher] = useState<VoucherCheck | null>(null);
  const [redeeming, setRedeeming] = useState(false);
  const [redeemError, setRedeemError] = useState<unknown>(null);
  const [redeemed, setRedeemed] = useState(false);
  const attempt = useRef<{ code: string; key: string } | null>(null);
  // Only the latest check's answer is shown.
  const latest = useRef(0);

  const forget = () => {
    setVoucher(null);
    setCheckError(null);
    setRedeemError(null);
    setRedeemed(false);
  };

  const check = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseVoucherCode(code);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      forget();
      return;
    }
    setProblem(undefined);
    setCode(parsed.code);
    forget();
    setChecking(true);
    const mine = ++latest.current;
    try {
      const found = await getVoucher(parsed.code);
      if (mine === latest.current) setVoucher(found);
    } catch (err) {
      if (mine === latest.current) setCheckError(withDetail(err));
    } finally {
      if (mine === latest.current) setChecking(false);
    }
  };

  const redeem = async (shown: VoucherCheck) => {
    if (attempt.current?.code !== shown.code) attempt.current = { code: shown.code, key: newIdempotencyKey() };
    setRedeeming(true);
    setRedeemError(null);
    setRedeemed(false);
    try {
      const done = await redeemVoucher(shown.code, attempt.current.key);
      attempt.current = null;
      setVoucher(done);
      setRedeemed(true);
    } catch (err) {
      const answered = err instanceof ApiError && err.status !== 0;
      if (answered) attempt.current = null;
      setRedeemError(withDetail(err));
      // Used, void or expired meanwhile: show the voucher as it is now (the refusal stays said).
      if (err instanceof ApiError && (err.status === 409 || err.status === 410)) {
        const mine = latest.current;
        try {
          const now = await getVoucher(shown.code);
          if (mine === latest.current) setVoucher(now);
        } catch {
          // The refusal above says enough.
        }
      }
    } finally {
      setRedeeming(false);
    }
  };

  const codeError = problem ?? fieldError(checkError, 'code');
  return (
    <section className="panel voucher-check" aria-labelledby="voucher-check-heading">
      <h2 id="voucher-check-heading">Проверить ваучер</h2>
      <form className="customer-search" onSubmit={check} noValidate aria-label="Проверка ваучера">
        <Field label="Код ваучера" id="voucher-code" error={codeError}>
          <input
            id="voucher-code"
            value={code}
            onChange={(e) => {
              setCode(e.target.value.toUpperCase());
              setProblem(undefined);
              latest.current++;
              setChecking(false);
              forget();
            }}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            placeholder="7F3A-91C2-0B4D-E5A8"
            {...describedBy('voucher-code', codeError)}
          />
        </Field>
        <button type="submit" className="primary" disabled={checking} aria-busy={checking}>
          {checking ? 'Проверяем…' : 'Проверить'}
        </button>
      </form>
      <ErrorMessage error={codeError ? null : checkError} />
      {voucher && (
        <div className="voucher-result" data-testid="voucher-check">
          <dl className="facts facts-wide">
            <dt>Код</dt>
            <dd>
              <code className="voucher-code">{voucher.code}</code>
            </dd>
            <dt>Премьера</dt>
            <dd>{voucher.premiere.title}</dd>
            <dt>Театр</dt>
            <dd>{voucher.premiere.theatre}</dd>
            <dt>Номинал</dt>
            <dd data-testid="voucher-amount">{formatMoney(voucher.amount)}</dd>
            <dt>Действует до</dt>
            <dd>
              <time dateTime={voucher.valid_until}>{formatDateTime(voucher.valid_until, timeZone)}</time>
            </dd>
            <dt>Статус</dt>
            <dd className={`voucher-status voucher-${voucher.status}`} data-testid="voucher-check-status">
              {voucherStatusText(voucher, timeZone, 'Действует: можно погасить')}
            </dd>
          </dl>
          {redeemed && (
            <p className="success" role="status">
              {REDEEMED}: {formatMoney(voucher.amount)} в счёт билета на «{voucher.premiere.title}».
            </p>
          )}
          <ErrorMessage error={redeemError} />
          {voucher.status === 'active' && (
            <div className="actions">
              <button type="button" className="primary" onClick={() => void redeem(voucher)} disabled={redeeming} aria-busy={redeeming}>
                {redeeming ? 'Гасим…' : 'Погасить'}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
