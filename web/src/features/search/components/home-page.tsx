import { FeaturedPremieres } from './featured-premieres';

export function HomePage() {
  return (
    <>
      <section className="hero">
        <p className="hero-kicker">Шанс-видео</p>
        <p className="hero-title">Театральные премьеры — в вашем зале</p>
        <p className="hero-text">Арендуйте онлайн-показ премьеры на 12, 24 или 48 часов и смотрите, когда удобно.</p>
      </section>
      <FeaturedPremieres heading="Премьеры недели" level={1} />
    </>
  );
}
