import { Link } from 'react-router-dom';
import { DATA_EXPORT_URL } from '../api/personal-data';
import { DeleteAccount } from './delete-account';

// «Мои данные» on the account page (152-ФЗ): a copy of everything the store holds about the customer, and deleting
// the account (which is also how consent is withdrawn).
export function PersonalData() {
  return (
    <section className="panel personal-data" aria-labelledby="personal-data-heading">
      <h2 id="personal-data-heading">Мои данные</h2>
      <p>
        Что мы храним, зачем и сколько — в <Link to="/privacy">политике обработки персональных данных</Link>.
      </p>
      {/* A plain link: the gateway answers with Content-Disposition: attachment, and the browser saves the file. */}
      <p>
        <a className="button" href={DATA_EXPORT_URL} download aria-describedby="data-export-hint">
          Скачать мои данные
        </a>
      </p>
      <p className="muted" id="data-export-hint">
        Файл JSON со всем, что магазин хранит о вас: профиль, сеансы входа, заказы и аренды, баланс и платежи, письма и
        уведомления.
      </p>
      <DeleteAccount />
    </section>
  );
}
