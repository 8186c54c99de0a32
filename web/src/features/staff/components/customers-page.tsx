import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { AdminNav } from '@/components/admin-nav';
import { describedBy, Field } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/error-message';
import { Loading } from '@/components/ui/loading';
import { ApiError, fieldError } from '@/lib/api-client';
import { useQuery } from '@/lib/use-query';
import { findCustomer, type CustomerQuery } from '../api/find-customer';
import { parseCustomerQuery } from '../customer-query';
import { CustomerCard } from './customer-card';

// «Покупатели» (support and admins): find a customer by address or order number, then their card. What was asked
// is in the address (/staff/customers?email=… or ?order=…): a reload or a link shows the same customer.
export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const email = params.get('email');
  const order = params.get('order');
  const asked: CustomerQuery | null = email ? { email } : order ? { order } : null;
  const customer = useQuery((signal) => (asked ? findCustomer(asked, signal) : Promise.resolve(null)), [email, order]);

  const search = (by: CustomerQuery) => {
    const next = new URLSearchParams('email' in by ? { email: by.email } : { order: by.order });
    // The same customer asked again: fresh data (a refund made elsewhere, a new order).
    if (next.toString() === params.toString()) void customer.reload();
    else setParams(next);
  };

  // A malformed address or number the server refused goes under the field; anything else (404, 410) below it.
  const fieldProblem = fieldError(customer.error, 'email') ?? fieldError(customer.error, 'order');
  return (
    <section>
      <AdminNav />
      <h1>Покупатели</h1>
      <SearchForm key={params.toString()} initial={email ?? order ?? ''} serverProblem={fieldProblem} onSearch={search} />
      {!asked ? null : customer.error ? (
        fieldProblem ? null : (
          <ErrorMessage error={customer.error} onRetry={isGone(customer.error) ? undefined : () => void customer.reload()} />
        )
      ) : !customer.data ? (
        <Loading />
      ) : (
        <CustomerCard customer={customer.data} onChanged={() => void customer.reload()} />
      )}
    </section>
  );
}

// No such customer, or the account was deleted: asking again will not help.
const isGone = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 410);

function SearchForm({ initial, serverProblem, onSearch }: { initial: string; serverProblem?: string; onSearch: (by: CustomerQuery) => void }) {
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseCustomerQuery(value);
    if ('problem' in parsed) {
      setProblem(parsed.problem);
      return;
    }
    setProblem(undefined);
    onSearch(parsed);
  };

  const error = problem ?? serverProblem;
  return (
    <form role="search" aria-label="Поиск покупателя" onSubmit={submit} noValidate className="customer-search">
      <Field label="Почта или номер заказа" id="customer-query" error={error}>
        <input
          id="customer-query"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={254}
          {...describedBy('customer-query', error)}
        />
      </Field>
      <button type="submit" className="primary">
        Найти
      </button>
    </form>
  );
}
