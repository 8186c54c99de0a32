import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { TheatrePremieres, User, VoucherCheck } from '@/types/api';
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
