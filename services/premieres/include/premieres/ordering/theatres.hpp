#pragma once
// Who may act for a theatre (docs/adr/0028, 0027): a theatre staff account (identity's role theatre_staff) for the
// one theatre an admin assigned it to, an admin for every theatre. Vouchers and live shows both ask it, so that a
// theatre's box office sees and changes only its own theatre's premieres.
#include <cstdint>
#include <optional>
#include <string>

#include "chance/pg/pg.hpp"
#include "chance/service/runtime.hpp"

namespace chance::premieres::ordering {

// nullopt: every theatre (an admin).
using Theatre = std::optional<std::string>;

class TheatreScope {
  public:
    explicit TheatreScope(pg::Pool& pool) : pool_(pool) {}

    // The theatre `who` acts for: their own (theatre staff) or nullopt (admin). 403 for anyone else, 404
    // not-theatre-staff for staff no admin assigned to a theatre.
    Theatre of(const service::Caller& who);
    // 404 «Премьера не найдена» unless the premiere exists and is of `theatre`.
    void require_premiere(const Theatre& theatre, int64_t premiere);
    // 404 «Показ не найден» unless the live show exists and its premiere is of `theatre`.
    void require_show(const Theatre& theatre, int64_t show);

  private:
    pg::Pool& pool_;
};

}  // namespace chance::premieres::ordering
