import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { CustomerLookup, Refund, User } from '@/types/api';
import { admin, customer, ORDER_ID, support } from '../customer-fixture';
import { EMPTY_QUERY, UNKNOWN_QUERY } from '../customer-query';
import { THEATRE_MISSING } from './role-form';
import { CustomersPage } from './customers-page';

const BY_EMAIL = '/api/v1/admin/customers?email=anna%40example.ru';
const isLookup = (url: string) => url.startsWith('/api/v1/admin/customers?');
const lookup = (body: CustomerLookup | (() => CustomerLookup) = customer) => ({ match: isLookup, body });
const QUERY = 'Почта или номер заказа';

function show(user: User = support, path = '/staff/customers') {
  return renderWithProviders(<CustomersPage />, { path, session: { user } });
}

function search(value: string) {
  fireEvent.change(screen.getByLabelText(QUERY), { target: { value } });
  fireEvent.click(screen.getByRole('button', { name: 'Найти' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('«Покупатели»: the lookup', () => {
  it('asks nothing until told, and says what is wrong with a value that is neither an address nor an order number', async () => {
    const { calls } = stubApi([lookup()]);
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Покупатели' })).toBeInTheDocument();
    search('Анна Демина');
    expect(await screen.findByText(UNKNOWN_QUERY)).toBeInTheDocument();
    expect(screen.getByLabelText(QUERY)).toHaveAttribute('aria-invalid', 'true');
    search('  ');
    expect(await screen.findByText(EMPTY_QUERY)).toBeInTheDocument();
    expect(calls).toHaveLength(0);
    expect(screen.queryByTestId('customer')).toBeNull();
  });

  it('looks an address up by email and an order number by order', async () => {
    const { calls } = stubApi([lookup()]);
    show();
    search(' anna@example.ru ');
    await screen.findByTestId('customer');
    search(ORDER_ID.toUpperCase());
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((c) => c.url)).toEqual([BY_EMAIL, `/api/v1/admin/customers?order=${ORDER_ID}`]);
    expect(screen.getByLabelText(QUERY)).toHaveValue(ORDER_ID);
  });

  it('says so when there is no such customer, and puts a refused address under the field', async () => {
    stubApi([{ match: isLookup, status: 404, body: { title: 'Не найдено', status: 404, detail: 'Покупатель не найден' } }]);
    show(support, '/staff/customers?email=nobody%40example.ru');
    expect(await screen.findByRole('alert')).toHaveTextContent('Покупатель не найден');
    expect(screen.queryByRole('button', { name: 'Повторить' })).toBeNull();
    expect(screen.getByLabelText(QUERY)).toHaveValue('nobody@example.ru');

    stubApi([{ match: isLookup, status: 400, body: { title: 'Ошибка', status: 400, errors: [{ field: 'email', message: 'Проверьте адрес почты' }] } }]);
    search('anna@@example');
    const message = await screen.findByText('Проверьте адрес почты');
    expect(screen.getByLabelText(QUERY)).toHaveAttribute('aria-describedby', message.id);
    expect(screen.getAllByRole('alert')).toEqual([message]);
  });
});

describe('«Покупатели»: the customer card', () => {
  it('shows the account, the orders without receipt links, the rentals, the money, the emails and the sessions', async () => {
    stubApi([lookup()]);
    show(support, '/staff/customers?email=anna%40example.ru');
    const card = await screen.findByTestId('customer');
    expect(within(card).getByRole('heading', { level: 2, name: 'Анна Демина' })).toBeInTheDocument();
    const facts = card.querySelector('dl.facts')!;
    const fact = (term: string) => within(facts as HTMLElement).getByText(term).nextElementSibling?.textContent;
    expect(fact('Почта')).toBe('anna@example.ru подтверждён');
    expect(fact('Телефон')).toBe('+79991234567');
    expect(fact('Роль')).toBe('Покупатель');
    expect(fact('Регистрация')).toBe('01.11.2098, 10:00');
    expect(fact('Баланс')).toBe('121,80\u00a0₽');
    // Support cannot change roles.
    expect(screen.queryByLabelText('Роль')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Сохранить роль' })).toBeNull();

    expect(within(card).getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Анна Демина',
      'Заказы',
      'Аренды',
      'Баланс и операции',
      'Письма и уведомления',
      'Сеансы',
    ]);

    const [order] = within(card).getAllByTestId('order');
    expect(within(order).getByRole('heading', { level: 3 }).textContent).toBe('Заказ от 07.12.2098, 12:00');
    expect(order.querySelector('.status')?.textContent).toBe('Оплачен');
    expect(within(order).getByText(/^Итого:/).textContent).toBe('Итого: 1\u00a0078,20\u00a0₽');
    expect(within(order).getAllByTestId('movement').map((m) => m.querySelector('.movement-reason')?.textContent)).toEqual([
      'Оплата заказа',
      'Плохо работал звук',
    ]);
    // The receipts open for the customer only: no links to them here.
    expect(within(order).queryByRole('link')).toBeNull();
    expect(within(order).getByText(`Номер заказа: ${ORDER_ID}`)).toBeInTheDocument();
    expect(within(order).getByRole('button', { name: 'Вернуть деньги' })).toBeInTheDocument();

    expect(screen.getAllByTestId('customer-rental').map((r) => r.textContent)).toEqual([
      'Маузер12\u00a0ч: с 07.12.2098, 12:00 до 08.12.2098, 00:00Идёт479,20\u00a0₽',
      'Чайка24\u00a0ч (1\u00a0сутки): с 08.12.2098, 19:00 до 09.12.2098, 19:00Скоро599,00\u00a0₽',
      'Гамлет12\u00a0ч: с 07.12.2098, 12:00 до 08.12.2098, 00:00Завершена479,20\u00a0₽',
    ]);

    const billing = screen.getByRole('region', { name: 'Баланс и операции' });
    const history = within(billing).getByRole('table', { name: 'История операций' });
    expect(within(history).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([
      '07.12.2098, 15:00Возврат+78,20\u00a0₽121,80\u00a0₽',
      '07.12.2098, 12:00Оплата премьеры−1\u00a0078,20\u00a0₽43,60\u00a0₽',
      '07.12.2098, 11:55Пополнение+1\u00a0121,80\u00a0₽1\u00a0121,80\u00a0₽',
    ]);
    expect(within(billing).getByRole('table', { name: 'Пополнения картой' }).querySelector('tbody')?.textContent).toBe(
      '07.12.2098, 11:541\u00a0121,80\u00a0₽Зачислен',
    );

    expect(screen.getAllByTestId('customer-message').map((r) => r.textContent)).toEqual([
      '07.12.2098, 15:00Возврат по заказуОтправленоПочта',
      '07.12.2098, 12:00Премьера оплаченаНе доставленоSMS',
    ]);
    const sessions = within(screen.getByRole('region', { name: 'Сеансы' })).getAllByRole('row');
    expect(sessions[1].textContent).toBe('Chrome, Linux203.0.113.707.12.2098, 11:0007.12.2098, 12:30');
  });

  it('refunds 100 ₽ for one rental, says so, and asks for the customer again', async () => {
    let refunded = false;
    const refund: Refund = { id: 9, order_id: ORDER_ID, rental_id: 31, amount: 10000, reason: 'Плохо работал звук', refunded: 17820, refundable: 90000, balance: 22180 };
    const { calls } = stubApi([
      {
        match: (url, init) => url === `/api/v1/admin/orders/${ORDER_ID}/refunds` && init.method === 'POST',
        status: 201,
        body: () => {
          refunded = true;
          return refund;
        },
      },
      lookup(() =>
        refunded
          ? {
              ...customer,
              billing: { ...customer.billing, balance: 22180 },
              premieres: { ...customer.premieres, orders: [{ ...customer.premieres.orders[0], refunded: 17820 }] },
            }
          : customer,
      ),
    ]);
    show(support, '/staff/customers?email=anna%40example.ru');
    const order = await screen.findByTestId('order');
    fireEvent.click(within(order).getByRole('button', { name: 'Вернуть деньги' }));

    const form = within(order).getByRole('form', { name: 'Возврат денег' });
    const what = within(form).getByLabelText('Что вернуть');
    // This order's rentals only.
    expect(within(what).getAllByRole('option').map((o) => o.textContent?.split(',')[0])).toEqual(['Весь заказ', '«Маузер»', '«Чайка»']);
    fireEvent.change(what, { target: { value: '31' } });
    fireEvent.change(within(form).getByLabelText('Сумма, ₽'), { target: { value: '100' } });
    fireEvent.change(within(form).getByLabelText('Причина (её увидит покупатель)'), { target: { value: 'Плохо работал звук' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Вернуть на баланс' }));

    const done = await within(order).findByRole('status');
    expect(done.textContent).toBe('Возвращено 100,00\u00a0₽ на баланс покупателя. По заказу можно вернуть ещё 900,00\u00a0₽.');
    expect(within(order).queryByRole('form')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('customer-balance').textContent).toBe('221,80\u00a0₽'));
    expect(calls.map((c) => c.url)).toEqual([BY_EMAIL, `/api/v1/admin/orders/${ORDER_ID}/refunds`, BY_EMAIL]);
    expect(JSON.parse(calls[1].init.body as string)).toEqual({ amount: 10000, reason: 'Плохо работал звук', rental_id: 31 });
  });

  it('offers no refund for an order refunded in full', async () => {
    stubApi([lookup({ ...customer, premieres: { ...customer.premieres, orders: [{ ...customer.premieres.orders[0], refunded: 107820 }] } })]);
    show(support, '/staff/customers?email=anna%40example.ru');
    const order = await screen.findByTestId('order');
    expect(within(order).queryByRole('button', { name: 'Вернуть деньги' })).toBeNull();
  });
});

// PATCH /admin/users/17/role: the new role is handed to `saved`, and the account answered with it.
function roleChange(saved: (role: string) => void) {
  return {
    match: (url: string, init: RequestInit) => url === '/api/v1/admin/users/17/role' && init.method === 'PATCH',
    body: (_url: string, init: RequestInit) => {
      const role = JSON.parse(init.body as string).role as string;
      saved(role);
      return { ...customer.account, role };
    },
  };
}

describe('«Покупатели»: the role', () => {
  it('is for admins: a new role is saved, and the customer asked for again', async () => {
    let role = 'customer';
    const { calls } = stubApi([
      roleChange((r) => {
        role = r;
      }),
      lookup(() => ({ ...customer, account: { ...customer.account, role: role as 'customer' } })),
    ]);
    show(admin, '/staff/customers?email=anna%40example.ru');
    const select = await screen.findByLabelText('Роль');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Покупатель', 'Поддержка', 'Администратор', 'Сотрудник театра']);
    // The theatre is asked for theatre staff only.
    expect(screen.queryByLabelText('Театр')).toBeNull();
    expect(select).toHaveValue('customer');
    const save = screen.getByRole('button', { name: 'Сохранить роль' });
    expect(save).toBeDisabled();
    // The admin area's menu is there for an admin.
    expect(screen.getByRole('navigation', { name: 'Администрирование' })).toBeInTheDocument();

    fireEvent.change(select, { target: { value: 'support' } });
    fireEvent.click(save);
    expect(await screen.findByRole('status')).toHaveTextContent('Роль изменена: Поддержка.');
    await waitFor(() => expect(calls.filter((c) => isLookup(c.url))).toHaveLength(2));
    expect(JSON.parse(calls[1].init.body as string)).toEqual({ role: 'support' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Сохранить роль' })).toBeDisabled());
  });

  it('makes a customer theatre staff: the role first, then the theatre', async () => {
    let role = 'customer';
    const { calls } = stubApi([
      roleChange((r) => {
        role = r;
      }),
      {
        match: (url, init) => url === '/api/v1/admin/theatre-staff/17' && init.method === 'PUT',
        body: (_url: string, init: RequestInit) => ({ user_id: '17', theatre: JSON.parse(init.body as string).theatre }),
      },
      lookup(() => ({ ...customer, account: { ...customer.account, role: role as 'customer' } })),
    ]);
    show(admin, '/staff/customers?email=anna%40example.ru');
    fireEvent.change(await screen.findByLabelText('Роль'), { target: { value: 'theatre_staff' } });
    const theatre = screen.getByLabelText('Театр');
    // Without a theatre nothing is asked.
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить роль' }));
    expect(await screen.findByText(THEATRE_MISSING)).toBeInTheDocument();
    expect(theatre).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.init.method === 'PATCH' || c.init.method === 'PUT')).toHaveLength(0);

    fireEvent.change(theatre, { target: { value: ' Театр на Таганке ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить роль' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Роль изменена: Сотрудник театра, театр «Театр на Таганке».');
    const writes = calls.filter((c) => c.init.method === 'PATCH' || c.init.method === 'PUT');
    expect(writes.map((c) => [c.init.method, c.url])).toEqual([
      ['PATCH', '/api/v1/admin/users/17/role'],
      ['PUT', '/api/v1/admin/theatre-staff/17'],
    ]);
    expect(JSON.parse(writes[0].init.body as string)).toEqual({ role: 'theatre_staff' });
    expect(JSON.parse(writes[1].init.body as string)).toEqual({ theatre: 'Театр на Таганке' });
    await waitFor(() => expect(calls.filter((c) => isLookup(c.url))).toHaveLength(2));
    // Theatre staff already: the theatre alone can be changed.
    await screen.findByRole('button', { name: 'Сохранить театр' });
  });

  it('says when the role was saved but the theatre was not', async () => {
    stubApi([
      { match: (url, init) => url === '/api/v1/admin/users/17/role' && init.method === 'PATCH', body: { ...customer.account, role: 'theatre_staff' } },
      {
        match: (url, init) => url === '/api/v1/admin/theatre-staff/17' && init.method === 'PUT',
        status: 400,
        body: { title: 'Ошибка', status: 400, errors: [{ field: 'theatre', message: 'Такого театра нет в каталоге' }] },
      },
      lookup(),
    ]);
    show(admin, '/staff/customers?email=anna%40example.ru');
    fireEvent.change(await screen.findByLabelText('Роль'), { target: { value: 'theatre_staff' } });
    fireEvent.change(screen.getByLabelText('Театр'), { target: { value: 'Театр на Лубянке' } });
    fireEvent.click(screen.getByRole('button', { name: 'Сохранить роль' }));
    const message = await screen.findByText('Такого театра нет в каталоге');
    expect(screen.getByLabelText('Театр')).toHaveAttribute('aria-describedby', message.id);
    expect(screen.getByRole('status')).toHaveTextContent('Роль изменена: Сотрудник театра.');
  });

  it('is not offered on the admin’s own account', async () => {
    stubApi([lookup({ ...customer, account: { ...customer.account, id: admin.id, email: admin.email, role: 'admin' } })]);
    show(admin, '/staff/customers?email=admin%40chance.local');
    await screen.findByTestId('customer');
    expect(screen.queryByLabelText('Роль')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Сохранить роль' })).toBeNull();
  });
});
