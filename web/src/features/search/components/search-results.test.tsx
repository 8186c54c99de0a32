import { screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import type { Card } from '@/types/api';
import { SearchResults } from './search-results';

const mauser: Card = {
  id: 1,
  title: 'Маузер',
  actors: ['Дмитрий Высоцкий', 'Анна Агапова'],
  description: 'Пьеса Хайнера Мюллера о революции.',
  price_theatre: 250000,
  price_online: 59900,
  discount: { percent: 20, until: '2026-12-08T00:00:00Z' },
  price_online_final: 47920,
  reservation: { default_period: 24, periods: [12, 24, 48], from: '2026-11-01T00:00:00Z', until: '2027-02-01T00:00:00Z' },
  poster_url: '/api/v1/premiere/1/poster.svg',
};

// The value shown against a <dt> label inside the card.
function fact(card: HTMLElement, label: string): string {
  const dt = within(card).getByText(label, { selector: 'dt' });
  return (dt.nextElementSibling as HTMLElement).textContent ?? '';
}

const isShows = (url: string) => url.startsWith('/api/v1/shows?');
// The next shows never answer: the cards as the search answered them.
const showsPending = () => vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => undefined)));

afterEach(() => vi.unstubAllGlobals());

describe('search results', () => {
  it('shows the seven fields of the spec on each card', () => {
    showsPending();
    renderWithProviders(<SearchResults items={[mauser]} timeZone="Europe/Moscow" />);
    const card = screen.getByTestId('premiere-card');

    expect(within(card).getByRole('heading', { name: 'Маузер' })).toBeInTheDocument();
    expect(within(card).getByText('Дмитрий Высоцкий, Анна Агапова')).toBeInTheDocument();
    expect(within(card).getByText('Пьеса Хайнера Мюллера о революции.')).toBeInTheDocument();
    expect(fact(card, 'Цена в театре')).toBe('2\u00a0500,00\u00a0₽');

    const online = fact(card, 'Цена онлайн');
    expect(online).toContain('479,20\u00a0₽');
    expect(online).toContain('−20\u00a0%');
    const crossedOut = card.querySelector('s.old-price');
    expect(crossedOut?.textContent).toBe('599,00\u00a0₽');

    expect(fact(card, 'Время резервации')).toBe('12 / 24 / 48\u00a0чс 01.11.2026, 03:00 по 01.02.2027, 03:00');
    expect(card.querySelector('img')).toHaveAttribute('src', '/api/v1/premiere/1/poster.svg');
    expect(screen.getByRole('link', { name: 'Маузер' })).toHaveAttribute('href', '/premiere/1');
  });

  it('shows one price and no badge without a discount, in the customer time zone', () => {
    showsPending();
    renderWithProviders(
      <SearchResults items={[{ ...mauser, id: 2, discount: null, price_online_final: 59900 }]} timeZone="Asia/Vladivostok" />,
    );
    const card = screen.getByTestId('premiere-card');
    expect(fact(card, 'Цена онлайн')).toBe('599,00\u00a0₽');
    expect(card.querySelector('s')).toBeNull();
    expect(card.querySelector('.badge')).toBeNull();
    expect(fact(card, 'Время резервации')).toContain('по 01.02.2027, 10:00');
  });

  it('adds the next live show with its seats, asked once for the whole list', async () => {
    const { calls } = stubApi([
      {
        match: isShows,
        body: {
          items: [
            { premiere_id: 1, next: { id: 11, starts_at: '2098-12-07T16:00:00Z', capacity: 3, seats_left: 2, status: 'on_sale' } },
            { premiere_id: 2, next: { id: 21, starts_at: '2098-12-08T16:00:00Z', capacity: 5, seats_left: 0, status: 'sold_out' } },
            { premiere_id: 3, next: null },
          ],
        },
      },
    ]);
    renderWithProviders(
      <SearchResults items={[mauser, { ...mauser, id: 2, title: 'Чайка' }, { ...mauser, id: 3, title: 'Гамлет' }]} timeZone="Europe/Moscow" />,
    );
    const [first, second, third] = screen.getAllByTestId('premiere-card');
    expect(await within(first).findByTestId('next-show')).toHaveTextContent('Прямой эфир: 07.12.2098, 19:00 · Осталось мест: 2');
    expect(within(second).getByTestId('next-show')).toHaveTextContent('Прямой эфир: 08.12.2098, 19:00 · Мест нет');
    expect(within(third).queryByTestId('next-show')).toBeNull();
    expect(calls.map((c) => decodeURIComponent(c.url))).toEqual(['/api/v1/shows?premieres=1,2,3']);
  });

  it('shows nothing extra when the shows cannot be had', async () => {
    const { calls } = stubApi([{ match: isShows, status: 503, body: { title: 'Сервис недоступен', status: 503 } }]);
    renderWithProviders(<SearchResults items={[mauser]} timeZone="Europe/Moscow" />);
    await waitFor(() => expect(calls).toHaveLength(1));
    const card = screen.getByTestId('premiere-card');
    expect(within(card).queryByTestId('next-show')).toBeNull();
    expect(within(card).queryByRole('alert')).toBeNull();
  });
});
