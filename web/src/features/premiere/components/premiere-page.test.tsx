import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Session } from '@/lib/session';
import type { Premiere, Show, User } from '@/types/api';
import { PremierePage } from './premiere-page';

const NB = '\u00a0';

const mauser: Premiere = {
  id: 1,
  title: 'Маузер',
  actors: ['Дмитрий Высоцкий'],
  description: 'Пьеса Хайнера Мюллера о революции.',
  price_theatre: 250000,
  price_online: 59900,
  discount: { percent: 20, until: '2098-12-08T00:00:00Z' },
  price_online_final: 47920,
  reservation: { default_period: 24, periods: [12, 24, 48], from: '2026-11-01T00:00:00Z', until: '2099-02-01T00:00:00Z' },
  poster_url: '/api/v1/premiere/1/poster.svg',
  description_full: 'Подробно.',
  theatre: 'Театр на Таганке',
  director: 'Юрий Любимов',
  cast: [{ actor: 'Дмитрий Высоцкий', role: 'А' }],
  genre: 'драма',
  age_rating: '18+',
  duration_minutes: 95,
  live_at: null,
};
const PRICES: Record<number, number> = { 12: 33540, 24: 47920, 48: 67090 };

// 19:00 and 21:00 Moscow on 7 December 2098.
const evening: Show = { id: 11, starts_at: '2098-12-07T16:00:00Z', capacity: 3, seats_left: 3, status: 'on_sale' };
const late: Show = { id: 12, starts_at: '2098-12-07T18:00:00Z', capacity: 2, seats_left: 0, status: 'sold_out' };

const customer: User = {
  id: 'u1',
  email: 'maria@example.ru',
  name: 'Мария',
  phone: null,
  time_zone: 'Europe/Moscow',
  role: 'customer',
  phone_verified: false,
};

const isRent = (url: string, init: RequestInit) => url === '/api/v1/rent/' && init.method === 'POST';
const isShows = (url: string) => url === '/api/v1/premiere/1/shows';
const isCartAdd = (url: string, init: RequestInit) => url === '/api/v1/cart/items' && init.method === 'POST';

// The page's GETs; `shows` answers the list as it is at the moment it is asked.
function routes(shows: () => Show[]) {
  return [
    { match: (url: string) => url === '/api/v1/premiere/1', body: mauser },
    {
      match: (url: string) => url.startsWith('/api/v1/rent/1?period='),
      body: (url: string) => {
        const period = Number(new URL(url, 'http://x').searchParams.get('period'));
        return { premiere_id: 1, period, base: PRICES[period], discount: 0, total: PRICES[period], currency: 'RUB', quote_expires_at: '2098-12-01T00:00:00Z' };
      },
    },
    { match: isShows, body: () => ({ items: shows() }) },
  ];
}

function renderPage(session: Partial<Session> = {}) {
  return renderWithProviders(
    <Routes>
      <Route path="/premiere/:id" element={<PremierePage />} />
      <Route path="/login" element={<p>Страница входа</p>} />
    </Routes>,
    { path: '/premiere/1', session },
  );
}

const rows = () => screen.getAllByTestId('show');
const seats = (row: HTMLElement) => within(row).getByTestId('seats-left').textContent;

afterEach(() => vi.unstubAllGlobals());

describe('live shows on the premiere page', () => {
  it('lists the upcoming shows with their seats, and buys a seat for the chosen period with one key per attempt', async () => {
    let seatsLeft = 3;
    let lost = true;
    const refreshCounters = vi.fn(async () => undefined);
    const { calls } = stubApi([
      ...routes(() => [{ ...evening, seats_left: seatsLeft }, late]),
      {
        match: isRent,
        body: () => {
          // The first answer is lost on the way: the retry must be the same request.
          if (lost) {
            lost = false;
            throw new TypeError('Failed to fetch');
          }
          seatsLeft -= 1;
          return { id: '0193a1b2-0000-7000-8000-000000000011', status: 'paid', total: PRICES[48], items: [] };
        },
      },
    ]);
    renderPage({ user: customer, refreshCounters });

    expect(await screen.findByRole('heading', { name: 'Прямые трансляции' })).toBeInTheDocument();
    await screen.findAllByTestId('show');
    expect(rows().map((r) => r.querySelector('time')?.textContent)).toEqual([
      '07.12.2098, 19:00',
      '07.12.2098, 21:00',
    ]);
    expect(seats(rows()[0])).toBe('Осталось мест: 3');
    expect(seats(rows()[1])).toBe('Мест нет');
    expect(within(rows()[1]).queryByRole('button')).toBeNull();

    // The seat is bought for the period chosen in the panel, at its quoted price.
    fireEvent.click(screen.getByRole('radio', { name: /^48/ }));
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Купить место' }));
    const question = await within(rows()[0]).findByRole('group', {
      name: `Купить место на показ 07.12.2098, 19:00 на 48${NB}ч (2${NB}суток) за 670,90${NB}₽?`,
    });
    fireEvent.click(within(question).getByRole('button', { name: 'Да, купить' }));
    expect(await screen.findByText('Не удалось связаться', { exact: false })).toBeInTheDocument();
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Да, купить' }));

    expect((await screen.findByText(/Место куплено/)).textContent).toBe('Место куплено: показ 07.12.2098, 19:00. Мои премьеры');
    expect(screen.getByRole('link', { name: 'Мои премьеры' })).toHaveAttribute('href', '/rentals');
    await waitFor(() => expect(seats(rows()[0])).toBe('Осталось мест: 2'));

    const posts = calls.filter((c) => isRent(c.url, c.init));
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(JSON.parse(String(post.init.body))).toEqual({ id: 1, period: 48, show_id: 11 });
    const keys = posts.map((p) => (p.init.headers as Record<string, string>)['Idempotency-Key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(calls.filter((c) => isShows(c.url))).toHaveLength(2);
    expect(refreshCounters).toHaveBeenCalled();
  });

  it('says the seats ran out when the show sold out meanwhile, and asks for the shows again', async () => {
    let soldOut = false;
    const { calls } = stubApi([
      ...routes(() => [soldOut ? { ...evening, seats_left: 0, status: 'sold_out' } : evening]),
      {
        match: isRent,
        status: 409,
        body: () => {
          soldOut = true;
          return { type: 'https://chance-video.ru/problems/sold-out', title: 'Мест нет', status: 409, detail: 'Мест нет' };
        },
      },
    ]);
    renderPage({ user: customer });
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Купить место' }));
    await within(rows()[0]).findByRole('group', { name: /за 479,20/ });
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Да, купить' }));

    expect((await screen.findByRole('alert')).textContent).toContain('Мест больше нет');
    await waitFor(() => expect(seats(rows()[0])).toBe('Мест нет'));
    expect(within(rows()[0]).queryByRole('button', { name: 'Купить место' })).toBeNull();
    expect(calls.filter((c) => isShows(c.url))).toHaveLength(2);
  });

  it('offers a top-up for the shortfall on a 402', async () => {
    stubApi([
      ...routes(() => [evening]),
      { match: isRent, status: 402, body: { title: 'Недостаточно средств', status: 402, detail: 'Не хватает 79,20 ₽', shortfall: 7920, balance: 40000 } },
    ]);
    renderPage({ user: customer });
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Купить место' }));
    await within(rows()[0]).findByRole('group', { name: /за 479,20/ });
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Да, купить' }));

    const form = await screen.findByRole('form', { name: 'Пополнить баланс' });
    expect(within(form).getByText(/На балансе не хватает/).textContent).toBe(`На балансе не хватает 79,20${NB}₽. Пополните баланс и купите место снова.`);
    expect(within(form).getByLabelText('Сумма пополнения, ₽')).toHaveValue('80');
  });

  it('sends a visitor to sign in first', async () => {
    const { calls } = stubApi(routes(() => [evening]));
    renderPage();
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Купить место' }));
    expect(await screen.findByText('Страница входа')).toBeInTheDocument();
    expect(calls.some((c) => isRent(c.url, c.init))).toBe(false);
  });

  it('puts a seat for the chosen period in the cart, and says so next to the show', async () => {
    const refreshCounters = vi.fn(async () => undefined);
    const { calls } = stubApi([
      ...routes(() => [evening, late]),
      { match: isCartAdd, status: 201, body: { items: [], total: 0 } },
    ]);
    renderPage({ user: customer, refreshCounters });
    await screen.findAllByTestId('show');
    // Only a show on sale offers it.
    expect(within(rows()[1]).queryByRole('button', { name: 'В корзину' })).toBeNull();

    fireEvent.click(screen.getByRole('radio', { name: /^48/ }));
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'В корзину' }));
    const note = await within(rows()[0]).findByRole('status');
    expect(note.textContent).toBe('Место на показ 07.12.2098, 19:00 в корзине. Оно станет вашим после оплаты заказа. Перейти в корзину');
    expect(within(note).getByRole('link', { name: 'Перейти в корзину' })).toHaveAttribute('href', '/cart');
    const posts = calls.filter((c) => isCartAdd(c.url, c.init));
    expect(posts).toHaveLength(1);
    expect(JSON.parse(String(posts[0].init.body))).toEqual({ premiere_id: 1, period: 48, show_id: 11 });
    expect(refreshCounters).toHaveBeenCalled();
    expect(calls.some((c) => isRent(c.url, c.init))).toBe(false);

    // Another period is not what is in the cart.
    fireEvent.click(screen.getByRole('radio', { name: /^12/ }));
    expect(within(rows()[0]).queryByRole('status')).toBeNull();
  });

  it('says no seat is left when the show sold out, and asks for the shows again', async () => {
    let soldOut = false;
    const { calls } = stubApi([
      ...routes(() => [soldOut ? { ...evening, seats_left: 0, status: 'sold_out' } : evening]),
      {
        match: isCartAdd,
        status: 409,
        body: () => {
          soldOut = true;
          return { type: 'https://chance-video.ru/problems/sold-out', title: 'Мест нет', status: 409, detail: 'Онлайн-места на этот показ закончились' };
        },
      },
    ]);
    renderPage({ user: customer });
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'В корзину' }));
    expect((await within(rows()[0]).findByRole('alert')).textContent).toBe('Мест на этот показ не осталось');
    await waitFor(() => expect(seats(rows()[0])).toBe('Мест нет'));
    expect(within(rows()[0]).getByRole('alert').textContent).toBe('Мест на этот показ не осталось');
    expect(within(rows()[0]).queryByRole('button', { name: 'В корзину' })).toBeNull();
    expect(calls.filter((c) => isShows(c.url))).toHaveLength(2);
  });

  it('says why a show cannot go in the cart in the store’s words, even once it is listed no more', async () => {
    let cancelled = false;
    stubApi([
      ...routes(() => (cancelled ? [late] : [evening, late])),
      {
        match: isCartAdd,
        status: 422,
        body: () => {
          cancelled = true;
          return { title: 'Этот показ недоступен', status: 422, detail: 'Этот показ недоступен', errors: [{ field: 'show_id', message: 'Этот показ отменён' }] };
        },
      },
    ]);
    renderPage({ user: customer });
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'В корзину' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Этот показ отменён');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByRole('alert').textContent).toBe('Этот показ отменён');
  });

  it('sends a visitor to sign in before putting a seat in the cart', async () => {
    const { calls } = stubApi(routes(() => [evening]));
    renderPage();
    await screen.findAllByTestId('show');
    fireEvent.click(within(rows()[0]).getByRole('button', { name: 'В корзину' }));
    expect(await screen.findByText('Страница входа')).toBeInTheDocument();
    expect(calls.some((c) => isCartAdd(c.url, c.init))).toBe(false);
  });

  it('says nothing about live shows when the premiere has none', async () => {
    const { calls } = stubApi(routes(() => []));
    renderPage({ user: customer });
    await screen.findByRole('heading', { name: 'Маузер', level: 1 });
    await waitFor(() => expect(calls.some((c) => isShows(c.url))).toBe(true));
    expect(screen.queryByRole('heading', { name: 'Прямые трансляции' })).toBeNull();
    expect(screen.queryByTestId('show')).toBeNull();
  });
});
