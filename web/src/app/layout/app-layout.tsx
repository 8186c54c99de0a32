import { Suspense, useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { Loading } from '@/components/ui/loading';
import { EmailVerificationBanner } from './email-verification-banner';
import { Header } from './header';

export function AppLayout() {
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);

  return (
    <>
      <a href="#content" className="skip-link">
        К содержимому
      </a>
      <Header />
      <main className="page" id="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <p>Шанс-видео — премьеры театров онлайн</p>
        <p className="muted">Время показов — по вашему часовому поясу. Цены в рублях.</p>
        <p>
          <Link to="/privacy">Политика обработки персональных данных</Link>
        </p>
      </footer>
      {/* Last in the page and sticky at the viewport's bottom: it appears once the session is known, and content
          already painted above it never moves (a banner under the header pushed every page down: Lighthouse's
          layout shift 0.14 on checkout). */}
      <EmailVerificationBanner />
    </>
  );
}
