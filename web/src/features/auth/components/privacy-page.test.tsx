import { screen } from '@testing-library/react';
import { renderWithProviders } from '@/testing/test-utils';
import { PrivacyPage } from './privacy-page';

describe('the privacy policy (/privacy)', () => {
  it('has its title and a heading for each part', () => {
    renderWithProviders(<PrivacyPage />, { path: '/privacy' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Политика обработки персональных данных');
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Какие данные мы храним',
      'Зачем',
      'Сколько храним',
      'Кому передаём',
      'Ваши права',
    ]);
  });

  it('names how long the data is kept and where the customer exercises their rights', () => {
    renderWithProviders(<PrivacyPage />, { path: '/privacy' });
    expect(screen.getByText(/не дольше 30 дней/)).toBeInTheDocument();
    expect(screen.getByText(/5 лет после года, в котором прошла операция/)).toHaveTextContent('402-ФЗ «О бухгалтерском учёте»');
    expect(screen.getByText(/«Скачать мои данные»/)).toBeInTheDocument();
    expect(screen.getByText(/«Удалить аккаунт»/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'профиле' })).toHaveAttribute('href', '/account');
  });
});
