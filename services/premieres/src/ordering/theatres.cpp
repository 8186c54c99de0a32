#include "premieres/ordering/theatres.hpp"

#include "chance/core/error.hpp"

namespace chance::premieres::ordering {

namespace {
constexpr pg::Query kStaff{"theatres_staff", "SELECT theatre FROM theatre_staff WHERE user_id = $1"};
constexpr pg::Query kPremiere{"theatres_premiere", "SELECT theatre FROM premieres WHERE id = $1"};
constexpr pg::Query kShow{
    "theatres_show", "SELECT p.theatre FROM live_shows s JOIN premieres p ON p.id = s.premiere_id WHERE s.id = $1"};

bool outside(const pg::Result& r, const Theatre& theatre) {
    return r.empty() || (theatre && r.text(0, "theatre") != *theatre);
}
}  // namespace

Theatre TheatreScope::of(const service::Caller& who) {
    if (who.role == "admin") return std::nullopt;
    if (who.role != "theatre_staff") throw forbidden("Нужны права сотрудника театра");
    auto r = pool_.exec(kStaff, pg::Params(who.user_id));
    if (r.empty())
        throw not_found("Вы не привязаны к театру: обратитесь к администратору магазина")
            .with_type("not-theatre-staff");
    return r.text(0, "theatre");
}

void TheatreScope::require_premiere(const Theatre& theatre, int64_t premiere) {
    if (outside(pool_.exec(kPremiere, pg::Params(premiere)), theatre)) throw not_found("Премьера не найдена");
}

void TheatreScope::require_show(const Theatre& theatre, int64_t show) {
    if (outside(pool_.exec(kShow, pg::Params(show)), theatre)) throw not_found("Показ не найден");
}

}  // namespace chance::premieres::ordering
