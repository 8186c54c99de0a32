import { screen, within } from '@testing-library/react';
import { renderWithProviders } from '@/testing/test-utils';
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

describe('search results', () => {
  it('shows the seven fields of the spec on each card', () => {
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
    renderWithProviders(
      <SearchResults items={[{ ...mauser, id: 2, discount: null, price_online_final: 59900 }]} timeZone="Asia/Vladivostok" />,
    );
    const card = screen.getByTestId('premiere-card');
    expect(fact(card, 'Цена онлайн')).toBe('599,00\u00a0₽');
    expect(card.querySelector('s')).toBeNull();
    expect(card.querySelector('.badge')).toBeNull();
    expect(fact(card, 'Время резервации')).toContain('по 01.02.2027, 10:00');
  });
});
