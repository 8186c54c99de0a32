import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { SearchResult } from '@/lib/types';
import { SearchResults } from './search-page';

const result: SearchResult = {
  total: 1,
  page: 1,
  limit: 20,
  did_you_mean: null,
  items: [
    {
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
    },
  ],
};

describe('search results', () => {
  it('shows the seven fields of the spec on each card', () => {
    render(
      <MemoryRouter>
        <SearchResults result={result} timeZone="Europe/Moscow" />
      </MemoryRouter>,
    );
    const card = screen.getByTestId('premiere-card');
    const text = card.textContent ?? '';
    expect(text).toContain('Маузер');
    expect(text).toContain('Дмитрий Высоцкий, Анна Агапова');
    expect(text).toContain('Пьеса Хайнера Мюллера о революции.');
    expect(text).toContain('Цена в театре2\u00a0500,00\u00a0₽');
    expect(text).toContain('599,00\u00a0₽');
    expect(text).toContain('479,20\u00a0₽');
    expect(text).toContain('−20\u00a0%');
    expect(text).toContain('12 ч / 1 сутки / 2 суток');
    expect(text).toContain('бронь до 01.02.2027, 03:00');
    expect(screen.getByRole('link', { name: 'Маузер' })).toHaveAttribute('href', '/premiere/1');
  });
});
