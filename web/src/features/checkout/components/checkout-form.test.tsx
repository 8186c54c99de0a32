import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Order } from '@/types/api';
import type { CheckoutLine } from '../checkout-lines';
import { CheckoutForm } from './checkout-form';

const window = { from: '2026-11-01T00:00:00Z', until: '2099-02-01T00:00:00Z' };
const lines: CheckoutLine[] = [
  { premiereId: 1, title: 'Маузер', periods: [12, 24, 48], period: 12, startNow: false, start: '2098-12-01T19:00', ...window },
  { premiereId: 2, title: 'Чайка', periods: [24, 48], period: 24, startNow: false, start: '2098-12-02T20:30', ...window },
];
const PRICES: Record<string, number> = { '1:12': 47920, '1:24': 59900, '1:48': 83860, '2:24': 71880, '2:48': 100630 };

const quoteRoute = {
  match: (url: string) => url.startsWith('/api/v1/rent/'),
  body: (url: string) => {
    const [, id, period] = /^\/api\/v1\/rent\/(\d+)\?period=(\d+)$/.exec(url)!;
    const total = PRICES[`${id}:${period}`];
    return { premiere_id: Number(id), period: Number(period), base: total, discount: 0, total, currency: 'RUB' };
  },
};

const isOrderPost = (url: string, init: RequestInit) => url === '/api/v1/orders' && init.method === 'POST';
const order: Order = { id: 'o-1', status: 'pending_payment', items: [], total: 119800, balance: 0, next: 'top_up', shortfall: 119800 };

afterEach(() => vi.unstubAllGlobals());

describe('checkout form', () => {
  it('sums the live quotes and follows a period change', async () => {
    stubApi([quoteRoute]);
    renderWithProviders(<CheckoutForm initialLines={lines} onOrdered={() => undefined} />);

    const total = screen.getByTestId('checkout-total');
    await waitFor(() => expect(total.textContent).toContain('Итого: 1\u00a0198,00\u00a0₽'));

    const periods = screen.getAllByLabelText('Срок');
    fireEvent.change(periods[0], { target: { value: '48' } });
    await waitFor(() => expect(total.textContent).toContain('Итого: 1\u00a0557,40\u00a0₽'));
    expect(screen.getByTestId('line-price-0').textContent).toContain('838,60\u00a0₽');
  });

  it('creates the order with the starts in UTC and one Idempotency-Key per attempt', async () => {
    const { calls } = stubApi([quoteRoute, { match: isOrderPost, status: 503, body: { title: 'Ошибка', status: 503, detail: 'Сервис временно недоступен' } }]);
    const onOrdered = vi.fn();
    renderWithProviders(<CheckoutForm initialLines={lines} onOrdered={onOrdered} />, { session: { timeZone: 'Europe/Moscow' } });
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('1\u00a0198,00'));

    const submit = screen.getByRole('button', { name: 'Продолжить' });
    fireEvent.click(submit);
    await screen.findByText('Сервис временно недоступен');
    fireEvent.click(submit);
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/v1/orders')).toHaveLength(2));

    const posts = calls.filter((c) => c.url === '/api/v1/orders');
    const keys = posts.map((c) => (c.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(JSON.parse(posts[0].init.body as string)).toEqual({
      items: [
        { premiere_id: 1, starts_at: '2098-12-01T16:00:00Z', period: 12 },
        { premiere_id: 2, starts_at: '2098-12-02T17:30:00Z', period: 24 },
      ],
    });

    // Changing the order is a new attempt with a new key.
    fireEvent.change(screen.getAllByLabelText('Срок')[1], { target: { value: '48' } });
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('1\u00a0485,50'));
    fireEvent.click(submit);
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/v1/orders')).toHaveLength(3));
    const third = calls.filter((c) => c.url === '/api/v1/orders')[2];
    expect((third.init.headers as Record<string, string>)['Idempotency-Key']).not.toBe(keys[0]);
    expect(onOrdered).not.toHaveBeenCalled();
  });

  it('starts when paid unless the customer chooses a time, and sends a start only for a chosen one', async () => {
    const { calls } = stubApi([quoteRoute, { match: isOrderPost, status: 201, body: order }]);
    const onOrdered = vi.fn();
    const now = lines.map((l) => ({ ...l, startNow: true }));
    renderWithProviders(<CheckoutForm initialLines={now} onOrdered={onOrdered} />, { session: { timeZone: 'Europe/Moscow' } });
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('1\u00a0198,00'));
    const startNow = screen.getAllByRole('radio', { name: 'Начать сразу' });
    expect(startNow[0]).toBeChecked();
    expect(screen.queryAllByLabelText('Начало просмотра')).toHaveLength(0);
    expect(screen.getByTestId('start-now-0').textContent).toContain('сразу после оплаты');

    fireEvent.click(screen.getAllByRole('radio', { name: 'Выбрать время' })[1]);
    expect(screen.getAllByLabelText('Начало просмотра')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Продолжить' }));
    await waitFor(() => expect(onOrdered).toHaveBeenCalled());
    const post = calls.find((c) => c.url === '/api/v1/orders')!;
    expect(JSON.parse(post.init.body as string)).toEqual({
      items: [
        { premiere_id: 1, period: 12 },
        { premiere_id: 2, starts_at: '2098-12-02T17:30:00Z', period: 24 },
      ],
    });
  });

  it('offers no start when paid for a premiere that cannot be watched yet', async () => {
    stubApi([quoteRoute]);
    const future = [{ ...lines[0], from: '2098-01-01T00:00:00Z' }];
    renderWithProviders(<CheckoutForm initialLines={future} onOrdered={() => undefined} />);
    expect(screen.getByRole('radio', { name: 'Начать сразу' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Выбрать время' })).toBeChecked();
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('479,20'));
  });

  it('shows a start in the past next to its field and sends nothing', async () => {
    const { calls } = stubApi([quoteRoute, { match: isOrderPost, status: 201, body: order }]);
    renderWithProviders(<CheckoutForm initialLines={[{ ...lines[0], start: '2020-01-01T10:00' }]} onOrdered={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('479,20'));
    fireEvent.click(screen.getByRole('button', { name: 'Продолжить' }));
    expect(await screen.findByText('Это время уже прошло')).toBeInTheDocument();
    expect(screen.getByLabelText('Начало просмотра')).toHaveAttribute('aria-invalid', 'true');
    expect(calls.some((c) => c.url === '/api/v1/orders')).toBe(false);
  });

  it('shows a seat at a live show with its time, offers no start, and orders it with its show', async () => {
    const { calls } = stubApi([
      quoteRoute,
      {
        match: isOrderPost,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, detail: 'Проверьте заказ', errors: [{ field: 'items[1].show_id', message: 'Этот показ отменён' }] },
      },
    ]);
    // 19:00 Moscow on 7 December 2098.
    const live: CheckoutLine[] = [{ ...lines[0], startNow: true }, { ...lines[1], show: { id: 7, startsAt: '2098-12-07T16:00:00Z' } }];
    renderWithProviders(<CheckoutForm initialLines={live} onOrdered={() => undefined} />, { session: { timeZone: 'Europe/Moscow' } });
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('1\u00a0198,00'));

    expect(screen.getByTestId('live-1').textContent).toBe('Прямая трансляция: 07.12.2098, 19:00. Просмотр начнётся вместе с показом, 24\u00a0ч (1\u00a0сутки).');
    // The show's start is not the customer's to choose: one «Когда начать» (the other line's), no start field.
    expect(screen.getAllByRole('radio', { name: 'Начать сразу' })).toHaveLength(1);
    expect(screen.queryAllByLabelText('Начало просмотра')).toHaveLength(0);
    expect(screen.getAllByLabelText('Срок')).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Продолжить' }));
    const message = await screen.findByText('Этот показ отменён');
    expect(message.id).toBe('show-1-error');
    const post = calls.find((c) => isOrderPost(c.url, c.init))!;
    expect(JSON.parse(post.init.body as string)).toEqual({
      items: [
        { premiere_id: 1, period: 12 },
        { premiere_id: 2, period: 24, show_id: 7 },
      ],
    });
  });

  it('puts the server field errors next to the field they name', async () => {
    stubApi([
      quoteRoute,
      {
        match: isOrderPost,
        status: 422,
        body: { title: 'Данные не прошли проверку', status: 422, detail: 'Проверьте заказ', errors: [{ field: 'items[1].starts_at', message: 'Показ в это время уже распродан' }] },
      },
    ]);
    renderWithProviders(<CheckoutForm initialLines={lines} onOrdered={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId('checkout-total').textContent).toContain('1\u00a0198,00'));
    fireEvent.click(screen.getByRole('button', { name: 'Продолжить' }));
    const message = await screen.findByText('Показ в это время уже распродан');
    expect(message.id).toBe('start-1-error');
    expect(screen.getAllByLabelText('Начало просмотра')[1]).toHaveAttribute('aria-describedby', 'start-1-error');
  });
});
