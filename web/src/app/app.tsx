import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { SessionProvider } from '@/lib/session';
import { Header } from '@/components/header';
import { RequireAuth } from '@/components/require-auth';
import { SearchPage } from '@/features/search/search-page';
import { PremierePage } from '@/features/premiere/premiere-page';
import { CartPage } from '@/features/cart/cart-page';
import { CheckoutPage } from '@/features/checkout/checkout-page';
import { RentalsPage } from '@/features/rentals/rentals-page';
import { WatchPage } from '@/features/rentals/watch-page';
import { LoginPage, RegisterPage } from '@/features/auth/auth-pages';
import { BillingPage } from '@/features/billing/billing-page';
import { NotificationsPage } from '@/features/notifications/notifications-page';

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Header />
        <main className="page">
          <Routes>
            <Route path="/" element={<SearchPage featured />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/premiere/:id" element={<PremierePage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route path="/cart" element={<RequireAuth><CartPage /></RequireAuth>} />
            <Route path="/checkout" element={<RequireAuth><CheckoutPage /></RequireAuth>} />
            <Route path="/rentals" element={<RequireAuth><RentalsPage /></RequireAuth>} />
            <Route path="/watch/:id" element={<RequireAuth><WatchPage /></RequireAuth>} />
            <Route path="/billing" element={<RequireAuth><BillingPage /></RequireAuth>} />
            <Route path="/notifications" element={<RequireAuth><NotificationsPage /></RequireAuth>} />
            <Route path="*" element={<p>Такой страницы нет.</p>} />
          </Routes>
        </main>
        <footer className="footer">Шанс-видео — премьеры театров онлайн</footer>
      </SessionProvider>
    </BrowserRouter>
  );
}
