import { useLocation } from 'react-router-dom';
import { ResendVerification } from '@/components/resend-verification';
import { emailVerified, useSession } from '@/lib/session';

// At the bottom of every page while a signed-in customer's address is unconfirmed; the account works as usual
// meanwhile. Not on /verify-email: that page confirms the address (and offers a new email itself when the link is
// dead), then refreshes the session, and the banner is gone from every page after it without a reload.
export function EmailVerificationBanner() {
  const { user, loading } = useSession();
  const { pathname } = useLocation();
  if (loading || !user || emailVerified(user) || pathname === '/verify-email') return null;
  return (
    <section className="verify-banner" aria-label="Подтверждение почты" data-testid="email-banner">
      <div className="verify-banner-inner">
        <p className="verify-banner-text">
          Подтвердите адрес почты <b>{user.email}</b>: мы отправили на него письмо со ссылкой.
        </p>
        <ResendVerification />
      </div>
    </section>
  );
}
