import { act, fireEvent, screen } from '@testing-library/react';
import { renderWithProviders, stubApi } from '@/testing/test-utils';
import { SUGGEST_DEBOUNCE_MS } from '../api/get-suggestions';
import { SearchBox } from './search-box';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('search box', () => {
  it('asks for suggestions once the typing pauses, not on every key', async () => {
    vi.useFakeTimers();
    const { calls } = stubApi([
      { match: (url) => url.startsWith('/api/v1/search/suggest'), body: { items: [{ id: 1, title: 'Маузер' }] } },
    ]);
    renderWithProviders(<SearchBox />);
    const box = screen.getByRole('searchbox', { name: 'Поиск' });

    for (const value of ['М', 'Ма', 'Мау']) fireEvent.change(box, { target: { value } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SUGGEST_DEBOUNCE_MS - 10);
    });
    expect(calls).toHaveLength(0);

    await act(async () => {
      await vi.advanceTimersByTimeAsync(20);
    });
    expect(calls.map((c) => decodeURIComponent(c.url))).toEqual(['/api/v1/search/suggest?q=Мау']);
    expect(screen.getByRole('button', { name: 'Маузер' })).toBeInTheDocument();
  });

  it('does not ask for a single letter', async () => {
    vi.useFakeTimers();
    const { calls } = stubApi([]);
    renderWithProviders(<SearchBox />);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Поиск' }), { target: { value: 'М' } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SUGGEST_DEBOUNCE_MS * 2);
    });
    expect(calls).toHaveLength(0);
  });
});
