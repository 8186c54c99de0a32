import { HistoryTable } from '@/components/history-table';
import { useSession } from '@/lib/session';
import type { CustomerLookup } from '@/types/api';
import { formatDateTime } from '@/utils/dates';
import { deviceName } from '@/utils/device-name';
import { formatMoney } from '@/utils/money';
import { hoursLabel } from '@/utils/periods';
import { STATUS_LABEL as RENTAL_STATUS } from '@/utils/rental-status';
import { CHANNEL_LABEL, label, MESSAGE_STATUS, PAYMENT_STATUS, ROLE_LABEL } from '../labels';
import { CustomerOrders } from './customer-orders';
import { RoleForm } from './role-form';

// What the store holds about one customer, for the staff: the account, then «Заказы» (with refunds), «Аренды»,
// «Баланс и операции», «Письма и уведомления» and «Сеансы». Times in the staff member's own time zone.
// `onChanged`: a refund or a new role was saved — the page asks for the customer again.
export function CustomerCard({ customer, onChanged }: { customer: CustomerLookup; onChanged: () => void }) {
  const { user, timeZone } = useSession();
  const { account, premieres, billing, notifications, sessions } = customer;
  const at = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, timeZone)}</time>;
  const prefs = notifications.preferences;

  return (
    <article className="customer" aria-labelledby="customer-heading" data-testid="customer">
      <section className="panel">
        <h2 id="customer-heading">{account.name || account.email}</h2>
        <dl className="facts facts-wide">
          <dt>Почта</dt>
          <dd>
            {account.email}{' '}
            {account.email_verified ? (
              <span className="status status-verified">подтверждён</span>
            ) : (
              <span className="status status-unverified">не подтверждён</span>
            )}
          </dd>
          <dt>Телефон</dt>
          <dd>{account.phone || <span className="muted">не указан</span>}</dd>
          <dt>Роль</dt>
          <dd>{label(ROLE_LABEL, account.role)}</dd>
          <dt>Регистрация</dt>
          <dd>{at(account.created_at)}</dd>
          <dt>Часовой пояс</dt>
          <dd>{account.time_zone}</dd>
          <dt>Баланс</dt>
          <dd data-testid="customer-balance">{formatMoney(billing.balance)}</dd>
        </dl>
        {user?.role === 'admin' && user.id !== account.id && <RoleForm key={account.id} account={account} onChanged={onChanged} />}
      </section>

      <section aria-labelledby="customer-orders">
        <h2 id="customer-orders">Заказы</h2>
        <CustomerOrders orders={premieres.orders} rentals={premieres.rentals} timeZone={timeZone} onRefunded={onChanged} />
      </section>

      <section aria-labelledby="customer-rentals">
        <h2 id="customer-rentals">Аренды</h2>
        {premieres.rentals.length === 0 ? (
          <p className="empty">Аренд нет.</p>
        ) : (
          <div className="table-scroll">
            <table className="history">
              <caption className="visually-hidden">Аренды покупателя</caption>
              <thead>
                <tr>
                  <th scope="col">Премьера</th>
                  <th scope="col">Окно просмотра</th>
                  <th scope="col">Статус</th>
                  <th scope="col" className="num">
                    Сумма
                  </th>
                </tr>
              </thead>
              <tbody>
                {premieres.rentals.map((r) => (
                  <tr key={r.id} data-testid="customer-rental">
                    <td>{r.title}</td>
                    <td>
                      {hoursLabel(r.period)}: с {at(r.starts_at)} до {at(r.ends_at)}
                    </td>
                    <td>
                      <span className={`status status-${r.status}`}>{label(RENTAL_STATUS, r.status)}</span>
                    </td>
                    <td className="num">{formatMoney(r.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="customer-billing">
        <h2 id="customer-billing">Баланс и операции</h2>
        <p>
          Баланс: <b>{formatMoney(billing.balance)}</b>
        </p>
        {billing.transactions.length === 0 ? (
          <p className="empty">Операций нет.</p>
        ) : (
          <div className="table-scroll">
            <HistoryTable items={billing.transactions} timeZone={timeZone} />
          </div>
        )}
        {billing.payments.length > 0 && (
          <div className="table-scroll">
            <table className="history">
              <caption>Пополнения картой</caption>
              <thead>
                <tr>
                  <th scope="col">Дата</th>
                  <th scope="col" className="num">
                    Сумма
                  </th>
                  <th scope="col">Статус</th>
                </tr>
              </thead>
              <tbody>
                {billing.payments.map((p) => (
                  <tr key={p.id}>
                    <td>{at(p.created_at)}</td>
                    <td className="num">{formatMoney(p.amount)}</td>
                    <td>
                      {label(PAYMENT_STATUS, p.status)}
                      {p.decline_reason && <span className="muted"> — {p.decline_reason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="customer-messages">
        <h2 id="customer-messages">Письма и уведомления</h2>
        <p className="muted">
          Письма: {prefs.email ? 'да' : 'нет'} · SMS: {prefs.sms ? 'да' : 'нет'} · Напоминания о показах: {prefs.reminders ? 'да' : 'нет'}
        </p>
        {notifications.messages.length === 0 ? (
          <p className="empty">Писем и SMS не было.</p>
        ) : (
          <div className="table-scroll">
            <table className="history">
              <caption className="visually-hidden">Письма и SMS покупателю</caption>
              <thead>
                <tr>
                  <th scope="col">Время</th>
                  <th scope="col">Тема</th>
                  <th scope="col">Статус</th>
                  <th scope="col">Канал</th>
                </tr>
              </thead>
              <tbody>
                {notifications.messages.map((m, i) => (
                  <tr key={`${m.created_at}|${m.channel}|${i}`} data-testid="customer-message">
                    <td>{at(m.sent_at ?? m.created_at)}</td>
                    <td>{m.subject}</td>
                    <td>{label(MESSAGE_STATUS, m.status)}</td>
                    <td>{label(CHANNEL_LABEL, m.channel)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="customer-sessions">
        <h2 id="customer-sessions">Сеансы</h2>
        {sessions.length === 0 ? (
          <p className="empty">Сейчас покупатель нигде не вошёл.</p>
        ) : (
          <div className="table-scroll">
            <table className="history">
              <caption className="visually-hidden">Где покупатель вошёл</caption>
              <thead>
                <tr>
                  <th scope="col">Устройство</th>
                  <th scope="col">IP-адрес</th>
                  <th scope="col">Вход</th>
                  <th scope="col">Активность</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s, i) => (
                  <tr key={`${s.created_at}|${i}`}>
                    <td>{deviceName(s.device)}</td>
                    <td>{s.address || '—'}</td>
                    <td>{at(s.created_at)}</td>
                    <td>{at(s.last_seen_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
