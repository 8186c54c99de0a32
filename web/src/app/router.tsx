import { lazy, type ReactNode } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { RequireAdmin } from '@/components/require-admin';
import { RequireAuth } from '@/components/require-auth';
import { RequireStaff } from '@/components/require-staff';
import { RequireTheatreStaff } from '@/components/require-theatre-staff';
import { HomePage } from '@/features/search/components/home-page';
import { SearchPage } from '@/features/search/components/search-page';
import { AppLayout } from './layout/app-layout';

// Search is the landing path and ships in the first bundle; every other screen is its own chunk.
const AccountPage = lazy(() => import('@/features/auth/components/account-page').then((m) => ({ default: m.AccountPage })));
const LoginPage = lazy(() => import('@/features/auth/components/login-page').then((m) => ({ default: m.LoginPage })));
const RegisterPage = lazy(() => import('@/features/auth/components/register-page').then((m) => ({ default: m.RegisterPage })));
const ForgotPasswordPage = lazy(() => import('@/features/auth/components/forgot-password-page').then((m) => ({ default: m.ForgotPasswordPage })));
const ResetPasswordPage = lazy(() => import('@/features/auth/components/reset-password-page').then((m) => ({ default: m.ResetPasswordPage })));
const VerifyEmailPage = lazy(() => import('@/features/auth/components/verify-email-page').then((m) => ({ default: m.VerifyEmailPage })));
const PrivacyPage = lazy(() => import('@/features/auth/components/privacy-page').then((m) => ({ default: m.PrivacyPage })));
const AccountDeletedPage = lazy(() => import('@/features/auth/components/account-deleted-page').then((m) => ({ default: m.AccountDeletedPage })));
const BillingPage = lazy(() => import('@/features/billing/components/billing-page').then((m) => ({ default: m.BillingPage })));
const CartPage = lazy(() => import('@/features/cart/components/cart-page').then((m) => ({ default: m.CartPage })));
const CheckoutPage = lazy(() => import('@/features/checkout/components/checkout-page').then((m) => ({ default: m.CheckoutPage })));
const UnsubscribePage = lazy(() => import('@/features/notifications/components/unsubscribe-page').then((m) => ({ default: m.UnsubscribePage })));
const NotificationsPage = lazy(() => import('@/features/notifications/components/notifications-page').then((m) => ({ default: m.NotificationsPage })));
const OrdersPage = lazy(() => import('@/features/orders/components/orders-page').then((m) => ({ default: m.OrdersPage })));
const PremierePage = lazy(() => import('@/features/premiere/components/premiere-page').then((m) => ({ default: m.PremierePage })));
const RentalsPage = lazy(() => import('@/features/rentals/components/rentals-page').then((m) => ({ default: m.RentalsPage })));
const WatchPage = lazy(() => import('@/features/rentals/components/watch-page').then((m) => ({ default: m.WatchPage })));
const AdminPremieresPage = lazy(() => import('@/features/admin/components/admin-premieres-page').then((m) => ({ default: m.AdminPremieresPage })));
const PremiereEditorPage = lazy(() => import('@/features/admin/components/premiere-editor-page').then((m) => ({ default: m.PremiereEditorPage })));
const ImportPage = lazy(() => import('@/features/admin/components/import-page').then((m) => ({ default: m.ImportPage })));
const DeadLettersPage = lazy(() => import('@/features/admin/components/dead-letters-page').then((m) => ({ default: m.DeadLettersPage })));
const CustomersPage = lazy(() => import('@/features/staff/components/customers-page').then((m) => ({ default: m.CustomersPage })));
const PlaybackProblemsPage = lazy(() =>
  import('@/features/staff/components/playback-problems-page').then((m) => ({ default: m.PlaybackProblemsPage })),
);
const SalesReportPage = lazy(() => import('@/features/staff/components/sales-report-page').then((m) => ({ default: m.SalesReportPage })));
const TheatrePage = lazy(() => import('@/features/theatre/components/theatre-page').then((m) => ({ default: m.TheatrePage })));

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;
const admin = (page: ReactNode) => <RequireAdmin>{page}</RequireAdmin>;
const staff = (page: ReactNode) => <RequireStaff>{page}</RequireStaff>;
const theatre = (page: ReactNode) => <RequireTheatreStaff>{page}</RequireTheatreStaff>;

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route path="/" element={<HomePage />} />
        <Route path="/search" element={<SearchPage />} />
        <Route path="/premiere/:id" element={<PremierePage />} />
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/verify-email" element={<VerifyEmailPage />} />
        <Route path="/privacy" element={<PrivacyPage />} />
        <Route path="/account-deleted" element={<AccountDeletedPage />} />
        <Route path="/account" element={signedIn(<AccountPage />)} />
        <Route path="/cart" element={signedIn(<CartPage />)} />
        <Route path="/checkout" element={signedIn(<CheckoutPage />)} />
        <Route path="/rentals" element={signedIn(<RentalsPage />)} />
        <Route path="/orders" element={signedIn(<OrdersPage />)} />
        <Route path="/watch/:id" element={signedIn(<WatchPage />)} />
        <Route path="/billing" element={signedIn(<BillingPage />)} />
        <Route path="/notifications" element={signedIn(<NotificationsPage />)} />
        <Route path="/unsubscribe" element={<UnsubscribePage />} />
        <Route path="/admin" element={admin(<AdminPremieresPage />)} />
        <Route path="/admin/premieres/:id" element={admin(<PremiereEditorPage />)} />
        <Route path="/admin/import" element={admin(<ImportPage />)} />
        <Route path="/admin/dead-letters" element={admin(<DeadLettersPage />)} />
        <Route path="/admin/reports" element={admin(<SalesReportPage />)} />
        <Route path="/admin/problems" element={staff(<PlaybackProblemsPage />)} />
        <Route path="/staff/customers" element={staff(<CustomersPage />)} />
        <Route path="/theatre" element={theatre(<TheatrePage />)} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Такой страницы нет</h1>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </section>
  );
}
