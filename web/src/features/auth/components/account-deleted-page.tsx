import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '@/lib/session';

// Where «Удалить аккаунт навсегда» leads: the account is gone and every session of it has ended. The session is asked
// again only once this page is shown: forgetting the customer while /account is still on screen (the route change
// waits for this page's chunk) would have RequireAuth send them to /login?next=/account instead.
export function AccountDeletedPage() {
  const { refresh } = useSession();
  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <section className="auth">
      <h1>Аккаунт удалён</h1>
      <p>
        Мы удалили ваш аккаунт и завершили все сеансы входа. Заказы и платежи остаются в бухгалтерском учёте магазина столько,
        сколько требует закон, — без вашего имени, почты и телефона.
      </p>
      <p>Спасибо, что смотрели премьеры с «Шанс-видео». С тем же адресом почты можно зарегистрироваться снова.</p>
      <p>
        <Link to="/">На главную</Link> · <Link to="/register">Зарегистрироваться</Link>
      </p>
    </section>
  );
}
