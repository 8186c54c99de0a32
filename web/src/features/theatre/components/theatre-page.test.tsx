import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { AdminShow, TheatrePremieres, User, VoucherCheck } from '@/types/api';
import { MALFORMED_CODE } from '../voucher-code';
import { NOT_ASSIGNED, TheatrePage } from './theatre-page';

const staff: User = { id: 'u-5', email: 'kassa@taganka.ru', name: 'Касса', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'theatre_staff' };
const admin: User = { ...staff, id: 'u-1', email: 'admin@chance.local', role: 'admin' };

const CODE = '7F3A-91C2-0B4D-E5A8';
const active: VoucherCheck = {
  code: CODE,
  premiere: { id: 1, title: 'Маузер', theatre: 'Театр на Таганке' },
  amount: 47920,
  valid_until: '2099-03-01T20:59:00Z',
  status: 'active',
  redeemed_at: null,
};
const redeemed: VoucherCheck = { ...active, status: 'redeemed', redeemed_at: '2099-01-15T16:30:00Z' };
const premieres: TheatrePremieres = {
  theatre: 'Театр на Таганке',
  items: [
    { id: 1, title: 'Маузер', voucher_valid_until: '2099-03-01T20:59:00Z' },
    { id: 4, title: 'Мастер и Маргарита', voucher_valid_until: null },
  ],
};

const me = { match: (url: string) => url === '/api/v1/theatre/me', body: { theatre: 'Театр на Таганке' } };
const list = { match: (url: string) => url.startsWith('/api/v1/theatre/premieres?') || url === '/api/v1/theatre/premieres', body: premieres };
const isRedeem = (url: string, init: RequestInit) => url === `/api/v1/vouchers/${CODE}/redeem` && init.method === 'POST';
const isCheck = (url: string, init: RequestInit) => url === `/api/v1/vouchers/${CODE}` && (init.method ?? 'GET') === 'GET';

function show(user: User = staff) {
  return renderWithProviders(<TheatrePage />, { path: '/theatre', session: { user } });
}

async function check(code: string) {
  fireEvent.change(await screen.findByLabelText('Код ваучера'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: 'Проверить' }));
}

afterEach(() => vi.unstubAllGlobals());

describe('«Касса театра»: the voucher', () => {
  it('checks a code typed in any case and redeems it once, with an Idempotency-Key', async () => {
    let state = active;
    const { calls } = stubApi([
      me,
      list,
      {
        match: isRedeem,
        body: () => {
          state = redeemed;
          return redeemed;
        },
      },
      { match: isCheck, body: () => state },
    ]);
    show();
    expect(screen.getByRole('heading', { level: 1, name: 'Касса театра' })).toBeInTheDocument();
    expect((await screen.findByTestId('theatre')).textContent).toBe('Театр: Театр на Таганке');
    expect(screen.getByLabelText('Код ваучера')).toHaveAttribute('autocomplete', 'off');

    await check('7f3a91c20b4de5a8');
    const result = await screen.findByTestId('voucher-check');
    expect(screen.getByLabelText('Код ваучера')).toHaveValue(CODE);
    const fact = (term: string) => within(result).getByText(term).nextElementSibling?.textContent;
    expect(fact('Премьера')).toBe('Маузер');
    expect(fact('Театр')).toBe('Театр на Таганке');
    expect(fact('Номинал')).toBe('479,20\u00a0₽');
    expect(fact('Действует до')).toBe('01.03.2099, 23:59');
    expect(fact('Статус')).toBe('Действует: можно погасить');

    fireEvent.click(within(result).getByRole('button', { name: 'Погасить' }));
    expect((await within(result).findByRole('status')).textContent).toBe('Ваучер погашен: 479,20\u00a0₽ в счёт билета на «Маузер».');
    expect(fact('Статус')).toBe('Использован 15.01.2099, 19:30');
    expect(within(result).queryByRole('button', { name: 'Погасить' })).toBeNull();

    const post = calls.find((c) => isRedeem(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({});
    const headers = post.init.headers as Record<string, string>;
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);

    // Checked again: used.
    await check(CODE);
    await waitFor(() => expect(within(screen.getByTestId('voucher-check')).getByText('Статус').nextElementSibling?.textContent).toBe('Использован 15.01.2099, 19:30'));
    expect(calls.filter((c) => isRedeem(c.url, c.init))).toHaveLength(1);
  });

  it('shows the refusal’s words on a 409 and the voucher as it is now', async () => {
    let state = active;
    stubApi([
      me,
      list,
      {
        match: isRedeem,
        status: 409,
        body: () => {
          state = redeemed;
          return { type: 'https://chance.example/problems/voucher-redeemed', title: 'Конфликт', status: 409, detail: 'Ваучер уже использован 15.01.2099, 19:30' };
        },
      },
      { match: isCheck, body: () => state },
    ]);
    show();
    await check(CODE);
    const result = await screen.findByTestId('voucher-check');
    fireEvent.click(within(result).getByRole('button', { name: 'Погасить' }));
    expect(await within(result).findByRole('alert')).toHaveTextContent('Ваучер уже использован 15.01.2099, 19:30');
    await waitFor(() => expect(within(result).getByTestId('voucher-check-status').textContent).toBe('Использован 15.01.2099, 19:30'));
    expect(within(result).queryByRole('button', { name: 'Погасить' })).toBeNull();
    expect(within(result).queryByRole('status')).toBeNull();
  });

  it('keeps the Idempotency-Key when the answer was lost, and takes a new one for the next attempt', async () => {
    let lost = true;
    const { calls } = stubApi([
      me,
      list,
      {
        match: isRedeem,
        body: () => {
          if (lost) {
            lost = false;
            throw new TypeError('Failed to fetch');
          }
          return redeemed;
        },
      },
      { match: isCheck, body: active },
    ]);
    show();
    await check(CODE);
    const result = await screen.findByTestId('voucher-check');
    fireEvent.click(within(result).getByRole('button', { name: 'Погасить' }));
    expect(await within(result).findByRole('alert')).toHaveTextContent('Не удалось связаться с магазином');
    fireEvent.click(within(result).getByRole('button', { name: 'Погасить' }));
    await within(result).findByRole('status');
    const keys = calls.filter((c) => isRedeem(c.url, c.init)).map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('says a code is unknown or another theatre’s, and what is wrong with a malformed one before asking', async () => {
    const { calls } = stubApi([
      me,
      list,
      { match: (url) => url.startsWith('/api/v1/vouchers/'), status: 404, body: { title: 'Не найдено', status: 404, detail: 'Not found' } },
    ]);
    show();
    await check('7F3A-91C2-0B4D');
    expect(await screen.findByText(MALFORMED_CODE)).toBeInTheDocument();
    expect(screen.getByLabelText('Код ваучера')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.filter((c) => c.url.startsWith('/api/v1/vouchers/'))).toHaveLength(0);

    await check('0000-0000-0000-0000');
    expect(await screen.findByRole('alert')).toHaveTextContent('Ваучер не найден или он другого театра');
    expect(screen.queryByTestId('voucher-check')).toBeNull();
  });

  it('tells theatre staff without a theatre to ask an admin', async () => {
    stubApi([{ match: (url) => url === '/api/v1/theatre/me', status: 404, body: { type: 'not-theatre-staff', title: 'Не найдено', status: 404, detail: 'Нет театра' } }]);
    show();
    expect(await screen.findByRole('alert')).toHaveTextContent(NOT_ASSIGNED);
    expect(screen.queryByLabelText('Код ваучера')).toBeNull();
  });
});

describe('«Касса театра»: the premieres’ vouchers', () => {
  it('saves the date a premiere’s vouchers are valid until, in the staff member’s zone', async () => {
    const { calls } = stubApi([
      me,
      list,
      {
        match: (url, init) => url === '/api/v1/theatre/premieres/4/voucher' && init.method === 'PUT',
        body: (_url: string, init: RequestInit) => ({ premiere_id: 4, valid_until: JSON.parse(init.body as string).valid_until }),
      },
    ]);
    show();
    const rows = await screen.findAllByTestId('theatre-premiere');
    expect(calls.map((c) => c.url)).toContain('/api/v1/theatre/premieres');
    expect(rows.map((r) => within(r).getByTestId('voucher-terms').textContent)).toEqual(['Ваучеры действуют до 01.03.2099, 23:59', 'Ваучеры не выдаются']);
    expect(within(rows[0]).getByLabelText('Действует до')).toHaveValue('2099-03-01T23:59');
    expect(within(rows[1]).queryByRole('button', { name: 'Не выдавать' })).toBeNull();

    const form = within(rows[1]).getByRole('form', { name: 'Ваучеры «Мастер и Маргарита»' });
    fireEvent.change(within(form).getByLabelText('Действует до'), { target: { value: '2099-06-30T21:00' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Сохранить' }));
    expect(await within(rows[1]).findByRole('status')).toHaveTextContent('Сохранено: ваучеры действуют до 30.06.2099, 21:00.');
    const put = calls.find((c) => c.init.method === 'PUT')!;
    expect(JSON.parse(put.init.body as string)).toEqual({ valid_until: '2099-06-30T18:00:00Z' });
    expect(within(rows[1]).getByTestId('voucher-terms').textContent).toBe('Ваучеры действуют до 30.06.2099, 21:00');
    expect(within(rows[1]).getByRole('button', { name: 'Не выдавать' })).toBeInTheDocument();
  });

  it('puts the server’s word under the date, and stops the vouchers with «Не выдавать»', async () => {
    const { calls } = stubApi([
      me,
      list,
      {
        match: (url, init) => url === '/api/v1/theatre/premieres/1/voucher' && init.method === 'PUT',
        status: 422,
        body: { title: 'Ошибка', status: 422, errors: [{ field: 'valid_until', message: 'Дата уже прошла' }] },
      },
      { match: (url, init) => url === '/api/v1/theatre/premieres/1/voucher' && init.method === 'DELETE', status: 204, body: null },
    ]);
    show();
    const [row] = await screen.findAllByTestId('theatre-premiere');
    fireEvent.click(within(row).getByRole('button', { name: 'Сохранить' }));
    const message = await within(row).findByText('Дата уже прошла');
    expect(within(row).getByLabelText('Действует до')).toHaveAttribute('aria-describedby', message.id);

    // A date in the past is said before asking.
    fireEvent.change(within(row).getByLabelText('Действует до'), { target: { value: '2020-01-01T00:00' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Сохранить' }));
    expect(await within(row).findByText('Это время уже прошло')).toBeInTheDocument();
    expect(calls.filter((c) => c.init.method === 'PUT')).toHaveLength(1);

    fireEvent.click(within(row).getByRole('button', { name: 'Не выдавать' }));
    expect(await within(row).findByRole('status')).toHaveTextContent('Ваучеры на эту премьеру больше не выдаются.');
    expect(within(row).getByTestId('voucher-terms').textContent).toBe('Ваучеры не выдаются');
    expect(within(row).getByLabelText('Действует до')).toHaveValue('');
  });

  it('lets an admin name the theatre whose premieres to show (an admin works for no one theatre)', async () => {
    const { calls } = stubApi([list]);
    show(admin);
    fireEvent.change(await screen.findByLabelText('Театр'), { target: { value: ' Театр на Таганке ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Показать премьеры' }));
    await screen.findAllByTestId('theatre-premiere');
    expect(calls.map((c) => c.url)).toContain('/api/v1/theatre/premieres?theatre=%D0%A2%D0%B5%D0%B0%D1%82%D1%80+%D0%BD%D0%B0+%D0%A2%D0%B0%D0%B3%D0%B0%D0%BD%D0%BA%D0%B5');
    expect(screen.getByLabelText('Код ваучера')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Администрирование' })).toBeInTheDocument();
    expect(calls.map((c) => c.url)).not.toContain('/api/v1/theatre/me');
  });
});

describe('«Касса театра»: the premieres’ live shows', () => {
  // 19:00 Moscow on 7 December 2098, one of five seats taken; and an older one cancelled already.
  const taken: AdminShow = { id: 11, starts_at: '2098-12-07T16:00:00Z', capacity: 5, seats_taken: 1, cancelled_at: null };
  const gone: AdminShow = { id: 10, starts_at: '2098-12-06T16:00:00Z', capacity: 3, seats_taken: 0, cancelled_at: '2098-12-01T09:00:00Z' };
  const isShows = (url: string) => url === '/api/v1/theatre/premieres/1/shows';
  const isCancel = (url: string, init: RequestInit) => url === '/api/v1/theatre/shows/11/cancel' && init.method === 'POST';
  const isGet = (init: RequestInit) => (init.method ?? 'GET') === 'GET';

  // «Показы» of the premiere in `row`: opens the disclosure and gives its region.
  async function openShows(row: HTMLElement) {
    const toggle = within(row).getByRole('button', { name: 'Показы' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    return within(row).findByRole('region', { name: 'Показы' });
  }

  it('lists a premiere’s shows, adds one and cancels one through the theatre’s endpoints, saying how many were refunded', async () => {
    let shows = [gone, taken];
    const stub = stubApi([
      me,
      list,
      {
        match: (url, init) => isShows(url) && init.method === 'POST',
        status: 201,
        body: (_u: string, init: RequestInit) => {
          const body = JSON.parse(String(init.body)) as { starts_at: string; capacity: number };
          const show: AdminShow = { id: 12, ...body, seats_taken: 0, cancelled_at: null };
          shows = [...shows, show];
          return { ...show, premiere_id: 1 };
        },
      },
      {
        match: isCancel,
        body: () => {
          shows = shows.map((x) => (x.id === 11 ? { ...x, cancelled_at: '2098-12-02T09:00:00Z' } : x));
          return { show: { ...shows.find((x) => x.id === 11), premiere_id: 1 }, refunded: 1, pending: 0 };
        },
      },
      { match: (url, init) => isShows(url) && isGet(init), body: () => ({ items: shows }) },
    ]);
    show();
    const [row] = await screen.findAllByTestId('theatre-premiere');
    expect(within(row).getByRole('heading', { level: 3 }).textContent).toBe('Маузер');
    // Closed at first: nothing asked.
    expect(within(row).queryByRole('region', { name: 'Показы' })).toBeNull();
    expect(stub.calls.some((c) => isShows(c.url))).toBe(false);

    const section = await openShows(row);
    expect(within(section).getByRole('heading', { level: 4, name: 'Показы' })).toBeInTheDocument();
    const rows = () => within(section).getAllByTestId('admin-show');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0].textContent).toContain('Отменён 01.12.2098, 12:00');
    expect(within(rows()[0]).queryByRole('button')).toBeNull();
    expect(rows()[1].textContent).toContain('07.12.2098, 19:00');
    expect(rows()[1].textContent).toContain('Занято мест: 1 из 5');

    // A show added in the staff member's zone goes to the theatre's endpoint in UTC.
    fireEvent.change(within(section).getByLabelText('Начало показа'), { target: { value: '2098-12-08T19:30' } });
    fireEvent.change(within(section).getByLabelText('Мест онлайн'), { target: { value: '5' } });
    fireEvent.click(within(section).getByRole('button', { name: 'Добавить показ' }));
    expect(await within(section).findByText('Показ добавлен: 08.12.2098, 19:30, мест: 5.')).toHaveAttribute('role', 'status');
    const post = stub.calls.find((c) => isShows(c.url) && c.init.method === 'POST')!;
    expect(JSON.parse(String(post.init.body))).toEqual({ starts_at: '2098-12-08T16:30:00Z', capacity: 5 });
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[2].textContent).toContain('Занято мест: 0 из 5');

    // «Отменить показ» asks first, saying the buyers get their money back; then the theatre's cancel is called once.
    fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Отменить показ' }));
    const question = within(rows()[1]).getByRole('group', { name: 'Отменить показ? Все купившие места получат деньги обратно и письмо.' });
    fireEvent.click(within(question).getByRole('button', { name: 'Да, отменить показ' }));
    expect(await within(section).findByText('Отменено, деньги вернулись 1 покупателю (показ 07.12.2098, 19:00).')).toHaveAttribute('role', 'status');
    await waitFor(() => expect(rows()[1].textContent).toContain('Отменён 02.12.2098, 12:00'));
    expect(within(rows()[1]).queryByRole('button', { name: 'Отменить показ' })).toBeNull();
    expect(stub.calls.filter((c) => isCancel(c.url, c.init))).toHaveLength(1);
    expect(stub.calls.filter((c) => c.url.startsWith('/api/v1/admin/'))).toEqual([]);

    // Closed and opened again, the list is asked afresh.
    const gets = () => stub.calls.filter((c) => isShows(c.url) && isGet(c.init)).length;
    const before = gets();
    fireEvent.click(within(row).getByRole('button', { name: 'Показы' }));
    expect(within(row).queryByRole('region', { name: 'Показы' })).toBeNull();
    await openShows(row);
    await waitFor(() => expect(gets()).toBe(before + 1));
  });

  it('opens two premieres’ shows at once, each form its own, and puts the server’s refusal next to the field', async () => {
    const stub = stubApi([
      me,
      list,
      {
        match: (url, init) => url === '/api/v1/theatre/premieres/4/shows' && init.method === 'POST',
        status: 409,
        body: {
          type: 'https://chance.example/problems/show-exists',
          title: 'Показ уже есть',
          status: 409,
          detail: 'У этой премьеры уже есть показ в это время',
          errors: [{ field: 'starts_at', message: 'В это время показ уже есть' }],
        },
      },
      { match: (url, init) => /^\/api\/v1\/theatre\/premieres\/[14]\/shows$/.test(url) && isGet(init), body: { items: [] } },
    ]);
    show();
    const rows = await screen.findAllByTestId('theatre-premiere');
    const first = await openShows(rows[0]);
    const second = await openShows(rows[1]);
    await within(first).findByText('Показов пока нет.');
    await within(second).findByText('Показов пока нет.');
    expect(within(first).getByLabelText('Начало показа').id).not.toBe(within(second).getByLabelText('Начало показа').id);

    fireEvent.change(within(second).getByLabelText('Начало показа'), { target: { value: '2098-12-08T19:30' } });
    fireEvent.change(within(second).getByLabelText('Мест онлайн'), { target: { value: '5' } });
    fireEvent.click(within(second).getByRole('button', { name: 'Добавить показ' }));
    const message = await within(second).findByText('В это время показ уже есть');
    expect(within(second).getByLabelText('Начало показа')).toHaveAttribute('aria-describedby', message.id);
    expect(within(first).getByLabelText('Начало показа')).not.toHaveAttribute('aria-invalid');
    expect(stub.calls.filter((c) => c.init.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/theatre/premieres/4/shows']);
  });
});
