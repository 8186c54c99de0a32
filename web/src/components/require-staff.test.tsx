import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderWithProviders } from '@/testing/test-utils';
import type { User } from '@/types/api';
import { RequireAdmin } from './require-admin';
import { RequireStaff } from './require-staff';
import { RequireTheatreStaff } from './require-theatre-staff';

const customer: User = { id: 'u-1', email: 'zritel@example.ru', name: 'Зритель', phone: null, phone_verified: false, time_zone: 'Europe/Moscow', role: 'customer' };
const support: User = { ...customer, id: 'u-2', role: 'support' };
const admin: User = { ...customer, id: 'u-3', role: 'admin' };
const theatreStaff: User = { ...customer, id: 'u-4', role: 'theatre_staff' };

function show(user: User | null, guard: 'staff' | 'admin' = 'staff') {
  const page = <p>Страница сотрудников</p>;
  return renderWithProviders(
    <Routes>
      <Route path="/staff/customers" element={guard === 'staff' ? <RequireStaff>{page}</RequireStaff> : <RequireAdmin>{page}</RequireAdmin>} />
      <Route path="/login" element={<p>Вход</p>} />
    </Routes>,
    { path: '/staff/customers', session: { user } },
  );
}

describe('RequireStaff', () => {
  it('lets support and admins in', () => {
    for (const user of [support, admin]) {
      const { unmount } = show(user);
      expect(screen.getByText('Страница сотрудников')).toBeInTheDocument();
      unmount();
    }
  });

  it('tells a customer no: the section is for support and admins', () => {
    show(customer);
    expect(screen.getByRole('heading', { level: 1, name: 'Нужны права сотрудника магазина' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Этот раздел доступен только службе поддержки и администраторам магазина.');
    expect(screen.queryByText('Страница сотрудников')).toBeNull();
  });

  it('sends a visitor to sign in', () => {
    show(null);
    expect(screen.getByText('Вход')).toBeInTheDocument();
  });

  it('leaves the admin pages to admins: support is told no there', () => {
    show(support, 'admin');
    expect(screen.getByRole('heading', { level: 1, name: 'Нужны права администратора' })).toBeInTheDocument();
    expect(screen.queryByText('Страница сотрудников')).toBeNull();
  });
});

describe('RequireTheatreStaff', () => {
  function boxOffice(user: User | null) {
    return renderWithProviders(
      <Routes>
        <Route path="/theatre" element={<RequireTheatreStaff><p>Касса</p></RequireTheatreStaff>} />
        <Route path="/login" element={<p>Вход</p>} />
      </Routes>,
      { path: '/theatre', session: { user } },
    );
  }

  it('lets theatre staff and admins in', () => {
    for (const user of [theatreStaff, admin]) {
      const { unmount } = boxOffice(user);
      expect(screen.getByText('Касса')).toBeInTheDocument();
      unmount();
    }
  });

  it('tells customers and support no, and keeps theatre staff out of the store’s staff pages', () => {
    for (const user of [customer, support]) {
      const { unmount } = boxOffice(user);
      expect(screen.getByRole('heading', { level: 1, name: 'Нужны права сотрудника театра' })).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent('Этот раздел доступен только сотрудникам театров и администраторам магазина.');
      expect(screen.queryByText('Касса')).toBeNull();
      unmount();
    }
    show(theatreStaff);
    expect(screen.getByRole('heading', { level: 1, name: 'Нужны права сотрудника магазина' })).toBeInTheDocument();
  });

  it('sends a visitor to sign in', () => {
    boxOffice(null);
    expect(screen.getByText('Вход')).toBeInTheDocument();
  });
});
