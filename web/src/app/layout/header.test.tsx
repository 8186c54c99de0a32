import { screen, within } from '@testing-library/react';
import { renderWithProviders } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { Header } from './header';

const customer: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };

function links(user: User | null) {
  const { unmount } = renderWithProviders(<Header />, { session: { user, balance: 0 } });
  const nav = screen.getByRole('navigation', { name: 'Основное меню' });
  const names = within(nav)
    .getAllByRole('link')
    .map((a) => [a.textContent, a.getAttribute('href')]);
  unmount();
  return names;
}

describe('the header', () => {
  it('shows «Покупатели» to support and admins only, «Администрирование» to admins only', () => {
    const staffLinks = (user: User | null) => links(user).filter(([name]) => name === 'Покупатели' || name === 'Администрирование');
    expect(staffLinks(null)).toEqual([]);
    expect(staffLinks(customer)).toEqual([]);
    expect(staffLinks({ ...customer, role: 'support' })).toEqual([['Покупатели', '/staff/customers']]);
    expect(staffLinks({ ...customer, role: 'admin' })).toEqual([
      ['Покупатели', '/staff/customers'],
      ['Администрирование', '/admin'],
    ]);
  });

  it('shows «Касса театра» to theatre staff', () => {
    const boxOffice = (user: User | null) => links(user).filter(([name]) => name === 'Касса театра' || name === 'Покупатели');
    expect(boxOffice({ ...customer, role: 'theatre_staff' })).toEqual([['Касса театра', '/theatre']]);
    expect(boxOffice(customer)).toEqual([]);
    expect(boxOffice({ ...customer, role: 'support' })).toEqual([['Покупатели', '/staff/customers']]);
  });
});
