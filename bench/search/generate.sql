-- N synthetic premieres (psql variable :n) for the search benchmark: titles, theatres and actors combined
-- from word lists, set-based. The cast-name trigger is bypassed by writing cast_names directly, and the
-- postings are written in one statement after the premieres rather than by a trigger per premiere. All in one
-- transaction: the catalog versions it takes commit with the postings, so a search index that follows them
-- (ADR 0011) reads the postings too.
\set ON_ERROR_STOP on
BEGIN;
ALTER TABLE premiere_cast DISABLE TRIGGER premiere_cast_names_inserted;
ALTER TABLE premieres DISABLE TRIGGER premieres_postings_insert;
WITH w AS (
  SELECT ARRAY['Буря','Вишнёвый','Мастер','Гроза','Лес','Бег','Чайка','Маскарад','Идиот','Ревизор','Шинель','Дуэль',
               'Метель','Пиковая','Снегурочка','Отелло','Макбет','Фауст','Кармен','Дядя','Женитьба','Игроки','Дачники',
               'Варвары','Мещане','Самоубийца','Мандат','Клоп','Баня','Зойкина','Бесы','Подросток','Кроткая','Двойник',
               'Обломов','Мёртвые','Записки','Вий','Нос','Коляска'] AS a,
         ARRAY['сад','квартира','ночь','душа','сердце','дом','город','остров','берег','поезд','бал','век','сон',
               'лето','зима','дорога','война','любовь','правда','тень'] AS b,
         ARRAY['Иванов','Петров','Сидорова','Кузнецов','Смирнова','Волков','Морозова','Лебедев','Козлов','Новикова',
               'Соколов','Попова','Орлов','Зайцева','Белов','Фёдорова','Громов','Ковалёва','Никитин','Ершова'] AS actors,
         ARRAY['Театр Ленсовета','Театр Маяковского','Театр Et Cetera','Театр Сатиры','Театр Моссовета',
               'Театр Российской армии','Электротеатр Станиславский','Театр Европы','Приют комедианта',
               'Театр Эрмитаж'] AS theatres
)
INSERT INTO premieres (slug, title, theatre, director, genre, age_rating, duration_minutes, description_short,
                       description_full, price_theatre, price_online, discount_percent, base_period_hours,
                       reservable_from, reservable_until, cast_names)
SELECT 'bench-' || g,
       a[1 + g % array_length(a, 1)] || ' ' || b[1 + (g / 40) % array_length(b, 1)] || ' ' || g,
       theatres[1 + g % array_length(theatres, 1)],
       'Режиссёр ' || actors[1 + (g / 7) % 20],
       'драма', '16+', 90 + g % 90,
       'Спектакль о том, как ' || b[1 + g % 20] || ' меняет людей.',
       'Полное описание спектакля номер ' || g || ': ' || a[1 + (g / 3) % 40] || ', ' || b[1 + (g / 11) % 20] || '.',
       100000 + (g % 50) * 10000, 29900 + (g % 40) * 2500, (g % 5) * 5, 24,
       now() - interval '10 days', now() + interval '200 days',
       actors[1 + g % 20] || ', ' || actors[1 + (g / 20) % 20] || ', ' || actors[1 + (g / 400) % 20]
FROM w, generate_series(1, :n) AS g;
INSERT INTO premiere_periods (premiere_id, hours, price_factor)
SELECT id, h, f FROM premieres, (VALUES (24, 1.0), (48, 1.5)) AS p(h, f) WHERE slug LIKE 'bench-%';
ALTER TABLE premiere_cast ENABLE TRIGGER premiere_cast_names_inserted;
INSERT INTO search_postings (lexeme, premiere_id, score)
SELECT s.lexeme, p.id, s.score FROM premieres p, search_postings_of(p.search_document) AS s
WHERE p.slug LIKE 'bench-%' AND NOT p.hidden;
ALTER TABLE premieres ENABLE TRIGGER premieres_postings_insert;
COMMIT;
ANALYZE premieres;
ANALYZE premiere_periods;
ANALYZE premiere_cast;
ANALYZE search_words;
VACUUM ANALYZE search_postings;
