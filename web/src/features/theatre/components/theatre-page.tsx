import { useState, type FormEvent } from 'react';
import { AdminNav } from '@/components/admin-nav';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { useSession } from '@/lib/session';
import { getTheatre } from '../api/get-theatre';
import { PremiereVouchers } from './premiere-vouchers';
import { VoucherCheckPanel } from './voucher-check';

export const NOT_ASSIGNED = 'Вы не привязаны к театру: обратитесь к администратору магазина';

// «Касса театра» (ADR 0028), for theatre staff and admins: the theatre the staff member is assigned to, «Проверить
// ваучер» (check a customer's code and redeem it) and «Премьеры театра» (until when the theatre's premieres give
// vouchers, and their live shows: add one, cancel one with a full refund to its buyers). Staff without a theatre are
// told to ask an admin. An admin works for no one theatre (GET /theatre/me is for theatre staff): they check any
// theatre's vouchers and name the theatre whose premieres to show.
export function TheatrePage() {
  const { user, timeZone } = useSession();
  const admin = user?.role === 'admin';
  return (
    <section className="theatre">
      {admin && <AdminNav />}
      <h1>Касса театра</h1>
      {admin ? (
        <>
          <p className="muted">Вы администратор магазина: можно проверить и погасить ваучер любого театра.</p>
          <VoucherCheckPanel timeZone={timeZone} />
          <AdminTheatrePremieres timeZone={timeZone} />
        </>
      ) : (
        <BoxOffice timeZone={timeZone} />
      )}
    </section>
  );
}

// A theatre staff member's box office: their theatre, its vouchers and its premieres.
function BoxOffice({ timeZone }: { timeZone: string }) {
  const me = useQuery((signal) => getTheatre(signal), []);
  if (me.error instanceof ApiError && me.error.status === 404)
    return (
      <p className="alert alert-error" role="alert">
        {NOT_ASSIGNED}
      </p>
    );
  if (me.error) return <ErrorMessage error={me.error} onRetry={() => void me.reload()} />;
  if (!me.data) return <Loading />;
  return (
    <>
      <p className="theatre-name" data-testid="theatre">
        Театр: <b>{me.data.theatre}</b>
      </p>
      <VoucherCheckPanel timeZone={timeZone} />
      <PremiereVouchers timeZone={timeZone} />
    </>
  );
}

// An admin's «Премьеры театра»: the theatre is typed as the catalog writes it, then its premieres are shown.
function AdminTheatrePremieres({ timeZone }: { timeZone: string }) {
  const [typed, setTyped] = useState('');
  const [theatre, setTheatre] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const show = (e: FormEvent) => {
    e.preventDefault();
    const name = typed.trim();
    setProblem(name ? undefined : 'Укажите театр');
    if (name) setTheatre(name);
  };

  return (
    <>
      <form className="customer-search" onSubmit={show} noValidate aria-label="Выбор театра">
        <Field label="Театр" id="theatre-name" error={problem}>
          <input
            id="theatre-name"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            maxLength={200}
            {...describedBy('theatre-name', problem)}
          />
        </Field>
        <button type="submit">Показать премьеры</button>
      </form>
      {theatre && <PremiereVouchers key={theatre} theatre={theatre} timeZone={timeZone} />}
    </>
  );
}
